"""Settings come from the environment, fail loudly on bad values, and deploy cleanly."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("NEWSROOM_API_THROTTLE_ANON", "lots"),
        ("NEWSROOM_CACHE_DIR", "var/cache"),
    ],
)
def test_bad_environment_values_name_the_variable(variable, value):
    result = manage("check", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


PRODUCTION_KEY = "a-long-random-production-secret-" + "x" * 40


def test_a_bad_email_port_names_the_variable():
    result = manage("check", DJANGO_EMAIL_HOST="smtp.example.org", DJANGO_EMAIL_PORT="abc")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_EMAIL_PORT" in result.stderr


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_bad_number_of_trusted_proxies_names_the_variable(value):
    result = manage("check", NEWSROOM_TRUSTED_PROXIES=value)
    assert result.returncode != 0
    assert "NEWSROOM_TRUSTED_PROXIES" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_production_without_allowed_hosts_refuses_to_start(hosts):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": PRODUCTION_KEY}
    if hosts is not None:
        env["DJANGO_ALLOWED_HOSTS"] = hosts
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    "key", ["", "django-insecure-local-demo-key-only-for-debug", "django-insecure-" + "k" * 50]
)
def test_production_never_runs_with_the_demo_or_an_insecure_key(key):
    result = manage(
        "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="news.example.org"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def _variables_read_by_the_settings() -> set[str]:
    source = (ROOT / "newsroom" / "settings.py").read_text()
    reads = re.findall(
        r"""(?:os\.environ\.get\(|os\.environ\[|env_[a-z]+\()\s*["']([A-Z][A-Z0-9_]+)["']""",
        source,
    )
    return set(reads) | {"DATABASE_URL"}  # read by dj_database_url.config()


def test_every_variable_the_settings_read_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    variables = _variables_read_by_the_settings()
    assert len(variables) > 10
    assert variables - documented == set()

"""Content-Security-Policy: scripts and styles only from the site's own files, everywhere
but one place: the admin's revision history and compare pages (django-reversion-compare's
templates) may also use inline styles. No page holds an inline script."""

from __future__ import annotations

import re

import pytest
import reversion
from django.test import Client
from reversion.models import Version

from tests.factories import published_article

pytestmark = pytest.mark.django_db

# <script> elements the browser would run: inline ones (no src) that are not data
# blocks (JSON-LD, json_script).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/(?:ld\+)?json[\"'])[^>]*>",
    re.IGNORECASE,
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=[\"']", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=[\"']", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def assert_no_inline_code(html: str, *, styles_too: bool = True) -> None:
    assert not INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html)
    if styles_too:
        assert not INLINE_STYLE.findall(html)


@pytest.fixture
def article(editor):
    return published_article(editor, slug="ceasefire", title="Ceasefire talks")


@pytest.mark.parametrize("path", ["/en/", "/en/articles/ceasefire/", "/accounts/login/"])
def test_reader_pages_allow_no_inline_script_or_style(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_code(response.content.decode())


def test_the_policy_holds_on_cached_pages_too(client, article):
    client.get("/en/articles/ceasefire/")
    response = client.get("/en/articles/ceasefire/")
    assert response["X-Cache"] == "hit"
    assert_strict(response)


def test_the_translators_workspace_allows_no_inline_script_or_style(client, translator):
    client.force_login(translator)
    response = client.get("/translate/")
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_code(response.content.decode())


def test_the_api_docs_run_under_the_strict_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert_no_inline_code(html)
    # Swagger UI is started by a script of its own, served by the site.
    scripts = re.findall(r"<script src=\"([^\"]+)\"", html)
    start = client.get(scripts[-1].replace("&amp;", "&"))
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in start.content.decode()


ADMIN_PAGES = [
    "/admin/",
    "/admin/review/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/article/{pk}/change/",
    "/admin/articles/article/{pk}/preview/en/",
    "/admin/articles/article/import/",
    "/admin/articles/translationversion/",
]


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_allow_no_inline_script_or_style(editor_client, article, path):
    response = editor_client.get(path.format(pk=article.pk))
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_code(response.content.decode())


def test_revision_history_pages_may_use_inline_styles_but_never_inline_scripts(
    editor_client, article
):
    for title in ("Ceasefire talks stall", "Ceasefire talks resume"):
        with reversion.create_revision():
            article.title = title
            article.save()
    newer, older = Version.objects.get_for_object(article).values_list("pk", flat=True)[:2]
    history = f"/admin/articles/article/{article.pk}/history/"
    for path in (history, f"{history}compare/?version_id1={older}&version_id2={newer}"):
        response = editor_client.get(path)
        assert response.status_code == 200
        directives = policy(response)
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["object-src"] == ["'none'"]
        assert_no_inline_code(response.content.decode(), styles_too=False)


def test_the_admin_sign_in_page_has_the_policy(client):
    response = client.get("/admin/login/")
    assert policy(response)["script-src"] == ["'self'"]


def test_api_answers_carry_the_policy(client, article):
    assert_strict(client.get("/api/v1/articles/"))

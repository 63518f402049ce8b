"""Personas and shared fixtures: editor, contributor, translator, reader."""

import pytest
from django.contrib.auth.models import Group, User

from articles.roles import Role


def make_user(username: str, role: Role | None = None, *, staff: bool = True) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "pw-" + username)
    user.is_staff = staff
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def editor(db) -> User:
    return make_user("edith", Role.EDITOR)


@pytest.fixture
def other_editor(db) -> User:
    return make_user("eddie", Role.EDITOR)


@pytest.fixture
def contributor(db) -> User:
    return make_user("connie", Role.CONTRIBUTOR)


@pytest.fixture
def other_contributor(db) -> User:
    return make_user("conrad", Role.CONTRIBUTOR)


@pytest.fixture
def translator(db) -> User:
    return make_user("tran", Role.TRANSLATOR, staff=False)


@pytest.fixture
def other_translator(db) -> User:
    return make_user("trina", Role.TRANSLATOR, staff=False)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_run(tmp_path_factory):
    """The suite's own cache folder, never the one `make run` serves from."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    location = str(tmp_path_factory.mktemp("cache"))
    caches = {**settings.CACHES, "default": {**default, "LOCATION": location}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing at full strength dominates the suite's run time and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    # Pictures' renditions go to a throwaway folder, never into the work tree.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def browser():
    """A headless Chromium for the browser tests (marks and helpers: tests/browser.py)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Inside Playwright's event loop the ORM gets connections of that context; close
        # them here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()

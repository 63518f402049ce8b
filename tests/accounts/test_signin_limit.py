"""Password guessing: after 10 failed sign-ins for one username, or 30 from one address,
within 15 minutes, every door refuses further attempts (even with the right password)
until the window has passed. The failures are rows in the database, so every server
process counts the same ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import signin_limit

pytestmark = pytest.mark.django_db

RIGHT = "pw-edith"  # the editor persona's password (tests/conftest.py)


class Door:
    """One place people sign in; `attempt` answers (status, signed in?)."""

    def __init__(self, name: str):
        self.name = name
        self.client = APIClient() if name == "api" else Client()

    def attempt(self, username: str, password: str, **extra):
        if self.name == "api":
            response = self.client.post(
                "/api/v1/auth/token/",
                {"username": username, "password": password},
                format="json",
                **extra,
            )
            signed_in = response.status_code == 200 and "token" in response.json()
        else:
            path = "/accounts/login/" if self.name == "site" else "/admin/login/"
            response = self.client.post(path, {"username": username, "password": password}, **extra)
            signed_in = "_auth_user_id" in self.client.session
        return response, signed_in

    def fail(self, username: str, times: int, **extra) -> None:
        for _ in range(times):
            response, signed_in = self.attempt(username, "wrong-password", **extra)
            assert response.status_code in (200, 400) and not signed_in


DOORS = ["site", "admin", "api"]


@pytest.fixture
def clock(monkeypatch):
    """The sign-in limit's clock, moved by hand."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta) -> None:
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(signin_limit, "now", lambda: clock.now)
    return clock


def assert_refused(door: Door, response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    if door.name == "api":
        body = response.json()
        assert set(body) == {"status", "code", "detail", "errors"}
        assert body["status"] == 429 and body["code"] == "throttled"
        assert "Too many failed sign-ins" in body["detail"]
    else:
        assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.parametrize("door", DOORS)
def test_ten_wrong_passwords_then_the_right_one_is_refused(editor, door):
    door = Door(door)
    door.fail("edith", 10)
    response, signed_in = door.attempt("edith", RIGHT)
    assert not signed_in
    assert_refused(door, response)
    assert not Token.objects.filter(user=editor).exists()


@pytest.mark.parametrize("door", DOORS)
def test_nine_wrong_passwords_still_let_the_right_one_in(editor, door):
    door = Door(door)
    door.fail("edith", 9)
    response, signed_in = door.attempt("edith", RIGHT)
    assert signed_in


def test_failures_at_one_door_count_at_the_others(editor):
    Door("site").fail("edith", 4)
    Door("admin").fail("edith", 3)
    Door("api").fail("edith", 3)
    for door in DOORS:
        response, signed_in = Door(door).attempt("edith", RIGHT)
        assert not signed_in
        assert_refused(Door(door), response)


def test_the_page_says_when_to_try_again(editor, clock):
    door = Door("site")
    door.fail("edith", 10)
    response, _signed_in = door.attempt("edith", RIGHT)
    html = response.content.decode()
    until = clock.now + timedelta(minutes=15)
    assert f"Try again after {until:%H:%M} UTC" in html
    assert "in 15 minutes" in html


def test_other_usernames_are_not_locked_by_one_username_s_failures(editor, other_editor):
    door = Door("site")
    door.fail("edith", 10)
    response, signed_in = door.attempt("eddie", "pw-eddie")
    assert signed_in


@pytest.mark.parametrize("door", DOORS)
def test_thirty_failures_from_one_address_lock_every_username(editor, door):
    door = Door(door)
    for n in range(30):
        # Each guess under a new name, each claiming another client in X-Forwarded-For:
        # with no trusted proxy (the default) the header counts for nothing.
        door.fail(f"guess{n}", 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response, signed_in = door.attempt("edith", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert not signed_in
    assert_refused(door, response)
    # Another address is not locked.
    response, signed_in = door.attempt("edith", RIGHT, REMOTE_ADDR="192.0.2.50")
    assert signed_in


def test_behind_a_trusted_proxy_the_address_it_forwards_counts(editor, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    door = Door("site")
    for n in range(30):
        # The client wrote the first entry; the proxy appended the address it saw.
        door.fail(f"guess{n}", 1, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7")
    response, signed_in = door.attempt(
        "edith", RIGHT, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7"
    )
    assert response.status_code == 429 and not signed_in
    # The proxy's own address is shared by every client: others are still let in.
    response, signed_in = door.attempt("edith", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert signed_in


@pytest.mark.parametrize("door", DOORS)
def test_the_window_passing_lets_the_right_password_in_again(editor, clock, door):
    door = Door(door)
    door.fail("edith", 10)
    clock.advance(minutes=14, seconds=59)
    response, signed_in = door.attempt("edith", RIGHT)
    assert response.status_code == 429 and not signed_in
    clock.advance(seconds=2)
    response, signed_in = door.attempt("edith", RIGHT)
    assert signed_in


def test_refused_attempts_do_not_prolong_the_lock(editor, clock):
    door = Door("site")
    door.fail("edith", 10)
    for _ in range(5):
        clock.advance(minutes=2)
        response, _signed_in = door.attempt("edith", "still-guessing")
        assert response.status_code == 429
    clock.advance(minutes=5, seconds=1)
    response, signed_in = door.attempt("edith", RIGHT)
    assert signed_in


def test_failures_older_than_the_window_do_not_count(editor, clock):
    door = Door("site")
    door.fail("edith", 6)
    clock.advance(minutes=10)
    door.fail("edith", 3)
    clock.advance(minutes=6)  # the first six are now older than 15 minutes
    door.fail("edith", 6)
    response, signed_in = door.attempt("edith", RIGHT)
    assert signed_in

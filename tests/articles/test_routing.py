"""Which requests may read from a replica (the rules; tests/replicas runs them against
a real one)."""

from __future__ import annotations

import time

import pytest

from articles import routing


@pytest.fixture
def replica_up(settings, monkeypatch):
    settings.NEWSROOM_REPLICAS = ["replica"]
    monkeypatch.setattr(routing, "usable_replica", lambda: "replica")


@pytest.mark.parametrize(
    ("method", "path", "extra", "expected"),
    [
        ("get", "/en/articles/talks/", {}, "replica"),
        ("head", "/en/", {}, "replica"),
        ("get", "/api/v1/articles/", {}, "replica"),
        ("post", "/en/search/", {}, None),
        ("get", "/admin/articles/article/", {}, None),
        ("get", "/translate/", {}, None),
        ("get", "/accounts/login/", {}, None),
        ("get", "/api/v1/translations/", {}, None),
        ("get", "/api/v1/articles/", {"HTTP_AUTHORIZATION": "Token abc"}, None),
    ],
)
def test_only_anonymous_reads_of_public_pages_go_to_a_replica(
    rf, replica_up, method, path, extra, expected
):
    assert routing.reads_from(getattr(rf, method)(path, **extra)) == expected


def test_signed_in_users_read_the_primary(rf, replica_up, settings):
    request = rf.get("/en/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert routing.reads_from(request) is None


def test_a_browser_that_just_wrote_reads_the_primary_for_a_few_seconds(rf, replica_up):
    request = rf.get("/en/")
    request.COOKIES[routing.WROTE_COOKIE] = f"{time.time() - 1:.3f}"
    assert routing.reads_from(request) is None
    request.COOKIES[routing.WROTE_COOKIE] = f"{time.time() - 60:.3f}"
    assert routing.reads_from(request) == "replica"
    request.COOKIES[routing.WROTE_COOKIE] = "not a time"
    assert routing.reads_from(request) == "replica"


def test_without_replicas_everything_reads_the_primary(rf, settings):
    settings.NEWSROOM_REPLICAS = []
    assert routing.reads_from(rf.get("/en/")) is None


@pytest.mark.django_db
def test_a_post_marks_the_browser_as_having_written(client, replica_up, settings):
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    cookie = response.cookies[routing.WROTE_COOKIE]
    assert cookie["max-age"] == settings.NEWSROOM_REPLICA_STICKY_SECONDS
    assert cookie["httponly"]


def test_a_page_read_from_a_lagging_replica_counts_from_its_data(monkeypatch):
    """Cached (articles.site.cache.serve) as made when the replica's data was current:
    a change committed after that, and invalidated, makes it stale even though it was
    rendered later."""
    health = routing._health("replica")
    monkeypatch.setattr(health, "caught_up_at", time.time() - 30)
    token = routing._reads_from.set("replica")
    try:
        assert routing.data_as_of() == health.caught_up_at
    finally:
        routing._reads_from.reset(token)
    assert abs(routing.data_as_of() - time.time()) < 1  # the primary: now

"""Read replicas, against a real streaming replica (`.ci/run` starts one with
pg_basebackup -R and runs these with DATABASE_REPLICA_URLS; skipped without it).

Transactional tests: what the primary commits reaches the replica by replication."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import routing
from tests.factories import ArticleFactory, moderate

pytestmark = [
    pytest.mark.skipif(
        not settings.NEWSROOM_REPLICAS,
        reason="no DATABASE_REPLICA_URLS (.ci/run starts a streaming replica)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture(autouse=True)
def checked_every_request(settings):
    """A health check per request: each test sees the replica as it is at that moment."""
    settings.NEWSROOM_REPLICA_CHECK_EVERY = 0
    settings.NEWSROOM_REPLICA_MAX_LAG = 1
    routing._healths.clear()
    yield
    routing._healths.clear()


def lsn(alias: str, function: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_lsn_diff({function}(), '0/0')")
        return int(cursor.fetchone()[0])


def wait_for_replica(timeout: float = 15.0) -> None:
    target = lsn("default", "pg_current_wal_lsn")
    deadline = time.monotonic() + timeout
    while lsn("replica", "pg_last_wal_replay_lsn") < target:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@contextmanager
def replay_paused():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def replica_at(port: int):
    """The replica's alias pointed at another port (nothing listens there: it is down)."""
    connection = connections["replica"]
    real = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = port
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real


@contextmanager
def queries():
    """The SQL run on the primary and on the replica, apart."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield primary, replica


def health_checks_only(captured) -> bool:
    return all("pg_last_wal" in query["sql"] for query in captured.captured_queries)


def publish(editor, slug: str, title: str):
    return moderate(ArticleFactory(slug=slug, title=title), "published", editor)


def test_a_published_story_is_served_from_the_replica_once_caught_up(client, editor):
    publish(editor, "on-the-replica", "Served by the replica")
    wait_for_replica()
    with queries() as (primary, replica):
        response = client.get("/en/articles/on-the-replica/")
    assert response.status_code == 200
    assert "Served by the replica" in response.content.decode()
    assert not health_checks_only(replica)  # the page was read there
    assert primary.captured_queries == []
    assert routing.check("replica").usable


def test_while_the_replica_lags_readers_get_the_primary(client, editor):
    wait_for_replica()
    with replay_paused():
        publish(editor, "behind", "Not on the replica yet")
        time.sleep(1.5)  # more than NEWSROOM_REPLICA_MAX_LAG behind
        assert not routing.check("replica").usable
        with queries() as (primary, replica):
            response = client.get("/en/articles/behind/")
        assert response.status_code == 200  # never a stale 404 from the replica
        assert health_checks_only(replica)
        assert not health_checks_only(primary)
    wait_for_replica()
    with queries() as (primary, replica):
        assert client.get("/en/articles/behind/?again").status_code == 200
    assert not health_checks_only(replica)


def test_a_replica_that_is_down_is_never_a_500(client, editor):
    publish(editor, "replica-down", "The primary answers")
    with queries() as (_primary, replica), replica_at(1):
        response = client.get("/en/articles/replica-down/")
        assert response.status_code == 200
        assert client.get("/api/v1/articles/replica-down/").status_code == 200
    assert replica.captured_queries == []


def test_a_replica_failing_mid_request_is_left_out_and_the_page_read_again(
    client, editor, settings
):
    publish(editor, "mid-request", "Read again on the primary")
    wait_for_replica()
    assert routing.check("replica").usable
    settings.NEWSROOM_REPLICA_CHECK_EVERY = 3600  # believed healthy, it goes down
    with replica_at(1):
        response = client.get("/en/articles/mid-request/")
        assert response.status_code == 200
        assert "Read again on the primary" in response.content.decode()
        assert routing.usable_replica() is None  # marked down for a while


def test_staff_and_a_browser_that_just_wrote_read_the_primary(client, editor):
    publish(editor, "own-writes", "Read your writes")
    wait_for_replica()
    staff = Client()
    staff.force_login(editor)
    with queries() as (_primary, replica):
        assert staff.get("/en/articles/own-writes/").status_code == 200
        assert staff.get("/api/v1/articles/own-writes/").status_code == 200
    assert health_checks_only(replica)
    writer = Client()
    writer.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert routing.WROTE_COOKIE in writer.cookies
    with queries() as (_primary, replica):
        assert writer.get("/en/articles/own-writes/").status_code == 200
    assert health_checks_only(replica)


def test_writes_and_migrations_go_to_the_primary():
    router = routing.ReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "articles") is False
    assert router.allow_migrate("default", "articles") is True

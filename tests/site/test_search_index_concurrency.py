"""Two commits re-indexing one article at once: no primary-key collision, newest text wins."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from articles.models import Article
from articles.site import search
from articles.states import State
from tests.factories import TranslationVersionFactory, moderate, published_article


def index_rows(article_id: int) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT language, title FROM {search.TABLE} WHERE article_id = %s ORDER BY language",
            [article_id],
        )
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_reindexing_keeps_one_row_per_live_language(editor):
    article = published_article(editor, title="Talks resume")
    moderate(TranslationVersionFactory(article=article, title="Reprise"), State.APPROVED, editor)

    search.index_article(article.pk)
    search.index_article(article.pk)
    assert index_rows(article.pk) == [("en", "Talks resume"), ("fr", "Reprise")]

    Article.objects.filter(pk=article.pk).update(title="Talks resume again")
    article.translations.update(state=State.ARCHIVED)
    search.index_article(article.pk)
    assert index_rows(article.pk) == [("en", "Talks resume again")]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time (transaction_mode IMMEDIATE)",
)
def test_two_reindexings_of_one_article_at_once_do_not_collide(editor):
    article = published_article(editor, title="Talks resume")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.TABLE}")
    first_wrote, errors = threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                search.index_article(article.pk)
                first_wrote.set()
                # Commit only once the second run is blocked behind this transaction.
                deadline = time.monotonic() + 10
                while not waiting_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            first_wrote.set()
            connections.close_all()

    def second() -> None:
        try:
            first_wrote.wait(10)
            search.index_article(article.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert index_rows(article.pk) == [("en", "Talks resume")]

"""Two editors approving two versions of one language at the same moment: the second is
told what really happened (409, another version went live meanwhile), never a misleading
"cannot unpublish" nor a 500 from the one-live-version constraint."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection, connections, transaction

from articles.models import TranslationVersion
from articles.states import State
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import TranslationVersionFactory, moderate, published_article


def someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time (transaction_mode IMMEDIATE)",
)
@pytest.mark.parametrize("with_live_version", [True, False], ids=["replacing v1", "first"])
def test_the_second_of_two_simultaneous_approvals_says_what_conflicted(
    editor, other_editor, translator, with_live_version
):
    article = published_article(editor, title="Talks resume")
    if with_live_version:
        moderate(TranslationVersionFactory(article=article, version=1), State.APPROVED, editor)
    first, second = (
        moderate(TranslationVersionFactory(article=article, version=n), State.IN_REVIEW, editor)
        for n in (2, 3)
    )
    first_approved, errors = threading.Event(), []

    def approve_first() -> None:
        try:
            with transaction.atomic():
                transition(first, "approve", by=editor)
                first_approved.set()
                # Commit only once the second approval is blocked behind this one.
                deadline = time.monotonic() + 10
                while not someone_waits_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            first_approved.set()
            connections.close_all()

    responses = []

    def approve_second() -> None:
        try:
            first_approved.wait(10)
            responses.append(
                client_for(other_editor).post(
                    f"/api/v1/translations/{second.pk}/approve/",
                    json.dumps({}),
                    content_type="application/json",
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve_first), threading.Thread(target=approve_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    [response] = responses
    assert response.status_code == 409, response.content
    detail = response.json()["detail"]
    assert "Another French version of this article was approved at the same time" in detail
    assert "Reload" in detail
    assert "unpublish" not in detail
    states = dict(TranslationVersion.objects.values_list("version", "state"))
    assert states[2] == State.PUBLISHED
    assert states[3] == State.IN_REVIEW  # nothing of the refused approval was kept

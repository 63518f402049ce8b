"""Two imports of the same new copy at once: one article, no 500, the second a no-op."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from articles.intake import apply as applying
from articles.intake import importer
from articles.intake.importer import import_wire
from articles.models import Analyst, Article, Attribution
from proposals.models import Proposal

SAMPLE = (
    Path(__file__).resolve().parents[2] / "articles" / "samples" / "wire-red-sea-insurance.txt"
).read_bytes()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time (transaction_mode IMMEDIATE)",
)
def test_two_imports_of_the_same_new_copy_at_once_make_one_article(monkeypatch):
    # Both plans must see "no such article" before either writes: meet at a barrier.
    barrier = threading.Barrier(2, timeout=10)
    real_apply_article = applying._apply_article
    first_attempts: set[int] = set()

    def apply_article_after_both_planned(p, author, to_submit):
        me = threading.get_ident()
        if me not in first_attempts:
            first_attempts.add(me)
            barrier.wait()
        return real_apply_article(p, author, to_submit)

    monkeypatch.setattr(applying, "_apply_article", apply_article_after_both_planned)
    results, errors = [], []

    def run() -> None:
        try:
            results.append(import_wire(SAMPLE, source="race.txt"))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(r.changed for r in results) == [False, True]
    assert Article.objects.count() == 1
    copy = importer.parse(SAMPLE)
    assert Analyst.objects.count() == len(copy.analysts)
    assert Attribution.objects.count() == sum(len(a.statements) for a in copy.analysts)
    assert Proposal.objects.count() == len(copy.enrichment.proposals)

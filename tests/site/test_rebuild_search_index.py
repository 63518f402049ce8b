"""`manage.py rebuild_search_index`: the index rebuilt from published content only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.site import search
from articles.states import State
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate
from tests.site.conftest import en_only_article

pytestmark = pytest.mark.django_db


def rebuild(**options) -> list[str]:
    out = StringIO()
    call_command("rebuild_search_index", stdout=out, **options)
    return out.getvalue().splitlines()


def index_rows() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT article_id, language FROM {search.TABLE} ORDER BY 1, 2")
        return [tuple(row) for row in cursor.fetchall()]


def wipe_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.TABLE}")


@pytest.fixture
def site(editor):
    """Five published articles (one also live in French) and a draft."""
    articles = [
        en_only_article(editor, slug=f"zephyr-{n}", title=f"Zephyr talks {n}") for n in range(4)
    ]
    bilingual = ArticleFactory(slug="zephyr-fr", title="Zephyr talks in two languages")
    moderate(
        TranslationVersionFactory(article=bilingual, title="Pourparlers zéphyr", version=1),
        State.APPROVED,
        editor,
    )
    articles.append(moderate(bilingual, State.PUBLISHED, editor))
    draft = ArticleFactory(slug="zephyr-draft", title="Zephyr draft never published")
    return articles, draft


def test_it_rebuilds_the_index_and_reports_progress_and_a_final_count(site):
    articles, draft = site
    wipe_index()
    assert search.search("zephyr", "en").total == 0

    lines = rebuild(every=2)

    assert lines == [
        "indexed 2/5 articles",
        "indexed 4/5 articles",
        "indexed 5/5 articles",
        "Search index rebuilt: 5 published article(s), 6 text(s) indexed.",
    ]
    assert search.search("zephyr", "en").total == 5
    assert search.search("zéphyr", "fr").total == 1
    assert draft.pk not in {article_id for article_id, _language in index_rows()}


def test_it_drops_rows_of_articles_that_are_no_longer_published(site):
    articles, draft = site
    # A stale row, as a restore or an edit outside the workflow could leave behind.
    search._insert([(draft.pk, "en", "Zephyr stale", "", "stale body")])
    assert (draft.pk, "en") in index_rows()

    rebuild(verbosity=0)

    assert (draft.pk, "en") not in index_rows()
    assert len(index_rows()) == 6


def test_an_empty_site_gives_an_empty_index(db):
    search._insert([(123456, "en", "Orphan", "", "")])
    assert rebuild() == ["Search index rebuilt: 0 published article(s), 0 text(s) indexed."]
    assert index_rows() == []


def test_quiet_mode_prints_only_the_final_count(site):
    assert rebuild(every=1, verbosity=0) == [
        "Search index rebuilt: 5 published article(s), 6 text(s) indexed."
    ]


def test_every_must_be_at_least_one(db):
    with pytest.raises(CommandError, match="--every must be at least 1"):
        rebuild(every=0)


def test_queries_grow_with_batches_not_with_articles(editor):
    for n in range(3):
        en_only_article(editor, slug=f"few-{n}")
    with CaptureQueriesContext(connection) as few:
        rebuild(every=50, verbosity=0)
    for n in range(12):
        en_only_article(editor, slug=f"many-{n}")
    with CaptureQueriesContext(connection) as many:
        rebuild(every=50, verbosity=0)
    assert len(many) == len(few)

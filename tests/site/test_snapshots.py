"""Snapshots written at publication equal a fresh build from the read rules after every
kind of change, and serve the same page and API answer."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.models import Analyst, Article, Attribution, PageSnapshot, Topic
from articles.site import snapshots
from articles.site.queries import READERS
from articles.site.views import article_page_context
from articles.staging import stage
from articles.states import State
from articles.stories import transition_story
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


def fresh(pk: int) -> Article | None:
    return Article.objects.public().filter(pk=pk).with_parts(READERS.states).first()


def assert_snapshots_fresh(pk: int) -> dict[str, dict]:
    """The stored snapshots of story `pk` are exactly what the read rules give now."""
    stored = {s.language: s for s in PageSnapshot.objects.filter(article_id=pk)}
    article = fresh(pk)
    if article is None:
        assert stored == {}
        return {}
    expected = {code: snapshots.document(article, code) for code in READERS.languages(article)}
    assert {code: s.document for code, s in stored.items()} == expected
    assert not any(s.stale for s in stored.values())
    assert all(s.signature == snapshots.signature(article) for s in stored.values())
    return expected


def test_publishing_writes_a_snapshot_per_live_language(
    story, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="new")
    moderate(AttributionFactory(article=article), State.APPROVED, editor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(article, State.PUBLISHED, editor)
    assert set(assert_snapshots_fresh(article.pk)) == {"en"}


def test_unpublishing_removes_the_snapshots(story, editor, django_capture_on_commit_callbacks):
    snapshots.refresh([story.pk])
    assert set(assert_snapshots_fresh(story.pk)) == {"en", "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        transition(story, "unpublish", by=editor)
    assert assert_snapshots_fresh(story.pk) == {}


def test_a_correction_of_published_text_is_in_the_snapshot(
    story, editor, django_capture_on_commit_callbacks
):
    snapshots.refresh([story.pk])
    with django_capture_on_commit_callbacks(execute=True):
        stage(story, {"fields": {"title": "Putin: talks are dead"}}, by=editor)
        transition_story(story, "approve", by=editor)
    assert assert_snapshots_fresh(story.pk)["en"]["f"]["title"] != "Putin: talks are dead"
    with django_capture_on_commit_callbacks(execute=True):  # the pending changes go live
        transition_story(
            story, "publish", by=editor, correction={"kind": "correction", "text": "Retitled."}
        )
    documents = assert_snapshots_fresh(story.pk)
    assert documents["en"]["f"]["title"] == "Putin: talks are dead"
    assert [c["f"]["text"] for c in documents["en"]["m"]["corrections"]] == ["Retitled."]


def test_an_approved_translation_goes_into_a_new_language_snapshot(
    editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="to-translate")
    with django_capture_on_commit_callbacks(execute=True):
        moderate(article, State.PUBLISHED, editor)
    assert set(assert_snapshots_fresh(article.pk)) == {"en"}
    version = TranslationVersionFactory(article=article, language="fr", title="En français")
    with django_capture_on_commit_callbacks(execute=True):
        moderate(version, State.APPROVED, editor)  # approved: live at once
    documents = assert_snapshots_fresh(article.pk)
    assert set(documents) == {"en", "fr"}
    french = snapshots.hydrate(documents["fr"])
    assert READERS.text(french, "fr").title == "En français"
    # The English document keeps the French version's credit, not its text.
    english = snapshots.hydrate(documents["en"])
    assert [v.sections for v in english.translations.all()] == [[]]


def test_a_part_held_back_or_unpublished_stays_out(
    story, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="held")
    moderate(AttributionFactory(article=article, statement="Goes live."), State.APPROVED, editor)
    AttributionFactory(article=article, statement="Held back.")  # a draft: not published
    with django_capture_on_commit_callbacks(execute=True):
        moderate(article, State.PUBLISHED, editor)
    documents = assert_snapshots_fresh(article.pk)
    statements = [a["f"]["statement"] for a in documents["en"]["m"]["attributions"]]
    assert statements == ["Goes live."]
    live = Attribution.objects.get(statement="Goes live.")
    with django_capture_on_commit_callbacks(execute=True):
        transition(live, "unpublish", by=editor)
    assert assert_snapshots_fresh(article.pk)["en"]["m"]["attributions"] == []


@pytest.mark.parametrize(
    ("model", "admin_name", "field"),
    [(Analyst, "analyst", "name"), (Topic, "topic", "name")],
)
def test_renaming_what_a_story_shows_is_in_its_snapshot(
    story, editor, django_capture_on_commit_callbacks, model, admin_name, field
):
    snapshots.refresh([story.pk])
    obj = model.objects.get(slug="alexander-gabuev" if model is Analyst else "ukraine")
    staff = Client()
    staff.force_login(editor)
    data = {"name": "Renamed", "slug": obj.slug}
    if model is Analyst:
        data |= {"role": obj.role, "institution": obj.institution_id}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse(f"admin:articles_{admin_name}_change", args=[obj.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Renamed" in str(assert_snapshots_fresh(story.pk))


def test_a_stale_snapshot_is_rebuilt_when_read(story, client):
    snapshots.refresh([story.pk])
    Article.objects.filter(pk=story.pk).update(title="Changed behind its back")
    snapshots.mark_stale([story.pk])
    assert "Changed behind its back" in client.get("/en/articles/putin-talks/").content.decode()
    assert_snapshots_fresh(story.pk)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_from_a_snapshot_is_the_page_from_the_tables(story, rf, language):
    snapshots.refresh([story.pk])
    request = rf.get(f"/{language}/articles/putin-talks/")
    with translation.override(language):
        pages = [
            render_to_string(
                "articles/article.html",
                article_page_context(request, a, language, READERS, published_at=a.published_at),
                request,
            )
            for a in (snapshots.for_page("putin-talks", language), fresh(story.pk))
        ]
    assert pages[0] == pages[1]
    assert "Putin believes time is on his side." in pages[0]


@pytest.mark.parametrize("path", ["", "ninjs/"])
def test_the_api_answer_from_a_snapshot_is_the_one_from_the_tables(story, translator, path):
    snapshots.refresh([story.pk])
    url = f"/api/v1/articles/putin-talks/{path}?language=fr"
    from_snapshot = client_for().get(url)  # anonymous: the snapshot
    from_tables = client_for(translator).get(url)  # signed in: the tables
    assert from_snapshot.status_code == 200
    assert from_snapshot.json() == from_tables.json()

"""Readers keep the live version in every channel while pending changes wait, and see a
published correction in every channel: the article's foot, /corrections/, the feed,
JSON-LD, the API and ninjs."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override
from rest_framework.test import APIClient

from articles.models import Correction
from articles.pending import snapshot
from articles.site import search
from articles.site.feeds import LatestArticlesFeed
from articles.staging import stage
from articles.stories import transition_story
from tests.factories import published_article

pytestmark = pytest.mark.django_db

PAGE = "/en/articles/putin-talks/"


def pending_rewrite(story, editor):
    rows = snapshot(story)["children"]["sections"]
    rows[0]["body"] = "Zanzibar negotiators walked out on Friday."
    return stage(
        story,
        {"fields": {"title": "Talks collapse in Zanzibar", "slug": "zanzibar"},
         "children": {"sections": rows}},
        by=editor,
    )  # fmt: skip


def channels(client) -> dict[str, str]:
    api = APIClient()
    return {
        "page": client.get(PAGE).content.decode(),
        "fr page": client.get("/fr/articles/putin-talks/").content.decode(),
        "home": client.get("/en/").content.decode(),
        "feed": client.get("/en/feed/").content.decode(),
        "sitemap": client.get("/sitemap-articles-en.xml").content.decode(),
        "search": client.get("/en/search/", {"q": "Zanzibar"}).content.decode(),
        "api list": api.get("/api/v1/articles/").content.decode(),
        "api detail": api.get("/api/v1/articles/putin-talks/").content.decode(),
        "ninjs": api.get("/api/v1/articles/putin-talks/ninjs/").content.decode(),
    }


def test_pending_changes_are_invisible_to_readers_in_every_channel(
    client, story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending_rewrite(story, editor)
        transition_story(story, "approve", by=editor)

    for name, body in channels(client).items():
        if name == "search":  # the page repeats the query: it must find nothing
            assert 'class="result' not in body
            continue
        assert "Zanzibar" not in body and "zanzibar" not in body, name
    assert "going nowhere" in channels(client)["page"]
    assert search.matching_article_ids("Zanzibar") == []

    with django_capture_on_commit_callbacks(execute=True):
        transition_story(story, "publish", by=editor)

    api = APIClient()
    assert client.get("/en/articles/zanzibar/").status_code == 200
    assert client.get(PAGE).status_code == 404
    assert "Talks collapse in Zanzibar" in client.get("/en/feed/").content.decode()
    assert "/en/articles/zanzibar/" in client.get("/sitemap-articles-en.xml").content.decode()
    assert api.get("/api/v1/articles/zanzibar/").json()["title"] == "Talks collapse in Zanzibar"
    assert search.matching_article_ids("Zanzibar") == [story.pk]


def test_a_correction_reaches_every_channel(
    client, story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stage(story, {"fields": {"standfirst": "Analysts see a stalling tactic."}}, by=editor)
        transition_story(story, "approve", by=editor)
        transition_story(
            story,
            "publish",
            by=editor,
            correction={"kind": "correction", "text": "An earlier version misquoted Mr Putin."},
        )
    correction = Correction.objects.get()
    seen = channels(client)

    page = seen["page"]
    foot = page[page.index('class="corrections"') :]
    assert "Corrections and updates" in foot and "An earlier version misquoted Mr Putin." in foot
    assert f'datetime="{correction.published_at.isoformat()}' in foot.replace("+00:00", "+00:00")
    # The French page labels the note in French; its text stays English until translated.
    fr = seen["fr page"]
    assert "Corrections et mises à jour" in fr
    assert '<p class="correction__text" lang="en">An earlier version misquoted Mr Putin.</p>' in fr

    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert ld["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Correction: An earlier version misquoted Mr Putin.",
            "inLanguage": "en",
            "datePublished": correction.published_at.isoformat(),
        }
    ]
    assert ld["dateModified"] >= correction.published_at.isoformat()[:19]

    listing = client.get("/en/corrections/").content.decode()
    assert "An earlier version misquoted Mr Putin." in listing
    assert "Putin says talks with Washington are going nowhere" in listing
    assert "Rien n'a encore été corrigé" not in client.get("/fr/corrections/").content.decode()

    item = seen["feed"][seen["feed"].index("<item>") :]
    assert "Analysts see a stalling tactic." in item

    detail = json.loads(seen["api detail"])
    assert detail["corrections"] == [
        {
            "kind": "correction",
            "text": "An earlier version misquoted Mr Putin.",
            "published_at": correction.published_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    ninjs = json.loads(seen["ninjs"])
    assert {"role": "correction", "contenttype": "text/plain",
            "value": "An earlier version misquoted Mr Putin."} in ninjs["descriptions"]  # fmt: skip
    assert "Correction (" in ninjs["ednote"]


def test_a_correction_on_a_part_updates_the_feed_date(
    client, editor, django_capture_on_commit_callbacks
):
    from articles.states import State
    from tests.factories import AttributionFactory, moderate

    article = published_article(editor, slug="quiet", title="Quiet story")
    statement = moderate(AttributionFactory(article=article), State.PUBLISHED, editor)
    with django_capture_on_commit_callbacks(execute=True):
        stage(statement, {"fields": {"statement": "A clarified statement."}}, by=editor)
        transition_story(
            article, "publish", by=editor,
            correction={"kind": "clarification", "text": "We clarified a statement."},
        )  # fmt: skip
    correction = Correction.objects.get()
    assert correction.article == article
    article.refresh_from_db()
    assert article.updated_at < correction.published_at  # the article's row did not change
    feed = LatestArticlesFeed()
    with override("en"):
        (item,) = feed.items()
    assert feed.item_updateddate(item) == correction.published_at
    assert "We clarified a statement." in client.get("/en/articles/quiet/").content.decode()


def test_the_corrections_page_is_cached_and_costs_the_same_for_few_or_many(client, editor):
    def add(n: int) -> None:
        for i in range(n):
            article = published_article(editor)
            stage(article, {"fields": {"title": f"Corrected {i}"}}, by=editor)
            transition_story(article, "approve", by=editor)
            transition_story(
                article, "publish", by=editor, correction={"kind": "update", "text": f"Note {i}."}
            )

    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/corrections/").status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = queries()
    add(15)
    assert queries() == few <= 4
    assert client.get("/en/corrections/").headers["X-Cache"] == "hit"


def test_the_article_page_with_corrections_stays_within_its_query_budget(
    client, story, editor, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for i in range(3):
        stage(story, {"fields": {"byline": f"Desk {i}"}}, by=editor)
        transition_story(story, "approve", by=editor)
        with django_capture_on_commit_callbacks(execute=True):  # the snapshot, as live
            transition_story(
                story, "publish", by=editor, correction={"kind": "update", "text": f"Update {i}."}
            )
    # The snapshot (the corrections in it), the related stories and their titles.
    with django_assert_max_num_queries(3):
        html = client.get(PAGE).content.decode()
    assert html.count('class="correction correction--update"') == 3
    assert html.index("Update 2.") < html.index("Update 0.")  # newest first

"""The story page and the review queue: a story is reviewed and published as one, every
part listed with what happens to it, parts held back, a stale confirmation shown again."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import AuditEntry, Correction
from articles.pending import snapshot
from articles.staging import stage
from articles.states import State
from articles.story import part_key
from articles.workflow import transition
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db


def story_url(article) -> str:
    return reverse("admin:articles_article_story", args=[article.pk])


def fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" value="(\w+)"', html).group(1)


def states(*objs):
    for obj in objs:
        obj.refresh_from_db()
    return [obj.state for obj in objs]


@pytest.fixture
def imported(editor):
    article = moderate(ArticleFactory(title="Talks in Istanbul"), State.IN_REVIEW, editor)
    statement = moderate(
        AttributionFactory(article=article, statement="A ruse."), State.IN_REVIEW, editor
    )
    overview = moderate(
        EnrichmentBlockFactory(article=article, kind="overview", title=""), State.IN_REVIEW, editor
    )
    proposal = moderate(ProposalFactory(title="A plan"), State.IN_REVIEW, editor)
    proposal.articles.add(article)
    draft = AttributionFactory(article=article, statement="Not ready yet.")
    return article, [statement, overview, proposal], draft


def test_the_story_page_lists_every_part_and_what_will_happen(client, editor, imported):
    article, parts, draft = imported
    client.force_login(editor)

    html = client.get(story_url(article)).content.decode()

    assert "What “Approve” does to each part" in html
    for text in ("A ruse.", "Overview", "A plan", "Not ready yet."):
        assert text in html
    assert html.count('<td class="outcome" data-label="What happens">in review → approved') == 4
    assert "stays draft" in html  # the part not submitted


def test_approve_then_publish_the_whole_story_from_its_page(client, editor, imported):
    article, parts, draft = imported
    client.force_login(editor)
    page = client.get(story_url(article)).content.decode()
    response = client.post(
        story_url(article), {"action": "approve", "fingerprint": fingerprint(page), "note": ""}
    )
    assert response.status_code == 302
    assert states(article, *parts) == [State.APPROVED] * 4

    page = client.get(story_url(article)).content.decode()
    assert "What “Publish” does to each part" in page  # the next step, offered first
    response = client.post(
        story_url(article),
        {"action": "publish", "fingerprint": fingerprint(page), "hold": [part_key(parts[0])],
         "note": "Check the quote."},
    )  # fmt: skip

    assert response.status_code == 302
    assert states(article, *parts, draft) == [
        State.PUBLISHED,
        State.APPROVED,  # held back
        State.PUBLISHED,
        State.PUBLISHED,
        State.DRAFT,
    ]
    hold = AuditEntry.objects.for_instance(parts[0]).last()
    assert (hold.action, hold.note) == ("moderation.hold", "Check the quote.")


def test_a_part_changed_since_the_page_was_drawn_shows_the_confirmation_again(
    client, editor, imported
):
    article, parts, draft = imported
    transition(article, "approve", by=editor)
    client.force_login(editor)
    page = client.get(story_url(article)).content.decode()
    late = moderate(
        AttributionFactory(article=article, statement="Just in."), State.IN_REVIEW, editor
    )

    response = client.post(
        story_url(article), {"action": "publish", "fingerprint": fingerprint(page)}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "changed after this page was drawn" in html
    assert "Just in." in html  # the confirmation, drawn again, lists it
    assert states(article, late) == [State.APPROVED, State.IN_REVIEW]
    assert fingerprint(html) != fingerprint(page)


def test_publishing_pending_changes_with_a_correction_from_the_story_page(client, editor):
    article = published_article(editor, title="Talks stall")
    stage(article, {"fields": {"title": "Talks collapse"}}, by=editor)
    client.force_login(editor)
    page = client.get(story_url(article)).content.decode()
    assert "Live → pending: the article" in page
    client.post(story_url(article), {"action": "approve", "fingerprint": fingerprint(page)})
    page = client.get(story_url(article)).content.decode()

    empty = client.post(
        story_url(article),
        {"action": "publish", "fingerprint": fingerprint(page), "correction_kind": "correction"},
    )
    assert "The text of the correction is required." in empty.content.decode()
    too_long = client.post(
        story_url(article),
        {"action": "publish", "fingerprint": fingerprint(page), "correction_kind": "update",
         "correction_text": "x" * 2001},
    )  # fmt: skip
    assert "2,000 at most" in too_long.content.decode()
    article.refresh_from_db()
    assert article.title == "Talks stall" and not Correction.objects.exists()

    client.post(
        story_url(article),
        {"action": "publish", "fingerprint": fingerprint(page), "correction_kind": "update",
         "correction_text": "Both delegations have left."},
    )  # fmt: skip

    article.refresh_from_db()
    assert article.title == "Talks collapse"
    assert Correction.objects.get().text == "Both delegations have left."


def test_the_article_page_buttons_lead_to_the_story_page(client, editor, imported):
    article, _parts, _draft = imported
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{story_url(article)}?action=approve"


# -- the review queue -------------------------------------------------------------------------


def make_story(editor, n: int):
    article = moderate(ArticleFactory(title=f"Story {n}"), State.IN_REVIEW, editor)
    for i in range(3):
        moderate(AttributionFactory(article=article, order=i), State.IN_REVIEW, editor)
    moderate(EnrichmentBlockFactory(article=article, kind="overview"), State.IN_REVIEW, editor)
    proposal = moderate(ProposalFactory(), State.IN_REVIEW, editor)
    proposal.articles.add(article)
    version = TranslationVersionFactory(article=article, version=1)
    moderate(version, State.IN_REVIEW, editor)
    return article


def test_the_queue_shows_one_row_per_story_with_counts_and_oldest(client, editor):
    first = make_story(editor, 1)
    make_story(editor, 2)
    live = published_article(editor, title="Live story")
    stage(live, {"fields": {"title": "Live story, corrected"}}, by=editor)
    moderate(AttributionFactory(article=live), State.IN_REVIEW, editor)
    client.force_login(editor)

    html = client.get(reverse("admin:review_queue")).content.decode()

    assert html.count('class="story-row"') == 3
    assert "16 items waiting for review in 3 stories" in html
    row = html[html.index("Story 1") :].split("</tr>")[0]
    assert "article, 3 statements, enrichment block, proposal, translation" in row
    assert "Story 1" in html and html.index("Story 1") < html.index("Story 2")
    live_row = html[html.index("Live story") :].split("</tr>")[0]
    assert "pending changes to the article, statement" in live_row
    assert f'value="{first.pk}"' in html


def test_a_held_part_shows_as_held_in_the_queue(client, editor):
    article = moderate(ArticleFactory(title="Held story"), State.IN_REVIEW, editor)
    held = moderate(
        AttributionFactory(article=article, statement="Unsourced."), State.IN_REVIEW, editor
    )
    transition(article, "approve", by=editor, hold=[part_key(held)], note="Find the source.")
    client.force_login(editor)
    html = client.get(reverse("admin:review_queue")).content.decode()
    row = html[html.index("Held story") :].split("</tr>")[0]
    assert "1 held" in row and "Unsourced." in row


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:review_queue"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_queries_for_3_or_12_stories(client, editor):
    client.force_login(editor)
    for n in range(3):
        make_story(editor, n)
    few = queue_queries(client)
    for n in range(3, 12):
        make_story(editor, n)
    many = queue_queries(client)
    assert few == many
    assert many <= 25


def test_bulk_publish_from_the_queue_confirms_every_part(client, editor):
    stories = [make_story(editor, n) for n in range(2)]
    for article in stories:
        transition(article, "approve", by=editor)
    client.force_login(editor)
    confirm = client.get(
        reverse("admin:review_stories"), {"action": "publish", "story": [a.pk for a in stories]}
    ).content.decode()
    assert confirm.count('class="story-entry"') == 2
    fingerprints = dict(re.findall(r'name="(fingerprint-\d+)" value="(\w+)"', confirm))

    response = client.post(
        reverse("admin:review_stories"),
        {"action": "publish", "story": [a.pk for a in stories], "confirm": "1", **fingerprints},
    )

    assert response.status_code == 302
    for article in stories:
        article.refresh_from_db()
        assert article.state == State.PUBLISHED
        assert {p.state for p in article.attributions.all()} == {State.PUBLISHED}
        assert {v.state for v in article.translations.all()} == {State.PUBLISHED}


def test_contributors_have_no_bulk_story_actions(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("admin:review_stories"), {"action": "publish"}).status_code == 403


def test_editing_the_stale_pending_page_does_nothing_on_a_second_story(client, editor):
    article = published_article(editor)
    rows = snapshot(article)["children"]["sections"]
    stage(article, {"children": {"sections": rows[:1]}}, by=editor)
    client.force_login(editor)
    assert client.get(story_url(article)).status_code == 200

"""The editors' moderation API: create, change (with `revision`), story actions, staff view."""

import pytest

from articles.models import Article, AuditEntry, Correction, PendingChange
from articles.states import State
from articles.story import part_key
from tests.api.fixtures import World, client_for
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    TopicFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(slug: str) -> str:
    return f"/api/v1/articles/{slug}/"


def act(slug: str, action: str) -> str:
    return f"/api/v1/articles/{slug}/{action}/"


NEW = {
    "title": "Talks resume in Geneva",
    "standfirst": "A third round.",
    "original_language": "en",
    "sections": [
        {"heading": "", "paragraphs": ["The delegations met again."]},
        {"heading": "Background", "paragraphs": ["First.", "Second."]},
    ],
    "topics": ["ukraine"],
}


@pytest.fixture
def ukraine(db):
    return TopicFactory(slug="ukraine", name="Ukraine")


@pytest.mark.parametrize("role, expected", [("editor", 201), ("contributor", 201)])
def test_editors_and_contributors_create_drafts(request, ukraine, role, expected):
    user = request.getfixturevalue(role)
    response = client_for(user).post(LIST, NEW, format="json")
    assert response.status_code == expected, response.json()
    body = response.json()
    assert (body["slug"], body["status"]) == ("talks-resume-in-geneva", "draft")
    assert body["revision"] == 1
    article = Article.objects.get(slug=body["slug"])
    assert article.author == user
    assert [s.body for s in article.sections.all()] == [
        "The delegations met again.",
        "First.\n\nSecond.",
    ]
    assert list(article.topics.values_list("slug", flat=True)) == ["ukraine"]


def test_translators_and_readers_may_not_create(translator, anon, ukraine):
    assert client_for(translator).post(LIST, NEW, format="json").status_code == 403
    assert anon.post(LIST, NEW, format="json").status_code == 401
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"sections": [{"heading": "", "paragraphs": []}]}, "sections"),
        ({"sections": [{"heading": "", "paragraphs": ["a"]}, {"paragraphs": ["b"]}]}, "sections"),
        ({"original_language": "xx"}, "original_language"),
        ({"title": "Bell\x07"}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(editor, ukraine, change, field):
    response = client_for(editor).post(LIST, {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Article.objects.exists()


def test_a_contributor_changes_their_draft_and_a_stale_revision_is_409(contributor, ukraine):
    client = client_for(contributor)
    slug = client.post(LIST, NEW, format="json").json()["slug"]

    changed = client.patch(detail(slug), {"title": "Talks resume", "revision": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["revision"]) == ("Talks resume", 2)

    stale = client.patch(detail(slug), {"title": "Lost", "revision": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert Article.objects.get(slug=slug).title == "Talks resume"
    missing = client.patch(detail(slug), {"title": "Lost"}, format="json")
    assert missing.status_code == 400 and "revision" in missing.json()["errors"]


def test_contributors_may_not_change_others_work_nor_published_articles(
    editor, contributor, other_contributor
):
    theirs = ArticleFactory(author=other_contributor)
    live = published_article(editor, author=contributor)
    client = client_for(contributor)
    assert client.patch(detail(theirs.slug), {"title": "x", "revision": 1}).status_code == 404
    response = client.patch(detail(live.slug), {"title": "x", "revision": live.edit_version})
    assert response.status_code == 403


def test_a_change_to_a_published_article_is_pending_until_published(
    editor, anon, django_capture_on_commit_callbacks
):
    live = published_article(editor, slug="live", title="Talks stall")
    editors = client_for(editor)
    revision = editors.get(detail("live")).json()["revision"]

    response = editors.patch(
        detail("live"),
        {"title": "Talks collapse", "sections": [{"heading": "", "paragraphs": ["New."]}],
         "revision": revision},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["pending_changes"], body["pending_status"]) == (
        "Talks stall",
        True,
        "in_review",
    )
    pending_view = editors.get(detail("live"), {"view": "pending"}).json()
    assert pending_view["title"] == "Talks collapse"
    assert pending_view["sections"] == [{"heading": "", "paragraphs": ["New."]}]
    public = anon.get(detail("live")).json()
    assert public["title"] == "Talks stall" and "pending_changes" not in public
    assert anon.get(f"{detail('live')}ninjs/").json()["headlines"][0]["value"] == "Talks stall"
    live.refresh_from_db()
    assert live.title == "Talks stall"

    stale = editors.patch(detail("live"), {"title": "Older", "revision": revision}, format="json")
    assert stale.status_code == 409
    assert PendingChange.objects.get().data["fields"]["title"] == "Talks collapse"

    assert editors.post(act("live", "approve"), {}, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the public cache is invalidated
        published = editors.post(
            act("live", "publish"),
            {"correction": {"kind": "correction", "text": "We misdated the talks."}},
            format="json",
        )
    assert published.status_code == 200, published.json()
    assert published.json()["pending_changes"] is False
    public = anon.get(detail("live")).json()
    assert public["title"] == "Talks collapse"
    assert public["corrections"][0]["kind"] == "correction"
    assert public["corrections"][0]["text"] == "We misdated the talks."


def test_the_staff_view_shows_the_whole_story_with_ids_and_statuses(editor, anon):
    world = World(editor)
    body = client_for(editor).get(detail("putin-talks")).json()
    statuses = {a["id"]: a["status"] for a in body["attributions"]}
    assert statuses == {
        part_key(world.statement): "published",
        part_key(world.draft_statement): "draft",
    }
    assert {p["id"]: p["status"] for p in body["proposals"]} == {
        part_key(world.proposal): "published",
        part_key(world.other_proposal): "published",
        part_key(world.hidden_proposal): "draft",
    }
    public = anon.get(detail("putin-talks")).json()
    assert len(public["attributions"]) == 1 and "id" not in public["attributions"][0]


def test_the_author_sees_their_unpublished_story_whole(contributor, other_contributor):
    article = ArticleFactory(author=contributor, slug="mine")
    AttributionFactory(article=article, author=contributor)
    body = client_for(contributor).get(detail("mine")).json()
    assert body["status"] == "draft" and body["attributions"][0]["status"] == "draft"
    assert client_for(other_contributor).get(detail("mine")).status_code == 404


def test_publishing_a_story_answers_every_part_with_holds(editor):
    article = moderate(ArticleFactory(slug="story"), State.IN_REVIEW, editor)
    statement = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)
    held = moderate(EnrichmentBlockFactory(article=article), State.IN_REVIEW, editor)
    client = client_for(editor)

    approved = client.post(act("story", "approve"), {}, format="json")
    assert approved.json()["status"] == "approved"
    response = client.post(
        act("story", "publish"),
        {"hold": [part_key(held)], "note": "Needs a source."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "published"
    parts = {p["id"]: p for p in body["parts"]}
    assert parts[part_key(statement)]["status"] == "published"
    assert parts[part_key(held)]["status"] == "approved"  # approved with the story, held now
    assert parts[part_key(held)]["held"] is True
    assert AuditEntry.objects.for_instance(held).last().note == "Needs a source."


@pytest.mark.parametrize(
    "role, action, expected",
    [
        ("contributor", "submit", 200),
        ("contributor", "withdraw", 409),  # a draft is not in review
        ("contributor", "approve", 403),
        ("translator", "submit", 404),  # not theirs: they do not see it
        ("editor", "publish", 409),
        ("editor", "submit", 200),
    ],
)
def test_story_actions_by_role(request, contributor, role, action, expected):
    ArticleFactory(author=contributor, slug="draft")
    user = request.getfixturevalue(role)
    response = client_for(user).post(act("draft", action), {}, format="json")
    assert response.status_code == expected, response.json()


def test_an_illegal_action_is_409_naming_the_state(editor):
    ArticleFactory(slug="draft")
    response = client_for(editor).post(act("draft", "publish"), {}, format="json")
    assert response.status_code == 409
    assert "it is draft" in response.json()["detail"]


def test_request_changes_needs_a_note(editor):
    moderate(ArticleFactory(slug="waiting"), State.IN_REVIEW, editor)
    response = client_for(editor).post(act("waiting", "request-changes"), {}, format="json")
    assert response.status_code == 400 and "note" in response.json()["errors"]


def test_readers_may_not_act(anon, editor):
    published_article(editor, slug="live")
    assert anon.post(act("live", "unpublish"), {}, format="json").status_code == 401


def test_two_editors_approving_the_same_pending_changes_one_gets_409(editor, other_editor):
    published_article(editor, slug="live")
    first, second = client_for(editor), client_for(other_editor)
    revision = first.get(detail("live")).json()["revision"]
    first.patch(detail("live"), {"title": "New", "revision": revision}, format="json")

    assert first.post(act("live", "approve"), {}, format="json").status_code == 200
    again = second.post(act("live", "approve"), {}, format="json")
    assert again.status_code == 409
    assert "it is approved" in again.json()["detail"]


@pytest.mark.parametrize(
    "correction",
    [{"kind": "correction", "text": ""}, {"kind": "correction", "text": "x" * 2001}, {"kind": "x"}],
)
def test_a_bad_correction_is_400_and_nothing_is_published(editor, correction):
    live = published_article(editor, slug="live")
    client = client_for(editor)
    revision = client.get(detail("live")).json()["revision"]
    client.patch(detail("live"), {"title": "New", "revision": revision}, format="json")
    client.post(act("live", "approve"), {}, format="json")

    response = client.post(act("live", "publish"), {"correction": correction}, format="json")

    assert response.status_code == 400
    assert "correction" in response.json()["errors"]
    live.refresh_from_db()
    assert live.title != "New" and not Correction.objects.exists()


def test_holding_an_unknown_part_is_400(editor):
    moderate(ArticleFactory(slug="waiting"), State.IN_REVIEW, editor)
    response = client_for(editor).post(
        act("waiting", "approve"), {"hold": ["attribution:999999"]}, format="json"
    )
    assert response.status_code == 400 and "hold" in response.json()["errors"]
    assert Article.objects.get(slug="waiting").state == State.IN_REVIEW

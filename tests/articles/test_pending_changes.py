"""A published story changes only through review: edits are staged as pending changes,
readers keep the live version until they are approved and published."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import AuditEntry, Correction, PendingChange, Section
from articles.pending import describe, open_pending, snapshot
from articles.staging import revision, stage
from articles.states import State
from articles.stories import transition_story
from articles.workflow import IllegalTransition, InvalidArgument, transition
from tests.factories import (
    AttributionFactory,
    ProposalFactory,
    ProposalTermFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db


def sections(rows):
    return {"children": {"sections": rows}}


@pytest.fixture
def live(editor):
    return published_article(editor, title="Talks stall", standfirst="Nothing moves.")


def test_an_edit_of_a_published_article_waits_in_review_and_changes_nothing_live(live, editor):
    pending = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)

    live.refresh_from_db()
    assert live.title == "Talks stall"
    assert (pending.state, pending.author) == (State.IN_REVIEW, editor)
    assert pending.data["fields"]["title"] == "Talks collapse"
    entries = AuditEntry.objects.for_instance(pending)
    assert [e.action for e in entries] == ["pending.edit", "moderation.submit"]
    assert entries[0].data["fields"] == ["title"]


def test_a_second_edit_changes_the_same_set_under_the_stale_save_rule(live, editor, other_editor):
    first = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)
    read = revision(live)
    second = stage(
        live, {"fields": {"standfirst": "Both walk out."}}, by=other_editor, revision_read=read
    )

    assert second.pk == first.pk
    assert PendingChange.objects.count() == 1
    assert second.data["fields"]["title"] == "Talks collapse"
    assert second.data["fields"]["standfirst"] == "Both walk out."
    with pytest.raises(ValidationError) as error:
        stage(live, {"fields": {"title": "Stale"}}, by=editor, revision_read=read)
    assert error.value.code == "stale"
    second.refresh_from_db()
    assert second.data["fields"]["title"] == "Talks collapse"


def test_approving_and_publishing_applies_them_and_outdates_translations(live, editor, translator):
    version = moderate(
        TranslationVersionFactory(article=live, author=translator), State.APPROVED, editor
    )
    version.refresh_from_db()
    assert version.state == State.PUBLISHED
    rows = snapshot(live)["children"]["sections"]
    rows[0]["body"] = "A new lead.\n\nAnd a second paragraph."
    rows.append({"id": None, "order": 5, "heading": "Outlook", "body": "Grim."})
    topic = TopicFactory()
    pending = stage(
        live,
        {"fields": {"title": "Talks collapse"}, "m2m": {"topics": [topic.pk]}, **sections(rows)},
        by=editor,
    )
    before = live.text_revision

    transition_story(live, "approve", by=editor)
    transition_story(
        live, "publish", by=editor, correction={"kind": "update", "text": "Both sides left."}
    )

    live.refresh_from_db()
    pending.refresh_from_db()
    assert pending.state == State.PUBLISHED
    assert live.title == "Talks collapse"
    assert list(live.topics.all()) == [topic]
    assert [(s.heading, s.body) for s in live.sections.all()] == [
        ("", "A new lead.\n\nAnd a second paragraph."),
        ("Background", "First.\n\nSecond."),
        ("Outlook", "Grim."),
    ]
    assert live.text_revision == before + 1
    version.refresh_from_db()
    assert version.is_outdated
    correction = Correction.objects.get()
    assert (correction.article, correction.kind, correction.text, correction.language) == (
        live,
        "update",
        "Both sides left.",
        "en",
    )
    assert open_pending(live) is None
    # The next edit starts a new set, past the version the published one left.
    assert revision(live) > pending.edit_version


def test_edits_of_parts_and_proposals_are_pending_too(editor):
    article = published_article(editor)
    statement = moderate(AttributionFactory(article=article), State.APPROVED, editor)
    proposal = ProposalFactory()
    term = ProposalTermFactory(proposal=proposal, text="No NATO.")
    proposal.articles.add(article)
    moderate(proposal, State.APPROVED, editor)
    transition_story(article, "publish", by=editor)  # already live: its approved parts
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED

    new_statement = "The talks are a ruse, says the minister."
    stage(statement, {"fields": {"statement": new_statement}}, by=editor)
    terms = [{"id": term.pk, "category": term.category_id, "text": "No NATO, ever.",
              "sourcing": "confirmed", "order": 0}]  # fmt: skip
    stage(proposal, {"children": {"terms": terms}}, by=editor)

    statement.refresh_from_db()
    term.refresh_from_db()
    assert statement.statement.startswith("The talks are a ruse, claim")
    assert term.text == "No NATO."
    changes = describe(statement, open_pending(statement).data)
    assert [c.label for c in changes] == ["Statement"]
    assert [line.kind for line in changes[0].lines if line.kind != "hunk"] == ["changed"]

    transition_story(article, "publish", by=editor)  # the story's waiting parts

    statement.refresh_from_db()
    term.refresh_from_db()
    assert statement.statement == "The talks are a ruse, says the minister."
    assert (term.text, term.sourcing) == ("No NATO, ever.", "confirmed")


def test_two_editors_approving_the_same_pending_changes_one_wins(live, editor, other_editor):
    pending = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)
    stale = PendingChange.objects.get(pk=pending.pk)
    transition(pending, "approve", by=editor)
    with pytest.raises(IllegalTransition, match="it is approved"):
        transition(stale, "approve", by=other_editor)


def test_an_approved_set_that_changes_goes_back_to_review(live, editor, other_editor):
    pending = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)
    transition(pending, "approve", by=editor)
    pending = stage(live, {"fields": {"title": "Talks collapse again"}}, by=other_editor)
    assert pending.state == State.IN_REVIEW
    actions = [e.action for e in AuditEntry.objects.for_instance(pending)]
    assert actions[-3:] == ["pending.edit", "moderation.reopen", "moderation.submit"]


@pytest.mark.parametrize(
    "correction, message",
    [
        ({"kind": "correction", "text": ""}, "required"),
        ({"kind": "correction", "text": "x" * 2001}, "2,001 characters"),
        ({"kind": "apology", "text": "Sorry."}, "one of"),
        ("Sorry.", "Give the correction"),
    ],
)
def test_a_bad_correction_is_refused_and_nothing_is_written(live, editor, correction, message):
    pending = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)
    transition(pending, "approve", by=editor)
    with pytest.raises(InvalidArgument, match=message) as error:
        transition_story(live, "publish", by=editor, correction=correction)
    assert error.value.field == "correction"
    pending.refresh_from_db()
    live.refresh_from_db()
    assert (pending.state, live.title, Correction.objects.count()) == (
        State.APPROVED,
        "Talks stall",
        0,
    )


def test_a_correction_needs_pending_changes(live, editor):
    statement = moderate(AttributionFactory(article=live), State.IN_REVIEW, editor)
    with pytest.raises(InvalidArgument, match="no"):
        transition_story(
            live, "publish", by=editor, correction={"kind": "correction", "text": "Fixed."}
        )
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_editing_an_unpublished_article_is_not_staged(editor):
    from tests.factories import ArticleFactory

    draft = ArticleFactory()
    with pytest.raises(IllegalTransition, match="no longer published"):
        stage(draft, {"fields": {"title": "x"}}, by=editor)
    assert not PendingChange.objects.exists()
    assert Section.objects.filter(article=draft).count() == 2


def test_pending_changes_of_an_unpublished_object_cannot_be_published(live, editor):
    pending = stage(live, {"fields": {"title": "Talks collapse"}}, by=editor)
    transition(pending, "approve", by=editor)
    transition(live, "unpublish", by=editor)
    with pytest.raises(IllegalTransition, match="no longer published"):
        transition(pending, "publish", by=editor)
    pending.refresh_from_db()
    live.refresh_from_db()
    assert (pending.state, live.title) == (State.APPROVED, "Talks stall")
    transition(pending, "reopen", by=editor)
    transition(pending, "submit", by=editor)
    assert transition(pending, "reject", by=editor, note="Unpublished meanwhile.").state == (
        State.REJECTED
    )

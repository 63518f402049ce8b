"""A story (an article and its parts) is submitted, approved and published as one, through
the one transition function; parts can be held back, and still be moderated alone."""

import pytest

from articles.models import AuditEntry
from articles.states import State
from articles.stories import preview_story, transition_story
from articles.story import part_key
from articles.workflow import (
    IllegalTransition,
    InvalidArgument,
    TransitionNotPermitted,
    transition,
)
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


def states(*objs):
    for obj in objs:
        obj.refresh_from_db()
    return [obj.state for obj in objs]


def trail(obj):
    return list(AuditEntry.objects.for_instance(obj).values_list("action", flat=True))


@pytest.fixture
def imported(editor):
    """An article with five parts, all in review (as the importer leaves them)."""
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    parts = [
        moderate(AttributionFactory(article=article), State.IN_REVIEW, editor),
        moderate(AttributionFactory(article=article), State.IN_REVIEW, editor),
        moderate(EnrichmentBlockFactory(article=article, kind="overview"), State.IN_REVIEW, editor),
        moderate(EnrichmentBlockFactory(article=article), State.IN_REVIEW, editor),
    ]
    proposal = moderate(ProposalFactory(), State.IN_REVIEW, editor)
    proposal.articles.add(article)
    return article, [*parts, proposal]


def test_approving_and_publishing_the_article_carries_every_part(imported, editor):
    article, parts = imported

    transition(article, "approve", by=editor)
    assert states(article, *parts) == [State.APPROVED] * 6
    transition(article, "publish", by=editor)

    assert states(article, *parts) == [State.PUBLISHED] * 6
    for part in parts:
        entries = AuditEntry.objects.for_instance(part)
        assert [e.action for e in entries][-2:] == ["moderation.approve", "moderation.publish"]
        assert entries.last().data["story"] == article.pk


def test_publishing_publishes_parts_still_in_review_too(editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    late = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)

    transition(article, "publish", by=editor)

    assert states(late) == [State.PUBLISHED]
    assert trail(late)[-2:] == ["moderation.approve", "moderation.publish"]


def test_a_held_part_keeps_its_state_and_the_hold_is_recorded_with_the_note(imported, editor):
    article, parts = imported
    held = parts[0]

    transition(
        article, "approve", by=editor, hold=[part_key(held)], note="Check the second source."
    )

    assert states(held) == [State.IN_REVIEW]
    assert states(*parts[1:]) == [State.APPROVED] * 4
    entry = AuditEntry.objects.for_instance(held).last()
    assert (entry.action, entry.note, entry.actor) == (
        "moderation.hold",
        "Check the second source.",
        editor,
    )
    assert entry.data["from"] == entry.data["to"] == State.IN_REVIEW

    transition(article, "publish", by=editor, hold=[part_key(held)])
    assert states(held) == [State.IN_REVIEW]
    assert AuditEntry.objects.for_instance(held).last().note == (
        "Held back when the story was published."
    )


def test_holding_something_that_is_not_a_part_writes_nothing(imported, editor):
    article, parts = imported
    stranger = AttributionFactory()
    with pytest.raises(InvalidArgument, match="Not parts of this story") as error:
        transition(article, "approve", by=editor, hold=[part_key(stranger), "nonsense:1"])
    assert error.value.field == "hold"
    assert states(article, *parts) == [State.IN_REVIEW] * 6


def test_submitting_an_article_submits_its_authors_draft_parts(editor, contributor):
    article = ArticleFactory(author=contributor)
    mine = AttributionFactory(article=article, author=contributor)
    someone_elses = AttributionFactory(article=article, author=editor)

    transition(article, "submit", by=contributor)

    assert states(article, mine, someone_elses) == [State.IN_REVIEW, State.IN_REVIEW, State.DRAFT]


def test_parts_of_a_live_story_are_still_moderated_one_by_one(editor):
    article = moderate(ArticleFactory(), State.PUBLISHED, editor)
    statement = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)
    other = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)

    transition(statement, "approve", by=editor)
    transition(statement, "publish", by=editor)

    assert states(statement, other) == [State.PUBLISHED, State.IN_REVIEW]


def test_a_live_story_without_pending_changes_publishes_its_waiting_parts(editor):
    article = moderate(ArticleFactory(), State.PUBLISHED, editor)
    statement = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)

    transition_story(article, "publish", by=editor)

    assert states(article, statement) == [State.PUBLISHED, State.PUBLISHED]
    with pytest.raises(IllegalTransition, match="none of its parts is waiting"):
        transition_story(article, "publish", by=editor)
    with pytest.raises(IllegalTransition, match="published and has no pending changes"):
        transition_story(article, "reject", by=editor, note="No.")


def test_the_preview_says_what_happens_to_every_part(imported, editor):
    article, parts = imported
    draft = AttributionFactory(article=article, author=editor)
    transition(article, "approve", by=editor, hold=[part_key(parts[0])])

    preview = preview_story(article, "publish", by=editor, hold=[part_key(parts[0])])

    outcomes = {step.key: step.outcome for step in preview.steps}
    assert outcomes[part_key(parts[0])] == "held back: stays in review"
    assert outcomes[part_key(parts[1])] == "approved → published"
    assert outcomes[part_key(draft)] == "stays draft"
    assert len(outcomes) == 6


def test_translations_waiting_go_live_with_the_story(editor, translator):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    version = moderate(
        TranslationVersionFactory(article=article, author=translator), State.IN_REVIEW, editor
    )
    transition(article, "publish", by=editor)
    assert states(version) == [State.PUBLISHED]


def test_the_scheduler_publishes_approved_parts_but_approves_nothing(editor):
    import datetime

    from django.utils import timezone

    from articles.workflow import publish_due

    article = moderate(ArticleFactory(), State.APPROVED, editor)
    approved = moderate(AttributionFactory(article=article), State.APPROVED, editor)
    at = timezone.now() + datetime.timedelta(hours=1)
    transition(article, "publish", by=editor, publish_at=at)
    late = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)

    publish_due(now=at + datetime.timedelta(minutes=1))

    assert states(article, approved, late) == [State.PUBLISHED, State.PUBLISHED, State.IN_REVIEW]


def test_scheduling_approves_the_parts_in_review(editor):
    import datetime

    from django.utils import timezone

    article = moderate(ArticleFactory(), State.APPROVED, editor)
    waiting = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)
    transition(
        article, "publish", by=editor, publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert states(waiting) == [State.APPROVED]


def test_contributors_withdraw_their_own_work_but_not_anothers(contributor, other_contributor):
    mine = transition(ArticleFactory(author=contributor), "submit", by=contributor)
    theirs = transition(ArticleFactory(author=other_contributor), "submit", by=other_contributor)

    assert transition(mine, "withdraw", by=contributor).state == State.DRAFT
    with pytest.raises(TransitionNotPermitted):
        transition(theirs, "withdraw", by=contributor)
    assert trail(mine)[-1] == "moderation.withdraw"

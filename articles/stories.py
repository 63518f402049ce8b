"""Story actions: acting on an article and its parts as one (the admin's story page, the
editors' moderation API, the review queue's bulk actions).

`transition_story()` picks what a story action acts on (`story_root`: the article, or
the pending changes of a published one) and hands it to `articles.workflow.transition`,
which carries the parts; `preview_story()` says beforehand what will happen to each
part, for the confirmations. No state changes here but through `transition`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from articles import pending as pending_changes
from articles import permissions, story
from articles.models import Article, PendingChange
from articles.states import PUBLIC
from articles.workflow import (
    TRANSITIONS,
    IllegalTransition,
    Transition,
    TransitionNotPermitted,
    applies_to,
    carry_story,
    check_correction,
    check_hold,
    transition,
)

# -- stories ------------------------------------------------------------------------------

# Actions on a published story that concern the live article itself, not its pending
# changes.
LIVE_ARTICLE_ACTIONS = frozenset({"unpublish", "schedule_unpublish", "cancel_unpublish"})


def story_root(article: Article, action: str) -> models.Model | None:
    """What a story action acts on: the article, or, once it is published, its open
    pending changes (None when it has none: then only the parts waiting are acted on)."""
    if article.state not in PUBLIC or action in LIVE_ARTICLE_ACTIONS:
        return article
    return pending_changes.open_pending(article)


@dataclass
class StoryPreview:
    """What a story action would do: to the root, and to each part (`story.Step`)."""

    article: Article
    action: str
    root: models.Model | None
    steps: list[story.Step]
    fingerprint: str

    @property
    def parts_only(self) -> bool:
        return self.root is None


def preview_story(
    article: Article, action: str, *, by, hold: Iterable[str] = (), publish_at=None
) -> StoryPreview:
    """The plan of `action` on `article`'s story as `by` (writes nothing)."""
    if action == "publish" and publish_at is not None and publish_at > timezone.now():
        action = "schedule"
    root = story_root(article, action)
    plan_action = "approve" if action == "schedule" else action
    steps = story.plan(
        article,
        action,
        author_id=(root or article).author_id,
        hold=hold,
        may=lambda obj, name: permissions.can_transition(by, obj, name, as_part_of=plan_action),
        article_live=article.state in PUBLIC or action == "publish",
    )
    return StoryPreview(article, action, root, steps, story.fingerprint(root, steps))


def available_story_actions(article: Article, user) -> list[Transition]:
    """The actions `user` may apply to `article`'s story now (for buttons)."""
    result = []
    for t in TRANSITIONS.values():
        root = story_root(article, t.name)
        if root is not None:
            if (
                root.state in t.sources
                and permissions.can_transition(user, root, t.name)
                and applies_to(root, t)
            ):
                result.append(t)
        elif t.name in {"approve", "publish"}:
            preview = preview_story(article, t.name, by=user)
            if any(step.actions for step in preview.steps):
                result.append(t)
    return result


def transition_story(
    article: Article,
    action: str,
    *,
    by,
    note: str = "",
    publish_at: datetime.datetime | None = None,
    hold: Iterable[str] = (),
    correction: dict | None = None,
) -> models.Model:
    """Apply a story action to `article`'s story; return the article, refreshed.

    The root is chosen by `story_root`: the article, or the pending changes of a
    published article, then `transition(root, …)` carries the parts. A published story
    without pending changes has no root: "approve" and "publish" then carry the parts
    waiting (a statement added to a live story), each through `transition`; anything
    else is refused (IllegalTransition naming the state), as is a story with nothing
    waiting. One transaction: nothing is written when any step is refused.
    """
    hold = frozenset(hold)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        root = story_root(article, action)
        if root is not None:
            transition(
                root, action, by=by, note=note, publish_at=publish_at, hold=hold,
                correction=correction,
            )  # fmt: skip
            article.refresh_from_db()
            return article
        label = TRANSITIONS[action].label.lower() if action in TRANSITIONS else action
        if action not in {"approve", "publish"} or (publish_at and publish_at > timezone.now()):
            raise IllegalTransition(
                f"Cannot {label} this story: its article is published and has no pending "
                "changes. Edit it to make some, or act on its parts one by one."
            )
        if not permissions.can_transition(by, article, action):
            raise TransitionNotPermitted(f"Your role may not {label} this story.")
        check_hold(article, TRANSITIONS[action], hold)
        preview = preview_story(article, action, by=by, hold=hold)
        if not any(step.actions or step.held for step in preview.steps):
            raise IllegalTransition(
                f"Cannot {label} this story: its article is published, it has no pending "
                "changes, and none of its parts is waiting for that."
            )
        if correction is not None:
            # The note goes with the first part's pending changes the action moves.
            moved = [s.subject for s in preview.steps if s.pending and s.actions]
            kind, text = check_correction(
                moved[0] if moved else article, TRANSITIONS[action], correction
            )
            PendingChange.objects.filter(pk=moved[0].pk).update(
                correction_kind=kind, correction_text=text
            )
        carry_story(article, action, root=article, by=by, note=note, hold=hold, now=timezone.now())
        article.refresh_from_db()
        return article

"""The one moderation workflow for every moderated model.

`transition()` is the only code that changes a moderated object's state. The admin,
the translators' workspace, the API, the importer and `publish_scheduled` all call it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from articles import corrections, permissions, publication, story
from articles import pending as pending_changes
from articles.control_characters import control_characters_in, describe
from articles.models import Article, AuditEntry, Moderated, PendingChange, TranslationVersion
from articles.notifications.events import notify_transition
from articles.states import PUBLIC, State

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """Base of the workflow's refusals; `str()` says what to do."""


class IllegalTransition(WorkflowError):
    """The object is not in a state the action starts from (409 in the API)."""


class TransitionNotPermitted(WorkflowError):
    """The actor's role may not do this (403 in the API)."""


class NoteRequired(WorkflowError):
    """The action needs a note for the author (400 in the API)."""


class InvalidNote(NoteRequired):
    """The note holds control characters (400 in the API, like a missing note)."""


class InvalidArgument(WorkflowError):
    """Bad input to an action other than its note: a part to hold back that is not in
    the story, a correction without text (400 in the API, under `field`)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[State]
    target: State | None  # None: the state stays (scheduling)
    note_required: bool = False
    needs_time: bool = False  # asks for a time (scheduling)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit", "Submit for review", frozenset({State.DRAFT, State.CHANGES_REQUESTED}),
            State.IN_REVIEW,
        ),
        # The author (or an editor) takes it back out of review to work on it again.
        # Labelled "Withdraw": messages read "Cannot withdraw this article", "You cannot
        # withdraw it now".
        Transition("withdraw", "Withdraw", frozenset({State.IN_REVIEW}), State.DRAFT),
        Transition("approve", "Approve", frozenset({State.IN_REVIEW}), State.APPROVED),
        Transition(
            "request_changes", "Request changes", frozenset({State.IN_REVIEW}),
            State.CHANGES_REQUESTED, note_required=True,
        ),
        Transition(
            "reject", "Reject", frozenset({State.IN_REVIEW}), State.REJECTED, note_required=True
        ),
        Transition("schedule", "Schedule", frozenset({State.APPROVED}), None, needs_time=True),
        Transition("publish", "Publish", frozenset({State.APPROVED}), State.PUBLISHED),
        Transition("unpublish", "Unpublish", frozenset({State.PUBLISHED}), State.ARCHIVED),
        # Articles only: `publish_scheduled` unpublishes them when the time comes.
        Transition(
            "schedule_unpublish", "Schedule unpublishing", frozenset({State.PUBLISHED}), None,
            needs_time=True,
        ),
        Transition(
            "cancel_unpublish", "Cancel scheduled unpublishing", frozenset({State.PUBLISHED}),
            None,
        ),
        # Also from approved: withdraws the approval (and any schedule) to edit again.
        Transition(
            "reopen", "Reopen as draft",
            frozenset({State.APPROVED, State.REJECTED, State.ARCHIVED}), State.DRAFT,
        ),
    ]
}  # fmt: skip


def moderated_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, Moderated)]


def available_transitions(obj: models.Model, user) -> list[Transition]:
    """The actions `user` may apply to `obj` in its current state (for buttons)."""
    return [
        t
        for t in TRANSITIONS.values()
        if obj.state in t.sources
        and permissions.can_transition(user, obj, t.name)
        and applies_to(obj, t)
    ]


UNPUBLISH_SCHEDULING = frozenset({"schedule_unpublish", "cancel_unpublish"})


def applies_to(obj: models.Model, t: Transition) -> bool:
    # Translation versions go live with their article, never on their own schedule,
    # and are neither reopened nor withdrawn: a new version is submitted instead
    # (append-only).
    if isinstance(obj, TranslationVersion):
        if t.name == "publish":
            return obj.article.state in PUBLIC
        return t.name not in {"schedule", "reopen", "withdraw", *UNPUBLISH_SCHEDULING}
    # Pending changes are published once (applied); a rejected set stays closed: new
    # edits open a new set.
    if isinstance(obj, PendingChange):
        if t.name == "reopen":
            return obj.state == State.APPROVED
        return t.name not in {"unpublish", *UNPUBLISH_SCHEDULING}
    if t.name in UNPUBLISH_SCHEDULING:
        if not isinstance(obj, Article):
            return False
        return t.name == "schedule_unpublish" or obj.unpublish_at is not None
    return True


def transition(
    obj: models.Model,
    action: str,
    *,
    by,
    note: str = "",
    publish_at: datetime.datetime | None = None,
    as_part_of: str | None = None,
    hold: Iterable[str] = (),
    correction: dict | None = None,
    _story: Article | None = None,
) -> models.Model:
    """Apply `action` to `obj` as `by` and return the refreshed object.

    `by` is a user or a `permissions.SystemActor` (the scheduler, the importer).
    `as_part_of` is set by the workflow's own cascades only: the action `by` was
    allowed that this one follows from (see `permissions.IMPLIED_ACTIONS`).
    `publish_at` is the time of "schedule" (and of "publish" or "unpublish" when in
    the future: they then schedule). `hold` names parts of the story (`story.part_key`)
    that a story action leaves as they are; `correction` (`{"kind", "text"}`) is the
    public note published with pending changes (on approve, schedule or publish).

    Side effects, all inside one transaction:
    - the row is re-read with `select_for_update()`, so two editors acting at once
      cannot both move it from the same state (the second gets IllegalTransition);
    - `state`, `state_changed_at` and the action's own fields (`submitted_at`,
      `reviewed_at`/`reviewed_by`, `publish_at`, `published_at`) are saved with
      `update_fields`, so concurrent content edits are not overwritten;
    - an `AuditEntry` records who, when, from, to and the note;
    - acting on a story's root (an article, or the pending changes of a published
      one) carries its parts as `story.plan` says: submitting submits the author's
      draft parts, approving (or scheduling) approves the parts in review, publishing
      publishes the approved parts and approves and publishes those in review; each
      part through `transition` again, with its own audit entry; a held part keeps its
      state and gets a "moderation.hold" audit entry with the note;
    - publishing pending changes applies them to their object (`pending.apply`),
      publishes their correction note, and makes the article's translations outdated
      when its text changed or a note was published;
    - approving a translation version of a published article publishes it at once;
      publishing a translation version archives the live version it replaces;
    - "publish" with a future `publish_at` schedules instead;
    - when anything readers can see changed, on commit: the story's snapshots are
      rebuilt, its search rows rewritten, and the cached pages showing it invalidated
      (`articles.publication`);
    - on commit, `articles.notifications.events.notify_transition` tells people: editors
      (or the assignee) of a submission (a story's once, with its parts), the author
      (and translator) of a decision, in the app and by e-mail as each prefers (the
      e-mail is queued, never sent here).

    Raises IllegalTransition, TransitionNotPermitted or NoteRequired, writing nothing.
    """
    try:
        t = TRANSITIONS[action]
    except KeyError:
        raise IllegalTransition(f"Unknown action {action!r}.") from None
    now = timezone.now()
    if action == "publish" and publish_at is not None and publish_at > now:
        action, t = "schedule", TRANSITIONS["schedule"]
    if action == "unpublish" and publish_at is not None and publish_at > now:
        action, t = "schedule_unpublish", TRANSITIONS["schedule_unpublish"]
    hold = frozenset(hold)
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        _check(current, t, by=by, note=note, publish_at=publish_at, now=now, as_part_of=as_part_of)
        article = story.story_article(current) if _story is None else None
        check_hold(article, t, hold)
        correction = check_correction(current, t, correction)
        _apply(
            current, t, by=by, note=note, publish_at=publish_at, now=now,
            correction=correction, story_of=_story,
        )  # fmt: skip
        if article is not None and t.name in story.STORY_ACTIONS:
            carry_story(article, t.name, root=current, by=by, note=note, hold=hold, now=now)
    for field in ("state", "state_changed_at", "publish_at", "published_at", "edit_version"):
        setattr(obj, field, getattr(current, field))
    return current


def check_hold(article: Article | None, t: Transition, hold: frozenset[str]) -> None:
    if not hold:
        return
    if article is None or t.name not in {"approve", "schedule", "publish"}:
        raise InvalidArgument(
            "hold", "Parts are held back only when a story is approved, scheduled or published."
        )
    keys = {story.part_key(part) for part, _subject in story.members(article)}
    unknown = sorted(hold - keys)
    if unknown:
        raise InvalidArgument(
            "hold", f"Not parts of this story: {', '.join(unknown)}. Reload to see its parts."
        )


def check_correction(obj, t: Transition, correction) -> tuple[str, str] | None:
    if correction is None:
        return None
    if not isinstance(obj, PendingChange) or t.name not in {"approve", "schedule", "publish"}:
        raise InvalidArgument(
            "correction",
            "A correction is published with pending changes of a published story, when "
            "they are approved or published; there are none here.",
        )
    try:
        return corrections.clean_correction(correction)
    except ValidationError as error:
        raise InvalidArgument("correction", " ".join(error.messages)) from None


def _check(obj, t: Transition, *, by, note: str, publish_at, now, as_part_of=None) -> None:
    name = obj._meta.verbose_name
    if not permissions.can_transition(by, obj, t.name, as_part_of=as_part_of):
        raise TransitionNotPermitted(
            f"Your role may not {t.label.lower()} this {name}."
            + (" Only its author or an editor may submit it." if t.name == "submit" else "")
        )
    if obj.state not in t.sources or not applies_to(obj, t):
        allowed = ", ".join(sorted(t.sources))
        raise IllegalTransition(
            f"Cannot {t.label.lower()} this {name}: it is {obj.get_state_display().lower()}"
            f" (this action applies to: {allowed}). Reload to see its current state."
        )
    if t.note_required and not note.strip():
        raise NoteRequired(f"{t.label} needs a note telling the author what to change or why.")
    if control_characters_in(note):
        raise InvalidNote(
            f"Remove the control character {describe(control_characters_in(note))} from the"
            " note: text may not contain control characters other than tab and line breaks."
        )
    if t.name == "schedule" and (publish_at is None or publish_at <= now):
        raise IllegalTransition("Scheduling needs a publish time in the future.")
    if t.name == "schedule_unpublish" and (publish_at is None or publish_at <= now):
        raise IllegalTransition("Scheduling the unpublishing needs a time in the future.")


def _apply(
    obj, t: Transition, *, by, note: str, publish_at, now, correction=None, story_of=None
) -> None:
    source = obj.state
    fields = ["state_changed_at"]
    obj.state_changed_at = now
    if t.target is not None:
        obj.state = t.target
        fields.append("state")
    if t.name == "submit":
        obj.submitted_at = now
        fields.append("submitted_at")
    elif t.name in {"approve", "request_changes", "reject"}:
        obj.reviewed_at, obj.reviewed_by = now, by  # editors only: never a system actor
        fields += ["reviewed_at", "reviewed_by"]
    elif t.name == "schedule":
        obj.publish_at = publish_at
        fields.append("publish_at")
    elif t.name == "publish":
        obj.published_at = obj.published_at or now
        obj.publish_at = None
        fields += ["published_at", "publish_at"]
    elif t.name == "reopen":
        obj.publish_at = None
        fields.append("publish_at")
    elif t.name == "schedule_unpublish":
        obj.unpublish_at = publish_at
        fields.append("unpublish_at")
    if t.name in {"unpublish", "cancel_unpublish"} and isinstance(obj, Article):
        obj.unpublish_at = None
        fields.append("unpublish_at")
    if correction is not None:
        obj.correction_kind, obj.correction_text = correction
        fields += ["correction_kind", "correction_text"]

    if isinstance(obj, TranslationVersion) and t.name == "publish":
        # Archive the version this one replaces first: one live version per language.
        live = TranslationVersion.objects.filter(
            article_id=obj.article_id, language=obj.language, state=State.PUBLISHED
        ).exclude(pk=obj.pk)
        for previous in live:
            try:
                transition(
                    previous,
                    "unpublish",
                    by=by,
                    note=f"Replaced by version {obj.version}.",
                    as_part_of="publish",
                )
            except IllegalTransition:  # archived meanwhile by another version going live
                raise IllegalTransition(_went_live_meanwhile(obj)) from None

    try:
        obj.save(update_fields=fields)
    except IntegrityError:
        if not isinstance(obj, TranslationVersion) or t.name != "publish":
            raise
        # One live version per language: another one was published meanwhile (the
        # transaction is rolled back by transition()'s atomic block).
        raise IllegalTransition(_went_live_meanwhile(obj)) from None
    by = by or permissions.SCHEDULER
    person = None if isinstance(by, permissions.SystemActor) else by
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=f"moderation.{t.name}",
        actor=person,
        actor_name=by.get_username(),
        created_at=now,
        data={
            "from": source,
            "to": obj.state,
            "note": note.strip(),
            **({"publish_at": publish_at.isoformat()} if t.needs_time else {}),
            **({"story": story_of.pk} if story_of is not None else {}),
        },
    )

    if isinstance(obj, PendingChange) and t.name == "publish":
        _publish_pending(obj, by=by, now=now)
    if isinstance(obj, TranslationVersion) and t.name == "approve" and obj.article.state in PUBLIC:
        transition(obj, "publish", by=by)
    if source in PUBLIC or obj.state in PUBLIC:
        publication.changed(obj)  # handled on commit, once per story
    transaction.on_commit(
        partial(
            notify_transition,
            obj,
            t.name,
            by=by,
            note=note.strip(),
            source=source,
            story=story_of,
        ),
        robust=True,
    )


def _publish_pending(pending: PendingChange, *, by, now) -> None:
    """Apply published pending changes to their object and publish their note."""
    try:
        applied = pending_changes.apply(pending, by=by)
    except pending_changes.NotLive as error:
        raise IllegalTransition(str(error)) from None
    articles = story.articles_of(applied.target)
    corrections.publish_correction(pending, articles, by=by, now=now)
    if applied.text_changed or pending.correction_text:
        # Translations made from the old text (or without the note) are now outdated.
        for article in articles:
            article.mark_text_revised(by=by)
    publication.changed(applied.target)  # handled on commit, with the rest of the story


def carry_story(article: Article, action: str, *, root, by, note: str, hold, now) -> None:
    """Carry the parts of `article`'s story through the story action `action` (see
    `story.plan`), each part through `transition`; record the holds."""
    steps = story.plan(
        article,
        action,
        author_id=root.author_id,
        hold=hold,
        may=lambda obj, name: permissions.can_transition(by, obj, name, as_part_of=action),
    )
    for step in steps:
        if step.held:
            _record_hold(step.subject, action, article, by=by, note=note, now=now)
        for name in step.actions:
            subject = type(step.subject).objects.get(pk=step.subject.pk)
            if name == "publish" and subject.state in PUBLIC:
                continue  # a translation version of a live article went live when approved
            transition(subject, name, by=by, as_part_of=action, _story=article)


def _record_hold(obj, action: str, article: Article, *, by, note: str, now) -> None:
    by = by or permissions.SCHEDULER
    person = None if isinstance(by, permissions.SystemActor) else by
    verb = {"approve": "approved", "schedule": "scheduled", "publish": "published"}[action]
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action="moderation.hold",
        actor=person,
        actor_name=by.get_username(),
        created_at=now,
        data={
            "from": obj.state,
            "to": obj.state,
            "note": note.strip() or f"Held back when the story was {verb}.",
            "story": article.pk,
            "story_action": action,
        },
    )


def _went_live_meanwhile(version) -> str:
    """What to tell the second of two editors approving versions of one language at once."""
    return (
        f"Another {version.get_language_display()} version of this article was approved at"
        " the same time and is now live, so nothing was done to this one. Reload to see"
        " it, then approve this version again if it should replace it."
    )


def publish_due(
    now: datetime.datetime | None = None,
    *,
    on_failure: Callable[[models.Model, Exception], None] | None = None,
) -> list[models.Model]:
    """Publish every approved item whose publish time has come; return them.

    Oldest due first. Each item is its own transaction, so one failure does not hold
    back the rest: a failing item stays as it was and is passed to `on_failure(obj,
    error)` (logged when there is none), and the next one is published. Safe to run
    concurrently (cron every minute): an item another run published first is
    skipped, not published twice.
    """
    now = now or timezone.now()
    published = []
    # Articles first: publishing one also publishes its approved children.
    for model in sorted(moderated_models(), key=lambda m: m._meta.model_name != "article"):
        due = model.objects.due(now).order_by("publish_at", "pk")
        for pk in due.values_list("pk", flat=True):
            obj = model.objects.filter(pk=pk).first()
            if obj is None or obj.state != State.APPROVED:
                continue
            try:
                published.append(transition(obj, "publish", by=permissions.SCHEDULER))
            except Exception as error:  # one item must never hold back the others
                if isinstance(error, IllegalTransition) and not due.filter(pk=pk).exists():
                    continue  # published by another run (or reopened) meanwhile
                if on_failure is None:
                    logger.error("could not publish %s %s: %s", model._meta.label, pk, error)
                else:
                    on_failure(obj, error)
    return published


def unpublish_due(
    now: datetime.datetime | None = None,
    *,
    on_failure: Callable[[models.Model, Exception], None] | None = None,
) -> list[Article]:
    """Unpublish every published article whose scheduled unpublishing time has come.

    Like `publish_due`: oldest first, each in its own transaction, a failure reported
    to `on_failure` (or logged) without holding back the others, safe to run twice.
    """
    now = now or timezone.now()
    done = []
    due = Article.objects.filter(state=State.PUBLISHED, unpublish_at__lte=now)
    for pk in due.order_by("unpublish_at", "pk").values_list("pk", flat=True):
        article = Article.objects.filter(pk=pk).first()
        if article is None or article.state != State.PUBLISHED:
            continue
        try:
            done.append(
                transition(
                    article, "unpublish", by=permissions.SCHEDULER, note="Scheduled unpublishing."
                )
            )
        except Exception as error:  # one item must never hold back the others
            if isinstance(error, IllegalTransition) and not due.filter(pk=pk).exists():
                continue
            if on_failure is None:
                logger.error("could not unpublish article %s: %s", pk, error)
            else:
                on_failure(article, error)
    return done

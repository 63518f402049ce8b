"""Who is told of what. Each function creates in-app notifications and hands them to
`delivery` (e-mail as each person prefers, queued on commit, never sent here).

- `notify_transition`: editors (or the item's assignee) of a submission or
  resubmission, the assignee of a withdrawal, authors and translators of a decision
  (called by `articles.workflow.transition` on commit);
- `notify_assignment`: the assignee of an assignment;
- `notify_mentions`, `notify_reply`: people mentioned in a comment, or whose thread
  got an answer;
- `notify_source_changed`: translators whose translation's source changed;
- `notify_signoff`: the editors concerned of an outside sign-off answer.

Nobody is told of their own action. This module imports no models of `articles.models`
(it reaches them through relations), so the models may call it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.urls import reverse

from articles.assignments.models import Assignment
from articles.notifications import delivery
from articles.notifications.models import Notification
from articles.roles import Role, roles_of
from articles.states import LIVE_OR_APPROVED, UNDECIDED, State

logger = logging.getLogger(__name__)

Kind = Notification.Kind

DECISIONS = {
    "approve": "Approved",
    "request_changes": "Changes requested",
    "reject": "Rejected",
    "publish": "Published",
    "unpublish": "Unpublished",
}
# Publishing cascades to every approved part of an article: tell the authors of the
# article and of translations, not of each attribution or block.
ANNOUNCED_PUBLICATIONS = {"article", "translationversion"}
# Parts of a story not decided on yet are announced with their article, not one by one
# (a wire import submits a dozen); a part added to an approved or live story is.
PARTS = {"attribution", "enrichmentblock"}


def editors():
    """Active editors (superusers count), who are told of submissions."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.EDITOR) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def label(obj: Model) -> str:
    return f"{obj._meta.verbose_name} “{str(obj)[:120]}”"


def editor_path(obj: Model) -> str:
    """Where an editor looks at `obj`: its change page, or a version's side-by-side review."""
    opts = obj._meta
    if opts.model_name == "translationversion":
        return reverse("admin:articles_translationversion_review", args=[obj.pk])
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def author_path(obj: Model) -> str:
    """Where an author looks at their `obj`: the workspace for a translation version."""
    if obj._meta.model_name == "translationversion":
        return reverse("translate:version", args=[obj.pk])
    return editor_path(obj)


def notify(
    people: Iterable, kind: str, *, title: str, body: str = "", path: str = "", by=None
) -> list[Notification]:
    """Tell each of `people` (except `by`, and without duplicates): one notification
    each, e-mailed as they prefer."""
    by_pk = getattr(by, "pk", None)
    seen: set[int] = set()
    created = []
    for person in people:
        if person is None or person.pk in seen or person.pk == by_pk or not person.is_active:
            continue
        seen.add(person.pk)
        created.append(
            Notification.objects.create(
                recipient=person,
                kind=kind,
                title=title[:300],
                body=body,
                path=path,
                actor_name=by.get_username() if by is not None else "",
            )
        )
    delivery.schedule(created)
    return created


def assignment_of(obj: Model) -> Assignment | None:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        Assignment.objects.select_related("assignee")
        .filter(content_type=content_type, object_id=obj.pk)
        .first()
    )


def reviewers_of(obj: Model) -> list:
    """The item's assignee (or its story's, for a part), else every editor."""
    assignment = assignment_of(obj)
    if assignment is None and obj._meta.model_name in PARTS:
        assignment = assignment_of(obj.article)
    if assignment is not None:
        return [assignment.assignee]
    return list(editors())


def notify_transition(
    obj: Model,
    action: str,
    *,
    by,
    note: str = "",
    source: str | None = None,
    story: Model | None = None,
) -> None:
    """Tell the people concerned that `action` was applied to `obj` by `by`.

    `story` is the article whose story action carried `obj` along (a part submitted
    with its article): its submission is announced once, by the article's own.
    """
    model_name = obj._meta.model_name
    if action == "submit":
        if story is not None:
            return  # the story's submission announces it with its parts
        if model_name in PARTS and obj.article.state in UNDECIDED:
            return  # the article's own submission announces the story with its parts
        again = source == State.CHANGES_REQUESTED
        verb = "resubmitted" if again else "submitted"
        notify(
            reviewers_of(obj),
            Kind.RESUBMITTED if again else Kind.SUBMITTED,
            title=f"{by.get_username()} {verb} the {label(obj)} for review",
            path=editor_path(obj),
            by=by,
        )
    elif action == "withdraw":
        assignment = assignment_of(obj)
        if assignment is not None:
            notify(
                [assignment.assignee],
                Kind.WITHDRAWN,
                title=f"{by.get_username()} withdrew the {label(obj)} from review",
                path=editor_path(obj),
                by=by,
            )
    elif action in DECISIONS:
        if action in {"publish", "unpublish"} and model_name not in ANNOUNCED_PUBLICATIONS:
            return
        people = [getattr(obj, "author", None), getattr(obj, "translator", None)]
        notify(
            people,
            Kind.DECISION,
            title=f"{DECISIONS[action]}: {str(obj)[:120]}",
            body=(
                f"{DECISIONS[action]}: your {label(obj)}, by {by.get_username()}."
                + (f"\n\nNote: {note}" if note else "")
            ),
            path=author_path(obj),
            by=by,
        )


def notify_assignment(assignment: Assignment, *, by) -> None:
    target = assignment.target
    due = f", due {assignment.due_on:%Y-%m-%d}" if assignment.due_on else ""
    notify(
        [assignment.assignee],
        Kind.ASSIGNED,
        title=f"{by.get_username()} assigned you the {label(target)}{due}",
        body=f"Priority: {assignment.get_priority_display()}.",
        path=editor_path(target),
        by=by,
    )


def thread_path(person, target: Model) -> str:
    """Where `person` reads the thread of `target`: translators in their workspace."""
    if target._meta.model_name == "translationversion" and Role.EDITOR not in roles_of(person):
        return author_path(target) + "#thread"
    return editor_path(target) + "#thread"


def notify_mentions(people: Iterable, *, target: Model, excerpt: str, by) -> None:
    for person in people:
        notify(
            [person],
            Kind.MENTIONED,
            title=f"{by.get_username()} mentioned you on the {label(target)}",
            body=excerpt,
            path=thread_path(person, target),
            by=by,
        )


def notify_reply(people: Iterable, *, target: Model, excerpt: str, by) -> None:
    for person in people:
        notify(
            [person],
            Kind.COMMENTED,
            title=f"{by.get_username()} commented on the {label(target)}",
            body=excerpt,
            path=thread_path(person, target),
            by=by,
        )


def notify_source_changed(article: Model, *, by=None) -> None:
    """Tell the translators of `article` (versions waiting, approved or live) that the
    text they translated changed."""
    states = {*LIVE_OR_APPROVED, State.IN_REVIEW}
    versions = article.translations.filter(state__in=states).select_related("translator")
    people = {v.translator_id: (v.translator, v.language) for v in versions if v.translator}
    for person, language in people.values():
        notify(
            [person],
            Kind.SOURCE_CHANGED,
            title=f"The source of your translation of “{str(article)[:120]}” changed",
            body="Your translation is now outdated: see what changed and submit a new version.",
            path=reverse("translate:edit", args=[article.slug, language]),
            by=by,
        )


def notify_signoff(people: Iterable, *, title: str, body: str, path: str) -> None:
    notify(people, Kind.SIGNOFF, title=title, body=body, path=path)

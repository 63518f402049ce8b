"""Assigning a review: assign, claim ("I'm on it"), release; and the filters the queue
and the dashboard use. Every change is an audit entry on the item
(`assignment.assign`, `assignment.release`) and tells the new assignee (on commit).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles import permissions
from articles.assignments.models import Assignment
from articles.models import Article, AuditEntry, TranslationVersion
from articles.notifications.events import notify_assignment

Priority = Assignment.Priority
ASSIGNABLE = (Article, TranslationVersion)


def is_assignable(obj: models.Model) -> bool:
    """Stories (articles) and translation versions are assigned; their parts follow."""
    return isinstance(obj, ASSIGNABLE)


def story_of(obj: models.Model) -> Article:
    return obj if isinstance(obj, Article) else obj.article


def _content_type(obj_or_model):
    return ContentType.objects.get_for_model(obj_or_model, for_concrete_model=False)


def assignment_of(obj: models.Model) -> Assignment | None:
    return (
        Assignment.objects.select_related("assignee", "assigned_by")
        .filter(content_type=_content_type(obj), object_id=obj.pk)
        .first()
    )


def _audit(obj, action: str, by, data: dict) -> None:
    AuditEntry.objects.create(
        content_type=_content_type(obj),
        object_id=obj.pk,
        action=action,
        actor=by,
        actor_name=by.get_username(),
        data=data,
    )


def assign(
    obj: models.Model,
    *,
    to,
    by,
    due_on: datetime.date | None = None,
    priority: int = Priority.NORMAL,
) -> Assignment:
    """Assign the review of `obj` to `to` (an editor), as `by` (an editor).

    Replaces any earlier assignment of the item. Side effects: an audit entry
    `assignment.assign` (to, from, due, priority) and, on commit, a notification to
    the assignee unless they assigned themselves. Raises PermissionDenied.
    """
    if not permissions.can_assign(by):
        raise PermissionDenied("Only editors assign reviews.")
    if not permissions.can_be_assigned(to):
        raise PermissionDenied(f"{to.get_username()} is not an editor: reviews go to editors.")
    if not is_assignable(obj):
        raise PermissionDenied("Only stories and translation versions are assigned.")
    now = timezone.now()
    with transaction.atomic():
        current = (
            Assignment.objects.select_for_update()
            .filter(content_type=_content_type(obj), object_id=obj.pk)
            .select_related("assignee")
            .first()
        )
        before = current.assignee.get_username() if current else ""
        if current is None:
            current = Assignment(
                content_type=_content_type(obj), object_id=obj.pk, article=story_of(obj)
            )
        changed = (current.assignee_id, current.due_on, current.priority) != (
            to.pk,
            due_on,
            priority,
        )
        current.assignee, current.assigned_by = to, by
        current.due_on, current.priority, current.updated_at = due_on, priority, now
        current.save()
        if changed:
            _audit(
                obj,
                "assignment.assign",
                by,
                {
                    "assignee": to.get_username(),
                    "previous": before,
                    "due": due_on.isoformat() if due_on else "",
                    "priority": current.get_priority_display(),
                },
            )
            if to.pk != by.pk:
                transaction.on_commit(lambda: notify_assignment(current, by=by), robust=True)
    return current


def claim(obj: models.Model, *, by) -> Assignment:
    """ "I'm on it": assign `obj` to `by`, keeping any due date and priority set."""
    current = assignment_of(obj)
    return assign(
        obj,
        to=by,
        by=by,
        due_on=current.due_on if current else None,
        priority=current.priority if current else Priority.NORMAL,
    )


def release(obj: models.Model, *, by) -> None:
    """Remove the assignment of `obj` (audited as `assignment.release`)."""
    if not permissions.can_assign(by):
        raise PermissionDenied("Only editors assign reviews.")
    with transaction.atomic():
        current = assignment_of(obj)
        if current is None:
            return
        current.delete()
        _audit(obj, "assignment.release", by, {"previous": current.assignee.get_username()})


def assigned_to(queryset: QuerySet, user) -> QuerySet:
    """The items of a moderated `queryset` assigned to `user` (None: to nobody)."""
    assigned = Assignment.objects.filter(content_type=_content_type(queryset.model))
    if user is None:
        return queryset.exclude(pk__in=assigned.values("object_id"))
    return queryset.filter(pk__in=assigned.filter(assignee=user).values("object_id"))


def by_urgency(assignments: QuerySet) -> QuerySet:
    """Overdue first, then by due date (none last), then the most urgent."""
    return assignments.order_by(F("due_on").asc(nulls_last=True), "-priority", "created_at", "id")


def overdue(assignments: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return assignments.filter(due_on__lt=today or timezone.localdate())


def open_assignments_of(user) -> QuerySet:
    """What `user` is assigned and nobody has finished yet (not live, rejected or
    unpublished), most urgent first."""
    done = ["published", "rejected", "archived"]
    finished = Q()
    for model in ASSIGNABLE:
        ids = model.objects.filter(state__in=done).values("pk")
        finished |= Q(content_type=_content_type(model), object_id__in=ids)
    return by_urgency(
        Assignment.objects.filter(assignee=user).exclude(finished).select_related("article")
    )

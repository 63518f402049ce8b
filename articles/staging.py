"""Edits of published content are staged as pending changes, never written in place.

`stage(obj, changes, by=…)` is the one way an edit reaches a published article or part:
the admin, the editors' API, a re-import of wire copy and reverting to an old revision
all call it. Readers keep the live object until the pending changes are approved and
published (`articles.workflow`). One open set per object: a second editor's edit
changes the same set, under the stale-save rule (`revision`).
"""

from __future__ import annotations

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from articles import permissions
from articles.models import AuditEntry, PendingChange
from articles.pending import (
    changed_names,
    child_relations,
    goes_through_review,
    merged,
    open_pending,
    open_pending_for_update,
    snapshot,
    with_live_ids,
)
from articles.states import State
from articles.workflow import IllegalTransition, transition


def revision(obj: models.Model) -> int:
    """The version an edit of `obj` is based on: the `edit_version` of its open pending
    changes, else its own. It only ever grows (a new set starts past its object, and
    publishing a set moves the object past it), so an old copy is always stale."""
    pending = open_pending(obj) if goes_through_review(obj) else None
    return pending.edit_version if pending is not None else obj.edit_version


def stale_error(obj: models.Model) -> ValidationError:
    return ValidationError(
        "This %(name)s changed after you opened it (someone saved its pending changes, "
        "or they were published). Your changes were NOT saved: reload it, then apply "
        "them again.",
        code="stale",
        params={"name": obj._meta.verbose_name},
    )


def labels(model: type[models.Model], names: list[str]) -> list[str]:
    """Field names as people read them ("title", "sections")."""
    result = []
    for name in names:
        field = model._meta.get_field(name)
        if name in child_relations(model):
            result.append(str(field.related_model._meta.verbose_name_plural))
        else:
            result.append(str(field.verbose_name))
    return result


def stage(
    obj: models.Model,
    changes: dict,
    *,
    by,
    revision_read: int | None = None,
    note: str = "",
) -> PendingChange | None:
    """Save `changes` (the `articles.pending` format; only the parts given change) to
    the published `obj` as its pending changes; return them (None: nothing changed).

    Side effects, in one transaction with the object's row locked:
    - refused with ValidationError (code "stale") when `revision_read` is given and is
      not the current `revision(obj)`; nothing is written;
    - a first edit opens a new set (a draft) and submits it through the workflow: it
      waits for review; a later edit changes the open set. An approved set that
      changes goes back to review (its approval withdrawn, "reopen" then "submit");
    - an audit entry ("pending.edit") names who changed which fields, and a
      django-reversion revision records the set's values.

    `by` is the editor, or None for the importer (`permissions.IMPORTER`).
    Raises IllegalTransition when `obj` is no longer published (reload and edit it).
    """
    actor = by if by is not None else permissions.IMPORTER
    person = None if isinstance(actor, permissions.SystemActor) else actor
    with transaction.atomic():
        target = type(obj).objects.select_for_update().get(pk=obj.pk)
        if not goes_through_review(target):
            raise IllegalTransition(
                f"This {target._meta.verbose_name} is no longer published: reload it and "
                "edit it directly."
            )
        pending = open_pending_for_update(target)
        current = pending.edit_version if pending is not None else target.edit_version
        if revision_read is not None and revision_read != current:
            raise stale_error(target)
        base = pending.data if pending is not None else snapshot(target)
        data = with_live_ids(target, merged(base, changes))
        names = changed_names(base, data)
        if not names:
            return pending
        created = pending is None
        with reversion.create_revision(atomic=False):
            if pending is None:
                pending = PendingChange(
                    content_type=ContentType.objects.get_for_model(target),
                    object_id=target.pk,
                    data=data,
                    author=person,
                )
                pending.edit_version = target.edit_version + 1
                pending.save(force_insert=True)
            else:
                pending.data = data
                pending.save()
            reversion.add_to_revision(pending)
            if person is not None:
                reversion.set_user(person)
            reversion.set_comment(f"Changed: {', '.join(labels(type(target), names))}.")
        _record_edit(pending, type(target), names, actor, note)
        if created:
            transition(pending, "submit", by=actor, note=note or "Edited while published.")
        elif pending.state == State.APPROVED:
            transition(
                pending, "reopen", by=actor, as_part_of="submit",
                note="Changed after approval: back to review.",
            )  # fmt: skip
            transition(pending, "submit", by=actor, note=note)
        pending.refresh_from_db()
        return pending


def _record_edit(pending: PendingChange, model, names: list[str], actor, note: str) -> None:
    person = None if isinstance(actor, permissions.SystemActor) else actor
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(PendingChange),
        object_id=pending.pk,
        action="pending.edit",
        actor=person,
        actor_name=actor.get_username(),
        created_at=timezone.now(),
        data={
            "from": pending.state,
            "to": pending.state,
            "fields": labels(model, names),
            "note": note.strip(),
        },
    )

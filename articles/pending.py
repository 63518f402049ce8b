"""Pending changes: the proposed values of a published object, in one JSON format.

A published article or part never changes in place: an edit is saved as the object's
pending changes (`articles.staging`), readers keep the live object, and publishing the
pending changes (`transition(pending, "publish")`) applies them here, inside the
workflow's transaction. This module reads and writes data only; it changes no state.

`PendingChange.data` has the same shape for every model (`snapshot(obj)` gives the live
values in it)::

    {"fields": {name: value},            # content fields; a foreign key as its pk
     "m2m": {name: [pk, ...]},            # many-to-many fields (topics, proposed_by, ...)
     "children": {relation: [row, ...]}}  # rows edited with the object (sections, terms)

A child row holds its fields (foreign keys as pks) and `"id"`: the live row it changes,
or None for a new row. Live rows missing from the list are deleted when applied.
Which relations are children is registered (`register_children`): the article's
sections here, the proposal's terms by the proposals app.
"""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models

from articles.diff import DiffLine, diff_lines, diff_texts
from articles.models import (
    WORKFLOW_FIELDS,
    Article,
    PendingChange,
    Text,
    split_paragraphs,
)
from articles.states import OPEN_CHANGES, PUBLIC

_CHILDREN: dict[str, list[str]] = {"articles.article": ["sections"]}


def register_children(model_label: str, relation: str) -> None:
    """Edit the rows behind `<model>.<relation>` with the object (as its children)."""
    relations = _CHILDREN.setdefault(model_label, [])
    if relation not in relations:
        relations.append(relation)


# -- what a model's pending changes hold --------------------------------------------------


def can_have_pending(model: type[models.Model]) -> bool:
    """Models whose published objects change through pending changes (they declare a
    `pending_changes` relation; translation versions do not: a new version is their edit)."""
    return any(f.name == "pending_changes" for f in model._meta.private_fields)


def goes_through_review(obj: models.Model) -> bool:
    """Whether an edit of `obj` must be saved as pending changes: it is published."""
    return obj.pk is not None and obj.state in PUBLIC and can_have_pending(type(obj))


def content_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in WORKFLOW_FIELDS
    ]


def m2m_fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.many_to_many)


def child_relations(model: type[models.Model]) -> list[str]:
    return list(_CHILDREN.get(model._meta.label_lower, []))


def child_fields(model: type[models.Model], relation: str) -> list[models.Field]:
    """The fields of a child row: all but its id and its link to the parent."""
    field = model._meta.get_field(relation)
    child = field.related_model
    return [
        f
        for f in child._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != field.field.name
    ]


def _plain(field: models.Field, obj: models.Model):
    return getattr(obj, field.attname)


def snapshot(obj: models.Model) -> dict:
    """The live values of `obj` in the pending-changes format."""
    model = type(obj)
    return {
        "fields": {f.name: _plain(f, obj) for f in content_fields(model)},
        "m2m": {
            f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
            for f in m2m_fields(model)
        },
        "children": {
            relation: [
                {"id": row.pk, **{f.name: _plain(f, row) for f in child_fields(model, relation)}}
                for row in getattr(obj, relation).all()
            ]
            for relation in child_relations(model)
        },
    }


def merged(base: dict, changes: dict) -> dict:
    """`base` (a snapshot or pending data) with the parts `changes` gives replaced."""
    return {
        "fields": {**base.get("fields", {}), **changes.get("fields", {})},
        "m2m": {**base.get("m2m", {}), **changes.get("m2m", {})},
        "children": {**base.get("children", {}), **changes.get("children", {})},
    }


def with_live_ids(obj: models.Model, data: dict) -> dict:
    """`data` whose child rows point only at live rows: a row naming a row that is gone
    (an old revision's) is a new row."""
    children = {}
    for relation, rows in data.get("children", {}).items():
        live = set(getattr(obj, relation).values_list("pk", flat=True))
        children[relation] = [
            {**row, "id": row.get("id") if row.get("id") in live else None} for row in rows
        ]
    return {**data, "children": children}


def changed_names(old: dict, new: dict) -> list[str]:
    """The field, many-to-many and child-relation names whose values differ."""
    names = []
    for part in ("fields", "m2m", "children"):
        a, b = old.get(part, {}), new.get(part, {})
        names += [name for name in b if a.get(name) != b[name]]
    return names


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def open_pending(obj: models.Model) -> PendingChange | None:
    """The open (not yet published nor rejected) pending changes of `obj`, or None.

    Served by a prefetch of `pending_changes` when there is one."""
    if obj.pk is None or not can_have_pending(type(obj)):
        return None
    return next((p for p in obj.pending_changes.all() if p.state in OPEN_CHANGES), None)


def open_pending_for_update(obj: models.Model) -> PendingChange | None:
    """`open_pending`, re-read with its row locked (inside a transaction)."""
    return (
        PendingChange.objects.select_for_update()
        .filter(content_type=_content_type(obj), object_id=obj.pk, state__in=OPEN_CHANGES)
        .first()
    )


def target_of(pending: PendingChange) -> models.Model:
    return pending.content_type.get_object_for_this_type(pk=pending.object_id)


# -- the article's text in pending data --------------------------------------------------


def article_text(data: dict, article: Article) -> Text:
    """The article's base text as `data` (pending changes, or a snapshot) has it."""
    fields = data.get("fields", {})
    rows = sorted(data.get("children", {}).get("sections", []), key=lambda r: r.get("order", 0))
    language = fields.get("language", article.language)
    original = fields.get("original_language", article.original_language)
    credit = fields.get("translator_credit", article.translator_credit)
    return Text(
        language=language,
        title=fields.get("title", article.title),
        standfirst=fields.get("standfirst", article.standfirst),
        sections=[
            {"heading": r.get("heading", ""), "paragraphs": split_paragraphs(r.get("body", ""))}
            for r in rows
        ],
        from_language=original if language != original else None,
        credit=credit if language != original else "",
        version=1,
    )


def _text_key(text: Text) -> tuple:
    return (text.title, text.standfirst, [(s["heading"], s["paragraphs"]) for s in text.sections])


# -- applying ----------------------------------------------------------------------------


class NotLive(Exception):
    """Pending changes whose object is no longer published (the workflow refuses them)."""


@dataclass(frozen=True)
class Applied:
    target: models.Model
    text_changed: bool  # the article's base text (title, standfirst, sections) changed


def apply(pending: PendingChange, *, by=None) -> Applied:
    """Write `pending.data` to its target (locked); called by the workflow on "publish".

    Fields and many-to-many links are set, child rows updated, created or deleted as
    the data lists them, and the target saved once (a django-reversion revision records
    it). The target's `edit_version` moves past the pending set's, so an edit based on
    the pending set is stale afterwards (see `articles.staging.revision`).
    """
    model = pending.content_type.model_class()
    target = model.objects.select_for_update().get(pk=pending.object_id)
    if not goes_through_review(target):
        raise NotLive(
            f"This {model._meta.verbose_name} is no longer published "
            f"({target.get_state_display().lower()}): its pending changes cannot be "
            "published. Reject them, and edit it directly."
        )
    data = pending.data or {}
    before = _text_key(target.base_text()) if isinstance(target, Article) else None
    with reversion.create_revision(atomic=False):
        for name, value in data.get("fields", {}).items():
            setattr(target, model._meta.get_field(name).attname, value)
        target.edit_version = max(target.edit_version, pending.edit_version)
        target.save()  # full save: bumps edit_version and updated_at
        for name, pks in data.get("m2m", {}).items():
            related = model._meta.get_field(name).related_model
            getattr(target, name).set(related.objects.filter(pk__in=pks))
        for relation, rows in data.get("children", {}).items():
            _apply_children(target, relation, rows)
        reversion.add_to_revision(target)
        reversion.set_comment(f"Published pending changes (#{pending.pk}).")
        if by is not None and getattr(by, "pk", None) is not None:
            reversion.set_user(by)
    text_changed = False
    if before is not None:
        target = model.objects.get(pk=target.pk)
        text_changed = _text_key(target.base_text()) != before
    return Applied(target=target, text_changed=text_changed)


def _apply_children(target: models.Model, relation: str, rows: list[dict]) -> None:
    model = type(target)
    fk_name = model._meta.get_field(relation).field.name
    fields = {f.name: f for f in child_fields(model, relation)}
    live = {row.pk: row for row in getattr(target, relation).all()}
    kept = set()
    for row in rows:
        values = {fields[k].attname: v for k, v in row.items() if k in fields}
        child = live.get(row.get("id"))
        if child is None:
            child = getattr(target, relation).model(**{fk_name: target}, **values)
            child.save()
        else:
            if any(getattr(child, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(child, k, v)
                child.save()
            kept.add(child.pk)
    for pk, child in live.items():
        if pk not in kept:
            child.delete()


# -- showing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One changed field (or the article's whole text) of pending changes, as a diff."""

    label: str
    lines: list[DiffLine]


def describe(target: models.Model, data: dict) -> list[FieldChange]:
    """What `data` changes in `target`, field by field, as diffs (word-level inside
    paragraphs, as the translation review shows them). An article's title, standfirst
    and sections are one "Text" diff."""
    model = type(target)
    live = snapshot(target)
    changes: list[FieldChange] = []
    text_fields = set()
    if isinstance(target, Article):
        text_fields = {"title", "standfirst"}
        lines = diff_texts(target.base_text(), article_text(data, target))
        if lines:
            changes.append(FieldChange("Text", lines))
    for field in content_fields(model):
        if field.name in text_fields or field.name not in data.get("fields", {}):
            continue
        old, new = live["fields"].get(field.name), data["fields"][field.name]
        if old != new:
            lines = diff_lines(_lines(field, old), _lines(field, new))
            changes.append(FieldChange(str(field.verbose_name).capitalize(), lines))
    for field in m2m_fields(model):
        old, new = live["m2m"].get(field.name, []), data.get("m2m", {}).get(field.name)
        if new is not None and sorted(old) != sorted(new):
            names = dict(
                (obj.pk, str(obj)) for obj in field.related_model.objects.filter(pk__in=old + new)
            )
            lines = diff_lines(
                sorted(names.get(pk, "?") for pk in old), sorted(names.get(pk, "?") for pk in new)
            )
            changes.append(FieldChange(str(field.verbose_name).capitalize(), lines))
    for relation in child_relations(model):
        if isinstance(target, Article) and relation == "sections":
            continue  # in the text diff
        old, new = live["children"].get(relation, []), data.get("children", {}).get(relation)
        if new is not None and _rows_key(old) != _rows_key(new):
            fields = child_fields(model, relation)
            lines = diff_lines(_row_lines(fields, old), _row_lines(fields, new))
            label = str(model._meta.get_field(relation).related_model._meta.verbose_name_plural)
            changes.append(FieldChange(label.capitalize(), lines))
    return changes


def _lines(field: models.Field, value) -> list[str]:
    if value is None or value == "":
        return []
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return [str(related) if related is not None else f"#{value}"]
    if isinstance(value, list):
        return [str(item) for item in value]
    return split_paragraphs(str(value)) or [str(value)]


def _rows_key(rows: list[dict]) -> list:
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def _row_lines(fields: list[models.Field], rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        parts = []
        for field in fields:
            value = row.get(field.name)
            if field.name == "order" or value in (None, ""):
                continue
            if field.is_relation:
                related = field.related_model.objects.filter(pk=value).first()
                value = str(related) if related is not None else f"#{value}"
            parts.append(str(value))
        lines.append(" · ".join(parts))
    return lines

"""A story: an article and its moderated parts (statements, enrichment blocks,
translation versions, and the proposals other apps link to it).

Apps register the relations that hold an article's parts, so the workflow walks a
story without naming every app's models: proposals register theirs in
`ProposalsConfig.ready()`.

`plan()` says what a story action (submit, approve, schedule, publish) does to each
part; the workflow carries it out (`articles.workflow`), and the confirmations (admin
and API) show the same plan, so what an editor is told is what happens.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from articles.states import CLOSED, EDITABLE_BY_AUTHOR, OPEN_CHANGES, PUBLIC, State

_PART_RELATIONS: list[str] = ["attributions", "enrichment_blocks", "translations"]


def register_part(relation: str) -> None:
    """Count the moderated models behind `Article.<relation>` as parts of a story."""
    if relation not in _PART_RELATIONS:
        _PART_RELATIONS.append(relation)


def part_relations() -> tuple[str, ...]:
    return tuple(_PART_RELATIONS)


def parts(article, states=None) -> Iterator[models.Model]:
    """The article's parts (in `states` if given), relation by relation."""
    for relation in _PART_RELATIONS:
        queryset = getattr(article, relation).all()
        yield from queryset if states is None else queryset.filter(state__in=states)


def part_key(obj: models.Model) -> str:
    """A part's id, unique within a story whatever its kind ("attribution:12")."""
    return f"{obj._meta.model_name}:{obj.pk}"


def _article_model() -> type[models.Model]:
    return apps.get_model("articles", "Article")


def articles_of(part: models.Model) -> list:
    """The articles whose story `part` belongs to (a proposal may be in several)."""
    article_model = _article_model()
    if isinstance(part, article_model):
        return [part]
    for relation in _PART_RELATIONS:
        rel = article_model._meta.get_field(relation)
        if isinstance(part, rel.related_model):
            link = rel.field  # the part's field pointing at the article(s)
            if link.many_to_many:
                return list(getattr(part, link.name).all())
            article = getattr(part, link.name)
            return [article] if article is not None else []
    return []


def article_ids_of(parts: list[models.Model]) -> dict[int, list[int]]:
    """For parts all of one model: {part pk: ids of the articles whose story it is in}.

    Read from the part (a foreign key) or, for a many-to-many part, in one query."""
    if not parts:
        return {}
    article_model = _article_model()
    model = type(parts[0])
    if model is article_model:
        return {part.pk: [part.pk] for part in parts}
    for relation in _PART_RELATIONS:
        rel = article_model._meta.get_field(relation)
        if rel.related_model is not model:
            continue
        link = rel.field
        if not link.many_to_many:
            return {part.pk: [getattr(part, link.attname)] for part in parts}
        through = link.remote_field.through
        source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
        result: dict[int, list[int]] = {part.pk: [] for part in parts}
        rows = through.objects.filter(**{f"{source}__in": list(result)}).values_list(
            f"{source}_id", f"{target}_id"
        )
        for part_pk, article_pk in rows:
            result[part_pk].append(article_pk)
        return result
    return {part.pk: [] for part in parts}


def story_article(obj: models.Model):
    """The article `obj` is the root of, as a story: the article itself, or the article
    whose pending changes `obj` is. None for anything else (a part, a part's changes)."""
    article_model = _article_model()
    if isinstance(obj, article_model):
        return obj
    if obj._meta.model_name == "pendingchange" and obj.content_type.model_class() is article_model:
        return article_model.objects.get(pk=obj.object_id)
    return None


# -- what a story action does to each part ----------------------------------------------

# The actions that carry the parts of a story with them.
STORY_ACTIONS = frozenset({"submit", "approve", "schedule", "publish"})
RESULT = {"submit": State.IN_REVIEW, "approve": State.APPROVED, "publish": State.PUBLISHED}


@dataclass
class Step:
    """One part of a story and what a story action does to it.

    `subject` is what the workflow acts on: the part itself, or its open pending
    changes when the part is published and has some. `actions` are the transitions
    applied to it, in order (none: it stays as it is); a held part keeps its state.
    """

    key: str
    part: models.Model
    subject: models.Model
    actions: tuple[str, ...] = ()
    held: bool = False
    goes_live: bool = False  # approving it makes it live (a translation of a live article)
    state: str = field(init=False)

    def __post_init__(self):
        self.state = self.subject.state

    @property
    def kind(self) -> str:
        return str(self.part._meta.verbose_name)

    @property
    def pending(self) -> bool:
        return self.subject is not self.part

    @property
    def result(self) -> str:
        """The subject's state after the action."""
        if not self.actions:
            return self.state
        if self.goes_live:
            return State.PUBLISHED
        return RESULT[self.actions[-1]]

    @property
    def outcome(self) -> str:
        """What happens to it, in words ("in review → published", "held back: stays
        in review"); for its pending changes, "pending changes: …"."""
        prefix = "pending changes: " if self.pending else ""
        state = State(self.state).label.lower()
        if self.held:
            return f"held back: {prefix}stay{'' if self.pending else 's'} {state}"
        if not self.actions:
            return f"{prefix}stay{'' if self.pending else 's'} {state}"
        return f"{prefix}{state} → {State(self.result).label.lower()}"


def _open_pending(obj):
    if obj.state not in PUBLIC or not any(
        f.name == "pending_changes" for f in obj._meta.private_fields
    ):
        return None
    return next((p for p in obj.pending_changes.all() if p.state in OPEN_CHANGES), None)


def members(article) -> list[tuple[models.Model, models.Model]]:
    """(part, subject) for every part of the story, relation by relation: the subject
    is the part, or its open pending changes. Replaced translation versions (archived)
    and rejected ones are history, not parts waiting for anything: left out."""
    result = []
    for relation in _PART_RELATIONS:
        queryset = getattr(article, relation).all()
        model = queryset.model
        if any(f.name == "pending_changes" for f in model._meta.private_fields):
            queryset = queryset.prefetch_related("pending_changes")
        for part in queryset:
            if part._meta.model_name == "translationversion" and part.state in CLOSED:
                continue
            result.append((part, _open_pending(part) or part))
    return result


def _actions(subject, action: str, author_id, may: Callable[[models.Model, str], bool]):
    state = subject.state
    if action == "submit":
        # Without a known author (the command-line importer), nobody's drafts are carried.
        own = author_id is not None and subject.author_id == author_id
        return ("submit",) if state in EDITABLE_BY_AUTHOR and own and may(subject, "submit") else ()
    if action in {"approve", "schedule"}:
        return ("approve",) if state == State.IN_REVIEW and may(subject, "approve") else ()
    if action == "publish":
        if state == State.APPROVED and may(subject, "publish"):
            return ("publish",)
        if state == State.IN_REVIEW and may(subject, "approve") and may(subject, "publish"):
            return ("approve", "publish")
    return ()


def plan(
    article,
    action: str,
    *,
    author_id,
    may: Callable[[models.Model, str], bool],
    hold: Iterable[str] = (),
    article_live: bool | None = None,
) -> list[Step]:
    """What the story action `action` does to each part of `article` (writes nothing).

    - submit: the parts the article's author (`author_id`) still has as drafts (or
      sent back) are submitted with it;
    - approve (and schedule): the parts in review are approved;
    - publish: the approved parts are published, and those still in review approved
      and published alike;
    - a part named in `hold` (by `part_key`) is held back and keeps its state; so are
      the parts `may(subject, action)` refuses to the actor (the scheduler approves
      nothing).

    A published part with pending changes is moved through its pending changes.
    `article_live` says whether the article is (or is about to be) published: a
    translation version approved then goes live at once.
    """
    hold = set(hold)
    live = article.state in PUBLIC if article_live is None else article_live
    steps = []
    for part, subject in members(article):
        step = Step(part_key(part), part, subject, _actions(subject, action, author_id, may))
        if step.key in hold and step.actions:
            step.actions, step.held = (), True
        step.goes_live = (
            live and part._meta.model_name == "translationversion" and "approve" in step.actions
        )
        steps.append(step)
    return steps


def fingerprint(root: models.Model | None, steps: list[Step]) -> str:
    """A digest of the states and versions of the story's root and parts: a
    confirmation drawn from another fingerprint is out of date."""
    items = [
        (s.key, s.subject._meta.model_name, s.subject.pk, s.subject.state, s.subject.edit_version)
        for s in steps
    ]
    if root is not None:
        items.append(("root", root._meta.model_name, root.pk, root.state, root.edit_version))
    raw = repr(sorted(items))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]

"""The admin's home page by role: the editors' dashboard and the contributors' "My work".

Each section is one small query function, so a section can be replaced on its own:

- editors: `awaiting_review` (the review queue's rows, `review.story_rows`, with
  assignments, filterable by assignee),
  `assigned_to`, `scheduled`, `recently_published`, `outdated` (overdue work first);
- contributors: `my_work` (drafts, sent back with the editor's last note, in review,
  published).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.admin.review import outdated_translations, story_rows
from articles.assignments.actions import is_assignable, open_assignments_of
from articles.assignments.models import Assignment
from articles.models import Article, AuditEntry, TranslationVersion
from articles.states import State
from articles.translations.admin import review_url
from articles.workflow import available_transitions, moderated_models

LIMIT = 20


def change_url(obj: Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def item_url(obj: Model) -> str:
    """Where an editor reviews `obj`: a translation version side by side."""
    return review_url(obj) if isinstance(obj, TranslationVersion) else change_url(obj)


@dataclass
class Item:
    obj: Model
    kind: str
    title: str
    url: str
    since: datetime | None = None
    note: str = ""
    note_by: str = ""
    assignment: Assignment | None = None
    actions: list = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return bool(self.assignment and self.assignment.is_overdue())


@dataclass
class StoryGroup:
    """Items waiting for review that belong to one story (or a lone proposal)."""

    title: str
    url: str
    story_url: str = ""  # the story page, for a story
    items: list[Item] = field(default_factory=list)
    assignment: Assignment | None = None

    @property
    def overdue(self) -> bool:
        return bool(self.assignment and self.assignment.is_overdue()) or any(
            i.overdue for i in self.items
        )

    @property
    def oldest(self) -> datetime:
        return min((i.since for i in self.items if i.since), default=timezone.now())


def _assignments_by_key(objects: list[Model]) -> dict[tuple[int, int], Assignment]:
    by_model: dict[type, list[int]] = {}
    for obj in objects:
        if is_assignable(obj):
            by_model.setdefault(type(obj), []).append(obj.pk)
    found = {}
    for model, ids in by_model.items():
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for a in Assignment.objects.filter(content_type=ct, object_id__in=ids).select_related(
            "assignee"
        ):
            found[(ct.pk, a.object_id)] = a
    return found


def _key(obj: Model) -> tuple[int, int]:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False).pk, obj.pk


def awaiting_review(user, *, assignee: str = "") -> list[StoryGroup]:
    """Everything in review, grouped by story as the review queue groups it
    (`review.story_rows`); overdue stories first, then oldest.

    `assignee`: "me", "nobody", or a username, to keep the stories assigned so.
    """
    rows, _count = story_rows(user)
    heads = [row.article or row.items[0].obj for row in rows]
    objects = [item.obj for row in rows for item in row.items]
    assignments = _assignments_by_key(objects + heads)
    result = []
    for row, head in zip(rows, heads, strict=True):
        group = StoryGroup(
            title=str(head),
            url=change_url(head),
            story_url=row.story_url,
            assignment=assignments.get(_key(head)) if is_assignable(head) else None,
        )
        for queued in row.items:
            obj = queued.obj
            group.items.append(
                Item(
                    obj=obj,
                    kind=queued.kind.capitalize(),
                    title=queued.title,
                    url=queued.url,
                    since=queued.submitted_at,
                    assignment=assignments.get(_key(obj)) if is_assignable(obj) else None,
                    actions=[t for t in available_transitions(obj, user) if t.name == "approve"],
                )
            )
        result.append(group)
    if assignee:
        result = [g for g in result if _assigned_as(g, assignee, user)]
    result.sort(key=lambda g: (not g.overdue, g.oldest))
    return result


def _assigned_as(group: StoryGroup, assignee: str, user) -> bool:
    names = {a.assignee.get_username() for a in [group.assignment] if a}
    names |= {i.assignment.assignee.get_username() for i in group.items if i.assignment}
    if assignee == "nobody":
        return not names
    wanted = user.get_username() if assignee == "me" else assignee
    return wanted in names


def assigned_to(user) -> list[Item]:
    """What `user` is assigned and is not finished, overdue first."""
    items = []
    for assignment in open_assignments_of(user)[:LIMIT]:
        obj = assignment.target
        if obj is None:
            continue
        items.append(
            Item(
                obj=obj,
                kind=str(obj._meta.verbose_name).capitalize(),
                title=str(obj),
                url=item_url(obj),
                since=assignment.created_at,
                assignment=assignment,
            )
        )
    return items


def scheduled(user) -> list[Article]:
    qs = Article.objects.filter(state=State.APPROVED, publish_at__isnull=False)
    return list(permissions.owned_by(user, qs).order_by("publish_at")[:LIMIT])


def recently_published(user) -> list[Article]:
    qs = Article.objects.filter(state=State.PUBLISHED)
    return list(permissions.owned_by(user, qs).order_by("-published_at")[:10])


def outdated(user) -> list[TranslationVersion]:
    """The review queue's outdated translations, the latest revised article first."""
    return list(outdated_translations(user).order_by("-article__updated_at")[:LIMIT])


CONTRIBUTOR_MODELS_FIRST = ("article",)


def my_work(user) -> dict[str, list[Item]]:
    """A contributor's own work by where it stands; sent-back items carry the
    editor's last note."""
    sections: dict[str, list[Item]] = {
        "sent_back": [],
        "drafts": [],
        "in_review": [],
        "published": [],
    }
    where = {
        State.CHANGES_REQUESTED: "sent_back",
        State.DRAFT: "drafts",
        State.IN_REVIEW: "in_review",
        State.PUBLISHED: "published",
    }
    for model in moderated_models():
        if model is TranslationVersion:
            continue  # translators' work lives in the workspace
        qs = permissions.owned_by(user, model.objects.filter(state__in=list(where)))
        objects = list(qs.order_by("-updated_at")[:50])
        sent_back = [o for o in objects if o.state == State.CHANGES_REQUESTED]
        notes = AuditEntry.objects.notes_by_object(sent_back) if sent_back else {}
        for obj in objects:
            last = (notes.get(obj.pk) or [None])[-1]
            sections[where[obj.state]].append(
                Item(
                    obj=obj,
                    kind=str(obj._meta.verbose_name).capitalize(),
                    title=str(obj),
                    url=change_url(obj),
                    since=obj.updated_at,
                    note=last.note if last else "",
                    note_by=last.actor_name if last else "",
                    actions=[
                        t
                        for t in available_transitions(obj, user)
                        if t.name in {"submit", "withdraw"}
                    ],
                )
            )
    for items in sections.values():
        items.sort(key=lambda i: (i.obj._meta.model_name != "article", -i.since.timestamp()))
    return sections


def editor_context(request) -> dict:
    assignee = request.GET.get("assignee", "")
    if assignee not in {"", "me", "nobody"}:
        assignee = ""
    user = request.user
    return {
        "dashboard": "editor",
        "awaiting": awaiting_review(user, assignee=assignee),
        "assignee_filter": assignee,
        "assigned": assigned_to(user),
        "scheduled": scheduled(user),
        "recently_published": recently_published(user),
        "outdated": outdated(user),
        "today": date.today(),
    }


def contributor_context(request) -> dict:
    return {"dashboard": "contributor", "work": my_work(request.user)}


def index_context(request) -> dict:
    """The extra context of the admin index for `request.user`'s role."""
    if permissions.can_review(request.user):
        return editor_context(request)
    if permissions.can_create(request.user, Article):
        return contributor_context(request)
    return {}

"""The review queue: one row per story with its parts waiting, oldest waiting first.

A story's row counts what waits in it (the article, its statements, blocks, proposals,
translation versions, and pending changes of any of them), says since when the oldest
has waited and which parts an editor held back (with the note), and links to the story
page; selected stories are approved or published from the queue through the bulk
confirmation (`articles.admin.story`). Something waiting that belongs to no story (a
proposal linked to no article) has a row of its own.

A fixed number of queries whatever the number of stories: one per moderated model,
one per kind of pending changes' target, the proposals' links, the articles, the holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import permissions, story
from articles.intake.admin import unchecked_warning_counts
from articles.models import (
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    PendingChange,
    TranslationVersion,
)
from articles.site.views import preview_url
from articles.states import AWAITING_EDITOR, State
from articles.translations.admin import review_url
from articles.workflow import moderated_models

LIMIT = 500  # items read per model


@dataclass
class QueueItem:
    kind: str
    title: str
    author: str
    submitted_at: datetime | None
    url: str
    note: str = ""
    preview_url: str = ""
    held: bool = False
    kinds: str = ""  # the plural of `kind`
    obj: object = None  # what waits (the dashboard acts on it in place)


@dataclass
class StoryRow:
    """A story with what waits in it (or one item belonging to no story: `article` None)."""

    article: Article | None
    items: list[QueueItem] = field(default_factory=list)
    warnings: int = 0  # unchecked warnings of the story's last wire import

    @property
    def oldest(self) -> datetime | None:
        dates = [i.submitted_at for i in self.items if i.submitted_at]
        return min(dates) if dates else None

    @property
    def counts(self) -> str:
        """'article, 2 statements, 1 enrichment block' (what waits, by kind)."""
        counts = Counter((item.kind, item.kinds or item.kind) for item in self.items)
        return ", ".join(f"{n} {kinds}" if n > 1 else kind for (kind, kinds), n in counts.items())

    @property
    def held(self) -> list[QueueItem]:
        return [item for item in self.items if item.held]

    @property
    def story_url(self) -> str:
        if self.article is None:
            return ""
        return reverse("admin:articles_article_story", args=[self.article.pk])

    @property
    def preview_url(self) -> str:
        return preview_url(self.article) if self.article is not None else ""


KINDS = {
    "article": ("article", "articles"),
    "attribution": ("statement", "statements"),
    "enrichmentblock": ("enrichment block", "enrichment blocks"),
    "proposal": ("proposal", "proposals"),
    "translationversion": ("translation", "translations"),
}


def _kind(model, plural: bool = False) -> str:
    singular, many = KINDS.get(model._meta.model_name, (str(model._meta.verbose_name),) * 2)
    return many if plural else singular


def _queue_querysets(user):
    for model in moderated_models():
        qs = permissions.owned_by(user, model.objects.in_states(AWAITING_EDITOR))
        yield model, qs


def review_queue_count(user) -> int:
    return sum(qs.count() for _model, qs in _queue_querysets(user))


def outdated_translations(user):
    qs = TranslationVersion.objects.filter(
        state__in=[State.APPROVED, State.PUBLISHED],
        source_revision__lt=F("article__text_revision"),
    ).select_related("article")
    return permissions.owned_by(user, qs)


def _title(obj) -> str:
    if isinstance(obj, EnrichmentBlock):
        return obj.title or obj.get_kind_display()
    if isinstance(obj, Attribution):
        return f"{obj.analyst}: {obj.statement[:80]}"
    return str(obj)


def _url(obj) -> str:
    if isinstance(obj, TranslationVersion):
        return review_url(obj)
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def waiting(user) -> list[tuple]:
    """Everything in review that `user` may work on: (item, target) pairs, where target
    is what pending changes change (None for anything else)."""
    result = []
    pending_sets = []
    for model, qs in _queue_querysets(user):
        related = [f.name for f in model._meta.fields if f.name in {"author", "article", "analyst"}]
        if model is PendingChange:
            related.append("content_type")
        objs = list(qs.select_related(*related).order_by("submitted_at", "pk")[:LIMIT])
        if model is PendingChange:
            pending_sets = objs
        else:
            result += [(obj, None) for obj in objs]
    by_type: dict[int, list[PendingChange]] = defaultdict(list)
    for pending_set in pending_sets:
        by_type[pending_set.content_type_id].append(pending_set)
    for sets in by_type.values():
        model = sets[0].content_type.model_class()
        targets = model.objects.in_bulk([s.object_id for s in sets])
        result += [(s, targets.get(s.object_id)) for s in sets]
    return result


def story_rows(user) -> tuple[list[StoryRow], int]:
    """The queue, one row per story, the story waiting longest first; and how many
    things wait (a proposal in two stories is in both rows, counted once)."""
    items = waiting(user)
    # Which story each waiting thing is in: by the thing itself, or its pending changes' target.
    by_model: dict[type, list] = defaultdict(list)
    for obj, target in items:
        part = target if target is not None else obj
        by_model[type(part)].append(part)
    stories: dict[tuple[type, int], list[int]] = {}
    for model, parts in by_model.items():
        for pk, article_ids in story.article_ids_of(parts).items():
            stories[(model, pk)] = article_ids
    held = _held(items)
    articles = Article.objects.in_bulk({pk for ids in stories.values() for pk in ids})
    rows: dict[int, StoryRow] = {}
    alone: list[StoryRow] = []
    for obj, target in items:
        part = target if target is not None else obj
        item = _item(obj, target, held)
        article_ids = [pk for pk in stories.get((type(part), part.pk), []) if pk in articles]
        if not article_ids:
            alone.append(StoryRow(None, [item]))
        for pk in article_ids:
            rows.setdefault(pk, StoryRow(articles[pk])).items.append(item)
    result = list(rows.values()) + alone
    for row in result:
        row.items.sort(key=lambda i: (i.submitted_at is None, i.submitted_at or datetime.min))
    result.sort(key=lambda r: (r.oldest is None, r.oldest or datetime.min))
    return result, len(items)


def _item(obj, target, held: set) -> QueueItem:
    if target is not None:
        kind = f"pending changes to the {_kind(type(target))}"
        kinds = f"pending changes to {_kind(type(target), plural=True)}"
        title = _title(target)
    else:
        kind, kinds, title = _kind(type(obj)), _kind(type(obj), plural=True), _title(obj)
    return QueueItem(
        kind=kind,
        kinds=kinds,
        title=title,
        author=obj.author.get_username() if obj.author else "—",
        submitted_at=obj.submitted_at,
        url=_url(obj),
        # A translation is previewed in its language.
        preview_url=preview_url(obj.article, obj.language)
        if isinstance(obj, TranslationVersion)
        else "",
        held=(type(obj), obj.pk) in held,
        obj=obj,
    )


def _held(items) -> set[tuple[type, int]]:
    """The items an editor held back since they were last submitted (one query)."""
    if not items:
        return set()
    by_model: dict[type, dict[int, object]] = defaultdict(dict)
    for obj, _target in items:
        by_model[type(obj)][obj.pk] = obj
    types = {model: ContentType.objects.get_for_model(model) for model in by_model}
    query = reduce(
        or_,
        (
            Q(content_type=types[model], object_id__in=list(objs))
            for model, objs in by_model.items()
        ),
    )
    held = set()
    models_by_type = {ct.pk: model for model, ct in types.items()}
    for entry in AuditEntry.objects.filter(query, action="moderation.hold"):
        model = models_by_type[entry.content_type_id]
        obj = by_model[model].get(entry.object_id)
        if obj is not None and (obj.submitted_at is None or entry.created_at >= obj.submitted_at):
            held.add((model, obj.pk))
    return held


def review_queue_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review(request.user):
        raise PermissionDenied
    rows, item_count = story_rows(request.user)
    # The last wire import's warnings stay on a story until an editor checks them.
    warned = unchecked_warning_counts([row.article.pk for row in rows if row.article])
    for row in rows:
        row.warnings = warned.get(row.article.pk, 0) if row.article else 0
    outdated = [
        QueueItem(
            kind="Outdated translation",
            title=str(tv),
            author=tv.credit,
            submitted_at=tv.submitted_at,
            url=review_url(tv),
            note=f"source revised since revision {tv.source_revision}",
        )
        for tv in outdated_translations(request.user)[:200]
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "rows": rows,
        "item_count": item_count,
        "outdated": outdated,
    }
    return TemplateResponse(request, "admin/review_queue.html", context)

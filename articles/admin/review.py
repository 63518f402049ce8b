"""The review queue: everything in review, across content types, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import permissions
from articles.intake.admin import unchecked_warning_counts
from articles.models import Article, Attribution, EnrichmentBlock, TranslationVersion
from articles.site.views import preview_url
from articles.states import AWAITING_EDITOR, State
from articles.translations.admin import review_url
from articles.workflow import moderated_models

QUEUE_SIZE = 100


@dataclass
class QueueItem:
    kind: str
    title: str
    author: str
    submitted_at: datetime | None
    url: str
    note: str = ""
    preview_url: str = ""
    article_pk: int | None = None  # for an article: its pk


def _queue_querysets(user):
    for model in moderated_models():
        qs = permissions.owned_by(user, model.objects.in_states(AWAITING_EDITOR))
        yield model, qs


def review_queue_count(user) -> int:
    return sum(qs.count() for _model, qs in _queue_querysets(user))


def outdated_translations(user):
    from django.db.models import F

    qs = TranslationVersion.objects.filter(
        state__in=[State.APPROVED, State.PUBLISHED],
        source_revision__lt=F("article__text_revision"),
    ).select_related("article")
    return permissions.owned_by(user, qs)


def _preview_url(obj) -> str:
    """The editors' preview of an article in review, or of the article a translation
    version (in its language), statement or block in review belongs to."""
    if isinstance(obj, Article):
        return preview_url(obj)
    if isinstance(obj, TranslationVersion):
        return preview_url(obj.article, obj.language)
    if isinstance(obj, Attribution | EnrichmentBlock):
        return preview_url(obj.article)
    return ""


def review_queue_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review(request.user):
        raise PermissionDenied
    items: list[QueueItem] = []
    # The oldest QUEUE_SIZE of each type, then the oldest QUEUE_SIZE of them all: a
    # queue of thousands costs what a short one does (the total is counted apart).
    for model, qs in _queue_querysets(request.user):
        opts = model._meta
        related = [f.name for f in opts.fields if f.name in {"author", "article", "analyst"}]
        for obj in qs.select_related(*related).order_by("submitted_at", "pk")[:QUEUE_SIZE]:
            items.append(
                QueueItem(
                    kind=str(opts.verbose_name).capitalize(),
                    title=str(obj),
                    author=obj.author.get_username() if obj.author else "—",
                    submitted_at=obj.submitted_at,
                    url=review_url(obj)
                    if isinstance(obj, TranslationVersion)
                    else reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                    preview_url=_preview_url(obj),
                    article_pk=obj.pk if isinstance(obj, Article) else None,
                )
            )
    # The last wire import's warnings stay on a story until an editor checks them.
    warned = unchecked_warning_counts([i.article_pk for i in items if i.article_pk])
    for item in items:
        if warned.get(item.article_pk):
            n = warned[item.article_pk]
            item.note = f"{n} import warning{'s' if n != 1 else ''} to check"
    items.sort(key=lambda i: (i.submitted_at is None, i.submitted_at or datetime.min))
    items = items[:QUEUE_SIZE]
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
    site_context = admin.site.each_context(request)  # counts what is waiting, for the menu
    context = {
        **site_context,
        "title": "Review queue",
        "items": items,
        "waiting": site_context.get("review_queue_count", len(items)),
        "outdated": outdated,
    }
    return TemplateResponse(request, "admin/review_queue.html", context)

"""Workspace pages beyond translating: the editors' status board, the translation
memory lookup (JSON, for the form and scripts) and the exports (glossary as TBX or
CSV, memory as TMX). Every answer about who may comes from `articles.permissions`."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from articles import permissions
from articles.models import Topic, language_name
from articles.translations import glossary, memory, status
from articles.translations.views import translators_only

BADGES = {
    "missing": "Missing",
    "draft": "Draft",
    "in_review": "In review",
    "live": "Live",
    "outdated": "Outdated",
    "original": "Original",
}


def editors_only(view):
    """The workspace's login and role check, then editors only (403 for translators)."""

    @translators_only
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_review(request.user):
            raise PermissionDenied("For editors.")
        return view(request, *args, **kwargs)

    return wrapper


def reviewable_languages(user) -> list[str]:
    return [
        code for code, _name in settings.LANGUAGES if permissions.can_review_language(user, code)
    ]


@editors_only
def status_board(request: HttpRequest) -> HttpResponse:
    """Stories × languages with each cell's status; ?topic=<slug>&translator=<username>.
    A fixed number of queries (the board's three, the filters' two)."""
    topic = slugify(request.GET.get("topic", ""))[:80]
    translator = request.GET.get("translator", "").strip()[:150]
    result = status.board(reviewable_languages(request.user), topic=topic, translator=translator)
    translators = (
        get_user_model()
        .objects.filter(translation_versions__isnull=False)
        .distinct()
        .order_by("username")
        .values_list("username", flat=True)
    )
    rows = [
        {
            "article": row.article,
            "cells": [
                {"code": code, "cell": row.cells[code], "label": BADGES[row.cells[code].status]}
                for code in result.languages
            ],
        }
        for row in result.rows
    ]
    return render(
        request,
        "translate/status.html",
        {
            "board": result,
            "rows": rows,
            "languages": [(code, language_name(code)) for code in result.languages],
            "counts": [
                (
                    language_name(code),
                    [(BADGES[s], s, result.counts[code][s]) for s in status.STATUSES],
                )
                for code in result.languages
            ],
            "totals": [(BADGES[s], s, result.totals[s]) for s in status.STATUSES],
            "topics": Topic.objects.order_by("name").values_list("slug", "name"),
            "translators": list(translators),
            "topic": topic,
            "translator": translator,
        },
    )


@translators_only
@require_http_methods(["GET", "POST"])
def memory_lookup(request: HttpRequest) -> JsonResponse:
    """`?q=<source text>&from=en&to=fr` (or POSTed): the memory's matches (score ≥ 75),
    best first. An empty text, or one over 5,000 characters, has none (200)."""
    params = request.POST if request.method == "POST" else request.GET
    text = params.get("q", "")
    source_language, target_language = params.get("from", ""), params.get("to", "")
    if not permissions.can_translate(request.user, target_language):
        raise PermissionDenied("Not one of your languages.")
    if len(text) > memory.MAX_LENGTH:
        return JsonResponse(
            {"matches": [], "note": f"Texts over {memory.MAX_LENGTH} characters are not looked up."}
        )
    matches = memory.lookup(text, source_language, target_language)
    return JsonResponse(
        {"matches": [{"score": m.score, "source": m.source, "target": m.target} for m in matches]}
    )


@editors_only
def memory_export(request: HttpRequest) -> StreamingHttpResponse:
    """The whole memory (approved versions' segments) as TMX 1.4; ?from=&to= a pair."""
    segments = memory.MemorySegment.objects.filter(version__state__in=memory.MEMORY_STATES)
    source_language = request.GET.get("from", "")
    if source_language:
        segments = segments.filter(source_language=source_language)
    if request.GET.get("to"):
        segments = segments.filter(target_language=request.GET["to"])
    response = StreamingHttpResponse(
        memory.tmx_lines(
            segments.order_by("pk").iterator(), source_language=source_language or "*all*"
        ),
        content_type="application/x-tmx+xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="newsroom-memory.tmx"'
    return response


@editors_only
def glossary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The glossary as TBX-Basic (`tbx`) or CSV (`csv`)."""
    if fmt not in {"csv", "tbx"}:
        raise Http404("Export as .tbx or .csv.")
    entries = glossary.entries_with_renderings().order_by("term", "pk")
    if fmt == "csv":
        response = HttpResponse(glossary.csv_text(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="newsroom-glossary.csv"'
        return response
    response = StreamingHttpResponse(
        glossary.tbx_lines(entries), content_type="application/x-tbx+xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="newsroom-glossary.tbx"'
    return response

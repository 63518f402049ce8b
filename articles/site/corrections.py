"""/<lang>/corrections/: every correction, update and clarification published, newest first.

Public (the notes of published articles only), cached like every reader's page, a fixed
number of queries whatever the number of notes (the notes with their articles, the
articles' live translations).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from articles.corrections import shown
from articles.models import Correction
from articles.site import tags as cache_tags
from articles.site.pages import page_context, paginate, reader_cache
from articles.site.queries import headline

PER_PAGE = 20


@reader_cache
def corrections_list(request: HttpRequest) -> HttpResponse:
    language = get_language()
    page = paginate(request, Correction.objects.for_page(), per_page=PER_PAGE)
    items = [
        {"correction": shown(c, language), "headline": headline(c.article, language)}
        for c in page.object_list
    ]
    response = render(
        request, "articles/corrections.html", page_context(request, page=page, items=items)
    )
    return cache_tags.tag(response, cache_tags.ARTICLES)  # a correction is a story's change

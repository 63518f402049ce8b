"""The status board: stories × languages, what each language of each story is at.

A cell is one of:
- `missing`: no version in that language;
- `draft`: a translator's draft, or a version sent back for changes;
- `in_review`: a version waits for an editor;
- `live`: the language's approved or published text is current;
- `outdated`: it is, but made from an older revision of the source;
- `original`: the story's own original text (not a translation; not counted).
Work in progress wins: a live text with a new version in review is `in_review` (the
cell still names the live version). Three queries whatever the number of stories and
languages: the stories, their topics, and their versions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from articles.models import Article, TranslationVersion
from articles.states import CLOSED, LIVE_OR_APPROVED, State

STATUSES = ("missing", "draft", "in_review", "live", "outdated")
LIMIT = 200  # stories on one board, newest first


@dataclass
class Cell:
    status: str
    version: int | None = None  # the version the status is about
    live_version: int | None = None
    translators: list[str] = field(default_factory=list)


@dataclass
class Row:
    article: Article
    cells: dict[str, Cell]


@dataclass
class Board:
    languages: list[str]
    rows: list[Row]
    counts: dict[str, Counter]  # language -> status -> number of stories
    totals: Counter
    truncated: bool


def board(languages: list[str] | None = None, *, topic: str = "", translator: str = "") -> Board:
    """The board of the stories open for translation (not archived nor rejected), for
    `languages` (default: the site's), optionally only those of a topic (slug) and
    those a translator (username) has versions of."""
    languages = languages or [code for code, _name in settings.LANGUAGES]
    articles = Article.objects.exclude(state__in=CLOSED)
    if topic:
        articles = articles.filter(topics__slug=topic)
    if translator:
        articles = articles.filter(translations__translator__username=translator)
    articles = list(
        articles.distinct().prefetch_related("topics").order_by("-created_at", "-pk")[: LIMIT + 1]
    )
    truncated = len(articles) > LIMIT
    articles = articles[:LIMIT]
    versions: dict[tuple[int, str], list[dict]] = {}
    rows = TranslationVersion.objects.filter(
        article__in=[a.pk for a in articles], language__in=languages
    ).values(
        "article_id", "language", "state", "version", "source_revision", "imported",
        "credit", "translator__username",
    )  # fmt: skip
    for row in rows:
        versions.setdefault((row["article_id"], row["language"]), []).append(row)
    result, counts, totals = [], {code: Counter() for code in languages}, Counter()
    for article in articles:
        cells = {}
        for code in languages:
            cell = _cell(article, code, versions.get((article.pk, code), []))
            cells[code] = cell
            if cell.status != "original":
                counts[code][cell.status] += 1
                totals[cell.status] += 1
        result.append(Row(article, cells))
    return Board(languages, result, counts, totals, truncated)


def _cell(article: Article, language: str, versions: list[dict]) -> Cell:
    if language == article.language and not article.is_translated_copy:
        return Cell("original")
    names = sorted({v["translator__username"] for v in versions if v["translator__username"]})
    live = [v for v in versions if v["state"] in LIVE_OR_APPROVED]
    current = max(live, key=lambda v: (v["state"] == State.PUBLISHED, v["version"]), default=None)
    live_number = current["version"] if current else None
    for states, status in (
        ({State.IN_REVIEW}, "in_review"),
        ({State.DRAFT, State.CHANGES_REQUESTED}, "draft"),
    ):
        pending = [v for v in versions if v["state"] in states]
        if pending:
            newest = max(pending, key=lambda v: v["version"])
            return Cell(status, newest["version"], live_number, names)
    if current is not None:
        stale = not current["imported"] and current["source_revision"] < article.text_revision
        return Cell("outdated" if stale else "live", live_number, live_number, names)
    if language == article.language:  # an imported translation not recorded as a version
        return Cell("live", 1, 1, names)
    return Cell("missing", None, None, names)


def as_json(result: Board) -> dict:
    """The board as the API gives it."""
    return {
        "languages": result.languages,
        "counts": {code: dict(result.counts[code]) for code in result.languages},
        "totals": dict(result.totals),
        "truncated": result.truncated,
        "stories": [
            {
                "article": row.article.slug,
                "title": row.article.title,
                "language": row.article.language,
                "original_language": row.article.original_language,
                "topics": [t.slug for t in row.article.topics.all()],
                "cells": {
                    code: {
                        "status": cell.status,
                        "version": cell.version,
                        "live_version": cell.live_version,
                        "translators": cell.translators,
                    }
                    for code, cell in row.cells.items()
                },
            }
            for row in result.rows
        ],
    }

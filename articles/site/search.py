"""Full-text search over the live texts of published articles.

One interface, two engines: PostgreSQL's full-text search (tsvector, GIN index,
`ts_rank`, `ts_headline`) on PostgreSQL and SQLite's FTS5 (`bm25`, `highlight`,
`snippet`) on SQLite. The index is a table of its own, `articles_search`, one row per
(article, language) with a live text; migration `0003_search_index` creates it for the
vendor at hand.

Ranking: a query is ranked within its `CANDIDATES` most recent matches (each row
carries its article's `published_at`, indexed with the language), so a word every
article contains costs what a rare one does; `Results.total` counts matches up to
`COUNT_LIMIT` (`capped` beyond).

Maintenance: `index_article(article_id)` rewrites an article's rows (called from
`articles.publication.public_content_changed`), `rebuild_index()` rewrites everything
(`manage.py rebuild_search_index`, full invalidations, tests). The index is never
trusted for visibility: every hit is checked against `Article.objects.published()`, so
a stale row cannot leak anything.

Highlighting: the engines wrap matches in the control characters STX/ETX (which never
occur in indexed text: they are stripped on the way in); the text is HTML-escaped and
only then are they turned into `<mark>` elements, so article text is never trusted as HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

TABLE = "articles_search"
START, STOP = "\x02", "\x03"
MAX_TERMS = 12
# PostgreSQL text search configuration per language; anything else is not stemmed.
PG_CONFIGS = {"en": "english", "fr": "french"}
# Column weights: a match in the title counts most, then the standfirst, then the body.
SQLITE_RANK = f"bm25({TABLE}, 0, 0, 10.0, 4.0, 1.0)"


@dataclass(frozen=True)
class Hit:
    """One matching live text: highlighted title, standfirst and body excerpt."""

    article_id: int
    language: str
    title: SafeString
    standfirst: SafeString
    excerpt: SafeString  # "" when the body itself does not match
    rank: float


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # matches, counted up to COUNT_LIMIT
    capped: bool = False  # more than COUNT_LIMIT matched
    ranked: int = 0  # the matches ranked (the most recent, at most CANDIDATES)


# Matches ranked: the most recent this many (the pages readers can reach).
CANDIDATES = 200
# Excerpts come from the beginning of the text (PostgreSQL parses what it highlights).
EXCERPT_FROM = 3000
# PostgreSQL: matching fewer texts than this (as its statistics estimate), a query's
# matches are all found through the GIN index before the newest are ranked.
SELECTIVE_ROWS = 20_000
COUNT_LIMIT = 1000


def terms(query: str) -> list[str]:
    """The words of a reader's query; punctuation and operators are dropped."""
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


def search(query: str, language: str, *, limit: int = 20, offset: int = 0) -> Results:
    """Published texts in `language` containing every word of `query`, best first.

    Hits whose article is not published (a stale index row) are dropped.
    """
    words = terms(query)
    if not words:
        return Results(hits=[], total=0)
    if connection.vendor == "postgresql":
        total, rows = _pg_search(words, language, limit, offset)
    else:
        total, rows = _sqlite_search(words, language, limit, offset)
    capped = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    published = _published_ids(row[0] for row in rows)
    hits = [
        Hit(
            article_id=article_id,
            language=language,
            title=_marked(title),
            standfirst=_marked(standfirst),
            # Paragraphs and headings run together in an excerpt: keep them apart.
            excerpt=_marked(excerpt.replace("\n\n", " · ")) if START in excerpt else SafeString(""),
            rank=float(rank),
        )
        for article_id, title, standfirst, excerpt, rank in rows
        if article_id in published
    ]
    return Results(hits=hits, total=total, capped=capped, ranked=min(total, CANDIDATES))


def matching_ids_sql(query: str, language: str | None = None) -> tuple[str, list] | None:
    """SQL selecting the ids of the articles whose live text matches `query` (in
    `language`, else in any), to filter a queryset with (`pk__in=RawSQL(…)`), so that
    the database walks its own order and stops at a page; None when `query` has no
    words. The ids are not checked for publication: filter a published queryset."""
    words = terms(query)
    if not words:
        return None
    if connection.vendor == "postgresql":
        text = " ".join(words)
        if language:
            return (
                f"SELECT article_id FROM {TABLE} WHERE language = %s"
                " AND document @@ plainto_tsquery(%s::regconfig, %s)",
                [language, _pg_config(language), text],
            )
        match = f"document @@ plainto_tsquery({PG_CONFIG_OF_ROW}, %s)"
        return f"SELECT article_id FROM {TABLE} WHERE {match}", [text]
    sql = f"SELECT article_id FROM {TABLE} WHERE {TABLE} MATCH %s"
    params = [_sqlite_match(words)]
    if language:
        sql += " AND language = %s"
        params.append(language)
    return sql, params


def matching_article_ids(query: str, language: str | None = None) -> list[int]:
    """Ids of published articles matching `query`, best first (for API filters).

    Without `language`, every language's live text counts; an article appears once.
    """
    words = terms(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        ids = _pg_ids(words, language)
    else:
        ids = _sqlite_ids(words, language)
    published = _published_ids(ids)
    seen: dict[int, None] = {}
    for article_id in ids:
        if article_id in published:
            seen.setdefault(article_id)
    return list(seen)


def index_article(article_id: int) -> None:
    """Rewrite the index rows of one article: one per live language, none if unpublished.

    Safe when two commits re-index one article at once (two hooks running together on
    PostgreSQL): the article's row is locked while its text is read and its rows are
    written, and rows are upserted, so the second run waits for the first and then
    writes the newest text instead of colliding on the index's primary key.
    """
    with transaction.atomic():
        article = (
            Article.objects.public()
            .select_for_update()
            .filter(pk=article_id)
            .prefetch_related("sections")
            .with_live_translations()
            .first()
        )
        rows = list(_rows(article)) if article is not None else []
        live = [language for _pk, language, *_text in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and live:
                # The live languages are upserted below: only the others go.
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE article_id = %s AND NOT (language = ANY(%s))",
                    [article_id, live],
                )
            else:
                # FTS5 has no unique key to upsert on; SQLite's writers are serialised
                # (BEGIN IMMEDIATE), so replacing the rows in this transaction is enough.
                cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = %s", [article_id])
        _insert(rows, {article_id: article} if article is not None else {})


@dataclass(frozen=True)
class RebuildReport:
    articles: int  # published articles indexed
    rows: int  # index rows written: one per live language of each


def rebuild_index(
    *,
    batch_size: int = 200,
    progress: Callable[[int, int], None] | None = None,
) -> RebuildReport:
    """Rewrite the whole index from the published articles, in one transaction.

    Articles are read and written `batch_size` at a time (memory stays flat whatever
    the corpus); `progress(done, total)` is called after each batch. Readers searching
    meanwhile see the old index until the transaction commits.
    """
    articles = (
        Article.objects.public()
        .order_by("pk")
        .prefetch_related("sections")
        .with_live_translations()
    )
    done = rows = 0
    batch: list[tuple[int, str, str, str, str]] = []
    loaded: dict[int, object] = {}
    with transaction.atomic():
        # Counted for the progress report only; on PostgreSQL a publication committed
        # meanwhile may still be read by the loop, hence max(done, total) below.
        total = articles.count()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
        for article in articles.iterator(chunk_size=batch_size):
            batch.extend(_rows(article))
            loaded[article.pk] = article
            done += 1
            if done % batch_size == 0 or done == total:
                _insert(batch, loaded)
                rows += len(batch)
                batch.clear()
                loaded.clear()
                if progress:
                    progress(done, max(done, total))
        if batch or (done % batch_size and done != total):
            _insert(batch, loaded)
            rows += len(batch)
            if progress:
                progress(done, max(done, total))
    return RebuildReport(articles=done, rows=rows)


# -- indexing ---------------------------------------------------------------------------


def _clean(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def _rows(article) -> Iterable[tuple[int, str, str, str, str]]:
    for language in article.live_languages():
        text = article.live_text(language)
        if text is None:
            continue
        body = "\n\n".join(
            part
            for section in text.sections
            for part in [section.get("heading", ""), *section.get("paragraphs", [])]
            if part
        )
        yield article.pk, language, _clean(text.title), _clean(text.standfirst), _clean(body)


def _insert(rows: list[tuple[int, str, str, str, str]], articles: dict | None = None) -> None:
    """Write `rows`, each with its article's publication date (`articles`: by id)."""
    if not rows:
        return
    articles = articles or {}
    dated = [(*row, articles[row[0]].published_at if row[0] in articles else None) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {TABLE}"
                " (article_id, language, title, standfirst, body, published_at, document)"
                " VALUES (%s, %s, %s, %s, %s, %s,"
                " setweight(to_tsvector(%s::regconfig, %s), 'A')"
                " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
                " || setweight(to_tsvector(%s::regconfig, %s), 'C'))"
                # A row another transaction wrote meanwhile is replaced, not a 500.
                " ON CONFLICT (article_id, language) DO UPDATE SET title = EXCLUDED.title,"
                " standfirst = EXCLUDED.standfirst, body = EXCLUDED.body,"
                " published_at = EXCLUDED.published_at, document = EXCLUDED.document",
                [
                    (pk, lang, title, standfirst, body, when)
                    + (_pg_config(lang), title, _pg_config(lang), standfirst)
                    + (_pg_config(lang), body)
                    for pk, lang, title, standfirst, body, when in dated
                ],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, language, title, standfirst, body, published_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [(*row[:5], connection.ops.adapt_datetimefield_value(row[5])) for row in dated],
            )


# -- querying ---------------------------------------------------------------------------


def _published_ids(ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    if not ids:
        return set()
    return set(Article.objects.published().filter(pk__in=ids).values_list("pk", flat=True))


def _marked(text: str) -> SafeString:
    html = str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only <mark> is added


def _pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def _sqlite_match(words: list[str]) -> str:
    # Each word as an FTS5 string: the reader's text can never be read as a query operator.
    return " ".join(f'"{word}"' for word in words)


def _sqlite_search(words, language, limit, offset):
    match = _sqlite_match(words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s"
            " AND language = %s LIMIT %s)",
            [match, language, COUNT_LIMIT + 1],
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT article_id,"
            f" highlight({TABLE}, 2, char(2), char(3)),"
            f" highlight({TABLE}, 3, char(2), char(3)),"
            f" snippet({TABLE}, 4, char(2), char(3), '…', 32),"
            f" {SQLITE_RANK} AS rank"
            f" FROM {TABLE} WHERE {TABLE} MATCH %s AND language = %s AND rowid IN ("
            f" SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND language = %s"
            " ORDER BY published_at DESC, article_id DESC LIMIT %s)"
            " ORDER BY rank, article_id LIMIT %s OFFSET %s",
            [match, language, match, language, CANDIDATES, limit, offset],
        )
        return total, cursor.fetchall()


def _sqlite_ids(words, language):
    sql = f"SELECT article_id FROM {TABLE} WHERE {TABLE} MATCH %s"
    params: list = [_sqlite_match(words)]
    if language:
        sql += " AND language = %s"
        params.append(language)
    with connection.cursor() as cursor:
        cursor.execute(sql + f" ORDER BY {SQLITE_RANK}, article_id", params)
        return [row[0] for row in cursor.fetchall()]


# Each row matched with its own language's configuration.
PG_CONFIG_OF_ROW = (
    "CASE language "
    + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in PG_CONFIGS.items())
    + " ELSE 'simple' END::regconfig"
)
PG_HEADLINE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
PG_EXCERPT = f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=20, MaxFragments=2"


def _pg_search(words, language, limit, offset):
    config = _pg_config(language)
    query = " ".join(words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE}"
            " WHERE language = %s AND document @@ plainto_tsquery(%s::regconfig, %s)"
            " LIMIT %s) AS matches",
            [language, config, query, COUNT_LIMIT + 1],
        )
        total = cursor.fetchone()[0]
        if total <= COUNT_LIMIT or _pg_selective(cursor, config, query, language):
            # Few matches: all found through the GIN index (a CTE, so the planner cannot
            # trade it for a walk through every text newest first), the newest ranked.
            matches = (
                "matches AS MATERIALIZED ("
                f" SELECT article_id, published_at FROM {TABLE}"
                " WHERE language = %s AND document @@ plainto_tsquery(%s::regconfig, %s)),"
                " recent AS ("
                " SELECT article_id FROM matches"
                " ORDER BY published_at DESC NULLS LAST, article_id DESC LIMIT %s),"
                " candidates AS MATERIALIZED ("
                " SELECT s.article_id, ts_rank(s.document, q) AS rank"
                f" FROM recent JOIN {TABLE} s ON s.article_id = recent.article_id"
                " AND s.language = %s, plainto_tsquery(%s::regconfig, %s) AS q),"
            )
            params = [language, config, query, CANDIDATES, language, config, query]
        else:
            # Most texts match: the newest texts, in order, until enough matched.
            matches = (
                "candidates AS MATERIALIZED ("
                " SELECT article_id, ts_rank(document, q) AS rank"
                f" FROM {TABLE}, plainto_tsquery(%s::regconfig, %s) AS q"
                " WHERE language = %s AND document @@ q"
                " ORDER BY published_at DESC NULLS LAST, article_id DESC LIMIT %s),"
            )
            params = [config, query, language, CANDIDATES]
        # Ranked within the most recent matches; highlighted for the page's rows only.
        cursor.execute(
            f"WITH {matches}"
            " page AS MATERIALIZED ("
            " SELECT * FROM candidates ORDER BY rank DESC, article_id LIMIT %s OFFSET %s)"
            " SELECT s.article_id,"
            " ts_headline(%s::regconfig, s.title, q, %s),"
            " ts_headline(%s::regconfig, s.standfirst, q, %s),"
            # An excerpt only where the body matches (its words weigh C), from its first
            # EXCERPT_FROM characters: parsing whole bodies is the costly part.
            " CASE WHEN ts_filter(s.document, '{c}') @@ q"
            " THEN ts_headline(%s::regconfig, left(s.body, %s), q, %s) ELSE '' END,"
            f" page.rank FROM page JOIN {TABLE} s ON s.article_id = page.article_id"
            " AND s.language = %s, plainto_tsquery(%s::regconfig, %s) AS q"
            " ORDER BY page.rank DESC, s.article_id",
            params
            + [limit, offset]
            + [config, PG_HEADLINE, config, PG_HEADLINE, config, EXCERPT_FROM, PG_EXCERPT]
            + [language, config, query],
        )
        return total, cursor.fetchall()


def _pg_selective(cursor, config: str, query: str, language: str) -> bool:
    """Whether the planner expects few texts to match (its statistics of the index's
    words), so that finding them all through the GIN index beats walking the texts
    newest first. Planning only: nothing is read."""
    cursor.execute(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE}"
        " WHERE language = %s AND document @@ plainto_tsquery(%s::regconfig, %s)",
        [language, config, query],
    )
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"] <= SELECTIVE_ROWS


def _pg_ids(words, language):
    query = " ".join(words)
    with connection.cursor() as cursor:
        if language:
            cursor.execute(
                f"SELECT article_id FROM {TABLE}, plainto_tsquery(%s::regconfig, %s) AS q"
                " WHERE language = %s AND document @@ q"
                " ORDER BY ts_rank(document, q) DESC, article_id",
                [_pg_config(language), query, language],
            )
        else:
            # Each row is matched with its own language's configuration.
            cursor.execute(
                f"SELECT article_id FROM {TABLE}"
                " WHERE document @@ plainto_tsquery(CASE language"
                " WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' ELSE 'simple' END"
                "::regconfig, %s)"
                " ORDER BY ts_rank(document, plainto_tsquery(CASE language"
                " WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' ELSE 'simple' END"
                "::regconfig, %s)) DESC, article_id",
                [query, query],
            )
        return [row[0] for row in cursor.fetchall()]

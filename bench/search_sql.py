"""The search index of the generated collection, built in SQL on PostgreSQL.

One row per live text, as `articles.site.search` writes them: the base text of every
published article (none has a live translation in its own language here) and every
published translation version, the body being the headings and paragraphs joined by
blank lines. The generator checks a sample of rows, tsvector included, against what the
site's own indexer writes.

Stemming is what costs (~1.5 µs a word: over a minute for 100,000 articles), and the
texts are made of pooled paragraphs: each piece of text (paragraph, heading,
standfirst) is parsed once into a tsvector, and a body's tsvector is its pieces'
concatenated in order, which is what parsing the whole body gives (`||` shifts
positions past the left side's last one, and no piece ends with a stop word). Two halves
of the rows are written at once on two connections.
"""

from __future__ import annotations

import threading

from articles.site.search import PG_CONFIGS, TABLE

CONFIG = (
    "CASE {language} "
    + " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in PG_CONFIGS.items())
    + " ELSE 'simple' END::regconfig"
)
PIECES = "bench_search_pieces"
AGGREGATE = "bench_tsvector_agg"
TEXTS = r"""
SELECT a.id AS article_id, a.language, a.title, a.standfirst, a.published_at,
       coalesce((SELECT string_agg(CASE WHEN s.heading = '' THEN s.body
                                        ELSE s.heading || E'\n\n' || s.body END,
                                   E'\n\n' ORDER BY s."order", s.id)
                 FROM articles_section s WHERE s.article_id = a.id), '') AS body
FROM articles_article a
WHERE a.state = 'published' AND a.id % 2 = {half}
UNION ALL
SELECT t.article_id, t.language, t.title, t.standfirst, a.published_at,
       coalesce((SELECT string_agg(part, E'\n\n' ORDER BY o1, o2)
                 FROM jsonb_array_elements(t.sections) WITH ORDINALITY AS sec(value, o1)
                 CROSS JOIN LATERAL (
                     SELECT sec.value->>'heading' AS part, 0::bigint AS o2
                     WHERE coalesce(sec.value->>'heading', '') <> ''
                     UNION ALL
                     SELECT p.value, p.o
                     FROM jsonb_array_elements_text(sec.value->'paragraphs')
                          WITH ORDINALITY AS p(value, o)
                     WHERE p.value <> ''
                 ) parts), '') AS body
FROM articles_translationversion t JOIN articles_article a ON a.id = t.article_id
WHERE t.state = 'published' AND a.state = 'published' AND t.article_id % 2 = {half}
"""
# What the site's indexer writes, to check against.
SITE_DOCUMENT = (
    "setweight(to_tsvector({config}, title), 'A')"
    " || setweight(to_tsvector({config}, standfirst), 'B')"
    " || setweight(to_tsvector({config}, body), 'C')"
).format(config=CONFIG.format(language="language"))


def statement(half: int) -> str:
    """Index half the texts: each body's pieces are looked up in the pool (parsed when
    not found there: always right) and concatenated in order, all rows at once."""
    config = CONFIG.format(language="t.language")
    return (
        f"WITH texts AS MATERIALIZED ({TEXTS.format(half=half)}),"
        " bodies AS ("
        f" SELECT t.article_id, t.language, {AGGREGATE}("
        f"  coalesce(p.vec, to_tsvector({config}, u.piece)) ORDER BY u.n) AS vec"
        " FROM texts t CROSS JOIN LATERAL unnest(string_to_array(t.body, E'\\n\\n'))"
        "  WITH ORDINALITY AS u(piece, n)"
        f" LEFT JOIN {PIECES} p ON p.language = t.language AND p.text = u.piece"
        " GROUP BY t.article_id, t.language)"
        f" INSERT INTO {TABLE}"
        " (article_id, language, title, standfirst, published_at, body, document)"
        " SELECT t.article_id, t.language, t.title, t.standfirst, t.published_at, t.body,"
        f" setweight(to_tsvector({config}, t.title), 'A')"
        f" || setweight(coalesce(sf.vec, to_tsvector({config}, t.standfirst)), 'B')"
        " || setweight(coalesce(b.vec, ''), 'C')"
        " FROM texts t LEFT JOIN bodies b USING (article_id, language)"
        f" LEFT JOIN {PIECES} sf ON sf.language = t.language AND sf.text = t.standfirst"
    )


def build(connection, pieces: dict[str, set[str]]) -> None:
    """Fill the (empty) index; `pieces` are the pooled texts by language."""
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {PIECES} (language varchar(10), text text, vec tsvector,"
            " PRIMARY KEY (language, text))"
        )
        with cursor.copy(f"COPY {PIECES} (language, text) FROM STDIN") as copy:
            for language, texts in pieces.items():
                for text in texts:
                    copy.write_row((language, text))
        cursor.execute(
            f"UPDATE {PIECES} SET vec = to_tsvector({CONFIG.format(language='language')}, text)"
        )
        cursor.execute(f"ANALYZE {PIECES}")
        cursor.execute(
            f"CREATE AGGREGATE {AGGREGATE}(tsvector)"
            " (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')"
        )
    db = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
        port=db["PORT"],
    )  # fmt: skip
    errors: list[BaseException] = []

    def run(half: int) -> None:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute("SET work_mem = '256MB'")  # sorts the pieces in memory
                conn.execute(statement(half))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(half,)) for half in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP AGGREGATE {AGGREGATE}(tsvector)")
        cursor.execute(f"DROP TABLE {PIECES}")
    if errors:
        raise errors[0]


def same_document(connection, article_id: int) -> bool:
    """Whether the stored tsvectors of `article_id` are what the site's indexer writes."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT bool_and(document = {SITE_DOCUMENT}) FROM {TABLE} WHERE article_id = %s",
            [article_id],
        )
        return bool(cursor.fetchone()[0])

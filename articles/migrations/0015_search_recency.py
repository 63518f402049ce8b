"""The search index carries each article's publication date, indexed with the language:
a query is ranked within its most recent matches (`articles.site.search`).

PostgreSQL: a column and an index. SQLite: FTS5 tables take no new column, so the
table is made again with it, its rows copied over.
"""

from importlib import import_module

from django.db import migrations

VendorRunSQL = import_module("articles.migrations.0003_search_index").VendorRunSQL

SQLITE_TABLE = """
CREATE VIRTUAL TABLE {name} USING fts5(
    article_id UNINDEXED,
    language UNINDEXED,
    title,
    standfirst,
    body,
    {extra}tokenize = 'porter unicode61 remove_diacritics 2'
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_page_snapshots"),
    ]

    operations = [
        VendorRunSQL(
            "postgresql",
            sql=[
                "ALTER TABLE articles_search ADD COLUMN published_at timestamp with time zone",
                "UPDATE articles_search s SET published_at = a.published_at"
                " FROM articles_article a WHERE a.id = s.article_id",
                "CREATE INDEX articles_search_recency"
                " ON articles_search (language, published_at DESC NULLS LAST, article_id DESC)",
            ],
            reverse_sql=[
                "DROP INDEX articles_search_recency",
                "ALTER TABLE articles_search DROP COLUMN published_at",
            ],
        ),
        VendorRunSQL(
            "sqlite",
            sql=[
                SQLITE_TABLE.format(
                    name="articles_search_new", extra="published_at UNINDEXED,\n    "
                ),
                "INSERT INTO articles_search_new"
                " (article_id, language, title, standfirst, body, published_at)"
                " SELECT s.article_id, s.language, s.title, s.standfirst, s.body, a.published_at"
                " FROM articles_search s LEFT JOIN articles_article a ON a.id = s.article_id",
                "DROP TABLE articles_search",
                "ALTER TABLE articles_search_new RENAME TO articles_search",
            ],
            reverse_sql=[
                SQLITE_TABLE.format(name="articles_search_old", extra=""),
                "INSERT INTO articles_search_old (article_id, language, title, standfirst, body)"
                " SELECT article_id, language, title, standfirst, body FROM articles_search",
                "DROP TABLE articles_search",
                "ALTER TABLE articles_search_old RENAME TO articles_search",
            ],
        ),
    ]

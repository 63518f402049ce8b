"""The full-text search index of `articles.search`, built for the database at hand.

PostgreSQL: a plain table with a weighted tsvector and a GIN index. SQLite: an FTS5
virtual table. No foreign key on purpose: test flushes truncate articles without
cascading, and `articles.search` checks every hit against the published articles anyway.
"""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (a no-op elsewhere)."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_roles"),
    ]

    operations = [
        VendorRunSQL(
            "postgresql",
            sql=[
                """
                CREATE TABLE articles_search (
                    article_id bigint NOT NULL,
                    language varchar(10) NOT NULL,
                    title text NOT NULL,
                    standfirst text NOT NULL,
                    body text NOT NULL,
                    document tsvector NOT NULL,
                    PRIMARY KEY (article_id, language)
                )
                """,
                "CREATE INDEX articles_search_document ON articles_search USING GIN (document)",
            ],
            reverse_sql=["DROP TABLE articles_search"],
        ),
        VendorRunSQL(
            "sqlite",
            sql=[
                """
                CREATE VIRTUAL TABLE articles_search USING fts5(
                    article_id UNINDEXED,
                    language UNINDEXED,
                    title,
                    standfirst,
                    body,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                )
                """
            ],
            reverse_sql=["DROP TABLE articles_search"],
        ),
    ]

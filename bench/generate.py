"""A deterministic collection of published articles, written in bulk.

N published articles (plus N/10 in review), each with 6 sections (~850 words), 2 topics
(of 24), 3 statements by analysts from a pool of 200 (with institutions) and 2
enrichment blocks; ~26% have a published French translation, 10% a base text translated
from French; N/20 proposals of 20 terms in 12 categories, each discussed by 5 articles;
one article in 50 has "Zaporizhzhia" in its title (the narrow search).

Rows go in with PostgreSQL's COPY (batched `executemany` on SQLite), with ids chosen
here; the sequences are reset afterwards. The search index is then built in SQL on
PostgreSQL (`search_sql.py`; SQLite: `search.rebuild_index()`), and a few of its rows
are checked against what the site's own indexer writes.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.corpus import ACTORS, CATEGORIES, LAST_NAMES, MOTS, PLACES, WORDS, Pools, sentence

__all__ = ["EPOCH", "WORDS", "Collection", "generate"]

# Everything is dated back from here, so two runs hold the very same rows.
EPOCH = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MODERATED = (
    "state", "author_id", "created_at", "updated_at", "state_changed_at", "submitted_at",
    "reviewed_at", "reviewed_by_id", "publish_at", "published_at", "edit_version",
)  # fmt: skip


@dataclass
class Collection:
    articles: int
    drafts: int
    sections: int
    attributions: int
    blocks: int
    translations: int
    analysts: int
    proposals: int
    terms: int
    topics: int
    article_slug: str  # the article page measured (translated, discussing proposals)
    analyst_slug: str  # the analyst page measured (the most quoted analyst)
    analyst_statements: int
    topic_slug: str
    compare_slugs: list[str]
    seconds: float
    index_seconds: float


class Writer:
    """Rows into tables: COPY on PostgreSQL, batched inserts on SQLite."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def skip_foreign_key_checks(self) -> None:
        """On PostgreSQL as a superuser, for this transaction: the rows made here are
        consistent by construction, and checking millions of foreign keys at COMMIT
        would take longer than writing them (as `pg_restore --disable-triggers`)."""
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def dt(self, value: datetime | None):
        if value is None:
            return None
        if self.postgres:
            return value.isoformat()
        return self.connection.ops.adapt_datetimefield_value(value)

    def json(self, value) -> str:
        return json.dumps(value, ensure_ascii=False)

    def _value(self, field, value):
        if isinstance(value, datetime):
            return self.dt(value)
        if isinstance(value, dict | list):
            return self.json(value)
        return value

    def moderated(self, state: str, when: datetime, published: datetime | None) -> tuple:
        reviewed = self.dt(when - timedelta(days=1))
        published = self.dt(published)
        when = self.dt(when)
        return (state, None, when, when, when, reviewed, reviewed, None, None, published, 1)

    def write(self, model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Write `rows` (values of `columns`, attnames); the model's other NOT NULL
        fields get their defaults (a field added later needs no change here)."""
        defaults = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns
            and not f.null
            and not f.primary_key
            and (f.has_default() or f.empty_strings_allowed)  # a text field's default is ""
        ]
        if defaults:
            tail = tuple(self._value(f, f.get_default()) for f in defaults)
            columns = [*columns, *(f.attname for f in defaults)]
            rows = (row + tail for row in rows)
        table = model._meta.db_table
        names = ", ".join(
            self.connection.ops.quote_name(model._meta.get_field(c).column) for c in columns
        )
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)  # formatted in C (psycopg's binary package)
                        count += 1
                return count
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            cursor.executemany(sql, batch)
            return count + len(batch)


@dataclass
class Story:
    pk: int
    slug: str
    published_at: datetime | None
    when: datetime
    from_french: bool
    translated: bool = False


def generate(n_articles: int, rng: random.Random) -> Collection:
    """Write the collection (see the module's docstring) into the default database."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils.text import slugify

    from articles.models import (
        Analyst,
        Article,
        Attribution,
        EnrichmentBlock,
        Institution,
        Section,
        Topic,
        TranslationVersion,
    )
    from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

    started = time.perf_counter()
    pools = Pools.make(rng)
    w = Writer(connection)
    n_drafts = n_articles // 10
    stories = []
    for i in range(n_articles + n_drafts):
        draft = i >= n_articles
        when = EPOCH - timedelta(hours=9 * i, minutes=rng.randint(0, 59))
        stories.append(
            Story(
                pk=i + 1,
                slug=f"{'draft' if draft else 'article'}-{i:05d}-{rng.choice(WORDS)}",
                published_at=None if draft else when,
                when=when,
                from_french=rng.random() < 0.1,  # a translated base text, as in the sample
            )
        )
    live = stories[:n_articles]
    for story in live:
        story.translated = not story.from_french and rng.random() < 0.3

    def state_of(story: Story) -> tuple:
        if story.published_at is None:
            return w.moderated("in_review", story.when, None)
        return w.moderated("published", story.when, story.published_at)

    with transaction.atomic():
        w.skip_foreign_key_checks()
        topics = list(range(1, 25))
        w.write(Topic, ("id", "slug", "name"), (
            (pk, f"topic-{pk - 1:02d}-{word}", f"{word.title()} {pk - 1}")
            for pk, word in zip(topics, rng.sample(WORDS, 24), strict=True)
        ))  # fmt: skip
        w.write(Institution, ("id", "name", "place"), (
            (pk, f"{rng.choice(LAST_NAMES)} Institute {pk - 1}", rng.choice(PLACES))
            for pk in range(1, 41)
        ))  # fmt: skip
        roles = ["senior fellow", "economist", "former diplomat", "researcher"]
        analysts = list(range(1, 201))
        w.write(Analyst, ("id", "slug", "name", "role", "institution_id", "created_at"), (
            (pk, f"analyst-{pk - 1:03d}", rng.choice(pools.names), rng.choice(roles),
             rng.randint(1, 40), w.dt(EPOCH - timedelta(days=900)))
            for pk in analysts
        ))  # fmt: skip
        bylines = {name: slugify(name) for name in pools.names}
        w.write(Article, ("id", "slug", "title", "standfirst", "language", "original_language",
                          "translator_credit", "byline", "byline_slug", "text_revision",
                          "wire_fingerprint", *MODERATED), (
            (s.pk, s.slug,
             # One article in 50 is about the plant: what a narrow search finds.
             ("Zaporizhzhia: " if (s.pk - 1) % 50 == 7 else "") + sentence(rng, WORDS, 6, 11)[:-1],
             rng.choice(pools.standfirsts), "en", "fr" if s.from_french else "en",
             rng.choice(pools.names) if s.from_french else "", byline, bylines[byline], 1, "",
             *state_of(s))
            for s in stories
            for byline in [rng.choice(pools.names)]
        ))  # fmt: skip
        w.write(Article.topics.through, ("article_id", "topic_id"), (
            (s.pk, t) for s in stories for t in rng.sample(topics, 2)
        ))  # fmt: skip
        sections = w.write(Section, ("article_id", "order", "heading", "body"), (
            (s.pk, k, "" if k == 0 else rng.choice(pools.headings),
             "\n\n".join(rng.choices(pools.paragraphs, k=2 if k == 0 else 3)))
            for s in stories for k in range(6)
        ))  # fmt: skip
        quoted: dict[int, int] = {}

        def statements():
            for s in stories:
                for k, analyst in enumerate(rng.sample(analysts, 3)):
                    if s.published_at is not None:
                        quoted[analyst] = quoted.get(analyst, 0) + 1
                    yield (s.pk, analyst, rng.choice(("quote", "paraphrase", "assessment")),
                           rng.choice(pools.statements), k, *state_of(s))  # fmt: skip

        attributions = w.write(
            Attribution,
            ("article_id", "analyst_id", "kind", "statement", "order", *MODERATED),
            statements(),
        )
        blocks = w.write(EnrichmentBlock, ("article_id", "kind", "title", "body", "items",
                                           "provenance", "order", *MODERATED), (
            row
            for s in stories
            for row in (
                (s.pk, "overview", "At a glance", f"<p>{rng.choice(pools.paragraphs)}</p>",
                 w.json([]), "desk", 0, *state_of(s)),
                (s.pk, "key_points", "Key points", "", w.json(rng.sample(pools.items, 4)),
                 "desk", 1, *state_of(s)),
            )
        ))  # fmt: skip
        translations = w.write(TranslationVersion, (
            "article_id", "language", "from_language", "version", "title", "standfirst",
            "sections", "credit", "source_revision", "source_snapshot", *MODERATED), (
            (s.pk, "fr", "en", 1, sentence(rng, MOTS, 6, 11)[:-1], rng.choice(pools.chapeaux),
             w.json([{"heading": "" if k == 0 else rng.choice(pools.intertitres),
                      "paragraphs": rng.choices(pools.paragraphes, k=2 if k == 0 else 3)}
                     for k in range(6)]),
             rng.choice(pools.names), 1, w.json({}),
             *w.moderated("published", s.when, s.when + timedelta(hours=6)))
            for s in live if s.translated
        ))  # fmt: skip

        w.write(TermCategory, ("id", "slug", "label", "order"), (
            (k + 1, f"category-{k:02d}", label, k * 10) for k, label in enumerate(CATEGORIES)
        ))  # fmt: skip
        w.write(Actor, ("id", "slug", "name"), (
            (k + 1, f"actor-{k}", name) for k, name in enumerate(ACTORS)
        ))  # fmt: skip
        n_proposals = max(5, n_articles // 20)
        statuses = ["reported", "official", "final_offer", "accepted", "rejected", "withdrawn"]
        w.write(Proposal, ("id", "slug", "title", "status", "summary", "sourcing_note",
                           *MODERATED), (
            (p, f"proposal-{p - 1:03d}",
             f"{rng.choice(ACTORS)} plan {p - 1}: {sentence(rng, WORDS, 3, 6)[:-1]}",
             rng.choice(statuses), rng.choice(pools.paragraphs), sentence(rng, WORDS, 8, 14),
             *w.moderated("published", EPOCH, EPOCH - timedelta(days=p - 1)))
            for p in range(1, n_proposals + 1)
        ))  # fmt: skip
        terms = w.write(ProposalTerm, ("proposal_id", "category_id", "text", "sourcing",
                                       "order"), (
            (p, rng.randint(1, len(CATEGORIES)), rng.choice(pools.statements),
             rng.choice(("reported", "confirmed", "denied")), t)
            for p in range(1, n_proposals + 1) for t in range(20)
        ))  # fmt: skip
        w.write(Proposal.proposed_by.through, ("proposal_id", "actor_id"), (
            (p, a) for p in range(1, n_proposals + 1)
            for a in rng.sample(range(1, len(ACTORS) + 1), rng.randint(1, 2))
        ))  # fmt: skip
        # Each proposal is discussed by 5 articles; an article discusses a few at most.
        links = sorted({(p, s.pk) for p in range(1, n_proposals + 1) for s in rng.sample(live, 5)})
        w.write(Proposal.articles.through, ("proposal_id", "article_id"), links)

        models = [Topic, Institution, Analyst, Article, Section, Attribution, EnrichmentBlock,
                  TranslationVersion, TermCategory, Actor, Proposal, ProposalTerm,
                  Article.topics.through, Proposal.proposed_by.through,
                  Proposal.articles.through]  # fmt: skip
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    generated = time.perf_counter()
    pieces = {
        "en": {*pools.paragraphs, *pools.headings, *pools.standfirsts},
        "fr": {*pools.paragraphes, *pools.intertitres, *pools.chapeaux},
    }
    sample = [s.pk for s in live[:: max(1, n_articles // 4)]]
    sample += [next(s.pk for s in live if s.translated)]
    index_search(connection, sample, pieces)
    indexed = time.perf_counter()

    discussed = {pk for _p, pk in links}
    article = next(s for s in live if s.pk in discussed and s.translated)
    top = max(analysts, key=lambda pk: (quoted.get(pk, 0), -pk))
    return Collection(
        articles=n_articles,
        drafts=n_drafts,
        sections=sections,
        attributions=attributions,
        blocks=blocks,
        translations=translations,
        analysts=len(analysts),
        proposals=n_proposals,
        terms=terms,
        topics=len(topics),
        article_slug=article.slug,
        analyst_slug=f"analyst-{top - 1:03d}",
        analyst_statements=quoted.get(top, 0),
        topic_slug=Topic.objects.order_by("pk").values_list("slug", flat=True).first(),
        compare_slugs=[f"proposal-{p:03d}" for p in range(3)],
        seconds=generated - started,
        index_seconds=indexed - generated,
    )


def index_search(connection, sample: list[int], pieces: dict[str, set[str]]) -> None:
    """The search index of the published texts: in SQL on PostgreSQL, by the site's
    indexer on SQLite; then `sample`'s rows are checked against the site's indexer."""
    from articles.models import Article
    from articles.site import search
    from bench import search_sql

    if connection.vendor == "postgresql":
        search_sql.build(connection, pieces)
        if not all(search_sql.same_document(connection, pk) for pk in sample):
            raise SystemExit("the search index's tsvectors are not what the site writes")
    else:
        search.rebuild_index(batch_size=500)
    for pk in sample:
        article = Article.objects.prefetch_related("sections").with_live_translations().get(pk=pk)
        expected = sorted(search._rows(article))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, language, title, standfirst, body FROM {search.TABLE}"
                " WHERE article_id = %s ORDER BY language",
                [pk],
            )
            stored = sorted(tuple(row) for row in cursor.fetchall())
        if stored != expected:
            raise SystemExit(f"the search index of article {pk} is not what the site writes")

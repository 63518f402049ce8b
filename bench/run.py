"""Newsroom benchmark: latency and SQL queries of the public pages and API.

    .venv/bin/python bench/run.py [--articles N] [--requests M] [--database-url URL]
                                  [--json out.json]

Builds a throwaway database (a SQLite file in a temporary folder, or a fresh database
on the PostgreSQL server of `--database-url`, dropped afterwards), fills it with a
deterministic collection of published articles, then requests each endpoint through
Django's test client (in process, no network), cold (cache cleared before every
request: the uncached path) and warm (served from the cache), and prints per endpoint
the median and p95 latency and the number of SQL queries. See bench/README.md.

Not a test: nothing here asserts a time. Compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = 20250601
# Everything is dated back from here, so two runs hold the very same rows.
EPOCH = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "ceasefire negotiations talks delegation kremlin kyiv washington brussels summit "
    "sanctions frontline offensive territory security guarantees envoy minister treaty "
    "referendum occupation withdrawal troops drones artillery energy grid gas pipeline "
    "grain corridor black sea ports shipping insurance markets inflation rouble budget "
    "reconstruction aid package parliament coalition election polls opposition protest "
    "diplomats mediator ankara doha beijing delhi observers monitoring mission nuclear "
    "plant inspectors prisoners exchange humanitarian convoy evacuation refugees border "
    "checkpoint alliance membership neutrality deterrence arms supplies missiles defence "
    "airspace escalation deadline ultimatum leverage concessions demands proposal draft "
    "memorandum framework roadmap phase timeline verification compliance violation "
    "accusations statement spokesman briefing officials sources analysts assessment "
    "region government president chancellor council committee commission agreement"
)
MOTS = _words(
    "cessez-le-feu négociations pourparlers délégation sanctions front offensive "
    "territoire garanties sécurité envoyé ministre traité retrait troupes énergie "
    "gazoduc céréales corridor ports marchés budget reconstruction aide parlement "
    "coalition élection opposition diplomates médiateur observateurs centrale "
    "inspecteurs prisonniers échange humanitaire réfugiés frontière alliance "
    "neutralité dissuasion missiles défense escalade ultimatum concessions exigences "
    "proposition projet calendrier vérification accord gouvernement président conseil"
)
FIRST_NAMES = _words(
    "Anna Boris Chloé Daniel Elena Farid Greta Hugo Irina Jonas Katya Luis Marta Nikolai "
    "Olga Pavel Quentin Rosa Samir Tanya Ugo Vera Wojciech Xenia Yusuf Zofia"
)
LAST_NAMES = _words(
    "Abramova Becker Castillo Dubois Eriksen Fischer Gordon Horvat Ivanova Jansen Kowalski "
    "Laurent Morozov Novak Okafor Petrov Quinn Rossi Schneider Tkachenko Ulrich Volkov "
    "Weber Yilmaz Zhukov"
)
PLACES = _words("Geneva London Paris Berlin Warsaw Kyiv Moscow Washington Brussels Vienna")
CATEGORIES = [
    "Territorial concessions",
    "Security guarantees",
    "Sanctions relief",
    "Military limits",
    "Ceasefire monitoring",
    "Prisoners and civilians",
    "Energy and nuclear safety",
    "Reconstruction",
    "Elections and governance",
    "Language and church",
    "NATO membership",
    "Timeline",
]
ACTORS = ["Russia", "Ukraine", "United States", "European Union", "Turkey", "China", "NATO"]


# -- environment ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, metavar="N",
                        help="published articles to generate (default 2000)")  # fmt: skip
    parser.add_argument("--requests", type=int, default=40, metavar="M",
                        help="measured requests per endpoint and mode (default 40)")  # fmt: skip
    parser.add_argument(
        "--database-url",
        default="",
        metavar="URL",
        help="a PostgreSQL server to use (postgres://user@host:port/db): the benchmark "
        "creates its own throwaway database there and drops it afterwards. "
        "Default: a SQLite file in a temporary folder.",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.articles < 50:
        parser.error("--articles must be at least 50")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    if args.database_url and urlsplit(args.database_url).scheme not in {"postgres", "postgresql"}:
        parser.error("--database-url must be a postgres:// URL")
    return args


class ThrowawayPostgres:
    """A database of its own on the server of `url`, dropped on exit."""

    def __init__(self, url: str) -> None:
        self.server_url = url
        self.name = f"newsroom_bench_{os.getpid()}"
        parts = urlsplit(url)
        self.url = urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, ""))

    def _admin(self):
        """A connection to create and drop databases from: to the server's `postgres`
        database (as Django's test runner does), else to the URL's own."""
        import psycopg

        parts = urlsplit(self.server_url)
        maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
        try:
            return psycopg.connect(maintenance, autocommit=True)
        except psycopg.OperationalError:
            return psycopg.connect(self.server_url, autocommit=True)

    def create(self) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        from django.db import connections
        from psycopg import sql

        connections.close_all()
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )


def configure_environment(database_url: str) -> None:
    """Settings for the benchmark: set before Django reads them."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DATABASE_URL"] = database_url
    # The local-memory cache: clearing it is part of the benchmark, and must never
    # clear a Redis shared with anything else.
    os.environ.pop("REDIS_URL", None)
    # Hundreds of API requests a minute from one "client": no throttling here.
    os.environ["NEWSROOM_API_THROTTLE_ANON"] = "100000000/minute"
    os.environ["NEWSROOM_API_THROTTLE_USER"] = "100000000/minute"


# -- data ----------------------------------------------------------------------------------


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
    compare_slugs: list[str]
    seconds: float


def sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(sentence(rng, words, 8, 18) for _ in range(rng.randint(3, 5)))


def generate(n_articles: int, rng: random.Random) -> Collection:
    """N published articles (plus 10% drafts) with everything a page shows, in bulk."""
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
    from articles.site import search
    from articles.states import State
    from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

    started = time.perf_counter()
    batch = 500
    published = {
        "state": State.PUBLISHED,
        "submitted_at": EPOCH - timedelta(days=800),
        "reviewed_at": EPOCH - timedelta(days=800),
    }

    topics = Topic.objects.bulk_create(
        Topic(slug=f"topic-{i:02d}-{w}", name=f"{w.title()} {i}")
        for i, w in enumerate(rng.sample(WORDS, 24))
    )
    institutions = Institution.objects.bulk_create(
        Institution(name=f"{rng.choice(LAST_NAMES)} Institute {i}", place=rng.choice(PLACES))
        for i in range(40)
    )
    analysts = Analyst.objects.bulk_create(
        Analyst(
            slug=f"analyst-{i:03d}",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role=rng.choice(["senior fellow", "economist", "former diplomat", "researcher"]),
            institution=rng.choice(institutions),
            created_at=EPOCH - timedelta(days=900),
        )
        for i in range(200)
    )

    n_drafts = n_articles // 10
    articles = []
    for i in range(n_articles + n_drafts):
        is_draft = i >= n_articles
        when = EPOCH - timedelta(hours=9 * i, minutes=rng.randint(0, 59))
        from_french = rng.random() < 0.1  # a translated base text, as in the sample wire
        fields = {"state": State.IN_REVIEW} if is_draft else {**published, "published_at": when}
        articles.append(
            Article(
                slug=f"{'draft' if is_draft else 'article'}-{i:05d}-{rng.choice(WORDS)}",
                # One article in 50 is about the plant: what a narrow search finds.
                title=("Zaporizhzhia: " if i % 50 == 7 else "") + sentence(rng, WORDS, 6, 11)[:-1],
                standfirst=sentence(rng, WORDS, 18, 30),
                language="en",
                original_language="fr" if from_french else "en",
                translator_credit=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if from_french
                else "",
                byline=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                created_at=when - timedelta(hours=3),
                state_changed_at=when,
                **fields,
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=batch)
    live = articles[:n_articles]

    Article.topics.through.objects.bulk_create(
        (
            Article.topics.through(article_id=a.pk, topic_id=t.pk)
            for a in articles
            for t in rng.sample(topics, 2)
        ),
        batch_size=batch,
    )
    sections = Section.objects.bulk_create(
        (
            Section(
                article=a,
                order=s,
                heading="" if s == 0 else sentence(rng, WORDS, 2, 5)[:-1],
                body="\n\n".join(paragraph(rng, WORDS) for _ in range(2 if s == 0 else 3)),
            )
            for a in articles
            for s in range(6)
        ),
        batch_size=batch,
    )
    attributions = Attribution.objects.bulk_create(
        (
            Attribution(
                article=a,
                analyst=analyst,
                kind=rng.choice(list(Attribution.Kind)),
                statement=sentence(rng, WORDS, 15, 35),
                order=k,
                **(
                    {**published, "published_at": a.published_at}
                    if a.published_at
                    else {"state": State.IN_REVIEW}
                ),
            )
            for a in articles
            for k, analyst in enumerate(rng.sample(analysts, 3))
        ),
        batch_size=batch,
    )
    blocks = EnrichmentBlock.objects.bulk_create(
        (
            EnrichmentBlock(
                article=a,
                kind=kind,
                title="At a glance" if kind == "overview" else "Key points",
                body=f"<p>{paragraph(rng, WORDS)}</p>" if kind == "overview" else "",
                items=[] if kind == "overview" else [sentence(rng, WORDS, 6, 12) for _ in range(4)],
                provenance="desk",
                order=k,
                **(
                    {**published, "published_at": a.published_at}
                    if a.published_at
                    else {"state": State.IN_REVIEW}
                ),
            )
            for a in articles
            for k, kind in enumerate(
                [EnrichmentBlock.Kind.OVERVIEW, EnrichmentBlock.Kind.KEY_POINTS]
            )
        ),
        batch_size=batch,
    )
    translated = [a for a in live if a.original_language == "en" and rng.random() < 0.3]
    translations = TranslationVersion.objects.bulk_create(
        (
            TranslationVersion(
                article=a,
                language="fr",
                from_language="en",
                version=1,
                title=sentence(rng, MOTS, 6, 11)[:-1],
                standfirst=sentence(rng, MOTS, 18, 30),
                sections=[
                    {
                        "heading": "" if s == 0 else sentence(rng, MOTS, 2, 5)[:-1],
                        "paragraphs": [paragraph(rng, MOTS) for _ in range(2 if s == 0 else 3)],
                    }
                    for s in range(6)
                ],
                credit=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                source_revision=1,
                **published,
                published_at=a.published_at + timedelta(hours=6),
            )
            for a in translated
        ),
        batch_size=batch,
    )

    categories = TermCategory.objects.bulk_create(
        TermCategory(slug=f"category-{i:02d}", label=label, order=i * 10)
        for i, label in enumerate(CATEGORIES)
    )
    actors = Actor.objects.bulk_create(
        Actor(slug=f"actor-{i}", name=name) for i, name in enumerate(ACTORS)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            slug=f"proposal-{i:03d}",
            title=f"{rng.choice(ACTORS)} plan {i}: {sentence(rng, WORDS, 3, 6)[:-1]}",
            status=rng.choice(list(Proposal.Status)),
            summary=paragraph(rng, WORDS),
            sourcing_note=sentence(rng, WORDS, 8, 14),
            **published,
            published_at=EPOCH - timedelta(days=i),
        )
        for i in range(max(5, n_articles // 20))
    )
    terms = ProposalTerm.objects.bulk_create(
        (
            ProposalTerm(
                proposal=p,
                category=rng.choice(categories),
                text=sentence(rng, WORDS, 8, 20),
                sourcing=rng.choice(list(ProposalTerm.Sourcing)),
                order=t,
            )
            for p in proposals
            for t in range(20)
        ),
        batch_size=batch,
    )
    Proposal.proposed_by.through.objects.bulk_create(
        Proposal.proposed_by.through(proposal_id=p.pk, actor_id=actor.pk)
        for p in proposals
        for actor in rng.sample(actors, rng.randint(1, 2))
    )
    # Each proposal is discussed by 5 articles; an article discusses a few at most.
    links = {(p.pk, a.pk) for p in proposals for a in rng.sample(live, 5)}
    Proposal.articles.through.objects.bulk_create(
        (Proposal.articles.through(proposal_id=p, article_id=a) for p, a in sorted(links)),
        batch_size=batch,
    )

    search.rebuild_index()

    # The article measured: translated and discussing proposals (the fullest page).
    discussed = {a for _p, a in links}
    translated_ids = {a.pk for a in translated}
    article = next(a for a in live if a.pk in discussed and a.pk in translated_ids)
    counts: dict[int, int] = {}
    for attribution in attributions[: n_articles * 3]:
        counts[attribution.analyst_id] = counts.get(attribution.analyst_id, 0) + 1
    top = max(analysts, key=lambda a: (counts.get(a.pk, 0), -a.pk))
    return Collection(
        articles=n_articles,
        drafts=n_drafts,
        sections=len(sections),
        attributions=len(attributions),
        blocks=len(blocks),
        translations=len(translations),
        analysts=len(analysts),
        proposals=len(proposals),
        terms=len(terms),
        topics=len(topics),
        article_slug=article.slug,
        analyst_slug=top.slug,
        analyst_statements=counts.get(top.pk, 0),
        compare_slugs=[p.slug for p in proposals[:3]],
        seconds=time.perf_counter() - started,
    )


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    url: str
    cached_by: str  # "page" (reader_cache) or "api" (AnonymousCacheMixin)


@dataclass
class Result:
    endpoint: str
    url: str
    mode: str  # "cold" or "warm"
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def deep_api_page(client, page: int) -> tuple[str, int]:
    """The URL of the `page`-th page of /api/v1/articles/, following `next` links."""
    url, reached = "/api/v1/articles/", 1
    while reached < page:
        next_url = client.get(url).json()["next"]
        if not next_url:
            break
        url, reached = next_url, reached + 1
    return url, reached


def measure(client, endpoint: Endpoint, mode: str, requests: int) -> Result:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        if mode == "cold":
            cache.clear()
        started = time.perf_counter()
        response = client.get(endpoint.url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{endpoint.url} answered {response.status_code}")
        expected = "miss" if mode == "cold" else "hit"
        if response.get("X-Cache") != expected:
            raise SystemExit(f"{endpoint.url} {mode}: X-Cache {response.get('X-Cache')!r}")
        return elapsed, response

    if mode == "warm":
        cache.clear()
        client.get(endpoint.url)  # fills the cache
    gc.collect()
    timings = [get()[0] * 1000 for _ in range(requests)]
    # Counted apart, so that capturing the SQL never weighs on the timings.
    with CaptureQueriesContext(connection) as queries:
        _elapsed, response = get()
    return Result(
        endpoint=endpoint.name,
        url=endpoint.url,
        mode=mode,
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(p95(timings), 2),
        queries=len(queries.captured_queries),
        bytes=len(response.content),
    )


def endpoints(client, collection: Collection) -> list[Endpoint]:
    deep_url, deep_page = deep_api_page(client, 50)
    slug = collection.article_slug
    return [
        Endpoint("home", "/en/", "page"),
        Endpoint("article page", f"/en/articles/{slug}/", "page"),
        Endpoint("article page (fr)", f"/fr/articles/{slug}/", "page"),
        Endpoint("analyst page", f"/en/analysts/{collection.analyst_slug}/", "page"),
        Endpoint(
            "proposals compare",
            "/en/proposals/compare/?slugs=" + ",".join(collection.compare_slugs),
            "page",
        ),
        Endpoint("search (broad)", "/en/search/?q=ceasefire+negotiations", "page"),
        Endpoint("search (narrow)", "/en/search/?q=zaporizhzhia", "page"),
        Endpoint("RSS feed", "/en/feed/", "page"),
        Endpoint("sitemap.xml", "/sitemap.xml", "page"),
        Endpoint("API articles p1", "/api/v1/articles/", "api"),
        Endpoint(f"API articles p{deep_page}", deep_url.removeprefix("http://testserver"), "api"),
        Endpoint("API article", f"/api/v1/articles/{slug}/", "api"),
        Endpoint("API ninjs", f"/api/v1/articles/{slug}/ninjs/", "api"),
    ]


# -- report --------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    by_name: dict[str, dict[str, Result]] = {}
    for result in results:
        by_name.setdefault(result.endpoint, {})[result.mode] = result
    header = ["endpoint", "cold med", "cold p95", "cold q", "warm med", "warm p95", "warm q", "KiB"]
    rows = [header]
    for name, modes in by_name.items():
        cold, warm = modes["cold"], modes["warm"]
        rows.append(
            [
                name,
                f"{cold.median_ms:.1f}",
                f"{cold.p95_ms:.1f}",
                str(cold.queries),
                f"{warm.median_ms:.2f}",
                f"{warm.p95_ms:.2f}",
                str(warm.queries),
                f"{cold.bytes / 1024:.0f}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = None
    postgres = None
    if args.database_url:
        postgres = ThrowawayPostgres(args.database_url)
        postgres.create()
        database_url = postgres.url
    else:
        workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    configure_environment(database_url)
    try:
        return run(args, postgres)
    finally:
        if postgres is not None:
            postgres.drop()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, postgres: ThrowawayPostgres | None) -> int:
    import django

    # WhiteNoise looks for collectstatic's folder, which a benchmark does not need.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # As in production: no SQL logging, templates without debug information.
    settings.DEBUG = False
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    collection = generate(args.articles, random.Random(SEED))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if connection.vendor == "sqlite":
        database = f"sqlite {connection.Database.sqlite_version}"
    else:
        database = f"postgresql {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    print(
        f"{database}: migrated in {migrate_seconds:.1f} s; generated in "
        f"{collection.seconds:.1f} s: {collection.articles} published articles "
        f"(+{collection.drafts} in review), {collection.sections} sections, "
        f"{collection.attributions} statements by {collection.analysts} analysts, "
        f"{collection.blocks} blocks, {collection.translations} fr translations, "
        f"{collection.proposals} proposals with {collection.terms} terms, "
        f"{collection.topics} topics",
        flush=True,
    )

    client = Client()
    targets = endpoints(client, collection)
    for endpoint in targets:  # compiles templates, fills Python-level caches
        client.get(endpoint.url)
    results: list[Result] = []
    for endpoint in targets:
        for mode in ("cold", "warm"):
            results.append(measure(client, endpoint, mode, args.requests))
    print()
    print(table(results))
    print()
    print(
        f"{args.requests} requests per endpoint and mode; ms; q = SQL queries per request; "
        f"cold = cache cleared before each request. Article: {collection.article_slug}; "
        f"analyst: {collection.analyst_slug} ({collection.analyst_statements} statements)."
    )
    if args.json:
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "platform": platform.platform(),
            },
            "articles": args.articles,
            "requests": args.requests,
            "seed": SEED,
            "collection": asdict(collection),
            "results": [asdict(r) for r in results],
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

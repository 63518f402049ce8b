"""Newsroom benchmark: latency and SQL queries of the public pages, the API and the admin.

    .venv/bin/python bench/run.py [--articles N] [--requests M] [--database-url URL]
                                  [--json out.json] [--verbose]

Builds a throwaway database (a SQLite file in a temporary folder, or a fresh database
on the PostgreSQL server of `--database-url`, dropped afterwards), fills it with a
deterministic collection of published articles (`bench/generate.py`), then requests
each endpoint through Django's test client (in process, no network), cold (cache
cleared before every request: the uncached path) and warm (served from the cache), and
prints per endpoint the median and p95 latency and the number of SQL queries; the
editors' admin pages are measured signed in (never cached). `--verbose` prints every
query's plan. See bench/README.md.

Not a test: nothing here asserts a time. Compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import ThrowawayPostgres, configure_environment  # noqa: E402
from bench.report import print_plans, table  # noqa: E402

SEED = 20250601


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
    parser.add_argument("--verbose", action="store_true", help="print every query's plan")
    args = parser.parse_args(argv)
    if args.articles < 50:
        parser.error("--articles must be at least 50")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    if args.database_url and urlsplit(args.database_url).scheme not in {"postgres", "postgresql"}:
        parser.error("--database-url must be a postgres:// URL")
    return args


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
        return run(args)
    finally:
        if postgres is not None:
            postgres.drop()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    import django

    # WhiteNoise looks for collectstatic's folder, which a benchmark does not need.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.conf import settings

    # A cache of this process only: clearing it is part of the benchmark.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import measure
    from bench.generate import generate

    # As in production: no SQL logging, templates without debug information.
    settings.DEBUG = False
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the probes' 404s
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    collection = generate(args.articles, random.Random(SEED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if connection.vendor == "sqlite":
        database = f"sqlite {connection.Database.sqlite_version}"
    else:
        database = f"postgresql {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    print(
        f"{database}: migrated in {migrate_seconds:.1f} s; generated in "
        f"{collection.seconds:.1f} s + search index {collection.index_seconds:.1f} s: "
        f"{collection.articles} published articles (+{collection.drafts} in review), "
        f"{collection.sections} sections, {collection.attributions} statements by "
        f"{collection.analysts} analysts, {collection.blocks} blocks, "
        f"{collection.translations} fr translations, {collection.proposals} proposals with "
        f"{collection.terms} terms, {collection.topics} topics",
        flush=True,
    )

    client = Client()
    targets = measure.endpoints(client, collection)
    for endpoint in targets:  # compiles templates, fills Python-level caches, snapshots
        client.get(endpoint.url)
    editor = User.objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    staff = Client()
    staff.force_login(editor)
    for endpoint in measure.STAFF_ENDPOINTS:
        staff.get(endpoint.url)
    results: list[measure.Result] = []
    for endpoint in targets:
        for mode in ("cold", "warm"):
            results.append(measure.measure(client, endpoint, mode, args.requests))
    for endpoint in measure.STAFF_ENDPOINTS:
        results.append(measure.measure(staff, endpoint, "cold", args.requests))
    hook = measure.time_publication_hook(list(range(1, args.articles, args.articles // 20)))
    print()
    print(table(results))
    print()
    print(
        f"{args.requests} requests per endpoint and mode; ms; q = SQL queries per request; "
        f"cold = cache cleared before each request (staff pages: signed in, never cached). "
        f"Article: {collection.article_slug}; analyst: {collection.analyst_slug} "
        f"({collection.analyst_statements} statements). On commit of a change to one "
        f"story (snapshots, search rows, cache tags): median {hook[0]} ms, p95 {hook[1]} ms."
    )
    searches = [e for e in targets if e.name.startswith("search")]
    print_plans(client, targets if args.verbose else searches, measure.plans)
    if args.verbose:
        print_plans(staff, measure.STAFF_ENDPOINTS, measure.plans)
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
            "publication_hook_ms": {"median": hook[0], "p95": hook[1]},
            "results": [asdict(r) for r in results],
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

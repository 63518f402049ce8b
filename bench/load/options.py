"""Arguments of the load test and the scenarios' weights."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
PGBIN = Path(os.environ.get("LOADTEST_PGBIN", "/usr/lib/postgresql/15/bin"))
SEED = 20250601
HIGH_RATE = "1000000/minute"
DEFAULT_MIX = "reader=45,api=25,translate=15,review=7,edit=5,workflow=3"
TOKEN_RE = re.compile(r"\[lt:([0-9a-f]+)\]")
REQUEST_TIMEOUT = 30.0


# -- arguments -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(
        description="Newsroom load and fault check (see bench/LOADTEST.md)."
    )
    parser.add_argument("--seconds", type=float, default=float(env.get("LOADTEST_SECONDS", 60)),
                        help="length of the load phase (default 60; LOADTEST_SECONDS)")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=16,
                        help="client threads (default 16)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--articles", type=int, default=300,
                        help="published articles to generate (default 300)")  # fmt: skip
    parser.add_argument("--rate", type=float, default=0.0,
                        help="at most this many requests per second in all (default 0: "
                             "as fast as the server answers)")  # fmt: skip
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="stop after this many requests (default 200000)")  # fmt: skip
    parser.add_argument("--mix", default=DEFAULT_MIX,
                        help=f"weights of the scenarios (default {DEFAULT_MIX})")  # fmt: skip
    parser.add_argument("--throttle-anon", default=env.get("LOADTEST_THROTTLE_ANON", HIGH_RATE),
                        help="NEWSROOM_API_THROTTLE_ANON for the run (default "
                             f"{HIGH_RATE}, or LOADTEST_THROTTLE_ANON)")  # fmt: skip
    parser.add_argument("--throttle-user", default=env.get("LOADTEST_THROTTLE_USER", HIGH_RATE),
                        help="NEWSROOM_API_THROTTLE_USER for the run (default "
                             f"{HIGH_RATE}, or LOADTEST_THROTTLE_USER)")  # fmt: skip
    parser.add_argument("--database-url", default=env.get("DATABASE_URL", ""),
                        help="a PostgreSQL server to use instead of starting one: a "
                             "throwaway database is made there, then dropped "
                             "(default: DATABASE_URL)")  # fmt: skip
    parser.add_argument("--pg-port", type=int, default=int(env.get("LOADTEST_PG_PORT", 54334)),
                        help="port of the throwaway PostgreSQL (default 54334)")  # fmt: skip
    parser.add_argument("--port", type=int, default=0,
                        help="gunicorn's port on 127.0.0.1 (default: a free one)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--log-dir", help="keep gunicorn's and PostgreSQL's logs here")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 3600:
        parser.error("--seconds must be in (0, 3600]")
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be in [1, 256]")
    if args.articles < 50:
        parser.error("--articles must be at least 50")
    try:
        args.weights = parse_mix(args.mix)
    except ValueError as error:
        parser.error(f"--mix: {error}")
    if args.database_url and urlsplit(args.database_url).scheme not in {"postgres", "postgresql"}:
        parser.error("--database-url (DATABASE_URL) must be a postgres:// URL")
    return args


SCENARIOS = ("reader", "api", "translate", "review", "edit", "workflow")


def parse_mix(text: str) -> dict[str, float]:
    weights = {}
    for part in text.split(","):
        name, _sep, value = part.partition("=")
        name = name.strip()
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r} (one of {', '.join(SCENARIOS)})")
        weights[name] = float(value)
    if sum(weights.values()) <= 0:
        raise ValueError("the weights add up to nothing")
    return weights

"""The load test's entry point: set up, load, report, clean up."""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.database import ThrowawayPostgres
from bench.load.client import Run
from bench.load.options import REQUEST_TIMEOUT, ROOT, parse_args
from bench.load.report import report
from bench.load.servers import Gunicorn, Postgres, free_port
from bench.load.setup import prepare
from bench.load.users import VirtualUser

# -- main ------------------------------------------------------------------------------------


def drop_database(database) -> None:
    from psycopg import sql

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - Django may not be set up yet
        pass
    try:
        with database._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(database.name)
                )
            )
    except Exception as error:  # noqa: BLE001 - reported; a throwaway server goes anyway
        print(f"could not drop the database {database.name}: {error}", file=sys.stderr)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-loadtest-"))
    os.chmod(workdir, 0o755)  # the postgres user reaches its folder inside
    postgres: Postgres | None = None
    database = None
    gunicorn: Gunicorn | None = None
    status = 2
    try:
        if args.database_url:
            server_url = args.database_url
        else:
            postgres = Postgres(workdir, args.pg_port)
            print(f"starting PostgreSQL on 127.0.0.1:{args.pg_port} ({postgres.dir})", flush=True)
            postgres.start()
            server_url = postgres.url
        database = ThrowawayPostgres(server_url)
        database.name = f"newsroom_loadtest_{os.getpid()}"
        parts = urlsplit(server_url)
        database.url = urlunsplit(
            (parts.scheme, parts.netloc, "/" + database.name, parts.query, "")
        )
        database.create()
        print(f"database: {database.name} (dropped at the end)", flush=True)

        password = secrets.token_urlsafe(16)
        static_root = workdir / "static"
        (workdir / "newsroom_loadtest_settings.py").write_text(
            "# Written by bench/loadtest.py: production settings, static files collected\n"
            "# into the run's temporary folder.\n"
            "from newsroom.settings import *  # noqa: F403\n\n"
            f"STATIC_ROOT = {str(static_root)!r}\n"
        )
        env = {
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "newsroom_loadtest_settings",
            "DATABASE_URL": database.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "NEWSROOM_CACHE_DIR": str(workdir / "cache"),  # the run's own shared cache
            "NEWSROOM_DEMO_PASSWORD": password,
            "NEWSROOM_API_THROTTLE_ANON": args.throttle_anon,
            "NEWSROOM_API_THROTTLE_USER": args.throttle_user,
            "PYTHONUNBUFFERED": "1",
        }
        os.environ.pop("REDIS_URL", None)  # the file cache, as gunicorn gets
        os.environ.update(env)
        sys.path[:0] = [str(workdir), str(ROOT)]
        print("migrating, collecting static files, loading content…", flush=True)
        plan = prepare(args, password)
        print(plan.summary, flush=True)

        port = args.port or free_port()
        gunicorn = Gunicorn(workdir, port, args.workers, env)
        gunicorn.start()
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{port}, DEBUG off; throttles "
            f"anon {args.throttle_anon}, user {args.throttle_user}",
            flush=True,
        )
        weights = ", ".join(f"{k} {v:g}" for k, v in args.weights.items())
        print(
            f"load: {args.seconds:g} s, {args.concurrency} threads, mix {weights}"
            + (f", at most {args.rate:g} req/s" if args.rate else ""),
            flush=True,
        )
        sign_in_limit = 180.0
        run = Run("127.0.0.1", port, time.monotonic() + sign_in_limit, args.max_requests, args.rate)
        ready = threading.Barrier(
            args.concurrency, action=lambda: run.start_clock(args.seconds), timeout=sign_in_limit
        )
        users = [
            VirtualUser(i, run, plan, args.weights, args.seed) for i in range(args.concurrency)
        ]
        threads = [threading.Thread(target=u.loop, args=(ready,), daemon=True) for u in users]
        for t in threads:
            t.start()
        give_up = time.monotonic() + sign_in_limit + args.seconds + REQUEST_TIMEOUT + 10
        try:
            for t in threads:
                t.join(timeout=max(0.0, give_up - time.monotonic()))
        finally:
            run.stop.set()
            ready.abort()
        if not run.measuring:
            errors = "\n".join(run.client_errors[:5])
            raise SystemExit(f"the virtual users could not all sign in:\n{errors}")
        elapsed = min(time.monotonic(), run.deadline) - run.started
        stuck = sum(t.is_alive() for t in threads)
        if stuck:
            print(f"{stuck} client threads still waiting for an answer: left behind", flush=True)
        gunicorn.stop()
        status, summary = report(run, elapsed, gunicorn.log, args)
        if args.json:
            summary.update(
                date=datetime.now(UTC).isoformat(timespec="seconds"),
                machine={
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                setup=plan.summary,
                args={k: v for k, v in vars(args).items() if k not in {"database_url"}},
            )
            Path(args.json).write_text(json.dumps(summary, indent=2, default=str) + "\n")
            print(f"written: {args.json}")
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", flush=True)
        status = 130
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if args.log_dir:
            keep = Path(args.log_dir)
            keep.mkdir(parents=True, exist_ok=True)
            for source, name in (
                (workdir / "gunicorn.log", "gunicorn.log"),
                (workdir / "gunicorn-stdout.log", "gunicorn-stdout.log"),
                (workdir / "pg" / "log", "postgres.log"),
            ):
                if source.exists():
                    shutil.copy(source, keep / name)
        if database is not None:
            drop_database(database)
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return status

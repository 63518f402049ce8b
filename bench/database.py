"""The benchmark's throwaway database and settings (also used by the load test)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


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
    # Never a shared Redis: the benchmark clears its cache (run.py sets a local one).
    os.environ.pop("REDIS_URL", None)
    # Hundreds of API requests a minute from one "client": no throttling here.
    os.environ["NEWSROOM_API_THROTTLE_ANON"] = "100000000/minute"
    os.environ["NEWSROOM_API_THROTTLE_USER"] = "100000000/minute"

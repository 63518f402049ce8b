"""Read replicas: anonymous readers' reads from a replica, everything else from the primary.

With `DATABASE_REPLICA_URLS` set, `ReplicaMiddleware` picks, per request, where reads
go, and `ReplicaRouter` sends them there:

- a replica for an anonymous reader's GET of the public site or API (no session
  cookie, no `Authorization` header, no recent write of theirs), when one is up and
  caught up (`NEWSROOM_REPLICA_MAX_LAG` seconds at most behind the primary);
- the primary for everything else: staff and signed-in users, every write (and the
  reads of a request that writes), and for `NEWSROOM_REPLICA_STICKY_SECONDS` after a
  browser's last POST (a cookie): a user who just wrote reads it back (read-your-writes).

Replica health is checked at most once a second per process, on the replica alone
(streaming, replayed all it received, age of its last replayed commit). A replica that
is down or lags is left out until it has caught up; a query failing on a replica during
a request marks it down and the view runs again on the primary: never a 500 for it.

Pages served from a replica are cached as made when the replica's data was current
(`data_as_of()`), so a change committed later still invalidates them (see
`articles.site.cache`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

WROTE_COOKIE = "newsroom_wrote"
# Never from a replica: staff, the translators' workspace, sign-in, tokens, and the
# API's translation workflow; the health check asks the primary.
PRIMARY_PATHS = ("/admin/", "/translate/", "/accounts/", "/api/v1/auth/",
                 "/api/v1/translations/", "/healthz")  # fmt: skip
CHECK_EVERY = 1.0  # seconds between health checks of a replica, per process
DOWN_FOR = 5.0  # seconds a replica that failed is left alone

_reads_from: ContextVar[str | None] = ContextVar("newsroom_reads_from", default=None)


class ReplicaRouter:
    """Reads where the request's middleware said (the primary by default); writes,
    migrations and everything outside a request on the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        return _reads_from.get()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the very same rows

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == "default"


@contextmanager
def primary() -> Iterator[None]:
    """Reads inside go to the primary (a rebuild that must read what it then writes)."""
    token = _reads_from.set(None)
    try:
        yield
    finally:
        _reads_from.reset(token)


def data_as_of() -> float:
    """A time (time.time()) such that the data this request reads holds every commit
    made before it: now on the primary, the replica's last known catch-up on one."""
    alias = _reads_from.get()
    if alias is None:
        return time.time()
    return _health(alias).caught_up_at


# -- health ------------------------------------------------------------------------------


@dataclass
class Health:
    checked: float = float("-inf")  # time.monotonic() of the last check
    usable: bool = False
    caught_up_at: float = 0.0  # time.time() up to which every commit is on the replica
    down_until: float = float("-inf")


_lock = threading.Lock()
_healths: dict[str, Health] = {}
# Asked of the replica: is it streaming from the primary, has it replayed all it has
# received, and when was the last transaction it replayed committed (primary's clock).
LAG_SQL = """
SELECT coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
       pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
       extract(epoch FROM pg_last_xact_replay_timestamp())
"""


def _health(alias: str) -> Health:
    with _lock:
        return _healths.setdefault(alias, Health())


def usable_replica() -> str | None:
    """A replica that is up and caught up, or None."""
    for alias in settings.NEWSROOM_REPLICAS:
        health = _health(alias)
        now = time.monotonic()
        if now < health.down_until:
            continue
        if now - health.checked >= settings.NEWSROOM_REPLICA_CHECK_EVERY:
            check(alias)
        if health.usable:
            return alias
    return None


def check(alias: str) -> Health:
    """How far behind the primary the replica is: it is usable when streaming and
    either done replaying what it received, or its last replayed commit is at most
    `NEWSROOM_REPLICA_MAX_LAG` seconds old."""
    health = _health(alias)
    health.checked, wall = time.monotonic(), time.time()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            streaming, replayed_all, last_commit = cursor.fetchone()
    except DatabaseError:
        mark_down(alias)
        return health
    if replayed_all:
        health.caught_up_at = wall
    else:
        health.caught_up_at = float(last_commit) if last_commit is not None else 0.0
    lag = wall - health.caught_up_at
    health.usable = bool(streaming) and lag <= settings.NEWSROOM_REPLICA_MAX_LAG
    return health


def mark_down(alias: str) -> None:
    health = _health(alias)
    health.usable = False
    health.down_until = time.monotonic() + DOWN_FOR
    connections[alias].close()


# -- per request -------------------------------------------------------------------------


def reads_from(request: HttpRequest) -> str | None:
    """Where this request's reads go: a replica alias, or None for the primary."""
    if not settings.NEWSROOM_REPLICAS or request.method not in {"GET", "HEAD"}:
        return None
    if request.path.startswith(PRIMARY_PATHS) or "HTTP_AUTHORIZATION" in request.META:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:  # signed in (or signing in)
        return None
    wrote = request.COOKIES.get(WROTE_COOKIE, "")
    try:
        if time.time() - float(wrote) < settings.NEWSROOM_REPLICA_STICKY_SECONDS:
            return None
    except ValueError:
        pass
    return usable_replica()


class ReplicaMiddleware:
    """Sends the request's reads where `reads_from()` says; marks browsers that write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads_from.set(reads_from(request))
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        if settings.NEWSROOM_REPLICAS and request.method not in {"GET", "HEAD", "OPTIONS"}:
            response.set_cookie(
                WROTE_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.NEWSROOM_REPLICA_STICKY_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A replica that failed mid-request: left out, and the view runs again on the
        primary (reads only: a request that writes never reads from a replica)."""
        alias = _reads_from.get()
        if alias is None or not isinstance(exception, OperationalError | InterfaceError):
            return None
        mark_down(alias)
        _reads_from.set(None)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)

"""Newsroom load and fault check: the real server under a mixed load, then the books.

    .venv/bin/python bench/loadtest.py [--seconds S] [--concurrency C] [--articles N]
                                       [--database-url URL] [--rate R] [--json PATH]

1. A throwaway PostgreSQL 15 server on 127.0.0.1 (initdb into a temporary folder, as
   the `postgres` user when run as root), or, with DATABASE_URL / --database-url, a
   throwaway database of its own on that server (dropped at the end).
2. Migrations, collectstatic (into a temporary STATIC_ROOT), the demo accounts and
   samples (`load_demo`), a generated collection (bench/run.py's `generate`), and
   extra editors and translators.
3. gunicorn with 4 workers, DEBUG off (DJANGO_DEBUG=0, a generated DJANGO_SECRET_KEY,
   DJANGO_ALLOWED_HOSTS=127.0.0.1); requests carry `X-Forwarded-Proto: https` as
   from a TLS-terminating proxy. The API throttles are set high for the run.
4. For S seconds (default 60, LOADTEST_SECONDS), C threads (default 16) mix anonymous
   readers (pages and API GETs), translators submitting versions through the API,
   editors reviewing them (API and the admin's side-by-side page), editing articles
   and attributions in the admin (GET the change form, POST it back) and moving
   articles through the workflow with the admin's buttons.
5. Prints requests, req/s, p50/p99, every non-2xx/3xx response grouped (429 apart),
   the server's tracebacks, then checks every submitted translation version exists
   exactly once with gapless numbers per article and language.

Exits 1 on any 5xx, connection failure, lost/duplicated/misnumbered version or client
error; 0 otherwise. Not a test: nothing here asserts a time. See bench/LOADTEST.md.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import io
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http import client as http_client
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PGBIN = Path(os.environ.get("LOADTEST_PGBIN", "/usr/lib/postgresql/15/bin"))
SEED = 20250601
HIGH_RATE = "1000000/minute"
DEFAULT_MIX = "reader=45,api=25,translate=15,review=7,edit=5,workflow=3"
TOKEN_RE = re.compile(r"\[lt:([0-9a-f]+)\]")
REQUEST_TIMEOUT = 30.0


# -- arguments -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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


# -- processes: PostgreSQL and gunicorn ----------------------------------------------------


def _bench_module():
    """bench/run.py, for its collection generator and throwaway-database helper."""
    spec = importlib.util.spec_from_file_location("newsroom_bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this script dies (Linux), so no server outlives it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Postgres:
    """A throwaway PostgreSQL server on 127.0.0.1:port, data in a temporary folder."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.dir = workdir / "pg"
        self.port = port
        self.started = False
        self.as_root = os.geteuid() == 0

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        # In a session of its own: a Ctrl-C meant for this script never reaches the server.
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, timeout=120, start_new_session=True
        )

    @property
    def url(self) -> str:
        return f"postgres://newsroom@127.0.0.1:{self.port}/postgres"

    @property
    def log(self) -> Path:
        return self.dir / "log"

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(
                    f"port {self.port} is taken: choose another with --pg-port, or pass a "
                    "running server with --database-url"
                )
        if not (PGBIN / "initdb").exists():
            raise SystemExit(f"no PostgreSQL at {PGBIN} (apt-get install postgresql-15)")
        self.dir.mkdir()
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run(str(PGBIN / "initdb"), "-D", str(self.dir / "data"), "-U", "newsroom",
                  "--auth=trust", "-E", "UTF8")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self.started = True
        self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.log),
                  "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        try:
            self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                      "-w", "-t", "20", "stop")  # fmt: skip
        except (subprocess.SubprocessError, OSError):
            try:
                self._run(str(PGBIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                          "stop")  # fmt: skip
            except (subprocess.SubprocessError, OSError) as error:
                print(f"could not stop PostgreSQL in {self.dir}: {error}", file=sys.stderr)


class Gunicorn:
    def __init__(self, workdir: Path, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self.workers = workers
        self.env = env
        self.log = workdir / "gunicorn.log"  # stderr: gunicorn's and Django's logs
        self.mail = workdir / "gunicorn-stdout.log"  # stdout: the console e-mail backend
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
            "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "30", "--graceful-timeout", "10", "--chdir", str(ROOT),
            "--log-level", "info", "--error-logfile", "-",
        ]  # fmt: skip
        if _gunicorn_has("control_socket_disable"):
            cmd.append("--no-control-socket")  # gunicorn 25+: none in $HOME, shared by all
        with open(self.log, "wb") as err, open(self.mail, "wb") as out:
            self.process = subprocess.Popen(
                cmd,
                env=self.env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches us; we stop it in order
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}:\n" + tail(self.log, 40)
                )
            try:
                conn = http_client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    time.sleep(1.0)  # let the other workers finish booting
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s:\n" + tail(self.log, 40))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _gunicorn_has(setting: str) -> bool:
    import gunicorn.config

    return any(s.name == setting for s in gunicorn.config.KNOWN_SETTINGS)


def tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- setting up the data ---------------------------------------------------------------------


@dataclass
class ArticleRef:
    pk: int
    slug: str
    state: str
    languages: list[str]  # published texts
    targets: list[str]  # languages a translation may be submitted in
    leads: list[bool]  # per section of the source: True for the lead (no heading)


@dataclass
class Plan:
    """What the virtual users work on, read from the database before the run."""

    password: str
    editors: list[str]
    translators: list[str]
    readable: list[ArticleRef]  # published, never unpublished during the run
    hot: list[ArticleRef]  # where translators concentrate (numbering races)
    translatable: list[ArticleRef]
    workflow: list[ArticleRef]  # articles editors move through the workflow
    hot_drafts: list[ArticleRef]  # in review and translated: approved, then published
    churn: set[int]  # of those, the ones that may be unpublished and reopened
    editable: list[ArticleRef]
    attributions: list[int]
    topics: list[str]
    analysts: list[str]
    proposals: list[str]
    search_words: list[str]
    summary: str


def prepare(args: argparse.Namespace, password: str) -> Plan:
    """Migrate, collect static files, load demo and generated content, make the users."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    bench = _bench_module()
    collection = bench.generate(args.articles, random.Random(args.seed))
    call_command("load_demo", stdout=io.StringIO())
    editors = ["editor"] + [f"loadtest-editor-{i}" for i in range(1, 4)]
    translators = ["translator"] + [f"loadtest-translator-{i}" for i in range(1, 8)]
    for names, group in ((editors, "Editors"), (translators, "Translators")):
        for name in names:
            user = User.objects.filter(username=name).first() or User.objects.create_user(
                name, f"{name}@example.org", password, is_staff=group == "Editors"
            )
            user.set_password(password)  # load_demo made the demo accounts with it too
            user.save()
            user.groups.add(Group.objects.get(name=group))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = _plan(args, password, editors, translators, bench)
    plan.summary = (
        f"{collection.articles} generated published articles (+{collection.drafts} in review), "
        f"{collection.translations} fr translations, {collection.proposals} proposals, "
        f"the 5 demo samples; {len(editors)} editors, {len(translators)} translators; "
        f"set up in {time.perf_counter() - started:.1f} s"
    )
    return plan


def _plan(args, password, editors, translators, bench) -> Plan:
    from django.conf import settings
    from django.db import connections
    from django.db.models import F

    from articles.models import Analyst, Article, Attribution, Topic, TranslationVersion
    from proposals.models import Proposal

    rng = random.Random(args.seed + 1)
    codes = [code for code, _name in settings.LANGUAGES]
    live_versions = defaultdict(set)
    for article_id, language in TranslationVersion.objects.filter(state="published").values_list(
        "article_id", "language"
    ):
        live_versions[article_id].add(language)
    refs = []
    for article in Article.objects.prefetch_related("sections").order_by("pk"):
        if article.state in {"archived", "rejected"}:
            continue
        languages = sorted({article.language} | live_versions[article.pk])
        refs.append(
            ArticleRef(
                pk=article.pk,
                slug=article.slug,
                state=article.state,
                languages=languages if article.state == "published" else [],
                targets=[c for c in codes if c != article.original_language],
                leads=[not s.heading for s in article.sections.all()],
            )
        )
    published = [r for r in refs if r.state == "published"]
    in_review = [r for r in refs if r.state == "in_review"]
    by_pk = {r.pk: r for r in refs}
    generated = [r for r in published if r.slug.startswith("article-")]
    demo = [r for r in published if not r.slug.startswith("article-")]
    # Hot: the demo articles (imported, some translated copies), two translated
    # generated articles, two of the generated base texts translated from French, and
    # three articles in review that editors approve and publish during the run.
    translated_copies = [
        by_pk[pk]
        for pk in Article.objects.filter(state="published", slug__startswith="article-")
        .exclude(language=F("original_language"))
        .values_list("pk", flat=True)[:2]
    ]
    with_fr = [
        by_pk[pk]
        for pk in TranslationVersion.objects.filter(
            state="published", language="fr", article__slug__startswith="article-"
        ).values_list("article_id", flat=True)[:2]
    ]
    hot_drafts = in_review[:3]
    hot = demo + translated_copies + with_fr + hot_drafts
    hot_pks = {r.pk for r in hot}
    churn = [r for r in generated if r.pk not in hot_pks][-4:]
    churn_pks = {r.pk for r in churn}
    readable = [r for r in published if r.pk not in churn_pks]
    readable_pks = {r.pk for r in readable}
    analysts = sorted(
        Analyst.objects.filter(
            attributions__article_id__in=readable_pks, attributions__state="published"
        )
        .values_list("slug", flat=True)
        .distinct()
    )
    proposals = sorted(
        Proposal.objects.filter(state="published", articles__in=readable_pks)
        .values_list("slug", flat=True)
        .distinct()
    )
    topics = sorted(
        Topic.objects.filter(articles__in=readable_pks).values_list("slug", flat=True).distinct()
    )
    attributions = list(
        Attribution.objects.filter(article_id__in=readable_pks).values_list("pk", flat=True)
    )
    connections.close_all()
    return Plan(
        password=password,
        editors=editors,
        translators=translators,
        readable=readable,
        hot=hot,
        translatable=[r for r in refs if r.pk not in churn_pks and r.targets],
        workflow=in_review + churn,
        hot_drafts=hot_drafts,
        churn=churn_pks,
        editable=hot + rng.sample(readable, min(40, len(readable))) + in_review,
        attributions=rng.sample(attributions, min(200, len(attributions))),
        topics=topics,
        analysts=analysts,
        proposals=proposals,
        search_words=sorted(set(bench.WORDS))[:60] + ["zaporizhzhia", "ceasefire negotiations"],
        summary="",
    )


# -- the HTTP client -------------------------------------------------------------------------


class Stop(Exception):
    """The run is over (time or request budget): the virtual user leaves."""


@dataclass
class Record:
    scenario: str
    method: str
    template: str
    path: str
    status: int  # 0: no answer (connection refused/reset, timeout)
    ms: float
    detail: str = ""  # first line of the body for non-2xx/3xx, or the exception


@dataclass
class Submission:
    token: str
    article: str
    language: str
    status: int
    id: int | None = None
    version: int | None = None


@dataclass
class Run:
    host: str
    port: int
    deadline: float
    max_requests: int
    rate: float
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    records: list[Record] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # e.g. ("admin edit", "saved")
    refusals: Counter = field(default_factory=Counter)  # unexpected form errors
    client_errors: list[str] = field(default_factory=list)
    next_slot: float = 0.0
    issued: int = 0
    # Sign-in (PBKDF2: ~0.4 s of CPU each) happens before the clock starts; its
    # requests are kept apart from the measured ones.
    measuring: bool = False
    started: float = 0.0
    setup_records: list[Record] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # one API token per account
    token_locks: defaultdict = field(default_factory=lambda: defaultdict(threading.Lock))

    def start_clock(self, seconds: float) -> None:
        """Called once every virtual user has signed in (threading.Barrier's action)."""
        self.started = time.monotonic()
        self.deadline = self.started + seconds
        self.measuring = True

    def keep(self, record: Record) -> None:
        with self.lock:
            (self.records if self.measuring else self.setup_records).append(record)

    def admit(self) -> None:
        """Count the request against the budgets, pacing to --rate."""
        with self.lock:
            if self.stop.is_set() or time.monotonic() >= self.deadline:
                self.stop.set()
                raise Stop
            if not self.measuring:
                return
            if self.issued >= self.max_requests:
                self.stop.set()
                raise Stop
            self.issued += 1
            wait = 0.0
            if self.rate > 0:
                now = time.monotonic()
                slot = max(now, self.next_slot)
                self.next_slot = slot + 1.0 / self.rate
                wait = slot - now
        if wait > 0:
            time.sleep(wait)


@dataclass
class Response:
    status: int
    headers: http_client.HTTPMessage | None
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def first_line(response: Response) -> str:
    """What a person would read first in an error body, on one line."""
    ctype = response.headers.get("Content-Type", "") if response.headers else ""
    text = response.text
    if "html" in ctype:
        for pattern in (
            r'class="errornote"[^>]*>(.*?)</',
            r"<h1[^>]*>(.*?)</h1>",
            r"<title>(.*?)<",
        ):
            match = re.search(pattern, text, re.S)
            if match:
                text = match.group(1)
                break
        text = re.sub(r"<[^>]+>", " ", text)
    line = " ".join(text.split())
    return line[:200] + ("…" if len(line) > 200 else "")


class Client:
    """One person's browser or API client: cookies, CSRF, a token; no redirects followed."""

    def __init__(self, run: Run, scenario_ref: list[str]) -> None:
        self.run = run
        self.scenario_ref = scenario_ref  # the running scenario's name, for the records
        self.conn: http_client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    @property
    def origin(self) -> str:
        return f"https://{self.run.host}:{self.run.port}"

    def request(
        self,
        method: str,
        path: str,
        template: str,
        *,
        form: dict | list | None = None,
        json_body=None,
        token: bool = False,
    ) -> Response:
        self.run.admit()
        headers = {
            "Host": f"{self.run.host}:{self.run.port}",
            "X-Forwarded-Proto": "https",  # as behind the TLS-terminating proxy
            "User-Agent": "newsroom-loadtest",
            "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET" and not token:
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        if token and self.token:
            headers["Authorization"] = f"Token {self.token}"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http_client.HTTPConnection(
                    self.run.host, self.run.port, timeout=REQUEST_TIMEOUT
                )
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        except (OSError, http_client.HTTPException) as error:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            record = Record(
                self.scenario_ref[0], method, template, path, 0,
                (time.perf_counter() - started) * 1000, f"{type(error).__name__}: {error}",
            )  # fmt: skip
            self.run.keep(record)
            return Response(0, None, b"")
        elapsed = (time.perf_counter() - started) * 1000
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        detail = "" if 200 <= response.status < 400 else first_line(response)
        record = Record(
            self.scenario_ref[0], method, template, path, response.status, elapsed, detail
        )
        self.run.keep(record)
        return response

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class FormParser(HTMLParser):
    """The fields a browser would submit from the forms of a page (by form id/index)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"id", "action", "fields": [(name, value)]}
        self.links: list[str] = []
        self._form: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: dict | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"id": a.get("id", ""), "action": a.get("action"), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        disabled = "disabled" in a
        if tag == "input" and name and not disabled:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            elif kind not in {"submit", "button", "image", "file", "reset"}:
                self._add(name, a.get("value") or "")
        elif tag == "textarea" and name and not disabled:
            self._textarea = (name, [])
        elif tag == "select" and name and not disabled:
            self._select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
            self._select["options"].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            value = "".join(parts)
            # HTML drops one newline right after <textarea>; Django writes one.
            self._add(name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"]
                self._add(
                    self._select["name"], value if value is not None else "".join(option["text"])
                )
            self._select = None
        elif tag == "form":
            self._form = None

    def _add(self, name: str, value: str) -> None:
        if self._form is not None and "__prefix__" not in name:
            self._form["fields"].append((name, value))


def parse_page(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser


# -- the virtual users -----------------------------------------------------------------------


class ScriptError(Exception):
    """The server answered something this script cannot go on from (reported)."""


class VirtualUser:
    """One thread: picks a scenario by weight, again and again, until the run is over."""

    def __init__(self, number: int, run: Run, plan: Plan, weights: dict[str, float], seed: int):
        self.number = number
        self.run = run
        self.plan = plan
        self.rng = random.Random(seed * 1000 + number)
        self.names = list(weights)
        self.weights = [weights[n] for n in self.names]
        self.scenario = ["setup"]
        self.anon = Client(run, self.scenario)
        self.editor = Client(run, self.scenario)
        self.translator = Client(run, self.scenario)
        self.editor_name = plan.editors[number % len(plan.editors)]
        self.translator_name = plan.translators[number % len(plan.translators)]
        self.api_next: str | None = None
        self.submitted = 0

    def sign_in(self) -> None:
        self.scenario[0] = "sign-in"
        self._api_login(self.translator, self.translator_name)
        self._api_login(self.editor, self.editor_name)
        self._admin_login()

    def loop(self, ready: threading.Barrier) -> None:
        try:
            try:
                self.sign_in()
            except Exception as error:  # noqa: BLE001 - reported; the scenarios retry
                self._client_error("sign-in", error)
            try:
                ready.wait()
            except threading.BrokenBarrierError:
                return
            while not self.run.stop.is_set():
                name = self.rng.choices(self.names, self.weights)[0]
                self.scenario[0] = name
                try:
                    getattr(self, name)()
                except Stop:
                    break
                except Exception as error:  # noqa: BLE001 - reported, the run goes on
                    self._client_error(name, error)
        except Stop:
            pass
        finally:
            for c in (self.anon, self.editor, self.translator):
                c.close()

    def _client_error(self, name: str, error: Exception) -> None:
        with self.run.lock:
            self.run.client_errors.append(
                f"{name}: {type(error).__name__}: {error}\n" + traceback.format_exc(limit=-2)
            )

    def outcome(self, what: str, result: str) -> None:
        with self.run.lock:
            self.run.outcomes[(what, result)] += 1

    # -- anonymous readers --

    def reader(self) -> None:
        p, rng = self.plan, self.rng
        lang = rng.choice(["en", "en", "en", "fr"])
        article = rng.choice(p.readable)
        pages = [
            (f"/{lang}/", "/<lang>/"),
            (f"/{lang}/?page={rng.randint(2, 5)}", "/<lang>/?page=<n>"),
            (f"/{rng.choice(article.languages)}/articles/{article.slug}/",
             "/<lang>/articles/<slug>/"),
            (f"/{lang}/topics/{rng.choice(p.topics)}/", "/<lang>/topics/<slug>/"),
            (f"/{lang}/analysts/", "/<lang>/analysts/"),
            (f"/{lang}/analysts/{rng.choice(p.analysts)}/", "/<lang>/analysts/<slug>/"),
            (f"/{lang}/proposals/", "/<lang>/proposals/"),
            (f"/{lang}/proposals/{rng.choice(p.proposals)}/", "/<lang>/proposals/<slug>/"),
            (f"/{lang}/proposals/compare/?slugs={','.join(rng.sample(p.proposals, 2))}",
             "/<lang>/proposals/compare/?slugs=<a>,<b>"),
            (f"/{lang}/search/?{urlencode({'q': rng.choice(p.search_words)})}",
             "/<lang>/search/?q=<text>"),
            (f"/{lang}/feed/", "/<lang>/feed/"),
            ("/sitemap.xml", "/sitemap.xml"),
            ("/robots.txt", "/robots.txt"),
        ]  # fmt: skip
        path, template = rng.choices(pages, [8, 2, 14, 4, 2, 4, 2, 3, 3, 4, 2, 1, 1])[0]
        self.anon.request("GET", path, template)

    def api(self) -> None:
        p, rng = self.plan, self.rng
        article = rng.choice(p.readable)
        if self.api_next and rng.random() < 0.3:
            path, self.api_next = self.api_next, None
            template = "/api/v1/articles/?cursor=<c>"
            response = self.anon.request("GET", path, template)
        else:
            choices = [
                ("/api/v1/articles/", "/api/v1/articles/"),
                (f"/api/v1/articles/?topic={rng.choice(p.topics)}", "/api/v1/articles/?topic="),
                ("/api/v1/articles/?language=fr", "/api/v1/articles/?language=fr"),
                (f"/api/v1/articles/{article.slug}/", "/api/v1/articles/<slug>/"),
                (f"/api/v1/articles/{article.slug}/ninjs/", "/api/v1/articles/<slug>/ninjs/"),
                ("/api/v1/analysts/", "/api/v1/analysts/"),
                (f"/api/v1/analysts/{rng.choice(p.analysts)}/", "/api/v1/analysts/<slug>/"),
                ("/api/v1/proposals/", "/api/v1/proposals/"),
                (f"/api/v1/proposals/{rng.choice(p.proposals)}/", "/api/v1/proposals/<slug>/"),
                (f"/api/v1/proposals/compare/?slugs={','.join(rng.sample(p.proposals, 3))}",
                 "/api/v1/proposals/compare/?slugs="),
            ]  # fmt: skip
            path, template = rng.choices(choices, [4, 2, 2, 6, 3, 1, 2, 1, 2, 2])[0]
            response = self.anon.request("GET", path, template)
        if response.status == 200 and template == "/api/v1/articles/":
            next_url = response.json().get("next")
            if next_url:
                parts = urlsplit(next_url)
                self.api_next = parts.path + "?" + parts.query

    # -- translators --

    def _api_login(self, client: Client, username: str) -> bool:
        """An API token for the account (DRF keeps one per user: asked for once)."""
        if client.token:
            return True
        with self.run.token_locks[username]:
            if username not in self.run.tokens:
                response = client.request(
                    "POST",
                    "/api/v1/auth/token/",
                    "/api/v1/auth/token/",
                    json_body={"username": username, "password": self.plan.password},
                    token=True,
                )
                if response.status != 200:
                    return False
                self.run.tokens[username] = response.json()["token"]
            client.token = self.run.tokens[username]
        return True

    def translate(self) -> None:
        p, rng = self.plan, self.rng
        if not self._api_login(self.translator, self.translator_name):
            return
        article = rng.choice(p.hot) if rng.random() < 0.6 else rng.choice(p.translatable)
        language = rng.choice(article.targets)
        if rng.random() < 0.2:
            self.translator.request(
                "GET",
                f"/api/v1/translations/?article={article.slug}&language={language}",
                "/api/v1/translations/?article=&language=",
                token=True,
            )
        self.submitted += 1
        token = f"{self.number:02d}{self.submitted:05d}{secrets.token_hex(3)}"
        body = {
            "article": article.slug,
            "language": language,
            "title": f"[lt:{token}] Traduction {self.submitted} par {self.translator_name}",
            "standfirst": "Chapeau traduit pendant le test de charge.",
            "sections": [
                {
                    "heading": "" if lead else f"Intertitre {n}",
                    "paragraphs": [f"Paragraphe {n}.1 ({token}).", f"Paragraphe {n}.2."],
                }
                for n, lead in enumerate(article.leads, 1)
            ],
        }
        response = self.translator.request(
            "POST", "/api/v1/translations/", "/api/v1/translations/", json_body=body, token=True
        )
        submission = Submission(token, article.slug, language, response.status)
        if response.status == 201:
            data = response.json()
            submission.id, submission.version = data["id"], data["version"]
        with self.run.lock:
            self.run.submissions.append(submission)

    # -- editors --

    def _admin_login(self) -> bool:
        if "sessionid" in self.editor.cookies:
            return True
        self.editor.request("GET", "/admin/login/?next=/admin/", "/admin/login/")
        response = self.editor.request(
            "POST",
            "/admin/login/?next=/admin/",
            "/admin/login/",
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "username": self.editor_name,
                "password": self.plan.password,
                "next": "/admin/",
            },
        )
        return response.status == 302 and "sessionid" in self.editor.cookies

    def review(self) -> None:
        rng = self.rng
        if rng.random() < 0.7:
            if not self._api_login(self.editor, self.editor_name):
                return
            listing = self.editor.request(
                "GET",
                "/api/v1/translations/?status=in_review",
                "/api/v1/translations/?status=in_review",
                token=True,
            )
            if listing.status != 200 or not listing.json()["results"]:
                return
            version = rng.choice(listing.json()["results"])
            action = rng.choices(["approve", "request-changes", "reject"], [70, 20, 10])[0]
            response = self.editor.request(
                "POST",
                f"/api/v1/translations/{version['id']}/{action}/",
                f"/api/v1/translations/<id>/{action}/",
                json_body={"note": f"Load test: {action}."},
                token=True,
            )
            self.outcome(f"API {action}", str(response.status))
            return
        # The admin's side-by-side review page.
        if not self._admin_login():
            return
        queue = self.editor.request("GET", "/admin/review/", "/admin/review/")
        ids = sorted(
            set(re.findall(r"/admin/articles/translationversion/(\d+)/review/", queue.text))
        )
        if not ids:
            return
        pk = rng.choice(ids)
        path = f"/admin/articles/translationversion/{pk}/review/"
        self.editor.request("GET", path, "/admin/articles/translationversion/<id>/review/")
        action = rng.choices(["approve", "request_changes", "reject"], [70, 20, 10])[0]
        response = self.editor.request(
            "POST",
            path,
            "/admin/articles/translationversion/<id>/review/",
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "action": action,
                "note": f"Load test: {action}.",
            },
        )
        self.outcome(f"admin review {action}", str(response.status))

    def edit(self) -> None:
        p, rng = self.plan, self.rng
        if not self._admin_login():
            return
        if rng.random() < 0.75:
            article = rng.choice(p.editable)
            model, pk, field_name = "article", article.pk, "standfirst"
        else:
            model, pk, field_name = "attribution", rng.choice(p.attributions), "statement"
        path = f"/admin/articles/{model}/{pk}/change/"
        template = f"/admin/articles/{model}/<id>/change/"
        page = self.editor.request("GET", path, template)
        if page.status != 200:
            return
        forms = [f for f in parse_page(page.text).forms if f["id"] == f"{model}_form"]
        if not forms:
            raise ScriptError(f"no #{model}_form on {path}")
        fields = forms[0]["fields"]
        stamp = f"[edit {self.number}.{rng.randint(0, 99999)}]"
        edited = []
        for name, value in fields:
            if name == field_name:
                value = re.sub(r"\s*\[edit [\d.]+\]$", "", value) + " " + stamp
            edited.append((name, value))
        edited.append(("_save", "Save"))
        response = self.editor.request("POST", path, template, form=edited)
        if response.status == 302:
            self.outcome(f"admin edit {model}", "saved")
        elif response.status == 200 and "was saved again" in response.text:
            self.outcome(f"admin edit {model}", "refused: stale copy")
        elif response.status == 200:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
            message = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in errors)
            self.outcome(f"admin edit {model}", "refused: form errors")
            with self.run.lock:
                self.run.refusals[(f"admin edit {model}", message[:300] or "(no message)")] += 1

    WORKFLOW_PREFERENCE = {
        # What an editor clicks, in order of preference, by kind of article.
        "draft": ["approve", "publish", "submit"],
        "churn": ["publish", "approve", "submit", "reopen", "unpublish"],
    }

    def workflow(self) -> None:
        p, rng = self.plan, self.rng
        if not self._admin_login():
            return
        # Often one of the hot drafts: publishing an article publishes the translation
        # versions approved meanwhile, while translators go on submitting to it.
        article = rng.choice(p.hot_drafts if rng.random() < 0.4 else p.workflow)
        path = f"/admin/articles/article/{article.pk}/change/"
        page = self.editor.request("GET", path, "/admin/articles/article/<id>/change/")
        if page.status != 200:
            return
        offered = {
            m.group(1): m.group(0)
            for m in re.finditer(
                rf"/admin/articles/article/{article.pk}/transition/(\w+)/", page.text
            )
        }
        kind = "churn" if article.pk in p.churn else "draft"
        actions = [a for a in self.WORKFLOW_PREFERENCE[kind] if a in offered]
        if not actions:
            self.outcome("admin workflow", "nothing to do")
            return
        action = actions[0] if rng.random() < 0.8 else rng.choice(actions)
        url = offered[action]
        template = f"/admin/articles/article/<id>/transition/{action}/"
        self.editor.request("GET", url, template)
        response = self.editor.request(
            "POST",
            url,
            template,
            form={
                "csrfmiddlewaretoken": self.editor.cookies.get("csrftoken", ""),
                "note": f"Load test: {action}.",
            },
        )
        if response.status == 302:
            self.outcome(f"admin workflow {action}", "done")
        elif response.status == 200:
            self.outcome(f"admin workflow {action}", "refused")
            message = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
            text = " ".join(re.sub(r"<[^>]+>", " ", message.group(1)).split()) if message else ""
            with self.run.lock:
                self.run.refusals[(f"admin workflow {action}", text[:300] or "(no message)")] += 1


# -- the report ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def table(rows: list[list[str]], right_from: int = 1) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < right_from else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def server_errors(log: Path) -> tuple[list[dict], Counter]:
    """Tracebacks in gunicorn's stderr, grouped by exception and the deepest project frame;
    and gunicorn's own error lines (worker timeouts, crashes)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    starts = re.compile(r"^(\[\d{4}-\d\d-\d\d |[A-Z][A-Za-z ]+: /)")
    records, current = [], None
    for line in lines:
        if starts.match(line):
            current = [line]
            records.append(current)
        elif current is not None:
            current.append(line)
    groups: dict[tuple, dict] = {}
    gunicorn = Counter()
    for record in records:
        head = record[0]
        if head.startswith("[") and re.search(r"\[(ERROR|CRITICAL)\]", head):
            gunicorn[re.sub(r"\d+", "N", re.sub(r"^\[[^\]]+\] \[\d+\] ", "", head))] += 1
        if not any(line.startswith("Traceback") for line in record):
            continue
        exception = next(
            (
                line
                for line in reversed(record)
                if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Violation|Exit|Interrupt)\b", line)
            ),
            record[-1],
        )
        frames = [
            line.strip()
            for line in record
            if line.startswith('  File "') and str(ROOT) in line and "/.venv/" not in line
        ]
        frame = frames[-1].replace(str(ROOT) + "/", "") if frames else "(no project frame)"
        key = (re.sub(r"\d+", "N", exception)[:160], frame)
        group = groups.setdefault(
            key,
            {
                "count": 0,
                "exception": exception,
                "frame": frame,
                "paths": Counter(),
                "traceback": "\n".join(record),
            },
        )
        group["count"] += 1
        group["paths"][head] += 1
    return sorted(groups.values(), key=lambda g: -g["count"]), gunicorn


def check_versions(run: Run) -> dict:
    """Every submitted version exactly once; numbers 1, 2, 3… per article and language."""
    from articles.models import TranslationVersion

    rows = list(
        TranslationVersion.objects.values_list(
            "pk", "article__slug", "language", "version", "title",
            "article__language", "article__original_language",
        )
    )  # fmt: skip
    by_token: dict[str, list[tuple]] = defaultdict(list)
    by_pk = {}
    per_text: dict[tuple[str, str], list[int]] = defaultdict(list)
    imported_base: set[tuple[str, str]] = set()
    for pk, slug, language, version, title, base_language, original in rows:
        by_pk[pk] = (slug, language, version, title)
        per_text[(slug, language)].append(version)
        if base_language == language and base_language != original:
            imported_base.add((slug, language))
        match = TOKEN_RE.search(title)
        if match:
            by_token[match.group(1)].append((pk, slug, language, version))
    accepted = [s for s in run.submissions if s.status == 201]
    uncertain = [s for s in run.submissions if s.status == 0 or s.status >= 500]
    lost, duplicated, mismatched = [], [], []
    for s in accepted:
        found = by_token.get(s.token, [])
        if not found:
            lost.append(s)
        elif len(found) > 1:
            duplicated.append((s, found))
        elif found[0] != (s.id, s.article, s.language, s.version):
            mismatched.append((s, found[0]))
    committed_anyway = [s for s in uncertain if by_token.get(s.token)]
    duplicated += [(s, by_token[s.token]) for s in uncertain if len(by_token.get(s.token, [])) > 1]
    answered = Counter((s.article, s.language, s.version) for s in accepted)
    same_number = {k: n for k, n in answered.items() if n > 1}
    gaps = {}
    for key, versions in per_text.items():
        start = 2 if key in imported_base else 1
        expected = list(range(start, start + len(versions)))
        if sorted(versions) != expected:
            gaps[key] = sorted(versions)
    return {
        "submitted": len(run.submissions),
        "accepted": len(accepted),
        "rows": len(rows),
        "texts": len(per_text),
        "lost": lost,
        "duplicated": duplicated,
        "mismatched": mismatched,
        "same_number_answered_twice": same_number,
        "gaps": gaps,
        "uncertain": uncertain,
        "committed_anyway": committed_anyway,
    }


def report(run: Run, seconds: float, log: Path, args) -> tuple[int, dict]:
    records = run.records
    everything = run.setup_records + run.records
    answered = [r for r in records if r.status]
    latencies = [r.ms for r in answered]
    statuses = Counter(r.status for r in records)
    print()
    print(
        f"{len(records)} requests in {seconds:.1f} s = {len(records) / seconds:.1f} req/s; "
        f"latency p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f}"
        f" ms, max {max(latencies, default=0):.0f} ms"
    )
    signed = [r.ms for r in run.setup_records]
    print(
        f"(before the clock: {len(signed)} sign-in requests, p50 {percentile(signed, 0.5):.0f} ms;"
        " their errors are listed below with the rest)"
    )
    print(
        "status codes: "
        + ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(statuses.items()))
    )

    by_template: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        by_template[(r.method, r.template)].append(r)
    rows = [["request", "n", "p50 ms", "p99 ms", "non-2xx/3xx"]]
    for (method, template), rs in sorted(by_template.items(), key=lambda kv: -len(kv[1])):
        ms = [r.ms for r in rs if r.status]
        bad = sum(1 for r in rs if not 200 <= r.status < 400)
        rows.append([f"{method} {template}", str(len(rs)), f"{percentile(ms, 0.5):.0f}",
                     f"{percentile(ms, 0.99):.0f}", str(bad or "")])  # fmt: skip
    print()
    print(table(rows))

    def grouped(selected: list[Record], title: str) -> None:
        """Grouped by status, method, path template and body (numbers in it aside)."""
        groups: dict[tuple, list[Record]] = defaultdict(list)
        for r in selected:
            groups[(r.status, r.method, r.template, re.sub(r"\d+", "N", r.detail))].append(r)
        print(f"\n{title}: {len(selected)}")
        for (status, method, template, _detail), rs in sorted(
            groups.items(), key=lambda kv: -len(kv[1])
        ):
            example = rs[0]
            print(f"  {len(rs):5d} × {status or 'no answer'} {method} {template}")
            print(f"          e.g. {example.path}: {example.detail}")

    server = [r for r in everything if r.status >= 500 or r.status == 0]
    throttled = [r for r in everything if r.status == 429]
    other = [r for r in everything if 400 <= r.status < 500 and r.status != 429]
    grouped(server, "5xx and unanswered")
    grouped(throttled, "429 (throttled or locked out)")
    grouped(other, "other 4xx")

    if run.outcomes:
        print("\nworkflow and edit outcomes:")
        for (what, result), n in sorted(run.outcomes.items()):
            print(f"  {n:5d} × {what}: {result}")
    if run.refusals:
        print("\nadmin forms refused (the admin's own form posted back; races show here too):")
        for (what, message), n in run.refusals.most_common():
            print(f"  {n:5d} × {what}: {message}")

    tracebacks, gunicorn_errors = server_errors(log)
    print(f"\nserver tracebacks (gunicorn's log): {sum(g['count'] for g in tracebacks)}")
    for group in tracebacks:
        print(f"  {group['count']:5d} × {group['exception'][:300]}")
        print(f"          at {group['frame']}")
        for path, n in group["paths"].most_common(5):
            print(f"          {n:5d} × {path}")
    for group in tracebacks:
        print(f"\n--- first traceback of: {group['exception'][:120]}")
        print("\n".join(group["traceback"].splitlines()[:80]))
    if gunicorn_errors:
        print("\ngunicorn errors:")
        for line, n in gunicorn_errors.most_common():
            print(f"  {n:5d} × {line[:200]}")

    if run.client_errors:
        print(f"\nload-test client errors: {len(run.client_errors)}")
        for text in Counter(run.client_errors).most_common(10):
            print("  " + text[0].replace("\n", "\n    ")[:1500])

    versions = check_versions(run)
    print(
        f"\ntranslation versions: {versions['submitted']} submitted, {versions['accepted']} "
        f"accepted (201); {versions['rows']} rows in {versions['texts']} article+language texts"
    )
    problems = 0
    for s in versions["lost"]:
        print(f"  LOST: {s.token} {s.article} {s.language} v{s.version} (id {s.id})")
    for s, found in versions["duplicated"]:
        print(f"  DUPLICATED: {s.token} {s.article} {s.language}: rows {found}")
    for s, found in versions["mismatched"]:
        print(f"  MISMATCH: answered id {s.id} v{s.version}, stored {found}")
    for key, n in versions["same_number_answered_twice"].items():
        print(f"  SAME NUMBER ANSWERED {n} TIMES: {key}")
    for (slug, language), numbers in versions["gaps"].items():
        print(f"  NOT GAPLESS: {slug} {language}: {numbers}")
    for s in versions["committed_anyway"]:
        print(f"  committed although the answer was {s.status or 'none'}: {s.token} {s.article}")
    problems += sum(
        len(versions[k])
        for k in ("lost", "duplicated", "mismatched", "same_number_answered_twice", "gaps")
    )
    if not problems:
        print("  every accepted version is stored exactly once; numbers are gapless")

    failures = len(server) + problems + len(run.client_errors) + sum(gunicorn_errors.values())
    verdict = "FAILED" if failures else "passed"
    print(
        f"\n{verdict}: {len(server)} 5xx/unanswered, {problems} version problems, "
        f"{len(run.client_errors)} client errors, {sum(gunicorn_errors.values())} gunicorn "
        f"errors; {len(throttled)} throttled (429), {len(other)} other 4xx"
    )
    summary = {
        "requests": len(records),
        "seconds": round(seconds, 1),
        "req_per_s": round(len(records) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len(server),
        "throttled": len(throttled),
        "other_4xx": len(other),
        "tracebacks": [
            {k: (dict(v) if isinstance(v, Counter) else v) for k, v in g.items()}
            for g in tracebacks
        ],
        "versions": {k: (len(v) if isinstance(v, list | dict) else v) for k, v in versions.items()},
    }
    return (1 if failures else 0), summary


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
        bench = _bench_module()
        if args.database_url:
            server_url = args.database_url
        else:
            postgres = Postgres(workdir, args.pg_port)
            print(f"starting PostgreSQL on 127.0.0.1:{args.pg_port} ({postgres.dir})", flush=True)
            postgres.start()
            server_url = postgres.url
        database = bench.ThrowawayPostgres(server_url)
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


if __name__ == "__main__":
    sys.exit(main())

"""The HTTP client of the virtual users: one person's browser or API client."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import client as http_client
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.load.options import REQUEST_TIMEOUT

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

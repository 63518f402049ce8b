"""The hostile input corpus's table of bad values, and how the corpus finds where to
send them. The test is `test_hostile_input.py`.

What "bad" means, value by value (`Bad.refused_in_text`):

- NUL, lone surrogates and C0 controls (other than tab, LF, CR) are never stored in
  text: the database cannot hold the first two (PostgreSQL refuses NUL, no UTF-8 encoder
  takes a lone surrogate), and the contract refuses the third. A request carrying one
  is refused (4xx, or the form shown again with an error) and writes nothing.
  In a URL or a form body a lone surrogate can only travel as the bytes of its
  (invalid) UTF-8 encoding, which Django decodes as U+FFFD replacement characters: that
  text is harmless and may be stored. Only JSON can carry a real lone surrogate
  (`"\\ud800"`), and there it must be refused.
- An RTL override, 10,000 characters, "²", huge and negative numbers are legitimate
  text: a title may hold them, and when a form or the API takes them they are stored
  exactly as sent. Where a positive id, a page number, a count, a slug or a choice is
  expected they are refused or ignored (a 4xx, a form error, the first page), never a
  5xx. 10,000 characters fit no title (the form says so) but fit a paragraph.

Everywhere: never a 5xx; a GET writes nothing; a refused POST writes nothing at all.

Which values go where (so that the corpus runs in about a minute and a half): every
query parameter, path parameter and form field gets at least one value bad for its
kind, and every value of a kind is tried on at least one field of that kind per form
(`KIND_VALUES`, `Turns`):

- a form field's kind comes from the Django form field behind it (text, slug, number,
  choice, multiple choice, date, boolean, file). The first field of each kind on a
  page gets all of that kind's values; the others one each, taking turns. Text fields
  other than the first get C0 controls (the contract's per-field rule: a field without
  the validator stores them); through JSON also a lone surrogate (JSON can carry one,
  and no database can store it).
- a query or path parameter (text whatever it means) gets NUL (PostgreSQL refuses it
  anywhere) and two more values taking turns; the first time a parameter's name comes
  up in an area (admin, API, …) it gets all of them.

Writes are watched statement by statement (`Writes`), not by comparing tables: a
refused request sent no INSERT, UPDATE or DELETE; an accepted one sent no unstorable
text, and text a text field took is in the statements exactly.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    IS_FACETS_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from accounts.models import SignInFailure
from articles.control_characters import control_characters_in


@dataclass(frozen=True)
class Bad:
    name: str  # in failure messages
    text: str  # the value as a string (query strings, forms, JSON strings)
    refused_in_text: bool  # may never be stored in a text field
    number: int | None = None  # also sent as a JSON number

    def __str__(self) -> str:
        return self.name


BAD_VALUES: tuple[Bad, ...] = (
    Bad("NUL", "nul\x00byte", True),
    Bad("lone surrogate", "half\ud800pair", True),
    Bad("C0 controls", "bell\x07esc\x1b[31m", True),
    Bad("RTL override", "\u202eevil.exe", False),
    Bad("10k characters", "x" * 10_000, False),
    Bad("huge integer", "99999999999999999999999", False, number=10**23),
    Bad("bigint + 1", str(2**63), False, number=2**63),
    Bad("superscript two", "²", False),
    Bad("negative", "-1", False, number=-1),
)


VALUE = {bad.name: bad for bad in BAD_VALUES}
NUL, SURROGATE, C0 = VALUE["NUL"], VALUE["lone surrogate"], VALUE["C0 controls"]


def _named(*names: str) -> tuple[Bad, ...]:
    return tuple(VALUE[name] for name in names)


_NUMBERS = ("superscript two", "huge integer", "bigint + 1", "negative")
# The values bad for each kind of field (form fields; JSON leaves use "text", "code",
# "number" and "container").
KIND_VALUES: dict[str, tuple[Bad, ...]] = {
    "text": BAD_VALUES,
    # A field no Django form reads (a view reads request.POST itself: "next", "do"…).
    "raw": BAD_VALUES,
    "code": _named("NUL", "lone surrogate", "C0 controls", "RTL override", "10k characters",
                   "superscript two"),
    "slug": _named("NUL", "C0 controls", "RTL override", "10k characters", "superscript two"),
    "number": _named(*_NUMBERS, "NUL", "10k characters"),
    # A formset's TOTAL_FORMS: Django builds that many forms, up to its absolute_max
    # (2,000), a second or more each time on a big page; the huge numbers are tried on
    # one (the smallest page's, see the form test).
    "count": _named("superscript two", "negative", "NUL", "10k characters"),
    "choice": _named(*_NUMBERS, "NUL", "RTL override"),
    "multiple": _named(*_NUMBERS, "NUL", "RTL override"),
    "date": _named("superscript two", "huge integer", "negative", "NUL", "10k characters"),
    "boolean": _named("NUL", "superscript two"),
    "file": _named("NUL", "RTL override", "10k characters"),  # as the file's name
    "container": _named("NUL", "huge integer", "10k characters"),
}  # fmt: skip


class Turns:
    """Which values a place gets: all of `values` the first time its `key` comes up;
    afterwards `always` and `more` others, taking turns so that each is tried somewhere."""

    def __init__(self, always: tuple[Bad, ...] = (), more: int = 1):
        self.always, self.more = always, more
        self.count: Counter = Counter()

    def __call__(self, key, values: tuple[Bad, ...]) -> list[Bad]:
        turn = self.count[key]
        self.count[key] += 1
        if turn == 0:
            return list(values)
        always = [v for v in self.always if v in values]
        rest = [v for v in values if v not in always]
        more = min(self.more, len(rest))
        start = (turn - 1) * more
        return always + [rest[(start + i) % len(rest)] for i in range(more)]


def received(text: str) -> str:
    """What a server decodes from `text` sent in a URL or a form body (UTF-8 bytes)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def unstorable(text: str) -> bool:
    """Whether `text` may never be stored: a control character or a lone surrogate."""
    return bool(control_characters_in(text)) or re.search("[\ud800-\udfff]", text) is not None


def query(params: dict[str, str]) -> str:
    return urlencode(params, errors="surrogatepass")


def path_segment(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def form_body(data: dict[str, list[str]]) -> bytes:
    return urlencode(data, doseq=True, errors="surrogatepass").encode("ascii")


def json_body(data) -> str:
    return json.dumps(data)  # escapes lone surrogates as \\udXXX, as any client would


# -- where the values go -----------------------------------------------------------------

# Models that record requests themselves: a session, a failed sign-in (the sign-in
# limit counts them). Everything else counts as "written".
LEDGERS = {Session, SignInFailure}


_PROJECT = Path(__file__).resolve().parents[2]
_READ = re.compile(r"""\b(?:GET|query_params)\.get(?:list)?\(\s*["']([\w-]+)["']""")


def _source_file(obj) -> Path | None:
    try:
        return Path(inspect.getsourcefile(obj)).resolve()
    except (TypeError, OSError):
        return None


def params_read_near(view) -> set[str]:
    """The query parameters the project's code reads (`request.GET.get("page")`,
    `query_params.get(...)`) anywhere in the package of `view`'s module."""
    source = _source_file(inspect.unwrap(view))
    if source is None or _PROJECT not in source.parents or ".venv" in source.parts:
        return set()
    found = set()
    for path in source.parent.glob("*.py"):
        found |= set(_READ.findall(path.read_text()))
    return found


def drf_params(callback) -> set[str]:
    """A DRF view's filterset fields, pagination, ordering and search parameters."""
    cls = getattr(callback, "cls", None)
    if cls is None:
        return set()
    kwargs = getattr(callback, "initkwargs", {}) or {}
    found = set()
    filterset = kwargs.get("filterset_class", getattr(cls, "filterset_class", None))
    if filterset is not None:
        found |= set(filterset.base_filters)
    pagination = kwargs.get("pagination_class", getattr(cls, "pagination_class", None))
    if pagination is not None:
        found |= {
            getattr(pagination, name)
            for name in dir(pagination)
            if name.endswith("_query_param") and isinstance(getattr(pagination, name), str)
        }
    for backend in getattr(cls, "filter_backends", ()):
        for name in ("ordering_param", "search_param"):
            if isinstance(getattr(backend, name, None), str):
                found.add(getattr(backend, name))
    return found


ADMIN_PARAMS = {TO_FIELD_VAR, IS_POPUP_VAR, "_changelist_filters"}
CHANGELIST_PARAMS = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ALL_VAR, IS_FACETS_VAR}
AUTOCOMPLETE_PARAMS = {"app_label", "model_name", "field_name", "term", "page"}


def changelist_params(model_admin, user) -> set[str]:
    """What a changelist reads: its filters' parameters, the date hierarchy's, search,
    ordering, page (Django's own names)."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    found = set(CHANGELIST_PARAMS)
    for spec in changelist.filter_specs:
        found |= set(spec.expected_parameters())
    if model_admin.date_hierarchy:
        found |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return found


def model_admin_of(callback):
    view = inspect.unwrap(callback)
    model_admin = getattr(view, "__self__", None)
    return model_admin if isinstance(model_admin, admin.ModelAdmin) else None


# -- what was written -----------------------------------------------------------------------

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


class Writes:
    """The write statements sent to the database while installed as an execute wrapper
    (`connection.execute_wrapper(writes)`), the LEDGERS' tables left out: (table, params)."""

    def __init__(self):
        self.ledgers = {m._meta.db_table for m in LEDGERS}
        self.statements: list[tuple[str, list]] = []

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and match.group(1) not in self.ledgers:
            if many:
                params = list(params)  # it may be an iterator: read once, passed on
            self.statements.append((match.group(1), list(params) if many else [params]))
        return execute(sql, params, many, context)

    def __bool__(self):
        return bool(self.statements)

    def tables(self) -> list[str]:
        return sorted({table for table, _ in self.statements})

    def hold(self, text: str) -> bool:
        """Whether some statement wrote `text` exactly (in a column or in JSON)."""
        return any(holds(params, text) for _, params in self.statements)


def holds(value, text: str) -> bool:
    """Whether a stored value (a column, JSON) holds `text` exactly."""
    if hasattr(value, "obj"):  # psycopg's Jsonb
        value = value.obj
    if isinstance(value, str):
        if text in value:
            return True
        if value[:1] in ("[", "{", '"'):  # JSON, where "\u202e" is escaped
            try:
                return holds(json.loads(value), text)
            except ValueError:
                return False
        return False
    if isinstance(value, dict):
        return any(holds(k, text) or holds(v, text) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds(v, text) for v in value)
    return value is not None and str(value) == text

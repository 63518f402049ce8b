"""The hostile input corpus: every bad value of `hostile.BAD_VALUES` (NUL, lone
surrogates, C0 controls, an RTL override, 10,000 characters, huge and negative
numbers, "²") in every query parameter and form field the URL conf leads to.

- Query parameters, found rather than listed: what the project's code reads from
  `request.GET` / `query_params` in each view's package, each DRF view's filterset,
  pagination, ordering and search parameters, each admin changelist's filters, date
  hierarchy, search, ordering and page, Django admin's `_to_field`, `_popup` and
  `_changelist_filters`, autocomplete's parameters, plus the bad value as a parameter
  *name*. Tried on every public page, API endpoint, translators' workspace page and
  admin page (the census's doors, filled by the census's FILL), as a reader and as the
  role that works there. Never a 5xx, no row written.
- Path parameters that take text (slugs, languages, admin object ids, actions…): each
  bad value in each. Never a 5xx, no row written.
- Form fields: the admin add and change forms of every registered ModelAdmin (as
  editor and as contributor A on their own work), the translators' workspace form, the
  sign-in forms: each field (hidden and management fields included) × each bad value,
  the rest as the page drew it. JSON bodies of every API write endpoint, as the role
  that may write there: each field and each nested leaf × each bad value (and the
  numbers as JSON numbers), the rest valid. Never a 5xx; refused → nothing written;
  accepted → only legitimate text, stored exactly.

Row counts of every model are compared per group of requests (one URL and parameter,
all values); a group that wrote is replayed request by request to name the culprit.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from articles.models import Article, Moderated, TranslationVersion
from articles.roles import Role
from articles.states import State
from tests.conftest import make_user
from tests.factories import TranslationVersionFactory, moderate
from tests.security import census, hostile
from tests.security.forms import field_kinds, post_forms

pytestmark = pytest.mark.django_db

ALL_DOORS = census.doors()
VALUES = hostile.BAD_VALUES


# -- the world: one per module ------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = {
                census.EDITOR: make_user("edith", Role.EDITOR),
                census.CONTRIBUTOR_A: make_user("connie", Role.CONTRIBUTOR),
                census.CONTRIBUTOR_B: make_user("conrad", Role.CONTRIBUTOR),
                census.TRANSLATOR_A: make_user("tran", Role.TRANSLATOR, staff=False),
                census.TRANSLATOR_B: make_user("trina", Role.TRANSLATOR, staff=False),
            }
            world = census.build_world(users)
            # A version waiting for review, for the editors' review endpoints.
            review = Article.objects.get(slug="census-review")
            waiting = TranslationVersionFactory(
                article=review, author=users[census.TRANSLATOR_B],
                translator=users[census.TRANSLATOR_B], version=1, language="fr",
                sections=[{"heading": s.heading, "paragraphs": ["Texte"]}
                          for s in review.sections.all()] or [],
            )  # fmt: skip
            world.add(moderate(waiting, State.IN_REVIEW, users[census.EDITOR]))
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def models(world):
    return hostile.counted_models()


class Problems(list):
    def __str__(self):
        return f"{len(self)} problem(s):\n" + "\n".join(self[:60])


def _client(world, identity) -> Client:
    client = Client()
    if identity != census.ANONYMOUS:
        client.force_login(world.users[identity])
    return client


def _send(problems, client, method, url, data=None, content_type=None, **where):
    """One request; a 5xx (or an exception the view raised) is a problem named by `where`."""
    try:
        if content_type is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, data, content_type=content_type)
    except Exception as error:  # the test client re-raises what a view raised: a 500
        problems.append(f"{method.upper()} {_where(url, **where)}: 500 ({error!r:.200})")
        return None
    if response.status_code >= 500:
        problems.append(f"{method.upper()} {_where(url, **where)}: {response.status_code}")
        return None
    return response


def _where(url, **where) -> str:
    return f"{url[:120]} " + " ".join(f"{k}={v}" for k, v in where.items())


@contextmanager
def _rolled_back():
    """What the block writes goes away (a savepoint)."""
    sid = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(sid)


def _written(before: dict, after: dict) -> list[str]:
    return [
        f"{label} {before[label]}→{after[label]}"
        for label in before
        if before[label] != after[label]
    ]


# -- query parameters ---------------------------------------------------------------------


def _identities(door: census.Door) -> tuple[str, ...]:
    """Who tries a door: the role that works there (editors see the most parameters);
    contributors too on moderated changelists, which they see scoped."""
    if door.template.startswith("/admin/"):
        if door.name.endswith("_changelist") and issubclass(door.model, Moderated):
            return (census.EDITOR, census.CONTRIBUTOR_A)
        return (census.EDITOR,)
    if door.template.startswith("/translate/"):
        return (census.TRANSLATOR_A,)
    if door.template.startswith("/accounts/"):
        return (census.ANONYMOUS,)
    return (census.EDITOR,)


def _query_params(door: census.Door, world, identity) -> list[str]:
    """What `door`'s view reads from its query string (see the module's docstring)."""
    try:
        callback = resolve(_filled(door, world, identity)[0]).func
    except Resolver404:
        return []
    model_admin = hostile.model_admin_of(callback)
    found = hostile.drf_params(callback)
    if model_admin is None:  # a ModelAdmin's views read Django's names, below
        found |= hostile.params_read_near(callback)
    if model_admin is not None and door.name.endswith(("_changelist", "_add", "_change")):
        found |= hostile.ADMIN_PARAMS  # what Django's own ModelAdmin views read
    if door.name == "autocomplete":
        found |= hostile.AUTOCOMPLETE_PARAMS
    if model_admin is not None and door.name.endswith("_changelist"):
        found |= hostile.changelist_params(model_admin, world.users[identity])
    return sorted(found)


def _filled(door, world, identity) -> tuple[str, dict, dict]:
    """The door's first URL for `identity` (census.FILL), its query, its path values."""
    values: dict[str, str] = {}
    for param in door.params:
        values[param] = census.FILL[param](world, identity, door, values)[0]
    url, query = census.requests_for(world, identity, door)[0]
    return url, query, values


GET_DOORS = [d for d in ALL_DOORS if not d.name.endswith("logout")]


@pytest.mark.parametrize("area", ["/admin/", "/api/", "/translate/", "/accounts/", "/en/", "other"])
def test_bad_query_parameters_never_fail_or_write(world, models, area):
    problems = Problems()
    doors = [d for d in GET_DOORS if _area(d) == area]
    tried = 0
    for door in doors:
        for identity in _identities(door):
            cache.clear()  # throttles count per group, not across the corpus
            client = _client(world, identity)
            url, base, _ = _filled(door, world, identity)
            params = _query_params(door, world, identity)
            # None: the bad value as a parameter's name (not on the admin's object pages).
            named = not door.template.startswith("/admin/") or door.name.endswith("_changelist")
            for param in [*params, *([None] if named else [])]:
                before = hostile.row_counts(models)
                requests = []
                for bad in VALUES:
                    extra = {param: bad.text} if param else {bad.text: "1"}
                    full = f"{url}?{hostile.query({**base, **extra})}"
                    requests.append((full, bad))
                    _send(problems, client, "get", full, param=param or "(name)",
                          value=bad, identity=identity)  # fmt: skip
                tried += len(requests)
                if written := _written(before, hostile.row_counts(models)):
                    problems.append(
                        f"GET {url} param={param or '(name)'} as {identity} wrote {written}"
                        f" (values: {_culprits(client, requests, models)})"
                    )
    print(f"{area}: {tried} requests")
    assert tried or area == "other"
    assert not problems, str(problems)


def _area(door) -> str:
    for prefix in ("/admin/", "/api/", "/translate/", "/accounts/", "/en/"):
        if door.template.startswith(prefix):
            return prefix
    return "other"


def _culprits(client, requests, models) -> list[str]:
    found = []
    for url, bad in requests:
        with _rolled_back():
            before = hostile.row_counts(models)
            client.get(url)
            if hostile.row_counts(models) != before:
                found.append(bad.name)
    return found


# -- path parameters ------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["/admin/", "/api/", "/translate/", "/accounts/", "/en/", "other"])
def test_bad_path_parameters_never_fail_or_write(world, models, area):
    problems = Problems()
    for door in [d for d in GET_DOORS if _area(d) == area and d.params]:
        identity = _identities(door)[-1]
        cache.clear()
        client = _client(world, identity)
        _, base, values = _filled(door, world, identity)
        for param in door.params:
            before = hostile.row_counts(models)
            requests = []
            for bad in VALUES:
                url = door.url({**values, param: hostile.path_segment(bad.text)})
                try:
                    match = resolve(hostile.received(door.url({**values, param: bad.text})))
                except Resolver404:
                    continue  # the pattern does not take it (an int converter): a plain 404
                if match.url_name != (door.name or None):
                    continue
                full = f"{url}?{hostile.query(base)}" if base else url
                requests.append((full, bad))
                _send(problems, client, "get", full, param=param, value=bad, identity=identity)
            if written := _written(before, hostile.row_counts(models)):
                problems.append(
                    f"GET {door.template} path {param} as {identity} wrote {written}"
                    f" (values: {_culprits(client, requests, models)})"
                )
    assert not problems, str(problems)


# -- form fields ----------------------------------------------------------------------------


def _form_pages(world) -> Iterator[tuple[str, str]]:
    """(identity, url) of every form the corpus fills: each ModelAdmin's change form as
    editor (its add form when there is nothing to change) and its add form as
    contributor A (their choices are scoped), the translators' workspace, the sign-in
    pages."""
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        add = reverse("admin:{}_{}_add".format(*info))
        objects = world.objects.get(model) or list(model.objects.order_by("pk")[:1])
        if objects:
            yield census.EDITOR, reverse("admin:{}_{}_change".format(*info), args=[objects[0].pk])
        else:
            yield census.EDITOR, add
        yield census.CONTRIBUTOR_A, add
    for version in world.objects[TranslationVersion]:
        if version.author_id == world.users[census.TRANSLATOR_A].pk:
            yield census.TRANSLATOR_A, f"/translate/{version.article.slug}/{version.language}/"
    yield census.ANONYMOUS, "/accounts/login/"
    yield census.ANONYMOUS, "/admin/login/"


def _fields(form: dict) -> list[str]:
    """The fields to try: one of each inline form's fields (the extra forms repeat them)."""
    seen, fields = set(), []
    for name in form:
        pattern = re.sub(r"-\d+-", "-N-", name)
        # __prefix__: the inlines' empty-form template, which Django never reads.
        if name != "csrfmiddlewaretoken" and "__prefix__" not in name and pattern not in seen:
            seen.add(pattern)
            fields.append(name)
    return fields


def _forms(world):
    pages = []
    for identity, url in _form_pages(world):
        client = _client(world, identity)
        response = client.get(url)
        html = response.content.decode() if response.status_code == 200 else ""
        if forms := post_forms(html):
            pages.append((identity, url, max(forms, key=len), field_kinds(html)))
    return pages


@pytest.fixture(scope="module")
def form_pages(world):
    return _forms(world)


def test_the_corpus_fills_the_forms_it_means_to(form_pages):
    urls = {(identity, url) for identity, url, _, _ in form_pages}
    assert (census.CONTRIBUTOR_A, "/admin/articles/article/add/") in urls
    assert any(
        identity == census.EDITOR and re.fullmatch(r"/admin/articles/article/\d+/change/", url)
        for identity, url in urls
    )
    assert any(url.startswith("/translate/") for _, url in urls)
    assert len(urls) > 15


def test_bad_form_fields_are_refused_or_stored_exactly(world, models, form_pages):
    problems = Problems()
    posts = 0
    for identity, url, form, kinds in form_pages:
        cache.clear()
        client = _client(world, identity)
        for name in _fields(form):
            for bad in VALUES:
                posts += 1
                body = hostile.form_body({**form, name: [bad.text]})
                where = {"field": name, "value": bad, "identity": identity}
                with _rolled_back():
                    before = hostile.snapshot(models)
                    response = _send(problems, client, "post", url, body, FORM, **where)
                    if response is not None:
                        _judge(problems, f"POST {_where(url, **where)}", response,
                               accepted=response.status_code in (301, 302, 303),
                               written=hostile.changed_rows(before, hostile.snapshot(models)),
                               sent=hostile.received(bad.text),
                               text=kinds.get(name) in ("text", "textarea"))  # fmt: skip
    print(f"{posts} form posts on {len(form_pages)} forms")
    assert not problems, str(problems)


FORM = "application/x-www-form-urlencoded"


def _judge(problems, where, response, *, accepted, written, sent, text):
    """Refused: nothing written. Accepted: no unstorable text stored, and text taken
    into a text field stored exactly."""
    if not accepted:
        if written:
            problems.append(f"{where}: refused ({response.status_code}) but wrote {written[:3]}")
        return
    if hostile.unstorable(sent):
        if any(hostile.holds(row, sent) for _, _, row in written):
            problems.append(f"{where}: stored it")
        elif text and written:
            problems.append(f"{where}: accepted, wrote {[w[:2] for w in written[:3]]}")
    elif text and written and not any(hostile.holds(row, sent) for _, _, row in written):
        problems.append(f"{where}: accepted but not stored exactly")


# -- JSON bodies --------------------------------------------------------------------------


def _api_bodies(world) -> dict[str, tuple[str, str, str, dict]]:
    """A valid body for every API write endpoint, by URL name: (identity, method, url,
    body). A write endpoint without one fails `test_every_api_write_endpoint_has_a_body`."""
    review = Article.objects.get(slug="census-review")
    live = Article.objects.get(slug="census-live")
    draft = Article.objects.get(slug="census-draft-a")
    waiting = TranslationVersion.objects.get(article=review, language="fr")
    paragraphs = [
        {"heading": s.heading or "", "paragraphs": ["A paragraph of text."]}
        for s in review.sections.all()
    ]
    return {
        "api-token": (census.ANONYMOUS, "post", "/api/v1/auth/token/",
                      {"username": "edith", "password": "pw-edith"}),
        "api-article-list": (census.CONTRIBUTOR_A, "post", "/api/v1/articles/", {
            "title": "A new title", "standfirst": "A new standfirst",
            "original_language": "en", "topics": ["census-topic"],
            "sections": [{"heading": "", "paragraphs": ["A paragraph of text."]}],
        }),
        "api-article-detail": (census.CONTRIBUTOR_A, "patch", f"/api/v1/articles/{draft.slug}/", {
            "title": "A changed title", "standfirst": "A changed standfirst",
            "revision": draft.revision if hasattr(draft, "revision") else 0,
            "sections": [{"heading": "", "paragraphs": ["A paragraph of text."]}],
        }),
        "api-article-story-action": (
            census.EDITOR, "post", f"/api/v1/articles/{review.slug}/request-changes/",
            {"note": "Needs more sources."},
        ),
        "translation-list": (census.TRANSLATOR_A, "post", "/api/v1/translations/", {
            "article": live.slug, "language": "de", "title": "Ein Titel",
            "standfirst": "Ein Vorspann", "credit": "Tran Slator",
            "sections": paragraphs and [
                {"heading": s.heading or "", "paragraphs": ["Ein Absatz."]}
                for s in live.sections.all()
            ],
        }),
        "translation-approve": (census.EDITOR, "post",
                                f"/api/v1/translations/{waiting.pk}/approve/",
                                {"note": "Good work."}),
        "translation-request-changes": (census.EDITOR, "post",
                                        f"/api/v1/translations/{waiting.pk}/request-changes/",
                                        {"note": "Check the second paragraph."}),
        "translation-reject": (census.EDITOR, "post",
                               f"/api/v1/translations/{waiting.pk}/reject/",
                               {"note": "Not this one."}),
    }  # fmt: skip


def test_every_api_write_endpoint_has_a_body(world):
    writes = set()
    for door in ALL_DOORS:
        if not door.template.startswith("/api/"):
            continue
        url, _, _ = _filled(door, world, census.EDITOR)
        try:
            callback = resolve(url).func
        except Resolver404:
            continue
        actions = getattr(callback, "actions", None) or {}
        methods = (
            set(actions)
            if actions
            else {m for m in ("post", "put", "patch") if hasattr(getattr(callback, "cls", None), m)}
        )
        if methods & {"post", "put", "patch"}:
            writes.add(door.name)
    writes.discard("api-schema")
    assert writes <= set(_api_bodies(world)), (
        f"give a valid body for {writes - set(_api_bodies(world))}"
    )


def _leaves(body, path=()) -> Iterator[tuple]:
    """Every path into `body`: each key, each list item, each leaf."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield (*path, key)
            yield from _leaves(value, (*path, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield (*path, index)
            yield from _leaves(value, (*path, index))


def _replaced(body, path, value):
    body = copy.deepcopy(body)
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


def test_bad_json_fields_are_refused_or_stored_exactly(world, models):
    problems = Problems()
    for name, (identity, method, url, body) in _api_bodies(world).items():
        client = _client(world, identity)
        cache.clear()
        with _rolled_back():
            response = getattr(client, method)(
                url, hostile.json_body(body), content_type="application/json"
            )
            assert response.status_code < 300, (
                f"the valid body of {name} is refused: {response.content[:300]}"
            )
        for path in _leaves(body):
            field = ".".join(map(str, path))
            for bad in VALUES:
                for value in {bad.text, bad.number} - {None}:
                    cache.clear()
                    label = f"{bad}{'' if isinstance(value, str) else ' (as a number)'}"
                    where = {"field": field, "value": label, "identity": identity}
                    data = hostile.json_body(_replaced(body, path, value))
                    with _rolled_back():
                        before = hostile.snapshot(models)
                        response = _send(problems, client, method, url, data, JSON, **where)
                        if response is not None:
                            _judge(problems, f"{method.upper()} {_where(url, **where)}", response,
                                   accepted=response.status_code < 300,
                                   written=hostile.changed_rows(before, hostile.snapshot(models)),
                                   sent=value if isinstance(value, str) else "",
                                   text=isinstance(value, str)
                                   and _free_text(body, path))  # fmt: skip
    assert not problems, str(problems)


JSON = "application/json"


def _free_text(body, path) -> bool:
    """Whether the valid body has free text there (words, not a slug or a code)."""
    for step in path:
        body = body[step]
    return isinstance(body, str) and " " in body

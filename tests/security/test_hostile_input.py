"""The hostile input corpus: the bad values of `hostile.BAD_VALUES` (NUL, lone
surrogates, C0 controls, an RTL override, 10,000 characters, huge and negative numbers,
"²") in every query parameter and form field the URL conf leads to. Which value goes
where is `hostile.KIND_VALUES` and `hostile.Turns` (see hostile.py): every parameter
and field gets at least one value bad for its kind, every value of a kind is tried.

- Query parameters, found rather than listed: what the project's code reads from
  `request.GET` / `query_params` in each view's package, each DRF view's filterset,
  pagination, ordering and search parameters, each admin changelist's filters, date
  hierarchy, search, ordering and page, Django admin's `_to_field`, `_popup` and
  `_changelist_filters`, autocomplete's parameters, plus the bad value as a parameter
  *name*. Tried on every public page, API endpoint, translators' workspace page and
  admin page (the census's doors, filled by the census's FILL), as a reader and as the
  role that works there. Never a 5xx, no write.
- Path parameters that take text (slugs, languages, admin object ids, actions…).
  Never a 5xx, no write.
- Form fields: the admin add and change forms of every registered ModelAdmin (as
  editor and as contributor A on their own work; one form of each inline, the first,
  filled as the page drew it), the translators' workspace form, the sign-in forms, each
  field (hidden, management and file fields included) alone, the rest as the page drew
  it. JSON bodies of every API write endpoint, as the role that may write there: each
  field and each nested leaf (strings, numbers, and the numbers as JSON numbers), the
  rest valid. Never a 5xx; refused → no write; accepted → only legitimate text, stored
  exactly.

Failures name the request, the parameter or field, the value and the identity.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin

import pytest
from django import forms as django_forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms.formsets import TOTAL_FORM_COUNT, BaseFormSet, ManagementForm
from django.forms.models import InlineForeignKeyField
from django.test import Client, override_settings
from django.test.client import MULTIPART_CONTENT as MULTIPART
from django.urls import Resolver404, resolve, reverse

from articles import staging
from articles.models import Article, Moderated, TranslationVersion
from articles.roles import Role
from articles.states import State
from articles.translations import domain as translation
from tests.conftest import make_user
from tests.factories import TranslationVersionFactory, moderate
from tests.security import census, hostile
from tests.security.forms import field_kinds, post_forms_with_actions

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
            # The hasher the tests run with (conftest), or the sign-in body is refused.
            with override_settings(PASSWORD_HASHERS=FAST_HASHER):
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


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@contextmanager
def _watched() -> Iterator[hostile.Writes]:
    """The block's write statements; what it wrote goes away."""
    writes = hostile.Writes()
    with _rolled_back(), connection.execute_wrapper(writes):
        yield writes


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


AREAS = ["/admin/", "/api/", "/translate/", "/accounts/", "/en/", "other"]


def _get(problems, client, url, where) -> None:
    """One GET: never a 5xx, never a write."""
    with _watched() as writes:
        _send(problems, client, "get", url, **where)
    if writes:
        problems.append(f"GET {_where(url, **where)}: wrote {writes.tables()}")


@pytest.mark.parametrize("area", AREAS)
def test_bad_query_parameters_never_fail_or_write(world, area):
    problems = Problems()
    turns = hostile.Turns(always=(hostile.NUL,), more=2)
    doors = [d for d in GET_DOORS if _area(d) == area]
    tried = places = 0
    for door in doors:
        for identity in _identities(door):
            cache.clear()  # throttles count per door, not across the corpus
            client = _client(world, identity)
            url, base, _ = _filled(door, world, identity)
            params = _query_params(door, world, identity)
            # None: the bad value as a parameter's name (not on the admin's object pages).
            named = not door.template.startswith("/admin/") or door.name.endswith("_changelist")
            for param in [*params, *([None] if named else [])]:
                places += 1
                for bad in turns((area, param), VALUES):
                    extra = {param: bad.text} if param else {bad.text: "1"}
                    full = f"{url}?{hostile.query({**base, **extra})}"
                    where = {"param": param or "(name)", "value": bad, "identity": identity}
                    _get(problems, client, full, where)
                    tried += 1
    print(f"{area}: {tried} requests, {places} (URL, parameter) places")
    assert tried or area == "other"
    assert not problems, str(problems)


def _area(door) -> str:
    for prefix in AREAS[:-1]:
        if door.template.startswith(prefix):
            return prefix
    return "other"


# -- path parameters ------------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
def test_bad_path_parameters_never_fail_or_write(world, area):
    problems = Problems()
    turns = hostile.Turns(always=(hostile.NUL,), more=3)
    tried = 0
    for door in [d for d in GET_DOORS if _area(d) == area and d.params]:
        identity = _identities(door)[-1]
        cache.clear()
        client = _client(world, identity)
        _, base, values = _filled(door, world, identity)
        for param in door.params:
            for bad in turns((area, param), VALUES):
                url = door.url({**values, param: hostile.path_segment(bad.text)})
                try:
                    match = resolve(hostile.received(door.url({**values, param: bad.text})))
                except Resolver404:
                    continue  # the pattern does not take it (an int converter): a plain 404
                if match.url_name != (door.name or None):
                    continue
                full = f"{url}?{hostile.query(base)}" if base else url
                _get(problems, client, full, {"path": param, "value": bad, "identity": identity})
                tried += 1
    print(f"{area}: {tried} requests")
    assert not problems, str(problems)


# -- form fields ----------------------------------------------------------------------------


def _form_pages(world) -> Iterator[tuple[str, str]]:
    """(identity, url) of every page whose form the corpus fills: each ModelAdmin's
    change form as editor (its add form when there is nothing to change) and its add
    form as contributor A (their choices are scoped); and every other page of the URL
    conf (not the API's) with a POST form besides signing out, as the role that works
    there (the translators' workspace, sign-in, preferences, comment threads…)."""
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
    yield census.ANONYMOUS, "/admin/login/"
    for door in GET_DOORS:
        if not door.template.startswith(("/admin/", "/api/")):
            identity = _identities(door)[0]
            url, query, _ = _filled(door, world, identity)
            yield identity, f"{url}?{hostile.query(query)}" if query else url


def _fields(form: dict, kinds: dict[str, str]) -> list[str]:
    """The fields to try: every field of the form (file fields included, which a form
    body does not carry), of each inline only its first form's (the others repeat them)."""
    seen, fields = set(), []
    for name in [*form, *(n for n, kind in kinds.items() if kind == "file" and n not in form)]:
        pattern = re.sub(r"-\d+-", "-N-", name)
        # __prefix__: the inlines' empty-form template, which Django never reads.
        if name != "csrfmiddlewaretoken" and "__prefix__" not in name and pattern not in seen:
            seen.add(pattern)
            fields.append(name)
    return fields


def _kind(field: django_forms.Field) -> str:
    """A form field's kind, for `hostile.KIND_VALUES`."""
    kinds = [
        (django_forms.FileField, "file"),
        ((django_forms.BooleanField, django_forms.NullBooleanField), "boolean"),
        (django_forms.MultipleChoiceField, "multiple"),
        (django_forms.ModelMultipleChoiceField, "multiple"),
        ((django_forms.ChoiceField, django_forms.ModelChoiceField, InlineForeignKeyField),
         "choice"),
        ((django_forms.IntegerField, django_forms.FloatField, django_forms.DecimalField),
         "number"),
        ((django_forms.DateField, django_forms.DateTimeField, django_forms.TimeField,
          django_forms.SplitDateTimeField, django_forms.DurationField), "date"),
        (django_forms.SlugField, "slug"),
    ]  # fmt: skip
    return next((kind for cls, kind in kinds if isinstance(field, cls)), "text")


HTML_KINDS = {"number": "number", "select": "choice", "checkbox": "boolean", "radio": "choice",
              "date": "date", "datetime-local": "date", "file": "file",
              "textarea": "text"}  # fmt: skip


def _form_kinds(response, html: str) -> dict[str, str]:
    """Each field's kind, by its name in the page: from the Django form behind it (the
    admin's form, inline formsets and management forms, a view's `form`), else from the
    page's HTML (a number input is a number…)."""
    kinds = {name: HTML_KINDS.get(kind, "raw") for name, kind in field_kinds(html).items()}
    found: list = []

    def visit(value, depth=0):
        if isinstance(value, django_forms.BaseForm):
            found.append(value)
        elif isinstance(value, BaseFormSet):
            found.extend([value.management_form, *value.forms])
        elif isinstance(value, helpers.AdminForm):
            found.append(value.form)
        elif isinstance(value, helpers.InlineAdminFormSet):
            visit(value.formset)
        elif isinstance(value, list | tuple) and depth == 0:
            for item in value[:50]:
                visit(item, 1)

    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for layer in getattr(context, "dicts", []):
            for value in layer.values():
                visit(value)
    for form in {id(f): f for f in found}.values():
        for name, field in form.fields.items():
            html_name, kind = form.add_prefix(name), _kind(field)
            widgets = getattr(field.widget, "widgets", None)
            names = [f"{html_name}_{i}" for i in range(len(widgets))] if widgets else [html_name]
            for each in names:
                kinds[each] = kind
    for formset in (f for f in found if isinstance(f, ManagementForm)):
        kinds[formset.add_prefix(TOTAL_FORM_COUNT)] = "count"
    return kinds


def _forms(world):
    """(identity, url posted to, fields as the page drew them, kinds) of each page's
    biggest POST form (not the sign-out button's)."""
    pages, seen = [], set()
    for identity, url in _form_pages(world):
        client = _client(world, identity)
        response = client.get(url)
        html = response.content.decode() if response.status_code == 200 else ""
        forms = [(a, f) for a, f in post_forms_with_actions(html) if not a.endswith("logout/")]
        if forms:
            action, form = max(forms, key=lambda found: len(found[1]))
            target = urljoin(url, action) if action else url
            if (identity, target) not in seen:
                seen.add((identity, target))
                pages.append((identity, target, form, _form_kinds(response, html)))
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
    kinds = {kind for *_, page_kinds in form_pages for kind in page_kinds.values()}
    assert {"text", "slug", "number", "choice", "multiple", "file", "date"} <= kinds


def test_bad_form_fields_are_refused_or_stored_exactly(world, form_pages):
    problems = Problems()
    posts, fields, by_kind, raw = 0, 0, Counter(), []
    # Huge numbers in TOTAL_FORMS on the smallest page with a formset (see KIND_VALUES).
    smallest = min(
        (page for page in form_pages if "count" in page[3].values()), key=lambda p: len(p[2])
    )
    huge = [hostile.VALUE["huge integer"], hostile.VALUE["bigint + 1"]]
    for identity, url, form, kinds in form_pages:
        cache.clear()
        client = _client(world, identity)
        # Text fields after the first: C0 controls, the contract's per-field rule.
        turns = {
            "text": hostile.Turns(always=(hostile.C0,), more=0),
            "raw": hostile.Turns(always=(hostile.NUL,), more=2),
        }
        rotate = hostile.Turns(more=1)
        for name in _fields(form, kinds):
            kind, fields = kinds.get(name, "raw"), fields + 1
            by_kind[kind] += 1
            if kind == "raw":
                raw.append(f"{url} {name}")
            values = turns.get(kind, rotate)(kind, hostile.KIND_VALUES[kind])
            if kind == "count" and (identity, url) == smallest[:2] and huge:
                values, huge = values + huge, []
            for bad in values:
                if kind == "file" and bad is hostile.SURROGATE:
                    continue
                posts += 1
                where = {"field": name, "value": bad, "identity": identity}
                with _watched() as writes:
                    if kind == "file":  # the value as the uploaded file's name
                        upload = SimpleUploadedFile(bad.text, b"not a picture", "image/png")
                        response = _send(problems, client, "post", url, {**form, name: upload},
                                         MULTIPART, **where)  # fmt: skip
                    else:
                        body = hostile.form_body({**form, name: [bad.text]})
                        response = _send(problems, client, "post", url, body, FORM, **where)
                    if response is not None:
                        _judge(problems, f"POST {_where(url, **where)}", response,
                               accepted=response.status_code in (301, 302, 303), writes=writes,
                               sent=hostile.received(bad.text), text=kind == "text")  # fmt: skip
    print(f"{posts} form posts, {fields} fields on {len(form_pages)} forms: {dict(by_kind)}")
    print(f"fields no Django form reads: {raw}")
    assert not problems, str(problems)


FORM = "application/x-www-form-urlencoded"


def _judge(problems, where, response, *, accepted, writes, sent, text):
    """Refused: nothing written. Accepted: no unstorable text stored, and text taken
    into a text field stored exactly."""
    if not accepted:
        if writes:
            status = response.status_code
            problems.append(f"{where}: refused ({status}) but wrote {writes.tables()}")
        return
    if hostile.unstorable(sent):
        if writes.hold(sent):
            problems.append(f"{where}: stored it")
        elif text and writes:
            problems.append(f"{where}: accepted, wrote {writes.tables()}")
    elif text and writes and not writes.hold(sent):
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
    # Every part of the story a version translates (statements, topics, proposals…).
    parts = {part["key"]: "Un texte." for part in translation.source_for(live, "fr").parts}
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
            "revision": staging.revision(draft),
            "sections": [{"heading": "", "paragraphs": ["A paragraph of text."]}],
        }),
        "api-article-story-action": (
            census.EDITOR, "post", f"/api/v1/articles/{review.slug}/request-changes/",
            {"note": "Needs more sources."},
        ),
        "translation-list": (census.TRANSLATOR_A, "post", "/api/v1/translations/", {
            "article": live.slug, "language": "fr", "title": "Ein Titel",
            "standfirst": "Ein Vorspann", "credit": "Tran Slator",
            "sections": paragraphs and [
                {"heading": s.heading or "", "paragraphs": ["Ein Absatz."]}
                for s in live.sections.all()
            ],
            "parts": parts,
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


def _leaf_kind(body, path) -> str:
    """What the valid body has there: free text (words), a code (a slug, a language,
    a name), a number, or a list or object."""
    for step in path:
        body = body[step]
    if isinstance(body, str):
        return "text" if " " in body else "code"
    if isinstance(body, bool | int | float):
        return "number"
    return "container"


def test_bad_json_fields_are_refused_or_stored_exactly(world):
    problems = Problems()
    posts = leaves = 0
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
        # Free text after the first: C0 controls and a lone surrogate (no database takes one).
        turns = hostile.Turns(always=(hostile.C0, hostile.SURROGATE), more=0)
        rotate = hostile.Turns(more=1)
        for path in _leaves(body):
            leaves += 1
            field, kind = ".".join(map(str, path)), _leaf_kind(body, path)
            values = (turns if kind == "text" else rotate)(kind, hostile.KIND_VALUES[kind])
            for bad in values:
                sent = [bad.text]
                if bad.number is not None and kind in ("text", "number", "container"):
                    sent.append(bad.number)
                for value in sent:
                    cache.clear()
                    posts += 1
                    label = f"{bad}{'' if isinstance(value, str) else ' (as a number)'}"
                    where = {"field": field, "value": label, "identity": identity}
                    data = hostile.json_body(_replaced(body, path, value))
                    with _watched() as writes:
                        response = _send(problems, client, method, url, data, JSON, **where)
                        if response is not None:
                            _judge(problems, f"{method.upper()} {_where(url, **where)}", response,
                                   accepted=response.status_code < 300, writes=writes,
                                   sent=value if isinstance(value, str) else "",
                                   text=isinstance(value, str) and kind == "text")  # fmt: skip
    print(f"{posts} JSON requests, {leaves} fields")
    assert not problems, str(problems)


JSON = "application/json"

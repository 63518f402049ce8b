"""The door census: every URL of the URL conf (admin, django-reversion's history,
revert, recover and compare, autocomplete, custom admin views, the translators'
workspace, the API, the public site), tried by every identity on other people's work.

For each URL it finds, with its path parameters filled with the ids and slugs of the
census world's objects (someone else's draft first), and for each identity:
- GET never answers 5xx, never writes anything;
- no response (body, redirect, message) shows a marker the identity may not read;
- one POST (the editor's form of that page, replayed) never answers 5xx and writes
  nothing outside the identity's scope.
New URLs are covered by themselves: only FILL (how to fill a parameter name) and
QUERIES (query strings some views need) in `census.py` are written by hand, and a
parameter name FILL does not know fails the census.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.security import census
from tests.security.forms import post_forms

pytestmark = pytest.mark.django_db

ALL_DOORS = census.doors()


def test_the_census_knows_how_to_fill_every_path_parameter():
    unknown = {(d.template, p) for d in ALL_DOORS for p in d.params if p not in census.FILL}
    assert not unknown, f"add a filler to census.FILL for: {sorted(unknown)}"
    assert len(ALL_DOORS) > 150  # the admin, reversion's views, the API and the site


@pytest.fixture
def world(editor, contributor, other_contributor, translator, other_translator):
    users = {
        census.EDITOR: editor,
        census.CONTRIBUTOR_A: contributor,
        census.CONTRIBUTOR_B: other_contributor,
        census.TRANSLATOR_A: translator,
        census.TRANSLATOR_B: other_translator,
    }
    return census.build_world(users)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("identity", census.IDENTITIES)
def test_no_door_lets_anyone_read_or_write_outside_their_scope(client, world, identity):
    user = world.users.get(identity)
    editor_client = client.__class__()
    editor_client.force_login(world.users[census.EDITOR])
    problems: list[str] = []
    for door in ALL_DOORS:
        requests = census.requests_for(world, identity, door)
        try:
            with transaction.atomic():
                _try_door(client, editor_client, world, identity, user, door, requests, problems)
                raise Rollback  # what the editor's replayed form wrote goes away
        except Rollback:
            pass
    assert not problems, "\n".join(problems)


def _try_door(client, editor_client, world, identity, user, door, requests, problems):
    cache.clear()  # throttles and lockouts count per test, not across the census
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    before = census.snapshot()
    for url, query in requests:
        response = _request(client.get, url, query, problems, "GET")
        if response is None:
            continue
        if leaks := census.leaked(world, identity, url + str(query), response, client):
            problems.append(f"GET {url} {query} shows {identity} {leaks}")
    if written := census.changes(before, census.snapshot()):
        problems.append(f"GET {door.template} as {identity} wrote {written[:5]}")
        before = census.snapshot()
    url, query = requests[0]
    form = _editors_form(editor_client, url, query)
    response = _request(client.post, _with_query(url, query), form, problems, "POST")
    if response is None:
        return
    if leaks := census.leaked(world, identity, url + str(query), response, client):
        problems.append(f"POST {url} shows {identity} {leaks}")
    after = census.snapshot()
    if user is None:
        if written := census.changes(before, after):
            problems.append(f"POST {url} by {identity} wrote {written[:5]}")
    elif refused := census.foreign_writes(user, before, after):
        problems.append(f"POST {url} by {identity} wrote outside its scope: {refused[:5]}")


def _request(method, url, data, problems, verb):
    try:
        response = method(url, data)
    except Exception as error:  # the test client re-raises what a view raised: a 500
        problems.append(f"{verb} {url} {data}: 500 ({type(error).__name__}: {error})")
        return None
    if response.status_code >= 500:
        problems.append(f"{verb} {url} {data}: {response.status_code}")
        return None
    return response


# The editor's forms, by URL, for every identity's test (the world's ids are the same in
# each test on SQLite; elsewhere a URL simply misses and is fetched again).
EDITORS_FORMS: dict[tuple[str, str], dict] = {}


def _editors_form(editor_client, url, query) -> dict:
    """What the editor's page at `url` would post (empty when it has no form)."""
    key = (url, str(sorted(query.items())))
    if key not in EDITORS_FORMS:
        response = editor_client.get(url, query)
        html = "text/html" in response.get("Content-Type", "")
        forms = (
            post_forms(response.content.decode()) if response.status_code == 200 and html else []
        )
        EDITORS_FORMS[key] = max(forms, key=len) if forms else {}
    return EDITORS_FORMS[key]


def _with_query(url: str, query: dict) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(query)}" if query else url

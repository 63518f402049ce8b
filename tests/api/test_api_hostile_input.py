"""Hostile and odd input answers 400 (or what an absent value would), never a 500.

Regressions found by fuzzing the API (schemathesis with many examples per operation and
hand-made requests) against the demo content on SQLite and PostgreSQL. On PostgreSQL a
NUL character cannot even be compared with a column: it must be refused before any
query runs.
"""

import base64
import json

import pytest
from rest_framework.test import APIClient

from tests.api.fixtures import client_for

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
PROPOSALS = "/api/v1/proposals/"
COMPARE = "/api/v1/proposals/compare/"
TOKEN = "/api/v1/auth/token/"
ERROR_KEYS = {"status", "code", "detail", "errors"}


def assert_400_on(response, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "invalid"
    assert field in body["errors"], body


@pytest.mark.parametrize("slugs", ["russian-plan,\x00", "a\x00b,russian-plan", "\x00,\x00"])
def test_compare_with_a_nul_character_is_400_not_a_database_error(world, anon, slugs):
    assert_400_on(anon.get(COMPARE, {"slugs": slugs}), "slugs")


@pytest.mark.parametrize("slugs", ["russian-plan,européen", "russian-plan,a b", "../x,y"])
def test_compare_with_something_that_cannot_be_a_slug_is_400(world, anon, slugs):
    response = anon.get(COMPARE, {"slugs": slugs})
    assert_400_on(response, "slugs")


def test_compare_tolerates_spaces_around_the_slugs(world, anon):
    response = anon.get(COMPARE, {"slugs": " russian-plan , european-plan "})
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["proposals"]] == ["russian-plan", "european-plan"]


@pytest.mark.parametrize(
    "url, param",
    [
        (ARTICLES, "topic"),
        (ARTICLES, "analyst"),
        (ARTICLES, "q"),
        (PROPOSALS, "actor"),
        (PROPOSALS, "article"),
        (PROPOSALS, "category"),
        (ARTICLES, "cursor"),
        (PROPOSALS, "cursor"),
    ],
)
def test_a_nul_character_in_a_filter_is_400(world, anon, url, param):
    assert_400_on(anon.get(url, {param: "ukraine\x00"}), param)


def test_a_nul_character_in_an_editors_search_is_400(world, editor):
    # Editors' search also matches titles in the database (not only the index).
    assert_400_on(client_for(editor).get(ARTICLES, {"q": "\x00"}), "q")


@pytest.mark.parametrize("param", ["topic", "analyst"])
@pytest.mark.parametrize("value", ["not a slug", "ukraïne", "x" * 201])
def test_article_filters_take_slugs_and_refuse_anything_else(world, anon, param, value):
    assert_400_on(anon.get(ARTICLES, {param: value}), param)


@pytest.mark.parametrize("param", ["actor", "article", "category"])
def test_proposal_filters_take_slugs_and_refuse_anything_else(world, anon, param):
    assert_400_on(anon.get(PROPOSALS, {param: "two words"}), param)


def test_q_longer_than_200_characters_is_400(world, anon):
    assert_400_on(anon.get(ARTICLES, {"q": "word " * 41}), "q")


@pytest.mark.parametrize("cursor", ["eyJwIjpbImFiYyIsMV0sInIiOjB9!", "é", "a b", "a=="])
def test_a_cursor_with_characters_outside_its_alphabet_is_400(world, anon, cursor):
    # Base64 decoding would silently skip them: the cursor is checked as written.
    response = anon.get(ARTICLES, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


def test_an_unknown_status_is_400_for_readers_too(world, role_client):
    # Readers' valid values change nothing (see the articles tests); unknown ones are
    # bad input for everyone, as the schema's enum says.
    _role, client = role_client
    assert_400_on(client.get(ARTICLES, {"status": "bogus"}), "status")


@pytest.mark.parametrize(
    "params",
    [
        {"topic": ""},
        {"language": ""},
        {"published_before": ""},
        {"published_after": ""},
        {"q": ""},
        {"status": ""},
        {"cursor": ""},
        {"page_size": ""},
    ],
)
def test_an_empty_parameter_is_the_same_as_an_absent_one(world, anon, params):
    response = anon.get(ARTICLES, params)
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["results"]] == ["sahel-mediation", "putin-talks"]


def test_an_empty_language_on_an_article_is_the_same_as_none(world, anon):
    for url in ("/api/v1/articles/putin-talks/", "/api/v1/articles/putin-talks/ninjs/"):
        response = anon.get(url, {"language": ""})
        assert response.status_code == 200
        assert response["Content-Language"] == "en"


@pytest.mark.parametrize("depth", [50_000, 200_000])
def test_json_nested_too_deeply_is_400_not_a_recursion_error(world, translator, depth):
    body = "[" * depth + "]" * depth  # well under 1 MB
    for client, url in ((APIClient(), TOKEN), (client_for(translator), "/api/v1/translations/")):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/plain", b"username=edith"),
        ("application/xml", b"<username>edith</username>"),
        ("application/json; charset=bogus", b'{"username": "edith", "password": "x"}'),
        ("application/json", b"\xff\xfe\x00"),
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=xx", b"--xx\r\nnot a part\r\n"),
    ],
)
def test_bodies_of_the_wrong_type_or_encoding_are_4xx_in_the_error_shape(
    editor, content_type, body
):
    response = APIClient().generic("POST", TOKEN, body, content_type=content_type)
    assert response.status_code in {400, 415}, response.content
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize("username", ["\ud800", "edith\x00"])
def test_strings_no_database_can_store_are_400_in_a_json_body(editor, username):
    body = json.dumps({"username": username, "password": "x"})  # \ud800 escaped in JSON
    response = APIClient().post(TOKEN, body, content_type="application/json")
    assert_400_on(response, "username")


def test_an_error_quoting_a_lone_surrogate_is_a_400_not_a_500(world, editor):
    # "is not a valid choice" quotes the input; the UTF-8 answer could not encode it.
    body = json.dumps({"title": "A title", "standfirst": "S", "original_language": "x\ud800",
                       "sections": [{"heading": "", "paragraphs": ["P."]}]})  # fmt: skip
    response = client_for(editor).post(ARTICLES, body, content_type="application/json")
    assert_400_on(response, "original_language")
    assert "x\ufffd" in response.json()["errors"]["original_language"][0]


def test_too_many_query_parameters_are_400(world, anon):
    query = "&".join(f"p{i}=x" for i in range(6000))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = anon.get(f"{ARTICLES}?{query}")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


def test_unicode_everywhere_is_fine(world, anon):
    assert anon.get(ARTICLES, {"q": "Pourparlers à Istanbul 💥"}).status_code == 200
    response = anon.get(
        "/api/v1/articles/putin-talks/", HTTP_ACCEPT_LANGUAGE="fr-CH;q=abc, 💥, *;q=0.1"
    )
    assert response.status_code == 200
    assert anon.get("/api/v1/articles/caf%C3%A9/").status_code == 404


def _cursor(position) -> str:
    raw = json.dumps({"p": position, "r": 0}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "url, value",
    [
        # Valid ISO times that leave the range of datetime once turned to UTC.
        (ARTICLES, "9999-12-31T23:59:59-14:00"),
        (ARTICLES, "0001-01-01T00:00:00+14:00"),
        # Strings no database can compare (analysts are paged by name).
        ("/api/v1/analysts/", "\ud800x"),
        ("/api/v1/analysts/", "a\x00b"),
        (PROPOSALS, "\udfff"),
    ],
)
def test_a_well_formed_cursor_holding_an_impossible_value_is_400(world, anon, url, value):
    response = anon.get(url, {"cursor": _cursor([value, 1])})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


def test_a_cursor_at_the_edge_of_time_still_pages(world, anon):
    response = anon.get(ARTICLES, {"cursor": _cursor(["9999-12-31T23:59:59+00:00", 1])})
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{}, {"slugs": ""}])
def test_compare_without_slugs_says_what_it_needs(world, anon, params):
    response = anon.get(COMPARE, params)
    assert_400_on(response, "slugs")
    assert response.json()["errors"]["slugs"] == [
        "Name at least two proposals, separated by commas."
    ]

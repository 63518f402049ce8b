"""GET /api/v1/articles/<slug>/ninjs/: the article as IPTC ninjs 2.2, valid against the
published JSON schema (kept in tests/api/data/)."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from articles.models import Article
from articles.publication import public_content_changed
from articles.states import State
from tests.factories import ArticleFactory, moderate

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "data" / "ninjs-schema_2.2.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def ninjs(client, slug, **params):
    response = client.get(f"/api/v1/articles/{slug}/ninjs/", params)
    assert response.status_code == 200, response.content
    item = response.json()
    errors = sorted(VALIDATOR.iter_errors(item), key=str)
    assert not errors, [e.message for e in errors]
    return item


def test_ninjs_is_valid_and_carries_the_article(world, role_client):
    _role, client = role_client
    item = ninjs(client, "putin-talks")
    assert item["type"] == "text"
    assert item["uri"] == "http://testserver/en/articles/putin-talks/"
    assert item["language"] == "en"
    assert item["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": "Talks in Istanbul"}
    ]
    assert item["descriptions"][0]["value"] == "What they mean."
    assert item["bodies"][0]["value"].startswith("<p>The lead paragraph.</p>")
    assert "<h2>Background</h2>" in item["bodies"][0]["value"]
    assert [s["name"] for s in item["subjects"]] == ["Ukraine"]
    assert [p["name"] for p in item["people"]] == ["Ana Lyst"]  # published statements only
    assert item["organisations"] == [{"name": "Institute for War Studies", "rel": "affiliation"}]
    assert item["pubstatus"] == "usable"
    assert "infosources" not in item  # the original text: no translator


def test_ninjs_of_a_translation_credits_the_translator(world, anon):
    item = ninjs(anon, "putin-talks", language="fr")
    assert item["language"] == "fr"
    assert item["headlines"][0]["value"] == "Pourparlers à Istanbul"
    assert item["infosources"] == [
        {"name": "Jeanne Traductrice", "role": "translator", "literal": "en"}
    ]
    imported = ninjs(anon, "sahel-mediation")
    assert imported["infosources"] == [
        {"name": "Lara Bullens", "role": "translator", "literal": "fr"}
    ]


def test_ninjs_body_escapes_markup_in_the_text(editor, anon):
    moderate(
        ArticleFactory(slug="xss", sections=[("<script>x</script>", "<img src=x onerror=1>")]),
        State.PUBLISHED,
        editor,
    )
    body = ninjs(anon, "xss")["bodies"][0]["value"]
    assert "<script" not in body and "<img" not in body
    assert "&lt;img src=x onerror=1&gt;" in body


def test_ninjs_of_unpublished_article_is_404_except_for_editors(world, role_client):
    role, client = role_client
    response = client.get("/api/v1/articles/draft-article/ninjs/")
    if role == "editor":
        assert response.json()["pubstatus"] == "withheld"
        assert not list(VALIDATOR.iter_errors(response.json()))
    else:
        assert response.status_code == 404


def test_ninjs_runs_a_fixed_number_of_queries(world, anon, django_assert_max_num_queries):
    public_content_changed(Article.objects.get(slug="putin-talks"))  # as on publication
    with django_assert_max_num_queries(1):  # the snapshot, corrections included
        ninjs(anon, "putin-talks")

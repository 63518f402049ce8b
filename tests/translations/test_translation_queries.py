"""The workspace and the translations API run a fixed number of queries, however many
versions exist."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.translations.domain import (
    TranslationInput,
    save_translation_draft,
    submit_translation,
)
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, published_article

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]
URL = "/api/v1/translations/"
# As measured: the index 8 (session, user, roles, versions with their articles and
# translators, notes, open articles, their live versions, outdated live versions); the
# API list and detail 4 (token, roles, versions, notes).
# The index: 8, and the unread notifications count in the header.
INDEX_QUERIES, LIST_QUERIES, DETAIL_QUERIES = 9, 4, 4


def french(title="Un article"):
    return TranslationInput(
        title,
        "Ce que les pourparlers signifient.",
        [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
    )


def make_versions(editor, translators, articles: int) -> list:
    """For each article: a live version gone outdated, one sent back with a note, a
    rejected one, one in review and a draft, by turns of the translators."""
    made = []
    for n in range(articles):
        article = published_article(editor, sections=SECTIONS)
        ArticleFactory(sections=SECTIONS)  # another article open for translation
        a, b = translators[n % 2], translators[(n + 1) % 2]
        live = submit_translation(article, "fr", french(), by=a)
        transition(live, "approve", by=editor, note="Bien.")
        sent_back = submit_translation(article, "fr", french("Deux"), by=a)
        transition(sent_back, "request_changes", by=editor, note="Le titre.")
        rejected = submit_translation(article, "fr", french("Trois"), by=b)
        transition(rejected, "reject", by=editor, note="Non.")
        waiting = submit_translation(article, "fr", french("Quatre"), by=b)
        save_translation_draft(article, "fr", french("Cinq"), by=a)
        article.mark_text_revised()
        made += [live, sent_back, rejected, waiting]
    return made


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["translator", "editor"])
def test_the_workspace_index_runs_a_fixed_number_of_queries(
    request, client, editor, translator, other_translator, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    make_versions(editor, [translator, other_translator], 1)
    few = count(client, "/translate/")
    make_versions(editor, [translator, other_translator], 6)

    with django_assert_max_num_queries(INDEX_QUERIES):
        html = client.get("/translate/").content.decode()

    assert count(client, "/translate/") == few
    assert html.count("Le titre.") >= 4  # the notes are there, not just counted


@pytest.mark.parametrize("persona", ["translator", "editor"])
def test_the_api_list_runs_a_fixed_number_of_queries(
    request, editor, translator, other_translator, persona, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    make_versions(editor, [translator, other_translator], 1)
    few = count(client, URL)
    make_versions(editor, [translator, other_translator], 6)

    with django_assert_max_num_queries(LIST_QUERIES):
        results = client.get(URL).json()["results"]

    assert count(client, URL) == few
    assert len(results) >= 18  # (nearly) a full page
    assert any(v["notes"] for v in results) and any(v["outdated"] for v in results)


def test_the_api_detail_runs_a_fixed_number_of_queries(
    editor, translator, other_translator, django_assert_max_num_queries
):
    client = client_for(editor)
    first = make_versions(editor, [translator, other_translator], 1)[0]
    few = count(client, f"{URL}{first.pk}/")
    many = make_versions(editor, [translator, other_translator], 6)[0]

    with django_assert_max_num_queries(DETAIL_QUERIES):
        data = client.get(f"{URL}{many.pk}/").json()

    assert count(client, f"{URL}{many.pk}/") == few
    assert [n["note"] for n in data["notes"]] == ["Bien."]
    assert data["outdated"] is True


def test_the_version_and_form_pages_do_not_grow_with_versions_either(
    client, editor, translator, other_translator
):
    client.force_login(translator)
    first = make_versions(editor, [translator, other_translator], 1)[0]
    version_url = f"/translate/versions/{first.pk}/"
    form_url = f"/translate/{first.article.slug}/fr/?from={first.pk}"
    few = (count(client, version_url), count(client, form_url))
    for _ in range(5):
        submit_translation(first.article, "fr", french("Encore"), by=other_translator)

    assert (count(client, version_url), count(client, form_url)) == few


def test_posting_a_version_runs_a_bounded_number_of_queries(
    editor, translator, django_assert_max_num_queries
):
    article = published_article(editor, slug="talks", sections=SECTIONS)
    for _ in range(5):
        submit_translation(article, "fr", french(), by=translator)
    body = {
        "article": "talks",
        "language": "fr",
        "title": "T",
        "standfirst": "S",
        "sections": french().sections,
    }

    with django_assert_max_num_queries(25):
        response = client_for(translator).post(
            URL, json.dumps(body), content_type="application/json"
        )

    assert response.status_code == 201

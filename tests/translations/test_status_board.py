"""The editors' status board (page and API): stories × languages, filters, counts, and a
fixed number of queries; the translation form's query count does not grow either."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Section
from articles.translations import domain as translation
from articles.translations import status
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import (
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    ProposalTermFactory,
    TopicFactory,
    published_article,
)

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"heading": "", "paragraphs": ["Le paragraphe."]},
    {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
]


def text(title="Un article"):
    return translation.TranslationInput(title, "Ce que les pourparlers signifient.", SECTIONS)


@pytest.fixture
def settings_de(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    return settings


@pytest.fixture
def stories(editor, translator, other_translator, settings_de):
    """One story per status in French; German missing everywhere."""
    war = TopicFactory(slug="war", name="War")
    made = {}
    for name in ("missing", "draft", "in_review", "live", "outdated"):
        made[name] = published_article(editor, slug=name)
    translation.save_translation_draft(made["draft"], "fr", text(), by=translator)
    translation.submit_translation(made["in_review"], "fr", text(), by=other_translator)
    for name in ("live", "outdated"):
        version = translation.submit_translation(made[name], "fr", text(), by=translator)
        transition(version, "approve", by=editor)
    made["outdated"].mark_text_revised()
    made["live"].topics.add(war)
    return made


def cells(board, language="fr"):
    return {row.article.slug: row.cells[language].status for row in board.rows}


def test_each_cell_says_where_the_language_stands(stories):
    board = status.board()

    assert cells(board) == {name: name for name in stories}
    assert set(cells(board, "en").values()) == {"original"}
    assert set(cells(board, "de").values()) == {"missing"}
    assert board.counts["fr"] == {s: 1 for s in status.STATUSES}
    assert board.totals["missing"] == 5 + 1  # five in German, one in French


def test_the_board_filters_by_topic_and_translator(stories, other_translator):
    assert list(cells(status.board(topic="war"))) == ["live"]
    assert list(cells(status.board(translator=other_translator.username))) == ["in_review"]


def test_the_board_page_is_for_editors(client, editor, translator, stories):
    client.force_login(editor)
    html = client.get("/translate/status/?translator=" + translator.username).content.decode()

    assert 'data-status="outdated"' in html and 'data-status="draft"' in html
    assert 'data-status="in_review"' not in html  # the other translator's
    client.force_login(translator)
    assert client.get("/translate/status/").status_code == 403


def test_the_board_in_the_api(editor, translator, stories):
    data = client_for(editor).get("/api/v1/translations/status/?topic=war").json()

    assert data["languages"] == ["en", "fr", "de"]
    assert [s["article"] for s in data["stories"]] == ["live"]
    assert data["stories"][0]["cells"]["fr"]["status"] == "live"
    assert data["counts"]["fr"] == {"live": 1}
    assert client_for(translator).get("/api/v1/translations/status/").status_code == 403


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_runs_a_fixed_number_of_queries(client, editor, translator, settings):
    client.force_login(editor)
    first = published_article(editor)
    translation.submit_translation(first, "fr", text(), by=translator)
    few = (
        count(client, "/translate/status/"),
        count(client_for(editor), "/api/v1/translations/status/"),
    )
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German"), ("es", "Spanish")]
    for n in range(6):
        article = published_article(editor)
        for language in ("fr", "de", "es"):
            translation.submit_translation(article, language, text(), by=translator)
        article.topics.add(TopicFactory(slug=f"t{n}"))

    many = (
        count(client, "/translate/status/"),
        count(client_for(editor), "/api/v1/translations/status/"),
    )

    assert many == few


def test_the_translation_form_runs_a_fixed_number_of_queries(client, editor, translator, settings):
    article = published_article(editor, slug="talks")
    client.force_login(translator)
    url = reverse("translate:edit", args=["talks", "fr"])

    def add_one_of_each_part(n):
        AttributionFactory(article=article, statement=f"Statement {n}.")
        EnrichmentBlockFactory(article=article, title=f"Block {n}")
        proposal = ProposalFactory()
        proposal.articles.add(article)
        ProposalTermFactory(proposal=proposal)
        article.topics.add(TopicFactory(slug=f"topic-{n}"))
        Section.objects.create(article=article, order=10 + n, heading=f"H{n}", body="P.\n\nQ.")

    add_one_of_each_part(0)
    few = count(client, url)
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    for n in range(1, 6):
        add_one_of_each_part(n)

    assert count(client, url) == few

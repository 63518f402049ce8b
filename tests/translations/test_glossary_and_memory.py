"""The glossary (highlights, warnings that never block, duplicates refused, exports) and
the translation memory (exact and close matches with their score, bad lookups, TMX)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import GlossaryEntry, GlossaryRendering, MemorySegment
from articles.states import State
from articles.translations import domain as translation
from articles.translations import glossary, memory
from articles.translations.admin import review_url
from articles.workflow import transition
from proposals.models import TermCategory
from tests.factories import ActorFactory, AnalystFactory, ArticleFactory, published_article

pytestmark = pytest.mark.django_db

LEAD = "Hall, a political scientist at the University of Bath, doubts the talks will last."
SECTIONS = [("", LEAD), ("Background", "The talks began in Istanbul.\n\nThey stalled in May.")]


def french(lead="Hall, politiste à l'université de Bath, doute que les pourparlers durent."):
    return translation.TranslationInput(
        "Les pourparlers",
        "Ce que les pourparlers signifient.",
        [
            {"heading": "", "paragraphs": [lead]},
            {"heading": "Contexte", "paragraphs": ["Ils ont commencé à Istanbul.", "Bloqués."]},
        ],
    )


def entry(term, rendering="", *, dnt=False, kind=GlossaryEntry.Kind.TERM):
    made = GlossaryEntry.objects.create(term=term, language="en", kind=kind)
    GlossaryRendering.objects.create(
        entry=made, language="fr", text=rendering, do_not_translate=dnt
    )
    return made


@pytest.fixture
def article(db):
    return ArticleFactory(slug="talks", sections=SECTIONS)


# -- glossary -----------------------------------------------------------------------------


def test_the_workspace_marks_glossary_terms_with_their_renderings(client, translator, article):
    entry("University of Bath", "Université de Bath")
    entry("Hall", dnt=True, kind=GlossaryEntry.Kind.ANALYST)
    client.force_login(translator)

    html = client.get(reverse("translate:edit", args=["talks", "fr"])).content.decode()

    mark = '<mark class="term" tabindex="0" title="Glossary: Université de Bath">'
    assert mark + "University of Bath</mark>" in html
    assert "Glossary: keep “Hall” as it is" in html


def test_a_missing_rendering_warns_but_does_not_block(client, editor, translator, article):
    entry("University of Bath", "Université de Bath")
    client.force_login(translator)
    form = {
        "title": "Les pourparlers",
        "standfirst": "Ce que les pourparlers signifient.",
        "s0p0": "Hall, d'une université anglaise, doute.",  # not the approved rendering
        "heading_1": "Contexte",
        "s1p0": "Un.",
        "s1p1": "Deux.",
        "submit": "1",
        "edit_version": 0,
    }

    response = client.post(reverse("translate:edit", args=["talks", "fr"]), form)

    assert response.status_code == 302
    version = article.translations.get()
    assert version.state == State.IN_REVIEW
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("University of Bath" in m and "Université de Bath" in m for m in shown)
    client.force_login(editor)
    review = client.get(review_url(version)).content.decode()
    assert 'id="glossary-warnings"' in review and "Paragraph 1 of the lead" in review


def test_a_translation_using_the_rendering_has_no_warning(translator, article):
    entry("University of Bath", "université de Bath")
    version = translation.submit_translation(article, "fr", french(), by=translator)
    assert glossary.version_warnings(version) == []


def test_a_duplicate_glossary_entry_is_a_form_error(client, editor):
    entry("University of Bath", "Université de Bath")
    client.force_login(editor)
    form = {
        "term": "university of BATH",
        "language": "en",
        "kind": "term",
        "note": "",
        "renderings-TOTAL_FORMS": "0",
        "renderings-INITIAL_FORMS": "0",
        "renderings-MIN_NUM_FORMS": "0",
        "renderings-MAX_NUM_FORMS": "1000",
    }

    response = client.post("/admin/articles/glossaryentry/add/", form)

    assert response.status_code == 200
    assert "already in the glossary in this language" in response.content.decode()
    assert GlossaryEntry.objects.count() == 1


def test_the_newsrooms_names_join_the_glossary_once(db):
    AnalystFactory(name="Jeff Hawn")
    first = glossary.sync_entities()
    again = glossary.sync_entities()

    hawn = GlossaryEntry.objects.get(term="Jeff Hawn")
    assert first >= 2 and again == 0
    assert hawn.kind == "analyst" and hawn.renderings.get(language="fr").do_not_translate


def test_proposals_actors_and_term_categories_join_the_glossary(db):
    actor = ActorFactory(name="Ukrainian-European coalition")
    category = TermCategory.objects.create(label="Security guarantees")

    glossary.sync_entities()

    kinds = dict(GlossaryEntry.objects.values_list("term", "kind"))
    assert kinds[actor.name] == "actor" and kinds[category.label] == "category"


def test_glossary_exports_are_well_formed_and_escaped(client, editor):
    entry("Tom & <Jerry>", "Tom & « Jerry »")
    entry("=SUM(A1)", "=formule")
    client.force_login(editor)

    tbx = b"".join(client.get("/translate/glossary/export.tbx").streaming_content)
    rows = list(
        csv.reader(io.StringIO(client.get("/translate/glossary/export.csv").content.decode()))
    )

    root = ET.fromstring(tbx)
    ns = {"t": glossary.TBX_NS}
    terms = [t.text for t in root.iterfind(".//t:term", ns)]
    assert "Tom & <Jerry>" in terms and "Tom & « Jerry »" in terms
    assert rows[0][:4] == ["term", "language", "kind", "note"]
    assert rows[1][:4] == ["'=SUM(A1)", "en", "term", ""]  # no formula for spreadsheets
    assert client.get("/translate/glossary/export.xls").status_code == 404


# -- memory -------------------------------------------------------------------------------


def approved_french(editor, translator, article):
    version = translation.submit_translation(article, "fr", french(), by=translator)
    return transition(version, "approve", by=editor)


def test_only_approved_versions_feed_the_memory(editor, translator, article):
    version = translation.submit_translation(article, "fr", french(), by=translator)
    assert memory.lookup(LEAD, "en", "fr") == []  # in review: not yet
    transition(version, "approve", by=editor)

    [match] = memory.lookup(LEAD, "en", "fr")
    assert (match.score, match.target) == (100, french().sections[0]["paragraphs"][0])


def test_a_close_paragraph_is_offered_with_its_score(editor, translator, article):
    approved_french(editor, translator, article)
    close = LEAD.replace("doubts", "doubted")

    [match] = memory.lookup(close, "en", "fr")

    assert 75 <= match.score < 100
    assert (
        memory.lookup("Something else entirely, about fisheries in the Baltic.", "en", "fr") == []
    )


def test_sentences_are_remembered_too(editor, translator):
    article = ArticleFactory(sections=[("", "One sentence here. Another one there."), ("B", "X.")])
    data = translation.TranslationInput(
        "T", "S", [{"heading": "", "paragraphs": ["Une phrase ici. Une autre là."]},
                   {"heading": "B", "paragraphs": ["X."]}],
    )  # fmt: skip
    transition(
        translation.submit_translation(article, "fr", data, by=translator), "approve", by=editor
    )

    assert memory.lookup("Another one there.", "en", "fr")[0].target == "Une autre là."


def test_the_form_offers_the_match_with_one_click_to_use_it(client, editor, translator, article):
    approved_french(editor, translator, article)
    other = ArticleFactory(
        slug="again", sections=[("", LEAD.replace("doubts", "doubted")), ("B", "Z.")]
    )
    client.force_login(translator)

    html = client.get(reverse("translate:edit", args=[other.slug, "fr"])).content.decode()

    assert "% match</span>" in html
    assert 'class="secondary use-memory" data-target="id_s0p0"' in html
    assert "js/translate.js" in html


@pytest.mark.parametrize("size", [0, 1, 5_001, 1_000_000])
def test_a_memory_lookup_of_any_size_is_answered(client, editor, translator, article, size):
    approved_french(editor, translator, article)
    client.force_login(translator)
    text = ("a" * size)[:size]

    by_get = client.get("/translate/memory/", {"q": text, "from": "en", "to": "fr"})
    by_post = client.post("/translate/memory/", {"q": text, "from": "en", "to": "fr"})

    assert by_get.status_code == 200 and by_get.json()["matches"] == []
    assert by_post.status_code in {200, 413}  # over the request limit: 413, never a 500


def test_the_memory_lookup_answers_its_matches(client, editor, translator, article):
    approved_french(editor, translator, article)
    client.force_login(translator)

    data = client.get("/translate/memory/", {"q": LEAD, "from": "en", "to": "fr"}).json()

    assert data["matches"][0]["score"] == 100


def test_the_memory_exports_as_tmx(client, editor, translator, article):
    approved_french(editor, translator, article)
    client.force_login(editor)

    body = b"".join(client.get("/translate/memory/export.tmx").streaming_content)

    root = ET.fromstring(body)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    units = root.findall("./body/tu")
    assert len(units) == MemorySegment.objects.count() > 0
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {tuv.get(lang) for tuv in units[0].findall("tuv")} == {"en", "fr"}
    client.force_login(translator)
    assert client.get("/translate/memory/export.tmx").status_code == 403


def test_a_published_story_can_be_translated_using_its_memory(editor, translator):
    article = published_article(editor, sections=SECTIONS)
    approved_french(editor, translator, article)
    assert article.live_text("fr").title == "Les pourparlers"

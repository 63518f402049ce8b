"""The readers' site speaks the page's language: French under /fr/, English under /en/."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import override

from articles.states import State
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def translated_into_french(editor):
    """An English original with a live French translation by Jean Martin."""
    article = ArticleFactory(slug="ceasefire", title="A ceasefire in name only")
    moderate(
        TranslationVersionFactory(
            article=article,
            language="fr",
            from_language="en",
            title="Un cessez-le-feu de façade",
            credit="Jean Martin",
            version=1,
        ),
        State.APPROVED,
        editor,
    )
    return moderate(article, State.PUBLISHED, editor)


def test_the_french_home_speaks_french(client, story):
    html = client.get("/fr/").content.decode()
    assert '<h1 class="page-title">Dernières analyses</h1>' in html
    assert ">Aller au contenu</a>" in html
    assert ">Analystes</a>" in html and ">Propositions</a>" in html
    assert 'aria-label="Rubriques"' in html
    assert "Latest analysis" not in html and "Skip to content" not in html


def test_the_english_home_speaks_english(client, story):
    html = client.get("/en/").content.decode()
    assert '<h1 class="page-title">Latest analysis</h1>' in html
    assert ">Skip to content</a>" in html
    assert "Dernières analyses" not in html


def test_a_french_translation_credits_its_translator_in_french(client, translated_into_french):
    html = client.get("/fr/articles/ceasefire/").content.decode()
    assert "Un cessez-le-feu de façade" in html
    # The original's language in French, in lower case as French writes it mid-sentence.
    assert "Traduit de l'original en anglais par Jean Martin" in html
    # The English original credits nobody.
    english = client.get("/en/articles/ceasefire/").content.decode()
    assert "Translated from" not in english and "Traduit" not in english


def test_the_english_text_translated_from_french_names_french_in_english(client, story):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert "Translated from the original in French by Lara Bullens" in html


def test_the_french_article_page_labels_its_parts_in_french(client, story):
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert "Ce qu'en disent les analystes" in html
    assert "Les propositions comparées" in html
    assert "Ouvrir la comparaison complète" in html
    assert 'aria-label="En bref"' in html
    # Choice labels from the models: the statement kind, the proposal status, sourcing.
    assert '<span class="tag">Citation</span>' in html
    assert "Statut : rapportée" in html
    assert 'sourcing--reported">rapporté</span>' in html
    assert 'sourcing--confirmed">confirmé</span>' in html
    # Dates with French month names.
    with override("fr"):
        day = formats.date_format(story.published_at, "j F Y")
    assert f">{day}</time>" in html
    for english in ("What the analysts say", "The proposals compared", "Translated from"):
        assert english not in html


def test_the_english_article_page_labels_its_parts_in_english(client, story):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert "What the analysts say" in html and "The proposals compared" in html
    assert '<span class="tag">Quote</span>' in html
    assert "Status: reported" in html
    assert "Ce qu'en disent" not in html


def test_analyst_and_proposal_pages_speak_french(client, story):
    analyst = client.get("/fr/analysts/alexander-gabuev/").content.decode()
    assert "Déclarations publiées" in analyst and "1 déclaration," in analyst
    assert "Affiliation" in analyst and "Fonction" in analyst
    proposals = client.get("/fr/proposals/").content.decode()
    assert "Comparer la sélection" in proposals and "Comparer « US 28-point plan »" in proposals
    compare = client.get("/fr/proposals/compare/?slugs=us-plan,eu-plan").content.decode()
    assert '<h1 class="page-title">Propositions comparées</h1>' in compare
    assert "Un tiret signifie que la proposition ne dit rien sur ce point." in compare
    assert "Rien de précisé" in compare


def test_the_search_page_speaks_french(client, story):
    html = client.get("/fr/search/?q=Poutine").content.decode()
    assert '<h1 class="page-title">Rechercher</h1>' in html
    assert "1 article correspond à « Poutine »" in html
    none = client.get("/fr/search/?q=introuvable").content.decode()
    assert "0 article correspond à « introuvable »" in none
    assert "Essayez avec moins de mots ou d'autres mots." in none


def test_the_404_page_speaks_the_language_of_its_address(client, db):
    french = client.get("/fr/articles/nulle-part/")
    assert french.status_code == 404
    assert "Nous n'avons pas trouvé cette page" in french.content.decode()
    english = client.get("/en/articles/nowhere/").content.decode()
    assert "We could not find that page" in english


def test_the_500_page_speaks_the_active_language(db):
    with override("fr"):
        html = render_to_string("500.html")
    assert '<html lang="fr">' in html
    assert "Une erreur s'est produite de notre côté" in html


def test_the_feed_is_titled_in_its_language(client, story):
    assert (
        "<title>Newsroom : les dernières analyses</title>"
        in client.get("/fr/feed/").content.decode()
    )
    assert "<title>Newsroom: latest analysis</title>" in client.get("/en/feed/").content.decode()


def test_the_language_switcher_names_each_language_in_itself(client, story):
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert 'lang="en">English</a>' in html and 'lang="fr" aria-current="true">Français</a>' in html


# -- the catalogue ------------------------------------------------------------------------


def read_po(path: Path) -> dict[str, list[str]]:
    """{msgid (with "context\\x04" in front, as gettext keys it): [msgstr, ...]}."""
    entries: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    field = None

    def flush():
        if "msgid" in current and current["msgid"]:
            key = current["msgid"]
            if "msgctxt" in current:
                key = current["msgctxt"] + "\x04" + key
            entries[key] = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    return entries


def test_every_french_string_is_translated_and_compiled():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 80
    untranslated = [msgid for msgid, strings in entries.items() if not all(strings)]
    assert untranslated == []
    # The committed .mo holds exactly the .po's translations (run compilemessages).
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, strings in entries.items():
        if len(strings) == 1:
            assert compiled.gettext(msgid) == strings[0], msgid
        else:
            assert compiled._catalog[(msgid, 0)] == strings[0], msgid


def test_placeholders_survive_translation():
    for msgid, strings in read_po(CATALOGUE / "django.po").items():
        wanted = sorted(set(re.findall(r"%\(\w+\)s", msgid)))
        for string in strings:
            assert sorted(set(re.findall(r"%\(\w+\)s", string))) == wanted, msgid


def test_a_block_without_title_is_labelled_in_the_page_language(client, story):
    story.enrichment_blocks.filter(kind="key_points").update(title="")
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert '<h2 class="block__title">Points clés</h2>' in html
    # Its items stay content in the article's language, and say so.
    assert '<ul class="block__items" lang="en"><li>No ceasefire.</li></ul>' in html

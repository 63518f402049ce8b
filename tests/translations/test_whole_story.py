"""A translation covers the whole story: its text, its parts and its address; drafts
save incomplete and keep their credit; readers get one language per page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Article, Section, TranslationVersion
from articles.states import State
from articles.translations import domain as translation
from articles.translations.forms import part_field_name
from articles.workflow import transition
from tests.factories import ArticleFactory, published_article
from tests.translations.conftest import french_everything

pytestmark = pytest.mark.django_db


def edit_url(article, language="fr"):
    return reverse("translate:edit", args=[article.slug, language])


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (no tags, no head)."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_seed_offers_french_made_from_its_english_text(client, translator, seed):
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    form = client.get(edit_url(seed)).content.decode()

    assert edit_url(seed) in index
    assert "(made from the English text: the original is not held)" in index
    assert "Made from the English text" in form
    assert "the French original is not held" in form
    assert translation.source_for(seed, "fr").text.language == "en"


def test_one_form_has_the_articles_fields_then_every_part(client, translator, seed):
    client.force_login(translator)
    source = translation.source_for(seed, "fr")

    html = client.get(edit_url(seed)).content.decode()

    kinds = {p["key"].split(":")[0] for p in source.parts}
    assert kinds == {"attribution", "analyst", "block", "proposal", "term", "category", "topic"}
    for part in source.parts:
        assert f'name="{part_field_name(part["key"])}"' in html
    assert html.index('name="title"') < html.index('name="s0p0"') < html.index("The story's parts")
    assert 'name="slug"' in html


def test_a_fully_translated_story_has_no_english_on_its_french_page(
    client, editor, translator, seed
):
    data, source = french_everything(seed, slug="poutine-pourparlers")
    version = translation.submit_translation(seed, "fr", data, by=translator)
    transition(version, "approve", by=editor)

    response = client.get("/fr/articles/poutine-pourparlers/")

    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    english = [p["source"] for p in source.parts] + [source.text.title]
    english += [para for s in source.text.sections for para in s["paragraphs"]]
    leaked = [e for e in english if e in text]
    assert leaked == []
    assert "pas encore traduit" not in html and 'lang="en"' not in html.split("<main", 1)[1]
    for rendering in data.parts.values():
        assert rendering in text
    # The analysts' names stay; their roles are translated.
    assert "Jeff Hawn" in text


def test_every_other_address_of_the_story_redirects_to_the_languages_own(
    client, editor, translator, seed
):
    data, _ = french_everything(seed, slug="poutine-pourparlers")
    transition(
        translation.submit_translation(seed, "fr", data, by=translator), "approve", by=editor
    )

    assert (
        client.get(f"/fr/articles/{seed.slug}/")["Location"] == "/fr/articles/poutine-pourparlers/"
    )
    assert (
        client.get("/en/articles/poutine-pourparlers/")["Location"] == f"/en/articles/{seed.slug}/"
    )
    english = client.get(f"/en/articles/{seed.slug}/").content.decode()
    assert 'hreflang="fr" href="http://testserver/fr/articles/poutine-pourparlers/"' in english


def test_a_part_not_yet_translated_shows_in_english_marked_as_such(
    client, editor, translator, seed
):
    statement = seed.attributions.first()
    key = f"attribution:{statement.pk}:statement"
    data, _ = french_everything(seed, slug="poutine-pourparlers")
    version = translation.submit_translation(seed, "fr", data, by=translator)
    transition(version, "approve", by=editor)
    # A statement added after the translation went live: no French text yet.
    new = type(statement).objects.create(
        article=seed, analyst=statement.analyst, statement="A brand new English statement."
    )
    for action in ("submit", "approve", "publish"):
        transition(new, action, by=editor)
    assert key in data.parts

    html = client.get("/fr/articles/poutine-pourparlers/").content.decode()

    assert (
        '<blockquote class="statement statement--paraphrase" lang="en"><p>A brand new English '
        'statement.</p><span class="untranslated" lang="fr">pas encore traduit</span>' in html
    )


def test_an_incomplete_draft_saves_and_the_submission_says_what_is_missing(
    client, translator, seed
):
    client.force_login(translator)
    source = translation.source_for(seed, "fr")
    first_part = part_field_name(source.parts[0]["key"])

    saved = client.post(edit_url(seed), {"title": "Brouillon", "save": "1", "edit_version": 0})

    assert saved.status_code == 302
    draft = TranslationVersion.objects.get(language="fr")
    assert (draft.state, draft.title, draft.sections[0]["paragraphs"]) == (
        State.DRAFT,
        "Brouillon",
        [],
    )
    submitted = client.post(
        edit_url(seed),
        {
            "title": "Brouillon",
            "submit": "1",
            "draft": draft.pk,
            "edit_version": draft.edit_version,
        },
    )
    assert submitted.status_code == 400
    html = submitted.content.decode()
    # Each missing field is named and linked, and the error sits on the field itself.
    assert 'href="#id_s0p0"' in html and 'href="#id_heading_1"' in html
    assert f'href="#id_{first_part}"' in html
    assert "needs a translation." in html
    assert TranslationVersion.objects.get(language="fr").state == State.DRAFT


def test_the_credit_typed_in_a_draft_is_kept_and_published(client, editor, translator, seed):
    client.force_login(translator)
    data, _ = french_everything(seed)
    form = {"title": data.title, "standfirst": data.standfirst, "credit": "C. Martin"}
    form.update({"save": "1", "edit_version": 0})
    client.post(edit_url(seed), form)

    reopened = client.get(edit_url(seed)).content.decode()
    assert 'name="credit" value="C. Martin"' in reopened

    draft = TranslationVersion.objects.get(language="fr")
    version = translation.submit_translation(
        seed, "fr", data.__class__(**{**data.__dict__, "credit": "C. Martin"}), by=translator,
        draft=draft,
    )  # fmt: skip
    transition(version, "approve", by=editor)
    page = client.get(Article.objects.get(pk=seed.pk).get_absolute_url("fr"), follow=True)
    assert "Traduit de la version en anglais par C. Martin" in page.content.decode()


def test_an_empty_credit_is_the_translators_name_not_their_username(translator, editor):
    translator.first_name, translator.last_name = "Camille", "Martin"
    translator.save()
    article = ArticleFactory()
    data = translation.TranslationInput(
        "T", "S", [{"heading": "", "paragraphs": ["Un."]}, {"heading": "C", "paragraphs": ["D."]}]
    )
    assert translation.submit_translation(article, "fr", data, by=translator).credit == (
        "Camille Martin"
    )


def test_the_imported_translation_is_version_one_everywhere(client, editor, translator, seed):
    v1 = TranslationVersion.objects.get(article=seed, language="en")
    assert (v1.version, v1.imported, v1.credit, v1.state) == (1, True, "Lara Bullens", "published")
    text = translation.source_for(seed, "en").text
    revision = translation.submit_translation(
        seed,
        "en",
        translation.TranslationInput(text.title, text.standfirst, text.sections),
        by=translator,
    )
    assert revision.version == 2

    client.force_login(editor)
    listed = client.get("/api/v1/translations/?article=" + seed.slug).json()["results"]
    assert sorted(v["version"] for v in listed) == [1, 2]
    workspace = client.get("/translate/").content.decode()
    assert re.search(r'data-label="Version">1</td>', workspace)
    admin = client.get("/admin/articles/translationversion/").content.decode()
    assert admin.count("Is Putin") >= 2  # version 1 and version 2
    # Readers keep the article's own English text (editors may edit it).
    Section.objects.filter(article=seed, order=0).update(body="An edited lead.")
    assert "An edited lead." in client.get(f"/en/articles/{seed.slug}/").content.decode()


def test_numbers_run_from_one_without_gaps_per_language(translator, editor):
    article = published_article(editor)
    data = translation.TranslationInput(
        "T", "S", [{"heading": "", "paragraphs": ["Un."]}, {"heading": "C", "paragraphs": ["D."]}]
    )
    numbers = [
        translation.submit_translation(article, "fr", data, by=translator).version for _ in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_a_slug_taken_by_another_story_is_a_form_error(client, translator, seed):
    other = ArticleFactory(slug="taken-elsewhere")
    client.force_login(translator)
    data, _ = french_everything(seed)
    form = {"title": data.title, "slug": other.slug, "save": "1", "edit_version": 0}

    response = client.post(edit_url(seed), form)

    assert response.status_code == 400
    assert "already used by another story" in response.content.decode()
    assert not TranslationVersion.objects.filter(language="fr").exists()


def test_a_title_made_address_never_collides(translator, editor):
    first, second = ArticleFactory(), ArticleFactory()
    data = translation.TranslationInput(
        "Même titre",
        "S",
        [{"heading": "", "paragraphs": ["Un."]}, {"heading": "C", "paragraphs": ["D."]}],
    )
    a = translation.submit_translation(first, "fr", data, by=translator)
    b = translation.submit_translation(second, "fr", data, by=translator)
    assert a.slug == "meme-titre" and b.slug == f"meme-titre-{second.pk}"


def test_a_correction_prefills_only_what_did_not_change(client, editor, translator, seed):
    data, source = french_everything(seed)
    transition(
        translation.submit_translation(seed, "fr", data, by=translator), "approve", by=editor
    )
    lead = Section.objects.get(article=seed, order=0)
    changed_paragraph = lead.paragraphs[0]
    lead.body = lead.body.replace(changed_paragraph, "A corrected first paragraph.")
    lead.save()
    seed.mark_text_revised()
    statement = seed.attributions.first()
    statement.statement = "A corrected statement."
    statement.save()
    client.force_login(translator)

    html = client.get(edit_url(seed)).content.decode()

    assert "Outdated" in html  # the source's diff is shown
    kept = data.sections[1]["paragraphs"][0]
    assert re.search(rf">\s*{kept}</textarea>", html)  # unchanged: pre-filled from the French
    assert re.search(r'name="s0p0"[^>]*>\s*</textarea>', html)  # changed: empty
    unchanged_part = next(k for k in data.parts if k.startswith("block:"))
    assert re.search(rf">\s*{data.parts[unchanged_part]}</textarea>", html)
    changed = part_field_name(f"attribution:{statement.pk}:statement")
    assert re.search(rf'name="{changed}"[^>]*>\s*</textarea>', html)


def test_the_sitemap_lists_each_languages_own_address(client, editor, translator, seed):
    data, _ = french_everything(seed, slug="poutine-pourparlers")
    transition(
        translation.submit_translation(seed, "fr", data, by=translator), "approve", by=editor
    )

    # The sitemap is an index of sections (articles: one per language) and a news sitemap.
    index = client.get("/sitemap.xml").content.decode()
    sections = [
        client.get(f"/sitemap-articles-{code}.xml").content.decode() for code in ("en", "fr")
    ]
    news = client.get("/sitemap-news.xml").content.decode()

    assert "/sitemap-articles-fr.xml</loc>" in index
    for sitemap in ("".join(sections), news):
        assert "/fr/articles/poutine-pourparlers/</loc>" in sitemap
        assert f"/en/articles/{seed.slug}/</loc>" in sitemap
        assert f"/fr/articles/{seed.slug}/</loc>" not in sitemap

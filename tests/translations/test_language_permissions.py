"""Per-language permissions: translators limited to some languages (or pairs), editors
made reviewers of some languages; the workspace, the admin and the API all ask
`articles.permissions`."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import permissions
from articles.models import LanguageGrant, TranslationVersion
from articles.states import State
from articles.translations import domain as translation
from articles.translations.admin import review_url
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, published_article

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"heading": "", "paragraphs": ["Le paragraphe."]},
    {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
]


def text(title="Un article"):
    return translation.TranslationInput(title, "Ce que les pourparlers signifient.", SECTIONS)


def grant(user, *languages, role=LanguageGrant.Role.TRANSLATE, pair=""):
    for language in languages:
        LanguageGrant.objects.create(user=user, role=role, language=language, from_language=pair)
    user.__dict__.pop("_newsroom_language_grants", None)  # as a new request would


@pytest.fixture
def settings_de(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    return settings


def test_a_translator_without_grants_works_in_every_language(translator, settings_de):
    assert permissions.workable_languages(translator, ["en", "fr", "de"]) == ["en", "fr", "de"]


def test_a_translator_granted_some_languages_works_only_in_those(translator, settings_de):
    grant(translator, "fr")
    article = ArticleFactory()

    assert permissions.workable_languages(translator, ["en", "fr", "de"]) == ["fr"]
    assert translation.submit_translation(article, "fr", text(), by=translator).language == "fr"
    with pytest.raises(PermissionDenied):
        translation.submit_translation(article, "de", text(), by=translator)
    assert not TranslationVersion.objects.filter(language="de").exists()


def test_a_language_pair_limits_the_source_language_too(translator):
    grant(translator, "fr", pair="de")
    article = ArticleFactory(language="en")

    assert permissions.can_translate(translator, "fr", "de")
    assert not permissions.can_translate(translator, "fr", "en")
    with pytest.raises(PermissionDenied):
        translation.submit_translation(article, "fr", text(), by=translator)


def test_the_workspace_offers_and_opens_granted_languages_only(client, translator, settings_de):
    grant(translator, "fr")
    article = ArticleFactory(slug="talks")
    client.force_login(translator)

    index = client.get("/translate/").content.decode()

    assert reverse("translate:edit", args=["talks", "fr"]) in index
    assert reverse("translate:edit", args=["talks", "de"]) not in index
    assert client.get(reverse("translate:edit", args=["talks", "de"])).status_code == 403
    posted = client.post(
        reverse("translate:edit", args=["talks", "de"]),
        {"title": "Titel", "save": "1", "edit_version": 0},
    )
    assert posted.status_code == 403
    assert client.get(reverse("translate:edit", args=[article.slug, "fr"])).status_code == 200


def test_the_api_refuses_a_version_in_a_language_not_granted(translator, settings_de):
    grant(translator, "fr")
    ArticleFactory(slug="talks")
    body = {"article": "talks", "language": "de", "title": "T", "standfirst": "S"}
    body["sections"] = SECTIONS

    response = client_for(translator).post(
        "/api/v1/translations/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 403
    assert not TranslationVersion.objects.exists()


def test_the_api_lists_only_the_granted_languages(translator, editor, settings_de):
    article = ArticleFactory()
    translation.submit_translation(article, "fr", text(), by=translator)
    translation.submit_translation(article, "de", text(), by=translator)
    grant(translator, "fr")

    listed = client_for(translator).get("/api/v1/translations/").json()["results"]

    assert [v["language"] for v in listed] == ["fr"]


def test_a_language_reviewer_decides_only_in_their_languages(
    client, editor, translator, settings_de
):
    article = published_article(editor)
    french = translation.submit_translation(article, "fr", text(), by=translator)
    german = translation.submit_translation(article, "de", text(), by=translator)
    grant(editor, "fr", role=LanguageGrant.Role.REVIEW)
    api = client_for(editor)

    refused = api.post(f"/api/v1/translations/{german.pk}/approve/", {}, format="json")
    approved = api.post(f"/api/v1/translations/{french.pk}/approve/")

    assert refused.status_code in {403, 404}
    assert approved.status_code == 200
    assert TranslationVersion.objects.get(pk=german.pk).state == State.IN_REVIEW
    client.force_login(editor)
    assert client.get(review_url(german)).status_code == 403
    assert client.get(review_url(french)).status_code == 200
    queue = client.get("/admin/review/").content.decode()
    changelist = client.get("/admin/articles/translationversion/").content.decode()
    assert f"/admin/articles/translationversion/{german.pk}/" not in queue + changelist


def test_editors_grant_languages_in_the_admin(client, editor, translator):
    client.force_login(editor)

    response = client.post(
        "/admin/articles/languagegrant/add/",
        {"user": translator.pk, "role": "translate", "language": "fr", "from_language": ""},
    )

    assert response.status_code == 302
    made = LanguageGrant.objects.get()
    assert (made.user, made.language, made.granted_by) == (translator, "fr", editor)
    review_for_translator = client.post(
        "/admin/articles/languagegrant/add/",
        {"user": translator.pk, "role": "review", "language": "en", "from_language": ""},
    )
    assert review_for_translator.status_code == 200
    assert "Only editors review" in review_for_translator.content.decode()


def test_translators_cannot_manage_grants_nor_see_the_board(client, translator):
    client.force_login(translator)
    assert client.get("/translate/status/").status_code == 403
    assert client.get("/api/v1/translations/status/").status_code in {401, 403}


def test_their_own_version_in_a_language_no_longer_granted_is_a_403(client, translator):
    version = translation.submit_translation(ArticleFactory(), "fr", text(), by=translator)
    grant(translator, "en")

    assert client_for(translator).get(f"/api/v1/translations/{version.pk}/").status_code == 403
    assert client_for(translator).get("/api/v1/translations/abc/").status_code == 404
    client.force_login(translator)
    assert client.get(f"/translate/versions/{version.pk}/").status_code == 403


def test_api_clients_read_the_source_with_its_parts_then_submit_them(translator, editor):
    from tests.factories import AttributionFactory

    article = ArticleFactory(slug="talks", sections=[("", "Lead."), ("Contexte", "A.\n\nB.")])
    AttributionFactory(article=article, statement="The talks are a ruse.")
    api = client_for(translator)

    source = api.get("/api/v1/translations/source/?article=talks&language=fr").json()
    body = {"article": "talks", "language": "fr", "title": "T", "standfirst": "S"}
    body["sections"] = SECTIONS

    missing = api.post("/api/v1/translations/", json.dumps(body), content_type="application/json")
    body["parts"] = {part["key"]: "Un texte français." for part in source["parts"]}
    created = api.post("/api/v1/translations/", json.dumps(body), content_type="application/json")

    assert [p["source"] for p in source["parts"]] == ["The talks are a ruse.", "researcher"]
    assert missing.status_code == 400 and "parts" in missing.json()["errors"]
    assert created.status_code == 201
    assert set(created.json()["parts"]) == {p["key"] for p in source["parts"]}
    assert api.get("/api/v1/translations/source/?article=talks&language=xx").status_code == 400
    assert api.get("/api/v1/translations/source/?article=nope&language=fr").status_code == 400
    grant(translator, "de")
    assert api.get("/api/v1/translations/source/?article=talks&language=fr").status_code == 403

"""/api/v1/translations/: translators submit versions, editors review them, by role."""

import json

import pytest

from articles.models import AuditEntry, TranslationVersion
from articles.states import State
from articles.translations.domain import (
    TranslationInput,
    save_translation_draft,
    submit_translation,
)
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, moderate, published_article

pytestmark = pytest.mark.django_db

URL = "/api/v1/translations/"
SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]


def body(**overrides):
    data = {
        "article": "talks",
        "language": "fr",
        "title": "Les pourparlers",
        "standfirst": "Ce que les pourparlers signifient.",
        "sections": [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
    }
    data.update(overrides)
    return data


def french(title="Les pourparlers"):
    data = body()
    return TranslationInput(title, data["standfirst"], data["sections"])


@pytest.fixture
def article(editor):
    return published_article(editor, slug="talks", title="The talks", sections=SECTIONS)


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_translator_submits_a_version(translator, article):
    response = post(client_for(translator), URL, body())

    assert response.status_code == 201, response.json()
    data = response.json()
    version = TranslationVersion.objects.get()
    assert data["id"] == version.pk
    assert (data["version"], data["status"], data["source_revision"]) == (1, "in_review", 1)
    assert (data["article"], data["language"], data["from_language"]) == ("talks", "fr", "en")
    assert data["sections"][1] == {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]}
    assert version.author == translator


def test_versions_are_numbered_per_article_and_language(translator, other_translator, article):
    first = post(client_for(translator), URL, body()).json()
    second = post(client_for(other_translator), URL, body(title="Autre")).json()

    assert (first["version"], second["version"]) == (1, 2)


def test_an_imported_translation_counts_as_version_one(translator, editor):
    published_article(
        editor,
        slug="wire",
        language="en",
        original_language="fr",
        translator_credit="Lara Bullens",
        sections=SECTIONS,
    )
    data = body(
        article="wire",
        language="en",
        sections=[
            {"heading": "", "paragraphs": ["The lead, revised."]},
            {"heading": "Background", "paragraphs": ["First.", "Second."]},
        ],
    )

    response = post(client_for(translator), URL, data)

    assert response.status_code == 201
    assert response.json()["version"] == 2
    assert response.json()["from_language"] == "fr"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"language": "xx"}, "language"),
        ({"language": "en"}, "language"),  # the article's original language
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"sections": []}, "sections"),
        ({"sections": [{"heading": "", "paragraphs": ["Un."]}]}, "sections"),
        ({"sections": [{"heading": "", "paragraphs": ["Un."]},
                       {"heading": "X", "paragraphs": [""]}]}, "sections"),
        ({"sections": "not a list"}, "sections"),
        ({"article": "no-such-article"}, "article"),
        ({"standfirst": ""}, "standfirst"),
    ],
)  # fmt: skip
def test_bad_input_answers_400_with_field_errors_and_writes_nothing(
    translator, article, overrides, field
):
    data = {k: v for k, v in body(**overrides).items() if v is not None}

    response = post(client_for(translator), URL, data)

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert TranslationVersion.objects.count() == 0


def test_a_missing_required_part_is_named(translator, article):
    data = body()
    del data["sections"]

    response = post(client_for(translator), URL, data)

    assert response.status_code == 400
    assert response.json()["errors"]["sections"] == ["This field is required."]


def test_a_version_for_an_archived_article_is_refused(translator, editor):
    moderate(ArticleFactory(slug="old", sections=SECTIONS), State.ARCHIVED, editor)

    response = post(client_for(translator), URL, body(article="old"))

    assert response.status_code == 400
    assert "takes no new translations" in response.json()["errors"]["article"][0]
    assert TranslationVersion.objects.count() == 0


def test_a_body_over_one_megabyte_answers_413(translator, article):
    data = body(title="x" * (1024 * 1024 + 10))

    response = post(client_for(translator), URL, data)

    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert TranslationVersion.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_callers_get_401(article, method):
    response = getattr(client_for(None), method)(URL)

    assert response.status_code == 401


@pytest.mark.parametrize("method", ["get", "post"])
def test_contributors_get_403(contributor, article, method):
    client = client_for(contributor)
    response = client.get(URL) if method == "get" else post(client, URL, body())

    assert response.status_code == 403
    assert TranslationVersion.objects.count() == 0


def test_a_translator_lists_and_reads_only_their_own_versions(
    translator, other_translator, article, django_assert_max_num_queries
):
    mine = submit_translation(article, "fr", french(), by=translator)
    theirs = submit_translation(article, "fr", french("Autre"), by=other_translator)
    elsewhere = ArticleFactory(sections=SECTIONS)
    draft = save_translation_draft(elsewhere, "fr", french(), by=other_translator)
    client = client_for(translator)

    with django_assert_max_num_queries(8):
        listed = client.get(URL).json()["results"]

    assert [v["id"] for v in listed] == [mine.pk]
    assert client.get(f"{URL}{mine.pk}/").status_code == 200
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}{draft.pk}/").status_code == 404


def test_an_editor_lists_every_version_and_filters_them(
    editor, translator, other_translator, article, django_assert_max_num_queries
):
    other = published_article(editor, slug="other", sections=SECTIONS)
    a = submit_translation(article, "fr", french(), by=translator)
    b = submit_translation(other, "fr", french(), by=other_translator)
    client = client_for(editor)
    post(client, f"{URL}{b.pk}/reject/", {"note": "Non."})

    with django_assert_max_num_queries(8):
        everything = client.get(URL).json()["results"]

    assert {v["id"] for v in everything} == {a.pk, b.pk}
    assert [v["id"] for v in client.get(URL, {"article": "talks"}).json()["results"]] == [a.pk]
    assert [v["id"] for v in client.get(URL, {"status": "rejected"}).json()["results"]] == [b.pk]
    assert client.get(URL, {"language": "en"}).json()["results"] == []
    assert client.get(URL, {"status": "bogus"}).status_code == 400


def test_the_detail_carries_the_reviewers_notes(translator, editor, article):
    version = submit_translation(article, "fr", french(), by=translator)
    post(client_for(editor), f"{URL}{version.pk}/request-changes/", {"note": "Le titre."})

    data = client_for(translator).get(f"{URL}{version.pk}/").json()

    assert data["status"] == "changes_requested"
    assert [(n["note"], n["by"], n["to"]) for n in data["notes"]] == [
        ("Le titre.", "edith", "changes_requested")
    ]


def test_an_editor_approves_and_the_version_goes_live(editor, translator, article):
    first = submit_translation(article, "fr", french(), by=translator)
    client = client_for(editor)
    assert post(client, f"{URL}{first.pk}/approve/", {}).json()["status"] == "published"
    second = submit_translation(article, "fr", french("Mieux"), by=translator)

    response = post(client, f"{URL}{second.pk}/approve/", {"note": "Bien."})

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    first.refresh_from_db()
    assert first.state == State.ARCHIVED
    article.refresh_from_db()
    assert article.live_text("fr").title == "Mieux"
    entry = AuditEntry.objects.get(object_id=second.pk, action="moderation.approve")
    assert (entry.actor, entry.note) == (editor, "Bien.")


@pytest.mark.parametrize("action", ["request-changes", "reject"])
def test_request_changes_and_reject_need_a_note(editor, translator, article, action):
    version = submit_translation(article, "fr", french(), by=translator)
    client = client_for(editor)

    refused = post(client, f"{URL}{version.pk}/{action}/", {})
    assert refused.status_code == 400
    assert "note" in refused.json()["errors"]
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW

    done = post(client, f"{URL}{version.pk}/{action}/", {"note": "Pourquoi."})
    assert done.status_code == 200
    expected = "changes_requested" if action == "request-changes" else "rejected"
    assert done.json()["status"] == expected


def test_an_illegal_transition_answers_409(editor, translator, article):
    version = submit_translation(article, "fr", french(), by=translator)
    client = client_for(editor)
    post(client, f"{URL}{version.pk}/reject/", {"note": "Non."})

    response = post(client, f"{URL}{version.pk}/approve/", {})

    assert response.status_code == 409
    version.refresh_from_db()
    assert version.state == State.REJECTED


@pytest.mark.parametrize("action", ["approve", "request-changes", "reject"])
def test_translators_may_not_review(translator, other_translator, article, action):
    mine = submit_translation(article, "fr", french(), by=translator)
    theirs = submit_translation(article, "fr", french(), by=other_translator)
    client = client_for(translator)

    assert post(client, f"{URL}{mine.pk}/{action}/", {"note": "x"}).status_code == 403
    assert post(client, f"{URL}{theirs.pk}/{action}/", {"note": "x"}).status_code == 404
    assert set(TranslationVersion.objects.values_list("state", flat=True)) == {State.IN_REVIEW}


def test_a_resubmission_is_a_new_version_and_the_old_one_is_kept(editor, translator, article):
    client = client_for(translator)
    first = post(client, URL, body()).json()
    post(client_for(editor), f"{URL}{first['id']}/request-changes/", {"note": "Revoir."})

    second = post(client, URL, body(title="Revu")).json()

    assert (second["version"], second["status"]) == (2, "in_review")
    kept = client.get(f"{URL}{first['id']}/").json()
    assert (kept["status"], kept["title"]) == ("changes_requested", "Les pourparlers")


def test_an_outdated_version_says_so(editor, translator, article):
    version = submit_translation(article, "fr", french(), by=translator)
    post(client_for(editor), f"{URL}{version.pk}/approve/", {})
    article.mark_text_revised()

    data = client_for(translator).get(f"{URL}{version.pk}/").json()

    assert (data["status"], data["outdated"], data["source_revision"]) == ("published", True, 1)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"article": "not a slug!"}, "article"),
        ({"language": "xx"}, "language"),
        ({"status": "bogus"}, "status"),
    ],
)
def test_bad_filter_values_answer_400_with_field_errors(editor, article, query, field):
    response = client_for(editor).get(URL, query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_slug_naming_no_article_filters_to_an_empty_list(translator, article):
    submit_translation(article, "fr", french(), by=translator)

    response = client_for(translator).get(URL, {"article": "no-such-article"})

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_the_filters_combine_and_follow_the_languages_in_settings(
    settings, editor, translator, article
):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    fr = submit_translation(article, "fr", french(), by=translator)
    de = submit_translation(article, "de", french("Die Gespräche"), by=translator)
    client = client_for(editor)

    def ids(**query):
        return [v["id"] for v in client.get(URL, query).json()["results"]]

    assert ids(language="de") == [de.pk]
    assert ids(article="talks", language="fr", status="in_review") == [fr.pk]
    assert ids(article="talks", status="published") == []


def test_a_version_posted_by_an_editor_is_in_review_too(editor, article):
    response = post(client_for(editor), URL, body())

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["version"]) == ("in_review", 1)


def test_readers_keep_the_live_text_until_a_new_version_is_approved(editor, translator, article):
    live = submit_translation(article, "fr", french("Le texte en ligne"), by=translator)
    reviewer = client_for(editor)
    post(reviewer, f"{URL}{live.pk}/approve/", {})
    refused = submit_translation(article, "fr", french("Refusée"), by=translator)
    waiting = submit_translation(article, "fr", french("En attente"), by=translator)

    post(reviewer, f"{URL}{refused.pk}/reject/", {"note": "Non."})

    article.refresh_from_db()
    assert article.live_text("fr").title == "Le texte en ligne"
    assert client_for(translator).get(f"{URL}{live.pk}/").json()["status"] == "published"

    post(reviewer, f"{URL}{waiting.pk}/approve/", {})

    article.refresh_from_db()
    assert article.live_text("fr").title == "En attente"
    states = dict(TranslationVersion.objects.values_list("version", "state"))
    assert states == {1: State.ARCHIVED, 2: State.REJECTED, 3: State.PUBLISHED}


def test_an_approved_version_of_an_unpublished_article_goes_live_with_it(editor, translator):
    draft_article = ArticleFactory(slug="talks", sections=SECTIONS)
    version = submit_translation(draft_article, "fr", french(), by=translator)

    approved = post(client_for(editor), f"{URL}{version.pk}/approve/", {}).json()
    assert approved["status"] == "approved"
    assert draft_article.live_text("fr") is None

    moderate(draft_article, State.PUBLISHED, editor)

    assert client_for(translator).get(f"{URL}{version.pk}/").json()["status"] == "published"
    draft_article.refresh_from_db()
    assert draft_article.live_text("fr").title == "Les pourparlers"


def test_a_wrong_section_count_says_what_the_source_has(translator, article):
    response = post(
        client_for(translator), URL, body(sections=[{"heading": "", "paragraphs": ["Un."]}])
    )

    assert response.status_code == 400
    assert response.json()["errors"]["sections"] == [
        "The source has 2 sections (the lead counts as one); this translation has 1."
    ]
    assert (
        AuditEntry.objects.count()
        == AuditEntry.objects.exclude(content_type__model="translationversion").count()
    )


def test_a_translator_may_not_review_even_their_own_version_and_nothing_is_recorded(
    translator, article
):
    version = submit_translation(article, "fr", french(), by=translator)

    response = post(client_for(translator), f"{URL}{version.pk}/approve/", {})

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(
        content_type__model="translationversion", object_id=version.pk, action="moderation.approve"
    )


@pytest.mark.parametrize("action", ["request-changes", "reject"])
def test_a_translator_without_a_note_is_refused_for_the_role_first(translator, article, action):
    mine = submit_translation(article, "fr", french(), by=translator)

    response = post(client_for(translator), f"{URL}{mine.pk}/{action}/", {})

    assert response.status_code == 403

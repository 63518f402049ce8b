"""The translators' workspace at /translate/: access by role, the form, drafts, staleness."""

import pytest
from django.urls import reverse

from articles.models import Section, TranslationVersion
from articles.states import State
from articles.translations.domain import (
    TranslationInput,
    save_translation_draft,
    submit_translation,
)
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate, published_article

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]


def form_data(action="submit", **overrides):
    data = {
        "title": "Un article",
        "standfirst": "Ce que les pourparlers signifient.",
        "credit": "",
        "s0p0": "Le paragraphe.",
        "heading_1": "Contexte",
        "s1p0": "Premier.",
        "s1p1": "Second.",
        action: "1",
    }
    data.update(overrides)
    return data


def french():
    return TranslationInput(
        "Un article",
        "Ce que les pourparlers signifient.",
        [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
    )


@pytest.fixture
def article(db):
    return ArticleFactory(slug="talks", title="The talks", sections=SECTIONS)


def edit_url(slug="talks", language="fr"):
    return reverse("translate:edit", args=[slug, language])


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/translate/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/translate/"


def test_the_login_page_signs_a_translator_in_and_lands_in_the_workspace(client, translator):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()

    response = client.post(
        "/accounts/login/", {"username": "tran", "password": "pw-tran"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/translate/"
    assert "Translation workspace" in response.content.decode()


def test_a_contributor_may_not_use_the_workspace(client, contributor, article):
    client.force_login(contributor)

    assert client.get("/translate/").status_code == 403
    assert client.get(edit_url()).status_code == 403


def test_a_translator_sees_the_articles_open_for_translation(client, translator, editor, article):
    moderate(ArticleFactory(title="Archived piece"), State.ARCHIVED, editor)
    client.force_login(translator)

    response = client.get("/translate/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The talks" in html
    assert f'href="{edit_url()}"' in html
    assert "Archived piece" not in html
    assert f'href="{edit_url(language="en")}"' not in html  # not into the original


def test_the_form_shows_the_source_paragraph_by_paragraph_beside_the_fields(
    client, translator, article
):
    client.force_login(translator)

    response = client.get(edit_url())

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("The lead paragraph.", "First.", "Second.", "Background", "The talks"):
        assert text in html
    for field in ("id_title", "id_standfirst", "id_s0p0", "id_heading_1", "id_s1p0", "id_s1p1"):
        assert f'for="{field}"' in html  # every field has a label
    assert "id_heading_0" not in html  # the lead has no heading
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.index("First.") < html.index('id="id_s1p0"') < html.index("Second.")


def test_a_translator_submits_a_version_from_the_form(client, translator, article):
    client.force_login(translator)

    response = client.post(edit_url(), form_data())

    version = TranslationVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("translate:version", args=[version.pk])
    assert (version.version, version.state, version.author) == (1, State.IN_REVIEW, translator)
    assert version.sections == [
        {"heading": "", "paragraphs": ["Le paragraphe."]},
        {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
    ]
    page = client.get(response["Location"])
    assert "In review" in page.content.decode()


def test_a_translator_saves_a_draft_then_submits_it_as_the_same_version(
    client, translator, article
):
    client.force_login(translator)

    client.post(edit_url(), form_data("save", title="Brouillon"))
    draft = TranslationVersion.objects.get()
    assert (draft.state, draft.title) == (State.DRAFT, "Brouillon")
    page = client.get(edit_url()).content.decode()
    assert 'value="Brouillon"' in page

    client.post(edit_url(), form_data("submit", title="Final"))

    version = TranslationVersion.objects.get()
    assert (version.pk, version.state, version.title) == (draft.pk, State.IN_REVIEW, "Final")


def test_empty_paragraph_fields_merge_and_blank_lines_split(client, translator, article):
    client.force_login(translator)

    client.post(edit_url(), form_data(s1p0="Premier.\n\nEt demi.", s1p1=""))

    assert TranslationVersion.objects.get().sections[1]["paragraphs"] == ["Premier.", "Et demi."]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "The title is required."),
        ({"heading_1": ""}, "Section 2 (“Background”) needs a heading."),
        ({"s1p0": "", "s1p1": " "}, "Section 2 (“Background”) has no text."),
        ({"standfirst": ""}, "The standfirst is required: the source has one."),
    ],
)
def test_bad_input_shows_form_errors_and_writes_nothing(
    client, translator, article, overrides, message
):
    client.force_login(translator)

    response = client.post(edit_url(), form_data(**overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert message in html
    assert 'value="Un article"' in html or overrides.get("title") == ""  # input kept
    assert TranslationVersion.objects.count() == 0


@pytest.mark.parametrize(
    "slug, language, message",
    [
        ("talks", "xx", "Unknown language"),
        ("talks", "en", "original language is English"),
        ("archived", "fr", "takes no new translations"),
    ],
)
def test_a_version_that_may_not_exist_is_refused_clearly(
    client, translator, editor, article, slug, language, message
):
    moderate(ArticleFactory(slug="archived"), State.ARCHIVED, editor)
    client.force_login(translator)

    for response in (
        client.get(edit_url(slug, language)),
        client.post(edit_url(slug, language), form_data()),
    ):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert TranslationVersion.objects.count() == 0


def test_a_translator_never_sees_another_translators_draft(
    client, translator, other_translator, article
):
    theirs = save_translation_draft(
        article,
        "fr",
        TranslationInput(**{**french().__dict__, "title": "Secret"}),
        by=other_translator,
    )
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    form = client.get(edit_url()).content.decode()

    assert "Secret" not in index and "Secret" not in form
    assert client.get(reverse("translate:version", args=[theirs.pk])).status_code == 404
    assert client.get(edit_url() + f"?from={theirs.pk}").status_code == 404
    # submitting creates the translator's own version; the other draft is untouched
    client.post(edit_url(), form_data())
    theirs.refresh_from_db()
    assert (theirs.title, theirs.state) == ("Secret", State.DRAFT)
    assert TranslationVersion.objects.filter(author=translator).get().version == 2


def test_own_versions_are_listed_with_states_and_editors_notes(client, translator, editor, article):
    version = submit_translation(article, "fr", french(), by=translator)
    transition(version, "request_changes", by=editor, note="Le titre est trop long.")
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    detail = client.get(reverse("translate:version", args=[version.pk])).content.decode()

    assert "Changes requested" in index and "Le titre est trop long." in index
    assert "Le titre est trop long." in detail
    assert f"?from={version.pk}" in detail  # offers a new version, prefilled

    form = client.get(edit_url() + f"?from={version.pk}").content.decode()
    assert "Premier." in form
    client.post(edit_url(), form_data(title="Plus court"))
    states = dict(TranslationVersion.objects.values_list("version", "state"))
    assert states == {1: State.CHANGES_REQUESTED, 2: State.IN_REVIEW}


def test_an_editor_sees_every_version_in_the_workspace(client, editor, translator, article):
    version = submit_translation(article, "fr", french(), by=translator)
    client.force_login(editor)

    assert "The talks" in client.get("/translate/").content.decode()
    assert client.get(reverse("translate:version", args=[version.pk])).status_code == 200


def test_an_outdated_translation_shows_with_the_source_diff(client, translator, editor):
    article = published_article(editor, slug="talks", title="The talks", sections=SECTIONS)
    version = submit_translation(article, "fr", french(), by=translator)
    transition(version, "approve", by=editor)
    section = Section.objects.get(article=article, heading="Background")
    section.body = "First, revised.\n\nSecond."
    section.save()
    article.mark_text_revised()
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    detail = client.get(reverse("translate:version", args=[version.pk])).content.decode()

    assert "Outdated translations" in index
    assert "outdated" in detail
    assert (
        '<span class="changed"><span class="visually-hidden">Changed: </span>First'
        '<ins><span class="visually-hidden">inserted: </span>, revised</ins>.</span>'
    ) in detail
    # the update starts from the live French text, against the new source
    form = client.get(edit_url() + f"?from={version.pk}").content.decode()
    assert "First, revised." in form and "Premier." in form


def test_the_workspace_index_query_count_does_not_grow_with_versions(
    client, translator, article, django_assert_max_num_queries
):
    for _ in range(5):
        submit_translation(article, "fr", french(), by=translator)
    client.force_login(translator)

    with django_assert_max_num_queries(10):
        assert client.get("/translate/").status_code == 200


def open_form(client) -> dict:
    """GET the form as a browser tab would, and return the hidden fields it carries."""
    form = client.get(edit_url()).context["form"]
    return {
        "draft": form["draft"].value() or "",
        "edit_version": form["edit_version"].value(),
    }


def test_two_tabs_on_one_draft_do_not_overwrite_each_other(client, translator, article):
    client.force_login(translator)
    client.post(edit_url(), {**form_data("save", title="Brouillon"), **open_form(client)})
    tab_a, tab_b = open_form(client), open_form(client)

    saved = client.post(edit_url(), {**form_data("save", title="Tab A"), **tab_a})
    refused = client.post(edit_url(), {**form_data("save", title="Tab B"), **tab_b})

    assert saved.status_code == 302
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This translation version was saved again at" in html
    assert "Your changes were NOT saved and are still in this form" in html
    assert 'value="Tab B"' in html  # the translator's text stays in the form
    draft = TranslationVersion.objects.get()
    assert (draft.title, draft.state) == ("Tab A", State.DRAFT)


def test_a_stale_tab_cannot_submit_over_a_newer_draft_either(client, translator, article):
    client.force_login(translator)
    client.post(edit_url(), {**form_data("save", title="Brouillon"), **open_form(client)})
    tab_a, tab_b = open_form(client), open_form(client)
    client.post(edit_url(), {**form_data("save", title="Tab A"), **tab_a})

    refused = client.post(edit_url(), {**form_data("submit", title="Tab B"), **tab_b})

    assert refused.status_code == 400
    draft = TranslationVersion.objects.get()
    assert (draft.title, draft.state) == ("Tab A", State.DRAFT)


def test_two_tabs_starting_a_translation_make_one_draft_not_two(client, translator, article):
    client.force_login(translator)
    tab_a, tab_b = open_form(client), open_form(client)
    assert tab_a == {"draft": "", "edit_version": 0}

    client.post(edit_url(), {**form_data("save", title="Tab A"), **tab_a})
    refused = client.post(edit_url(), {**form_data("save", title="Tab B"), **tab_b})

    assert refused.status_code == 400
    assert "Your changes were NOT saved" in refused.content.decode()
    assert 'value="Tab B"' in refused.content.decode()
    assert list(TranslationVersion.objects.values_list("title", flat=True)) == ["Tab A"]


def test_a_draft_submitted_in_another_tab_is_not_changed_afterwards(client, translator, article):
    client.force_login(translator)
    client.post(edit_url(), {**form_data("save", title="Brouillon"), **open_form(client)})
    tab_a, tab_b = open_form(client), open_form(client)
    client.post(edit_url(), {**form_data("submit", title="Submitted"), **tab_a})

    refused = client.post(edit_url(), {**form_data("save", title="Tab B"), **tab_b})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Version 1 was submitted for review after you opened this page" in html
    assert 'value="Tab B"' in html
    version = TranslationVersion.objects.get()
    assert (version.title, version.state) == ("Submitted", State.IN_REVIEW)


def test_a_fresh_form_saves_again_after_a_save(client, translator, article):
    client.force_login(translator)
    client.post(edit_url(), {**form_data("save", title="Un"), **open_form(client)})

    response = client.post(edit_url(), {**form_data("save", title="Deux"), **open_form(client)})

    assert response.status_code == 302
    assert TranslationVersion.objects.get().title == "Deux"


def test_a_forged_draft_id_answers_404(client, translator, other_translator, article):
    theirs = save_translation_draft(article, "fr", french(), by=other_translator)
    client.force_login(translator)

    response = client.post(
        edit_url(), {**form_data("save", title="Mine"), "draft": theirs.pk, "edit_version": 1}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Un article"


@pytest.mark.parametrize(
    "sent", [{"draft": "²", "edit_version": "1"}, {"draft": "", "edit_version": "²"}]
)
def test_a_digit_that_is_no_number_in_the_hidden_fields_is_not_a_500(
    client, translator, article, sent
):
    # str.isdigit() says yes to "²", which int() refused (found by the hostile input corpus).
    client.force_login(translator)
    response = client.post(edit_url(), {**form_data("save", title="Mine"), **sent})
    assert response.status_code < 500


def test_a_form_body_over_the_size_limit_answers_413_and_writes_nothing(
    client, translator, article
):
    client.force_login(translator)

    response = client.post(edit_url(), form_data(s0p0="x" * (2 * 1024 * 1024)))

    assert response.status_code == 413
    assert TranslationVersion.objects.count() == 0


def test_an_editor_may_open_another_translators_version_but_not_change_their_draft(
    client, editor, translator, article
):
    draft = save_translation_draft(article, "fr", french(), by=translator)
    client.force_login(editor)

    assert client.get(reverse("translate:version", args=[draft.pk])).status_code == 200
    # The editor's form is their own: it never loads or saves the translator's draft.
    assert client.get(edit_url()).context["form"]["draft"].value() is None
    client.post(edit_url(), form_data("save", title="Editor's own"))
    draft.refresh_from_db()
    assert draft.title == "Un article"
    assert TranslationVersion.objects.get(author=editor).version == 2


def test_a_version_sent_back_waits_for_the_translator_with_the_note(
    client, translator, editor, article
):
    version = submit_translation(article, "fr", french(), by=translator)
    transition(version, "request_changes", by=editor, note="Le titre est trop long.")
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    form = client.get(edit_url() + f"?from={version.pk}").content.decode()

    todo = index[index.index('id="todo-list"') :]
    assert "Le titre est trop long." in todo[: todo.index("</ul>")]
    assert f"?from={version.pk}" in todo and "Start version 2 from it" in todo
    assert "What the editors said about version 1" in form
    assert "Le titre est trop long." in form


def test_any_translator_is_shown_an_outdated_live_text_and_its_source_diff(
    client, translator, other_translator, editor
):
    article = published_article(editor, slug="talks", title="The talks", sections=SECTIONS)
    live = submit_translation(article, "fr", french(), by=other_translator)
    transition(live, "approve", by=editor)
    section = Section.objects.get(article=article, heading="Background")
    section.body = "First, revised.\n\nSecond."
    section.save()
    article.mark_text_revised()
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    form = client.get(edit_url()).content.decode()

    outdated = index[index.index('id="outdated-list"') :]
    assert "The talks" in outdated[: outdated.index("</ul>")]
    assert reverse("translate:version", args=[live.pk]) not in index  # not theirs to open
    assert "The source changed since version 1 was made (revision 1 → 2)" in form
    assert (
        '<span class="changed"><span class="visually-hidden">Changed: </span>First'
        '<ins><span class="visually-hidden">inserted: </span>, revised</ins>.</span>'
    ) in form


def test_the_translation_fields_are_marked_with_their_language(client, translator, article):
    client.force_login(translator)

    form = client.get(edit_url()).context["form"]

    assert form["s1p0"].field.widget.attrs["lang"] == "fr"
    assert form["title"].field.widget.attrs["lang"] == "fr"
    assert "lang" not in form["credit"].field.widget.attrs


def test_an_empty_workspace_says_how_to_start(client, translator):
    client.force_login(translator)

    html = client.get("/translate/").content.decode()

    assert "You have no translation versions yet. Choose an article" in html
    assert "No article is open for translation right now." in html

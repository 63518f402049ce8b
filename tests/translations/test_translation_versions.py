"""Translation versions: numbering, append-only submissions, validation, staleness, credit."""

import threading
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string

from articles.diff import diff_texts, word_diff
from articles.models import AuditEntry, Section, TranslationVersion
from articles.states import State
from articles.translations import domain as translation
from articles.translations import staleness
from articles.translations.domain import TranslationInput, submit_translation
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate, published_article

pytestmark = pytest.mark.django_db


def french(title="Un article", lead="Le paragraphe.", heading="Contexte", body=("Un.", "Deux.")):
    return TranslationInput(
        title=title,
        standfirst="Ce que les pourparlers signifient.",
        sections=[
            {"heading": "", "paragraphs": [lead]},
            {"heading": heading, "paragraphs": list(body)},
        ],
    )


def sample_like_article(**kwargs):
    """Like the sample wire: English copy of a French original that we do not have."""
    return ArticleFactory(
        language="en", original_language="fr", translator_credit="Lara Bullens", **kwargs
    )


def english(article):
    return TranslationInput(
        title="A better title",
        standfirst="What the talks mean.",
        sections=[
            {"heading": s.heading, "paragraphs": [p + " (revised)" for p in s.paragraphs]}
            for s in article.sections.all()
        ],
    )


def test_it_numbers_versions_per_article_and_language(translator, other_translator):
    article = ArticleFactory()
    other = ArticleFactory()

    first = submit_translation(article, "fr", french(), by=translator)
    second = submit_translation(article, "fr", french(title="Deux"), by=other_translator)
    elsewhere = submit_translation(other, "fr", french(), by=translator)

    assert (first.version, second.version, elsewhere.version) == (1, 2, 1)
    assert first.state == second.state == State.IN_REVIEW
    assert first.source_revision == article.text_revision
    assert first.from_language == "en"
    assert first.credit == translator.username


def test_it_records_the_source_snapshot(translator):
    article = ArticleFactory(sections=[("", "Lead."), ("Background", "One.\n\nTwo.")])

    version = submit_translation(article, "fr", french(), by=translator)

    assert version.source_snapshot["title"] == article.title
    assert version.source_snapshot["sections"] == [
        {"heading": "", "paragraphs": ["Lead."]},
        {"heading": "Background", "paragraphs": ["One.", "Two."]},
    ]
    assert version.source_snapshot["language"] == "en"


def test_an_imported_translation_is_version_one_so_the_next_is_two(translator, editor):
    article = sample_like_article()

    version = submit_translation(article, "en", english(article), by=translator)

    assert version.version == 2
    assert version.from_language == "fr"  # still a translation of the French original
    # its source is the English text it revises
    assert version.source_snapshot["language"] == "en"
    assert version.source_snapshot["kind"] == "base"


def test_resubmitting_after_changes_requested_makes_a_new_version(translator, editor):
    article = ArticleFactory()
    first = submit_translation(article, "fr", french(title="Premier jet"), by=translator)
    transition(first, "request_changes", by=editor, note="Le titre est trop long.")

    second = submit_translation(article, "fr", french(title="Second jet"), by=translator)

    first.refresh_from_db()
    assert (first.version, first.state, first.title) == (
        1,
        State.CHANGES_REQUESTED,
        "Premier jet",
    )
    assert (second.version, second.state) == (2, State.IN_REVIEW)
    assert TranslationVersion.objects.count() == 2


def test_a_draft_keeps_its_number_and_is_updated_until_submitted(translator):
    article = ArticleFactory()
    draft = translation.save_translation_draft(
        article, "fr", french(title="Brouillon"), by=translator
    )
    assert (draft.version, draft.state) == (1, State.DRAFT)

    draft = translation.save_translation_draft(
        article, "fr", french(title="Brouillon 2"), by=translator, draft=draft
    )
    submitted = submit_translation(article, "fr", french(title="Final"), by=translator, draft=draft)

    assert submitted.pk == draft.pk
    assert (submitted.version, submitted.state, submitted.title) == (1, State.IN_REVIEW, "Final")
    with pytest.raises(PermissionError):
        translation.save_translation_draft(
            article, "fr", french(title="Overwrite"), by=translator, draft=submitted
        )
    submitted.refresh_from_db()
    assert submitted.title == "Final"


def test_nobody_else_may_change_a_translators_draft(translator, other_translator):
    article = ArticleFactory()
    draft = translation.save_translation_draft(article, "fr", french(), by=translator)

    with pytest.raises(PermissionError):
        submit_translation(article, "fr", french(title="Mine"), by=other_translator, draft=draft)

    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Un article", State.DRAFT)


@pytest.mark.parametrize(
    "language, data, field",
    [
        ("xx", french(), "language"),
        ("en", french(), "language"),  # the original language
        ("fr", french(title="  "), "title"),
        ("fr", TranslationInput("T", "S", [{"heading": "", "paragraphs": ["Un."]}]), "sections"),
        ("fr", french(heading=""), "sections"),
        ("fr", french(body=("", "  ")), "sections"),
        ("fr", TranslationInput("T", "", french().sections), "standfirst"),
    ],
    ids=[
        "unknown-language",
        "original-language",
        "empty-title",
        "section-count",
        "missing-heading",
        "empty-section",
        "missing-standfirst",
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(translator, language, data, field):
    article = ArticleFactory()

    with pytest.raises(ValidationError) as error:
        submit_translation(article, language, data, by=translator)

    assert field in error.value.message_dict
    assert TranslationVersion.objects.count() == 0
    assert AuditEntry.objects.filter(content_type__model="translationversion").count() == 0


def test_the_section_count_error_says_what_the_source_has(translator):
    article = ArticleFactory()
    data = TranslationInput("T", "S", [{"heading": "", "paragraphs": ["Un."]}])

    with pytest.raises(ValidationError) as error:
        submit_translation(article, "fr", data, by=translator)

    assert error.value.message_dict["sections"] == [
        "The source has 2 sections (the lead counts as one); this translation has 1."
    ]


@pytest.mark.parametrize("state", [State.ARCHIVED, State.REJECTED])
def test_a_closed_article_takes_no_translation(translator, editor, state):
    article = moderate(ArticleFactory(), state, editor)

    with pytest.raises(ValidationError) as error:
        submit_translation(article, "fr", french(), by=translator)

    assert "article" in error.value.message_dict
    assert TranslationVersion.objects.count() == 0


def test_a_number_taken_meanwhile_is_retried_and_both_versions_are_kept(
    translator, other_translator, monkeypatch
):
    article = ArticleFactory()
    submit_translation(article, "fr", french(), by=translator)
    real = translation.next_version_number
    calls = []

    def stale_first(article, language):
        # The first attempt computes the number another request has just taken.
        calls.append(1)
        return 1 if len(calls) == 1 else real(article, language)

    monkeypatch.setattr(translation, "next_version_number", stale_first)
    second = submit_translation(article, "fr", french(title="Deux"), by=other_translator)

    assert second.version == 2
    assert len(calls) == 2
    assert sorted(TranslationVersion.objects.values_list("version", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_translators_submitting_at_once_get_two_versions(translator, other_translator):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with row locks and concurrent connections")
    article = ArticleFactory()
    barrier = threading.Barrier(2)
    errors = []

    def submit(user):
        try:
            barrier.wait()
            submit_translation(article, "fr", french(title=user.username), by=user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (translator, other_translator)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(TranslationVersion.objects.values_list("version", flat=True)) == [1, 2]


def test_approved_version_goes_stale_when_the_source_changes(translator, editor):
    article = published_article(editor, sections=[("", "Lead."), ("Background", "One.\n\nTwo.")])
    version = submit_translation(article, "fr", french(), by=translator)
    version = transition(version, "approve", by=editor)
    assert version.state == State.PUBLISHED
    assert not staleness.is_outdated(version)

    section = Section.objects.get(article=article, heading="Background")
    section.body = "One, revised.\n\nTwo."
    section.save()
    article.mark_text_revised()
    version.refresh_from_db()

    assert staleness.is_outdated(version)
    assert list(staleness.outdated(TranslationVersion.objects.all())) == [version]
    diff = staleness.source_diff(version)
    changed = [d for d in diff if d.kind == "changed"]
    assert [(d.old_text, d.text) for d in changed] == [("One.", "One, revised.")]
    assert changed[0].words == (("equal", "One"), ("inserted", ", revised"), ("equal", "."))
    # readers keep the approved text until a new one is approved
    assert article.live_text("fr").title == "Un article"


def test_a_version_in_review_is_not_called_outdated(translator):
    article = ArticleFactory()
    version = submit_translation(article, "fr", french(), by=translator)
    article.mark_text_revised()
    version.refresh_from_db()

    assert not staleness.is_outdated(version)


def test_the_live_text_carries_the_credit_of_the_published_version(translator, editor):
    article = published_article(editor)
    version = submit_translation(
        article,
        "fr",
        replace(french(), credit="Jeanne Traductrice"),
        by=translator,
    )
    assert article.live_text("fr") is None
    transition(version, "approve", by=editor)
    article.refresh_from_db()

    text = article.live_text("fr")
    assert (text.language, text.from_language, text.credit, text.version) == (
        "fr",
        "en",
        "Jeanne Traductrice",
        1,
    )
    assert article.live_text("en").credit == ""
    assert article.live_languages() == ["en", "fr"]


def test_an_imported_translation_is_credited_until_a_new_version_is_live(translator, editor):
    article = published_article(
        editor, language="en", original_language="fr", translator_credit="Lara Bullens"
    )
    assert (article.live_text("en").credit, article.live_text("en").from_language) == (
        "Lara Bullens",
        "fr",
    )
    assert article.live_text("fr") is None  # the original is absent

    data = replace(english(article), credit="Tom Translator")
    version = submit_translation(article, "en", data, by=translator)
    transition(version, "approve", by=editor)
    article = type(article).objects.get(pk=article.pk)

    text = article.live_text("en")
    assert (text.credit, text.from_language, text.version) == ("Tom Translator", "fr", 2)


def test_previous_version_diff_and_alignment(translator, editor):
    article = ArticleFactory()
    first = submit_translation(article, "fr", french(body=("Un.", "Deux.")), by=translator)
    transition(first, "request_changes", by=editor, note="Revoir.")
    second = submit_translation(article, "fr", french(body=("Un.", "Deux bis.")), by=translator)

    previous, diff = staleness.diff_with_previous(second)

    assert previous.version == 1
    assert [(d.kind, d.old_text, d.text) for d in diff if d.kind != "context"] == [
        ("hunk", "", "…"),
        ("changed", "Deux.", "Deux bis."),
    ]
    aligned = translation.align(second.source_snapshot["sections"], second.sections)
    assert aligned[1].rows == [("First.", "Un."), ("Second.", "Deux bis.")]
    assert [n.note for n in translation.reviewer_notes(first)] == ["Revoir."]


def test_the_first_revision_of_an_imported_translation_diffs_against_it(translator):
    article = sample_like_article()
    version = submit_translation(article, "en", english(article), by=translator)

    previous, diff = staleness.diff_with_previous(version)

    assert previous.version == 1 and previous.credit == "Lara Bullens"
    revised = [d for d in diff if d.kind == "changed" and d.text.endswith("(revised)")]
    assert revised and all(d.words[-1] == ("inserted", " (revised)") for d in revised)


def text(*paragraphs, heading="Contexte"):
    return {
        "title": "Un article",
        "standfirst": "",
        "sections": [{"heading": heading, "paragraphs": list(paragraphs)}],
    }


LONG = (
    "Les pourparlers ont repris mardi à Genève entre les deux délégations, qui ont "
    "discuté pendant six heures d’un cessez-le-feu partiel et d’un échange de prisonniers."
)


def test_a_one_word_change_is_one_changed_paragraph_with_only_that_word_marked():
    new = LONG.replace("mardi", "mercredi")

    diff = diff_texts(text("Intro.", LONG, "Fin."), text("Intro.", new, "Fin."))

    changes = [d for d in diff if d.kind not in {"context", "hunk"}]
    assert [(d.kind, d.old_text, d.text) for d in changes] == [("changed", LONG, new)]
    words = changes[0].words
    assert [piece for piece in words if piece[0] != "equal"] == [
        ("deleted", "mardi"),
        ("inserted", "mercredi"),
    ]
    assert "".join(t for kind, t in words if kind != "inserted") == LONG
    assert "".join(t for kind, t in words if kind != "deleted") == new


def test_a_changed_phrase_is_one_deletion_and_one_insertion_not_word_by_word():
    words = word_diff(
        "Ils ont parlé du grand accord de paix hier.", "Ils ont parlé du petit plan de paix hier."
    )

    assert [piece for piece in words if piece[0] != "equal"] == [
        ("deleted", "grand accord"),
        ("inserted", "petit plan"),
    ]


def test_added_and_removed_paragraphs_stay_whole():
    diff = diff_texts(text("Un.", "Deux.", "Trois."), text("Un.", "Trois.", LONG))

    assert [(d.kind, d.text, d.words) for d in diff if d.kind in {"added", "removed"}] == [
        ("removed", "Deux.", ()),
        ("added", LONG, ()),
    ]
    assert not [d for d in diff if d.kind == "changed"]


def test_a_rewritten_paragraph_is_shown_removed_and_added_not_as_a_word_patchwork():
    rewritten = "Aucune délégation ne s’est présentée, faute d’accord sur l’ordre du jour."

    diff = diff_texts(text("Un.", LONG), text("Un.", rewritten))

    assert [(d.kind, d.text) for d in diff if d.kind in {"added", "removed", "changed"}] == [
        ("removed", LONG),
        ("added", rewritten),
    ]


def test_an_edited_paragraph_is_paired_with_its_new_self_past_an_inserted_one():
    inserted = "Un paragraphe tout nouveau, sans rapport avec le reste du texte."
    new = LONG.replace("six", "sept")

    diff = diff_texts(text("Un.", LONG), text("Un.", inserted, new))

    assert [(d.kind, d.text) for d in diff if d.kind in {"added", "removed", "changed"}] == [
        ("added", inserted),
        ("changed", new),
    ]
    changed = next(d for d in diff if d.kind == "changed")
    assert [p for p in changed.words if p[0] != "equal"] == [
        ("deleted", "six"),
        ("inserted", "sept"),
    ]


def test_the_workspace_diff_marks_changed_words_and_escapes_html():
    old = "Il a dit <b>oui</b> & il est parti."
    diff = diff_texts(text("Un.", old), text("Un.", old.replace("oui", "non")))

    html = render_to_string("_diff.html", {"diff": diff, "diff_id": "d"})

    assert (
        '<span class="changed"><span class="visually-hidden">Changed: </span>Il a dit &lt;b&gt;'
        '<del><span class="visually-hidden">deleted: </span>oui</del>'
        '<ins><span class="visually-hidden">inserted: </span>non</ins>'
        "&lt;/b&gt; &amp; il est parti.</span>"
    ) in html
    assert "<b>" not in html


def test_open_for_translation_and_target_languages(editor):
    open_article = ArticleFactory()
    sample = sample_like_article()
    moderate(ArticleFactory(), State.ARCHIVED, editor)

    assert set(translation.open_for_translation()) == {open_article, sample}
    assert translation.target_languages(open_article) == ["fr"]
    # The seed's case: French (the original, not held) made from the English text, and
    # English itself, a revision of the imported translation.
    assert translation.target_languages(sample) == ["en", "fr"]


def test_a_language_added_in_settings_is_open_for_translation(settings, translator):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    article = ArticleFactory()

    assert translation.target_languages(article) == ["fr", "de"]
    assert submit_translation(article, "de", french(), by=translator).language == "de"


def test_a_draft_save_from_an_older_copy_is_refused_as_stale(translator):
    article = ArticleFactory()
    draft = translation.save_translation_draft(article, "fr", french(title="Un"), by=translator)
    opened_at = draft.edit_version
    translation.save_translation_draft(
        article, "fr", french(title="Deux"), by=translator, draft=draft, edit_version=opened_at
    )

    with pytest.raises(ValidationError) as error:
        translation.save_translation_draft(
            article, "fr", french(title="Trois"), by=translator, draft=draft, edit_version=opened_at
        )

    assert error.value.code == "stale"
    draft.refresh_from_db()
    assert draft.title == "Deux"

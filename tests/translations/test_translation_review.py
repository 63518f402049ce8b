"""Editors review translation versions side by side in the admin."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, path, reverse

import newsroom.urls
from articles.models import AuditEntry, Section, TranslationVersion
from articles.states import State
from articles.translations.admin import translation_review_view
from articles.translations.domain import TranslationInput, submit_translation
from articles.workflow import transition
from tests.factories import ArticleFactory, published_article

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]

# Until the lead wires the page into the TranslationVersion admin, serve it here at the
# same address.
urlpatterns = [
    path(
        "admin/articles/translationversion/<int:pk>/review/",
        admin.site.admin_view(translation_review_view),
    ),
    *newsroom.urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def _review_urls(settings):
    try:
        reverse("admin:articles_translationversion_review", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


def review_url(version) -> str:
    return f"/admin/articles/translationversion/{version.pk}/review/"


def french(second="Second."):
    return TranslationInput(
        "Un article",
        "Ce que les pourparlers signifient.",
        [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", second]},
        ],
    )


@pytest.fixture
def article(editor):
    return published_article(editor, title="The talks", sections=SECTIONS)


def test_the_review_page_aligns_source_and_version_paragraph_by_paragraph(
    client, editor, translator, article
):
    version = submit_translation(article, "fr", french(), by=translator)
    client.force_login(editor)

    response = client.get(review_url(version))

    html = response.content.decode()
    assert response.status_code == 200
    side = html[html.index('id="side-by-side"') :]
    order = ["The lead paragraph.", "Le paragraphe.", "First.", "Premier.", "Second.", "Second."]
    positions = []
    start = 0
    for text in order:
        start = side.index(text, start)
        positions.append(start)
        start += 1
    assert positions == sorted(positions)
    for label in ("Approve", "Request changes", "Reject"):
        assert f">{label}" in html
    assert "This is the first French version." in html


def test_the_review_page_shows_the_diff_against_the_previous_version(
    client, editor, translator, article
):
    first = submit_translation(article, "fr", french(), by=translator)
    transition(first, "request_changes", by=editor, note="Revoir la fin.")
    second = submit_translation(article, "fr", french(second="Second, mieux."), by=translator)
    client.force_login(editor)

    html = client.get(review_url(second)).content.decode()

    diff = html[html.index('id="previous-diff"') :]
    assert (
        '<span class="changed"><span class="visually-hidden">Changed: </span>Second'
        '<ins><span class="visually-hidden">inserted: </span>, mieux</ins>.</span>'
    ) in diff
    assert "Removed: " not in diff and "Added: " not in diff
    assert "(version 1)" in html


def test_approving_makes_the_version_live_and_archives_the_previous_one(
    client, editor, translator, article
):
    first = transition(submit_translation(article, "fr", french(), by=translator), "approve",
                       by=editor)  # fmt: skip
    assert first.state == State.PUBLISHED
    second = submit_translation(article, "fr", french(second="Second, mieux."), by=translator)
    client.force_login(editor)

    response = client.post(review_url(second), {"action": "approve", "note": ""})

    assert response.status_code == 302
    states = dict(TranslationVersion.objects.values_list("version", "state"))
    assert states == {1: State.ARCHIVED, 2: State.PUBLISHED}
    article.refresh_from_db()
    assert article.live_text("fr").sections[1]["paragraphs"][1] == "Second, mieux."
    entry = AuditEntry.objects.filter(object_id=second.pk, action="moderation.approve").get()
    assert entry.actor == editor
    assert "is now published" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_request_changes_and_reject_need_a_note(client, editor, translator, article, action):
    version = submit_translation(article, "fr", french(), by=translator)
    client.force_login(editor)

    refused = client.post(review_url(version), {"action": action, "note": "  "})

    assert refused.status_code == 400
    assert "needs a note" in refused.content.decode()
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW

    done = client.post(review_url(version), {"action": action, "note": "Le titre."})

    assert done.status_code == 302
    version.refresh_from_db()
    expected = State.CHANGES_REQUESTED if action == "request_changes" else State.REJECTED
    assert version.state == expected
    entry = AuditEntry.objects.filter(object_id=version.pk, action=f"moderation.{action}").get()
    assert entry.note == "Le titre."


def test_a_decision_on_a_version_no_longer_in_review_is_refused(
    client, editor, other_editor, translator, article
):
    version = submit_translation(article, "fr", french(), by=translator)
    transition(version, "reject", by=other_editor, note="Non.")
    client.force_login(editor)

    response = client.post(review_url(version), {"action": "approve"})

    assert response.status_code == 400
    assert "Cannot approve" in response.content.decode()
    version.refresh_from_db()
    assert version.state == State.REJECTED


def test_only_editors_may_review(client, contributor, translator, article):
    version = submit_translation(article, "fr", french(), by=translator)

    client.force_login(translator)  # not staff: sent to the admin login
    assert client.get(review_url(version)).status_code == 302
    assert client.post(review_url(version), {"action": "approve"}).status_code == 302
    client.force_login(contributor)  # staff, but not an editor
    assert client.get(review_url(version)).status_code == 403
    assert client.post(review_url(version), {"action": "approve"}).status_code == 403
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW


def test_an_outdated_version_shows_how_the_source_changed(client, editor, translator, article):
    version = transition(submit_translation(article, "fr", french(), by=translator), "approve",
                         by=editor)  # fmt: skip
    section = Section.objects.get(article=article, heading="Background")
    section.body = "First, revised.\n\nSecond."
    section.save()
    article.mark_text_revised()
    client.force_login(editor)

    html = client.get(review_url(version)).content.decode()

    assert "outdated: the source is now at revision 2" in html
    diff = html[html.index('id="source-diff"') :]
    assert (
        '<span class="visually-hidden">Changed: </span>First'
        '<ins><span class="visually-hidden">inserted: </span>, revised</ins>.</span>'
    ) in diff


def test_the_review_page_makes_a_bounded_number_of_queries(
    client, editor, translator, article, django_assert_max_num_queries
):
    version = submit_translation(article, "fr", french(), by=translator)
    client.force_login(editor)

    with django_assert_max_num_queries(25):
        assert client.get(review_url(version)).status_code == 200


def test_an_imported_translation_revision_is_reviewed_against_it(client, editor, translator):
    article = ArticleFactory(
        language="en", original_language="fr", translator_credit="Lara Bullens", sections=SECTIONS
    )
    data = TranslationInput(
        "Better",
        "What the talks mean for the region.",
        [
            {"heading": "", "paragraphs": ["The lead paragraph."]},
            {"heading": "Background", "paragraphs": ["First, better.", "Second."]},
        ],
    )
    version = submit_translation(article, "en", data, by=translator)
    client.force_login(editor)

    html = client.get(review_url(version)).content.decode()

    assert "version <strong>2</strong>" in html
    assert "Changes since the previous English version (version 1)" in html
    assert "inserted: </span>, better</ins>.</span>" in html


LONG = (
    "The talks resumed on Tuesday in Geneva between the two delegations, which spent six "
    "hours discussing a partial ceasefire and an exchange of prisoners."
)


def review_of_change(editor, translator, article, client, first, second):
    """The previous-version diff, as rendered, of a version revising `first` into `second`."""
    version = submit_translation(article, "fr", french(second=first), by=translator)
    transition(version, "request_changes", by=editor, note="Revoir.")
    revised = submit_translation(article, "fr", french(second=second), by=translator)
    client.force_login(editor)
    html = client.get(review_url(revised)).content.decode()
    start = html.index('id="previous-diff"')
    return html[start : html.index("</div>", start)]


def test_a_one_word_change_is_marked_inside_one_changed_paragraph(
    client, editor, translator, article
):
    diff = review_of_change(
        editor, translator, article, client, LONG, LONG.replace("Tuesday", "Wednesday")
    )

    assert diff.count('class="changed"') == 1
    assert diff.count("<del>") == 1 and diff.count("<ins>") == 1
    assert (
        'The talks resumed on <del><span class="visually-hidden">deleted: </span>Tuesday</del>'
        '<ins><span class="visually-hidden">inserted: </span>Wednesday</ins> in Geneva'
    ) in diff


def test_html_in_a_changed_paragraph_is_escaped(client, editor, translator, article):
    diff = review_of_change(
        editor,
        translator,
        article,
        client,
        "Said <b>yes</b> & left.",
        "Said <b>no</b> & left <script>alert(1)</script>.",
    )

    assert "<script>" not in diff and "<b>" not in diff
    assert "Said &lt;b&gt;<del>" in diff
    assert "deleted: </span>yes</del><ins>" in diff
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in diff
    assert "&amp; left" in diff


def test_added_and_removed_paragraphs_show_whole(client, editor, translator, article):
    first = submit_translation(article, "fr", french(), by=translator)
    transition(first, "request_changes", by=editor, note="Revoir.")
    data = french()
    data.sections[1]["paragraphs"] = ["Premier.", "Second.", "Un paragraphe <i>ajouté</i>."]
    second = submit_translation(article, "fr", data, by=translator)
    client.force_login(editor)

    html = client.get(review_url(second)).content.decode()

    diff = html[html.index('id="previous-diff"') :]
    diff = diff[: diff.index("</div>")]
    assert (
        '<ins><span class="visually-hidden">Added: </span>'
        "Un paragraphe &lt;i&gt;ajouté&lt;/i&gt;.</ins>"
    ) in diff
    assert 'class="changed"' not in diff

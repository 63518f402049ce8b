"""Each role starts on its own desk, sees only what it can use, and acts in place."""

import re
from urllib.parse import urlsplit

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.assignments import actions as assignments
from articles.models import Article, AuditEntry, Section
from articles.notifications.models import Preferences
from articles.states import State
from articles.workflow import transition
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    ProposalFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": f"pw-{user.username}"}
    )


@pytest.mark.parametrize(
    ("persona", "desk"),
    [("editor", "/admin/"), ("contributor", "/admin/"), ("translator", "/translate/")],
)
def test_signing_in_lands_each_role_on_its_own_desk(client, request, persona, desk):
    user = request.getfixturevalue(persona)
    response = sign_in(client, user)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == desk
    assert client.get(desk).status_code == 200


def test_the_login_page_speaks_to_every_role(client):
    html = client.get(reverse("login")).content.decode()
    for role in ["editors", "contributors", "translators"]:
        assert role in html
    assert "For translators and editors" not in html


def test_the_editors_dashboard_has_its_sections_with_overdue_stories_first(client, editor):
    old = moderate(ArticleFactory(title="Submitted long ago"), State.IN_REVIEW, editor)
    late = moderate(ArticleFactory(title="Late story"), State.IN_REVIEW, editor)
    moderate(
        AttributionFactory(article=late, statement="A claim in the late story."),
        State.IN_REVIEW,
        editor,
    )
    assignments.assign(late, to=editor, by=editor, due_on=timezone.localdate().replace(year=2020))
    scheduled = moderate(ArticleFactory(title="Due tomorrow"), State.APPROVED, editor)
    transition(
        scheduled, "schedule", by=editor, publish_at=timezone.now() + timezone.timedelta(days=1)
    )
    moderate(ArticleFactory(title="Out today"), State.PUBLISHED, editor)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    for heading in [
        "Awaiting your review",
        "Assigned to me",
        "Scheduled",
        "Recently published",
        "Outdated translations",
    ]:
        assert heading in html
    awaiting = html[html.index('id="awaiting-review"') : html.index('id="assigned-to-me"')]
    assert awaiting.index("Late story") < awaiting.index("Submitted long ago")
    assert "A claim in the late story." in awaiting  # grouped under its story
    assert "Overdue" in awaiting
    assert "Due tomorrow" in html and "Out today" in html
    mine = client.get(reverse("admin:index"), {"assignee": "me"}).content.decode()
    mine = mine[mine.index('id="awaiting-review"') : mine.index('id="assigned-to-me"')]
    assert "Late story" in mine and old.title not in mine


def test_a_contributor_sees_my_work_with_the_editors_note_on_top(client, editor, contributor):
    sent_back = moderate(
        ArticleFactory(author=contributor, title="Sent back"), State.IN_REVIEW, editor
    )
    transition(sent_back, "request_changes", by=editor, note="Name the second source.")
    ArticleFactory(author=contributor, title="My draft")
    moderate(ArticleFactory(author=contributor, title="Waiting"), State.IN_REVIEW, editor)
    ArticleFactory(title="Someone else's")
    client.force_login(contributor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "My work" in html
    assert html.index("Sent back") < html.index("Name the second source.") < html.index("My draft")
    assert "Someone else" not in html
    assert "Review queue" not in html  # no link they cannot use
    page = client.get(
        reverse("admin:articles_article_change", args=[sent_back.pk])
    ).content.decode()
    note = page.index('id="sent-back-note"')
    assert note < page.index('name="title"')
    assert "Name the second source." in page[note : note + 500]


def test_authors_withdraw_until_a_reviewer_acts(client, editor, contributor):
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    client.force_login(contributor)
    home = client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:articles_article_transition", args=[article.pk, "withdraw"])
    assert url in home
    response = client.post(url, {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    article.refresh_from_db()
    assert article.state == State.DRAFT
    assert AuditEntry.objects.for_instance(article).last().action == "moderation.withdraw"
    # Once a reviewer decided, it is too late.
    moderate(article, State.APPROVED, editor)
    response = client.post(url, {"next": "/admin/"})
    assert response.status_code == 200 and "You cannot withdraw it now" in response.content.decode()
    article.refresh_from_db()
    assert article.state == State.APPROVED


def test_others_cannot_withdraw_a_submission(editor, other_contributor, contributor):
    from articles.workflow import TransitionNotPermitted

    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with pytest.raises(TransitionNotPermitted):
        transition(article, "withdraw", by=other_contributor)
    # Editors may do everything editorial, withdrawing included (the story-moderation
    # rule, which wins over the desks' "authors only").
    assert transition(article, "withdraw", by=editor).state == State.DRAFT


def test_an_action_without_a_note_applies_in_place_and_returns_where_the_editor_was(client, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    assert f'action="{url}"' in html and "<dialog" in html  # the dialog on the dashboard
    response = client.post(url, {"next": "/admin/?assignee=nobody"})
    assert response.status_code == 302 and response["Location"] == "/admin/?assignee=nobody"
    article.refresh_from_db()
    assert article.state == State.APPROVED
    # Never to another site.
    other = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    url = reverse("admin:articles_article_transition", args=[other.pk, "approve"])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:articles_article_change", args=[other.pk])


def test_request_changes_asks_for_its_note_in_the_same_dialog(client, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    dialog = page[page.index(f'id="wf-article-{article.pk}-request_changes"') :]
    dialog = dialog[: dialog.index("</dialog>")]
    assert 'name="note"' in dialog and "required" in dialog


def test_a_forbidden_action_opened_directly_shows_the_refusal_without_the_button(
    client, editor, contributor
):
    article = ArticleFactory(author=contributor)
    client.force_login(contributor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    html = client.get(url).content.decode()
    assert "You cannot approve it now" in html
    assert (
        'type="submit"'
        not in html.split('id="content-main"')[1]
        .split("</main>")[0]
        .replace('id="logout-form"', "")
        .split("logout")[0]
    )
    assert 'value="Approve"' not in html


def test_delete_selected_is_the_last_bulk_action(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    options = re.findall(r'<option value="([a-z_]+)"', html)
    assert options[-1] == "delete_selected" and options[0] != "delete_selected"


LINK = re.compile(r'href="(/[^"#]*)"')
NOT_PAGES = ("/static/", "/admin/logout/", "/accounts/logout/", "/admin/jsi18n/")


def crawl(client, start: str, *, depth: int = 2) -> dict[str, int]:
    """Every same-site link reachable from `start` within `depth` clicks, with its status."""
    seen: dict[str, int] = {}
    frontier = [start]
    for _ in range(depth + 1):
        next_frontier = []
        for url in frontier:
            if url in seen or url.startswith(NOT_PAGES):
                continue
            response = client.get(url)
            seen[url] = response.status_code
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                for link in LINK.findall(response.content.decode()):
                    link = link.replace("&amp;", "&")
                    if urlsplit(link).path.startswith(
                        ("/admin/", "/translate/", "/notifications/")
                    ):
                        next_frontier.append(link)
        frontier = next_frontier
    return seen


@pytest.mark.parametrize("persona", ["editor", "contributor", "translator"])
def test_no_role_is_shown_a_link_it_cannot_use(client, request, editor, persona):
    user = request.getfixturevalue(persona)
    article = moderate(
        ArticleFactory(author=user if persona != "translator" else editor), State.IN_REVIEW, editor
    )
    TranslationVersionFactory(article=article, author=user, translator=user)
    AttributionFactory(article=article, author=user)
    ProposalFactory(author=user)
    client.force_login(user)
    start = "/translate/" if persona == "translator" else "/admin/"
    statuses = crawl(client, start)
    assert len(statuses) > 3
    dead = {url: status for url, status in statuses.items() if status >= 400}
    assert dead == {}, dead


def test_audit_entries_read_as_words(client, editor):
    article = moderate(ArticleFactory(title="Talks"), State.APPROVED, editor)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_auditentry_changelist")).content.decode()
    assert "In review → Approved" in html and "Article <a" in html and "“Talks”" in html
    assert "in_review" not in html.split('id="result_list"')[1]
    assert "Articles | article" not in html
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    trail = page[page.index('class="audit-trail"') :]
    assert "Draft → In review" in trail and "Approve" in trail


def test_labels_read_as_words(client, editor):
    article = ArticleFactory()
    proposal = ProposalFactory(title="US 28-point plan")
    proposal.articles.add(article)
    statement = AttributionFactory(
        article=article,
        statement="The Kremlin is buying time while the summer offensive nears the front lines.",
    )
    assert str(statement).endswith(": The Kremlin is buying time while the summer offensive…")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Proposal_articles object" not in page and "US 28-point plan" in page
    assert moderate(ArticleFactory(), State.ARCHIVED, editor).get_state_display() == "Unpublished"


def test_history_does_not_report_the_hidden_edit_version(client, editor):
    from tests.admin.test_admin import article_form_data

    article = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, article_form_data(article, title="A new title"))
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "edit_version" not in history.content.decode()
    assert "Changed Title" in history.content.decode()


def test_admin_search_finds_articles_by_analyst_section_text_and_topic(client, editor):
    article = ArticleFactory(title="Plain title", sections=[("", "The Zaporizhzhia plant again.")])
    AttributionFactory(article=article, analyst=AnalystFactory(name="Hanna Notte"))
    article.topics.add(TopicFactory(name="Nuclear safety", slug="nuclear"))
    ArticleFactory(title="Unrelated")
    client.force_login(editor)
    for query in ["Notte", "Zaporizhzhia", "Nuclear safety"]:
        html = client.get(
            reverse("admin:articles_article_changelist"), {"q": query}
        ).content.decode()
        assert "Plain title" in html and "Unrelated" not in html, query


def test_revision_compare_shows_section_text(client, editor):
    article = ArticleFactory(sections=[("", "The old lead.")])
    with reversion.create_revision():
        article.save()
    section = Section.objects.get(article=article)
    with reversion.create_revision():
        section.body = "The new lead."
        section.save()
        article.save()
    v1, v2 = Version.objects.get_for_object(article).order_by("pk")
    client.force_login(editor)
    html = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": v1.pk, "version_id2": v2.pk},
    ).content.decode()
    assert "old" in html and "new" in html and "(lead) → (lead)" not in html


def test_scheduling_reads_the_editors_own_time_zone(client, editor):
    Preferences.objects.create(user=editor, time_zone="Europe/Paris")
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    sign_in(client, editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "schedule"])
    # Opened as a page, scheduling is confirmed on the story page (story moderation).
    assert "Europe/Paris" in client.get(url, follow=True).content.decode()
    client.post(url, {"publish_at": "2099-01-01 09:00"})
    article.refresh_from_db()
    assert article.publish_at.isoformat() == "2099-01-01T08:00:00+00:00"


def test_the_import_form_hides_its_size_warning_until_needed():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/admin.css").read_text()
    assert "[hidden] { display: none !important; }" in css


def test_the_admin_loads_the_desk_script_and_no_inline_script_of_ours(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "/static/js/admin-desk.js" in html
    assert Article.objects.count() == 1

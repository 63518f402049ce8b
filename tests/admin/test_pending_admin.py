"""Editing published content in the admin saves pending changes; the form then shows them,
the stale-save rule applies to them, and reverting a revision goes through them too."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import AuditEntry, PendingChange
from articles.pending import open_pending
from articles.states import State
from tests.admin.test_admin import article_form_data
from tests.admin.test_revision_history import posted_form
from tests.factories import AttributionFactory, moderate, published_article

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture
def live(editor):
    return published_article(editor, title="Talks stall", slug="talks")


def edit(client, article, **changes):
    """Post the article's change form as the page shows it now, with `changes`."""
    page = client.get(change_url(article))
    data = posted_form(page)
    data.update(changes)
    return client.post(change_url(article), data)


def test_saving_a_published_article_keeps_it_live_and_saves_pending_changes(client, editor, live):
    client.force_login(editor)

    response = edit(client, live, title="Talks collapse", **{"sections-0-body": "A new lead."})

    assert response.status_code == 302
    assert response["Location"] == change_url(live)
    live.refresh_from_db()
    assert live.title == "Talks stall"
    assert live.sections.first().body == "The lead paragraph."
    pending = PendingChange.objects.get()
    assert (pending.state, pending.author) == (State.IN_REVIEW, editor)
    assert pending.data["fields"]["title"] == "Talks collapse"
    assert pending.data["children"]["sections"][0]["body"] == "A new lead."
    assert live.text_revision == 1  # translations go stale only when it is published

    page = client.get(change_url(live)).content.decode()
    assert "Saved as pending changes" in page
    assert "This article is published." in page
    assert 'value="Talks collapse"' in page  # the form shows the pending values
    assert "A new lead." in page
    assert '<del><span class="visually-hidden">deleted: </span>stall</del>' in page


def test_a_second_editor_works_on_the_same_pending_changes(client, editor, other_editor, live):
    client.force_login(editor)
    edit(client, live, title="Talks collapse")
    client.force_login(other_editor)

    edit(client, live, standfirst="Both walk out.")

    pending = PendingChange.objects.get()
    assert pending.data["fields"]["title"] == "Talks collapse"
    assert pending.data["fields"]["standfirst"] == "Both walk out."
    edits = AuditEntry.objects.for_instance(pending).filter(action="pending.edit")
    assert [(e.actor, e.data["fields"]) for e in edits] == [
        (editor, ["title"]),
        (other_editor, ["standfirst"]),
    ]


def test_a_save_from_a_stale_page_is_refused_and_keeps_the_text(client, editor, other_editor, live):
    client.force_login(editor)
    stale = posted_form(client.get(change_url(live)))
    edit(client, live, title="Talks collapse")

    stale["title"] = "My older title"
    response = client.post(change_url(live), stale)

    assert response.status_code == 200
    html = response.content.decode()
    assert "changed after you opened it" in html
    assert 'value="My older title"' in html
    assert PendingChange.objects.get().data["fields"]["title"] == "Talks collapse"


def test_a_published_statement_edited_on_its_page_or_inline_goes_to_review(client, editor, live):
    statement = moderate(
        AttributionFactory(article=live, statement="A ruse."), State.PUBLISHED, editor
    )
    client.force_login(editor)

    page = posted_form(client.get(change_url(statement)))
    page["statement"] = "A clever ruse."
    assert client.post(change_url(statement), page).status_code == 302

    statement.refresh_from_db()
    assert statement.statement == "A ruse."
    assert open_pending(statement).data["fields"]["statement"] == "A clever ruse."

    # On the article's page, the statement's row is staged too (merged with its set).
    data = posted_form(client.get(change_url(live)))
    data["attributions-0-kind"] = "quote"
    assert client.post(change_url(live), data).status_code == 302
    statement.refresh_from_db()
    assert statement.kind == "paraphrase"
    fields = open_pending(statement).data["fields"]
    assert (fields["statement"], fields["kind"]) == ("A clever ruse.", "quote")


def test_reverting_a_published_article_to_an_old_revision_goes_through_review(client, editor):
    article = published_article(editor, title="First title", slug="reverted")
    with reversion.create_revision():
        article.save()
    article.title = "Second title"
    with reversion.create_revision():
        article.save()
    first = Version.objects.get_for_object(article).order_by("pk").first()
    client.force_login(editor)
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])

    page = client.get(url)
    assert 'value="First title"' in page.content.decode()
    response = client.post(url, posted_form(page))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Second title"
    pending = open_pending(article)
    assert pending.data["fields"]["title"] == "First title"
    assert response["Location"] == change_url(pending)
    assert (
        AuditEntry.objects.for_instance(pending).first().note == "Reverted to an earlier revision."
    )


def test_the_pending_changes_page_shows_the_diff_and_takes_a_public_note(client, editor, live):
    client.force_login(editor)
    edit(client, live, title="Talks collapse")
    pending = PendingChange.objects.get()

    page = client.get(change_url(pending))
    html = page.content.decode()
    assert '<ins><span class="visually-hidden">inserted: </span>collapse</ins>' in html
    assert "edith" in html and "title" in html

    data = posted_form(page)
    data["correction_kind"] = "correction"
    data["correction_text"] = "x" * 2001
    response = client.post(change_url(pending), data)
    assert "2,000 at most" in response.content.decode()
    data["correction_text"] = "We misnamed the city."
    assert client.post(change_url(pending), data).status_code == 302
    pending.refresh_from_db()
    assert (pending.correction_kind, pending.correction_text) == (
        "correction",
        "We misnamed the city.",
    )


def test_an_unpublished_article_is_still_saved_in_place(client, editor):
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Draft")
    client.force_login(editor)
    response = client.post(change_url(article), article_form_data(article, title="Better"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better" and not PendingChange.objects.exists()


def test_scheduling_the_unpublishing_from_the_admin(client, editor, live):
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[live.pk, "schedule_unpublish"])
    page = client.get(url).content.decode()
    assert "When to unpublish (UTC)." in page
    assert client.post(url, {"note": "", "publish_at": "2099-01-01T09:00"}).status_code == 302
    live.refresh_from_db()
    assert live.unpublish_at.year == 2099 and live.state == State.PUBLISHED
    html = client.get(change_url(live)).content.decode()
    assert "to be unpublished 2099-01-01" in html

"""Outside sign-off links: signed, expiring, revocable, scoped to one story; the page
shows that story and nothing else; answers land in the story's thread."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.comments import threads
from articles.comments.models import Comment
from articles.models import Article
from articles.notifications.models import Notification
from articles.signoff import links
from articles.signoff.models import SignoffLink, StatementCheck
from articles.states import State
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):
    article = ArticleFactory(title="Talks stall", slug="talks-stall", author=editor)
    gabuev = AnalystFactory(name="Alexander Gabuev")
    other = AnalystFactory(name="Tatiana Stanovaya")
    mine = moderate(
        AttributionFactory(
            article=article, analyst=gabuev, statement="The Kremlin is buying time."
        ),
        State.IN_REVIEW,
        editor,
    )
    theirs = moderate(
        AttributionFactory(article=article, analyst=other, statement="Time is on his side."),
        State.IN_REVIEW,
        editor,
    )
    AttributionFactory(article=article, analyst=other, statement="A DRAFT NOBODY SHOULD SEE.")
    moderate(article, State.IN_REVIEW, editor)
    return article, gabuev, mine, theirs


def test_an_editor_issues_a_link_that_shows_the_story_with_the_analysts_statements_marked(
    client, editor, story
):
    article, gabuev, mine, theirs = story
    link = links.issue(article, gabuev, by=editor, note="Please check by Friday.")
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)
    page = client.get(links.url_for(link))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Talks stall" in html and "Please check by Friday." in html
    assert "<mark>The Kremlin is buying time.</mark>" in html
    assert "Time is on his side." in html and "<mark>Time is on his side." not in html
    assert html.count('name="verdict" value="confirmed"') == 1  # only their own statement
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_the_page_reveals_nothing_else(client, editor, story):
    article, gabuev, mine, theirs = story
    other_story = ArticleFactory(title="ANOTHER UNPUBLISHED STORY")
    threads.post(article, by=editor, body="EDITORS-ONLY REMARK")
    link = links.issue(article, gabuev, by=editor)
    html = client.get(links.url_for(link)).content.decode()
    for secret in [
        "A DRAFT NOBODY SHOULD SEE.",  # a part still in draft
        other_story.title,
        "EDITORS-ONLY REMARK",  # the story's thread
        editor.username,
        "/admin/",
        "/translate/",
    ]:
        assert secret not in html, secret
    # No navigation to the rest of the site, nor any other link.
    assert 'href="' not in html.replace('href="/static/', "").replace('href="#main"', "")


def test_the_analyst_confirms_and_flags_and_the_answers_land_in_the_thread(
    client, editor, other_editor, story, django_capture_on_commit_callbacks
):
    article, gabuev, mine, theirs = story
    link = links.issue(article, gabuev, by=editor, recipient_name="Dr Gabuev")
    url = links.url_for(link)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"statement": mine.pk, "verdict": "confirmed"})
    assert response.status_code == 302
    check = StatementCheck.objects.get()
    assert (check.attribution, check.verdict) == (mine, "confirmed")
    entries = threads.thread(article, editor, with_parts=True)
    assert [(e.who, e.kind, e.text) for e in entries] == [
        ("Dr Gabuev (outside sign-off)", "signoff", "Confirmed the statement.")
    ]
    told = Notification.objects.get(recipient=editor, kind="signoff")
    assert "Dr Gabuev confirmed a statement" in told.title

    # A flag needs a comment.
    response = client.post(url, {"statement": mine.pk, "verdict": "flagged"})
    assert response.status_code == 400
    assert "Say what is wrong" in response.content.decode()
    client.post(url, {"statement": mine.pk, "verdict": "flagged", "comment": "I said months."})
    assert Comment.objects.filter(body="Flagged the statement. I said months.").exists()

    # The statement shows its latest answer to editors.
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Flagged by Dr Gabuev on" in page
    assert other_editor.pk


def test_a_link_is_scoped_to_its_story_and_its_analyst(client, editor, story):
    article, gabuev, mine, theirs = story
    link = links.issue(article, gabuev, by=editor)
    url = links.url_for(link)
    elsewhere = AttributionFactory(statement="Somewhere else.")
    for statement in [theirs.pk, elsewhere.pk, 999999]:
        response = client.post(url, {"statement": statement, "verdict": "confirmed"})
        assert response.status_code == 400
    assert not StatementCheck.objects.exists()


def test_expired_revoked_forged_or_closed_links_are_all_the_same_404(client, editor, story):
    article, gabuev, mine, theirs = story
    link = links.issue(article, gabuev, by=editor, days=1)
    url = links.url_for(link)
    assert client.get(url).status_code == 200

    SignoffLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert client.get(url).status_code == 404
    assert client.post(url, {"statement": mine.pk, "verdict": "confirmed"}).status_code == 404

    fresh = links.issue(article, gabuev, by=editor)
    links.revoke(fresh, by=editor)
    assert client.get(links.url_for(fresh)).status_code == 404

    forged = signing.Signer(salt="another salt").sign_object({"l": fresh.pk, "n": fresh.nonce})
    tampered = links.url_for(links.issue(article, gabuev, by=editor))[:-3] + "xyz/"
    unsigned = reverse("signoff:page", args=["eyJsIjoxfQ"])
    for bad in [reverse("signoff:page", args=[forged]), tampered, unsigned]:
        assert client.get(bad).status_code == 404

    live = links.issue(article, gabuev, by=editor)
    Article.objects.filter(pk=article.pk).update(state=State.REJECTED)
    assert client.get(links.url_for(live)).status_code == 404


def test_only_editors_send_links_and_only_for_unpublished_stories(editor, contributor, story):
    article, gabuev, mine, theirs = story
    with pytest.raises(PermissionDenied):
        links.issue(article, gabuev, by=contributor)
    with pytest.raises(ValidationError):
        links.issue(article, AnalystFactory(), by=editor)  # not quoted in it
    Article.objects.filter(pk=article.pk).update(state=State.PUBLISHED)
    published = Article.objects.get(pk=article.pk)
    with pytest.raises(ValidationError):
        links.issue(published, gabuev, by=editor)


def test_the_admin_issues_and_revokes_links(client, editor, contributor, story):
    article, gabuev, mine, theirs = story
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change).content.decode()
    assert "Outside sign-off" in page and "Create a sign-off link" in page
    response = client.post(
        reverse("admin:desk_signoff", args=[article.pk]),
        {"analyst": gabuev.pk, "days": "3", "next": change},
        follow=True,
    )
    link = SignoffLink.objects.get()
    assert (link.expires_at - link.created_at).days == 3
    assert links.token_for(link) in response.content.decode()
    client.post(reverse("admin:desk_signoff_revoke", args=[link.pk]), {"next": change})
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == editor
    ct = ContentType.objects.get_for_model(Article)
    assert ct.pk

    client.force_login(contributor)
    assert client.post(reverse("admin:desk_signoff", args=[article.pk])).status_code == 403

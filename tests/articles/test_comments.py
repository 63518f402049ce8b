"""Comment threads: threaded, anchored, resolvable, with @mentions; transition notes in
the same thread; visible only to people who can see the item; never to readers."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.comments import threads
from articles.comments.models import Comment
from articles.models import Article, TranslationVersion
from articles.notifications.models import Notification
from articles.states import State
from articles.workflow import transition
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


def test_a_thread_holds_comments_replies_and_transition_notes_in_order(editor, contributor):
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    first = threads.post(article, by=editor, body="Who said the second claim?", anchor="2.1")
    threads.post(article, by=contributor, body="Gabuev did.", parent=first)
    transition(article, "request_changes", by=editor, note="Source the second claim.")

    entries = threads.thread(article, contributor)
    assert [(e.kind, e.who, e.text) for e in entries] == [
        ("comment", "edith", "Who said the second claim?"),
        ("note", "edith", "Source the second claim."),
    ]
    assert entries[0].anchor == "2.1" and entries[0].excerpt == "First."
    assert [r.text for r in entries[0].replies] == ["Gabuev did."]
    assert entries[1].action == "Request changes"


def test_a_story_thread_gathers_its_parts_for_those_who_see_them(
    editor, contributor, other_contributor
):
    article = ArticleFactory(author=contributor)
    statement = AttributionFactory(article=article, author=other_contributor)
    threads.post(statement, by=editor, body="Check this quote.")
    editor_view = threads.thread(article, editor, with_parts=True)
    assert [e.text for e in editor_view] == ["Check this quote."]
    assert editor_view[0].on.startswith("attribution")
    # The article's author does not see a part that is someone else's work.
    assert threads.thread(article, contributor, with_parts=True) == []


def test_only_people_who_can_see_the_item_read_or_write_its_thread(
    editor, contributor, other_contributor, translator, other_translator
):
    article = ArticleFactory(author=contributor)
    threads.post(article, by=editor, body="A private word.")
    assert threads.thread(article, other_contributor) == []
    with pytest.raises(PermissionDenied):
        threads.post(article, by=other_contributor, body="Let me in.")
    version = TranslationVersionFactory(author=translator, translator=translator)
    threads.post(version, by=translator, body="Is “ceasefire” right here?", anchor="1.1")
    assert [e.text for e in threads.thread(version, editor)] == ["Is “ceasefire” right here?"]
    assert threads.thread(version, other_translator) == []
    with pytest.raises(PermissionDenied):
        threads.post(version, by=other_translator, body="Hello")


def test_mentions_tell_only_people_who_can_see_the_item(
    editor, other_editor, contributor, other_contributor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(author=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        comment = threads.post(
            article, by=contributor, body="@eddie can you look? cc @conrad and @nobody"
        )
    assert list(comment.mentions.all()) == [other_editor]
    told = Notification.objects.get(recipient=other_editor)
    assert told.kind == "mentioned" and "connie mentioned you" in told.title
    assert told.path.endswith("#thread")
    assert not Notification.objects.filter(recipient=other_contributor).exists()


def test_a_translator_mentioned_is_sent_to_the_workspace(
    editor, translator, django_capture_on_commit_callbacks
):
    version = TranslationVersionFactory(author=translator, translator=translator)
    with django_capture_on_commit_callbacks(execute=True):
        threads.post(version, by=editor, body="@tran please check ¶1.1", anchor="1.1")
    told = Notification.objects.get(recipient=translator, kind="mentioned")
    assert told.path == reverse("translate:version", args=[version.pk]) + "#thread"


def test_comments_resolve_and_reopen(editor, contributor):
    article = ArticleFactory(author=contributor)
    comment = threads.post(article, by=editor, body="Tighten the lead.")
    threads.resolve(comment, by=contributor)
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == contributor
    threads.resolve(comment, by=editor, resolved=False)
    comment.refresh_from_db()
    assert not comment.is_resolved


def test_bad_comments_are_refused(editor):
    article = ArticleFactory()
    for body in ["", "   ", "bad \x07 bell"]:
        with pytest.raises(ValidationError):
            threads.post(article, by=editor, body=body)
    with pytest.raises(ValidationError):
        threads.post(article, by=editor, body="On a paragraph that is not there", anchor="9.9")
    assert not Comment.objects.exists()


def test_the_admin_page_posts_and_shows_the_thread(client, editor, contributor):
    article = ArticleFactory(author=contributor)
    client.force_login(contributor)
    ct = ContentType.objects.get_for_model(Article)
    response = client.post(
        reverse("admin:desk_comment", args=[ct.pk, article.pk]),
        {"body": "Ready when you are, @edith.", "anchor": "1.1", "next": "/admin/?x=1"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/?x=1"
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Ready when you are, @edith." in page and "About ¶ 1.1" in page


def test_someone_elses_item_is_a_404_for_a_comment(client, contributor, other_contributor):
    article = ArticleFactory(author=other_contributor)
    client.force_login(contributor)
    ct = ContentType.objects.get_for_model(Article)
    response = client.post(reverse("admin:desk_comment", args=[ct.pk, article.pk]), {"body": "x"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_translators_discuss_their_version_in_the_workspace(client, editor, translator):
    version = TranslationVersionFactory(author=translator, translator=translator)
    threads.post(version, by=editor, body="Please keep the quote literal.", anchor="1.1")
    client.force_login(translator)
    url = reverse("translate:version", args=[version.pk])
    page = client.get(url).content.decode()
    assert "Please keep the quote literal." in page
    response = client.post(
        reverse("translate:comment", args=[version.pk]), {"body": "Done.", "next": url}
    )
    assert response.status_code == 302
    assert Comment.objects.filter(author=translator, body="Done.").exists()


def test_readers_never_see_comments(client, editor, contributor):
    article = moderate(ArticleFactory(author=contributor, slug="talks"), State.PUBLISHED, editor)
    threads.post(article, by=editor, body="SECRET-EDITORIAL-REMARK")
    for url in ["/en/articles/talks/", "/en/feed/", "/api/v1/articles/talks/", "/en/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"SECRET-EDITORIAL-REMARK" not in response.content, url


def test_the_side_by_side_review_shows_comments_under_their_paragraph(client, editor, translator):
    version = TranslationVersionFactory(
        author=translator,
        translator=translator,
        source_snapshot={
            "language": "en",
            "title": "T",
            "standfirst": "",
            "sections": [{"heading": "", "paragraphs": ["The lead paragraph."]}],
        },
    )
    transition(version, "submit", by=translator)
    threads.post(version, by=translator, body="Unsure about this one.", anchor="source:1.1")
    client.force_login(editor)
    page = client.get(
        reverse("admin:articles_translationversion_review", args=[version.pk])
    ).content.decode()
    assert page.index('id="p-1.1"') < page.index("Unsure about this one.")
    assert 'class="tv-comments"' in page
    assert TranslationVersion.objects.count() == 1

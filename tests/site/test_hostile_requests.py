"""Bad parameters readers and staff can send answer 4xx (or what no parameter would),
never a 500: NUL bytes (PostgreSQL cannot even compare them), page numbers that are not
ASCII digits or overflow the database's integers, ids that are not numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.site import search
from articles.states import State
from articles.workflow import transition
from tests.factories import (
    ArticleFactory,
    ProposalFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor):
    article = published_article(editor, slug="talks", title="Talks resume")
    proposal = moderate(ProposalFactory(slug="a"), State.PUBLISHED, editor)
    proposal.articles.add(article)
    return article


@pytest.mark.parametrize(
    "url, status",
    [
        ("/en/search/?q=a&page=%C2%B2", 200),
        ("/en/search/?q=a&page=99999999999999999999999", 200),
        ("/en/search/?q=talks&page=9223372036854775807", 200),
        ("/en/search/?q=a&page=-1", 200),
        ("/en/?page=%C2%B2", 200),
        ("/en/proposals/compare/?slugs=a%00,b", 400),
        ("/en/search/?q=%00", 400),
        ("/en/articles/talks/?x%00=1", 400),
        ("/fr/topics/x/?q=%00", 400),
    ],
)
def test_readers_get_no_500(client, story, url, status):
    response = client.get(url)
    assert response.status_code == status


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, story):
    search.index_article(story.pk)
    html = client.get("/en/search/?q=talks&page=%C2%B2").content.decode()
    assert "1 article matches “talks”" in html


def test_the_400_page_speaks_the_language_of_the_path(client):
    response = client.get("/fr/search/?q=%00")
    assert response.status_code == 400
    assert 'lang="fr"' in response.content.decode()


def test_the_api_answers_a_nul_byte_in_its_own_error_shape(client):
    response = client.get("/api/v1/articles/?unknown%00=1")
    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert "unknown\x00" in body["errors"]


def test_a_nul_byte_in_a_posted_form_is_400(client, editor):
    article = ArticleFactory(title="Untouched")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {"title": "a\x00b"}
    )
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.title == "Untouched"


def test_a_session_cookie_holding_a_nul_byte_is_ignored(client, editor, story):
    cookie = 'sessionid="abcdefgh\\000ijk"'
    assert client.get("/admin/", HTTP_COOKIE=cookie).status_code == 302  # to the login page
    assert client.get("/en/articles/talks/", HTTP_COOKIE=cookie).status_code == 200


ADMIN_URLS = [
    "/admin/articles/article/?state__exact=%00",
    "/admin/articles/article/?slug=%00",
    "/admin/articles/article/?q=%00",
    "/admin/articles/article/?topics__id__exact=%00",
    "/admin/articles/attribution/?analyst__id__exact=%00",
    "/admin/articles/translationversion/?language__exact=%00",
    "/admin/proposals/proposal/?status__exact=%00",
    "/admin/articles/auditentry/?action__exact=%00",
    "/admin/autocomplete/?app_label=articles&model_name=article&field_name=topics&term=%00",
    "/admin/articles/article/?created_at__year=99999999999",
    "/admin/articles/article/?created_at__year=2026&created_at__month=99999999999",
    "/admin/articles/auditentry/?created_at__year=99999999999",
    "/admin/articles/article/?created_at__year=%C2%B2",
    "/admin/articles/article/?created_at__gte=99999999999-01-01",
    "/admin/articles/article/?id__exact=99999999999999999999999",
    "/admin/articles/article/abc/transition/approve/",
    "/admin/articles/article/99999999999999999999999/transition/approve/",
    "/admin/articles/article/abc/change/",
    "/admin/articles/article/abc/history/",
    "/admin/articles/article/?created_at__year=9999",
    "/admin/articles/article/?created_at__year=9999&created_at__month=12",
    "/admin/articles/translationversion/99999999999999999999999/review/",
    "/admin/articles/article/99999999999999999999999/preview/en/",
]


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_editors_get_no_500_in_the_admin(client, editor, story, url):
    TopicFactory()
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code < 500
    assert response.status_code in {200, 302, 400, 404}


@pytest.mark.parametrize("start", ["%C2%B2", "99999999999999999999999", "-1", "%00"])
def test_translators_get_no_500_in_the_workspace(client, translator, editor, start):
    article = published_article(editor, slug="talks", title="Talks resume")
    version = TranslationVersionFactory(article=article, author=translator, translator=translator)
    transition(version, "submit", by=translator)  # no draft: the form starts from ?from=
    client.force_login(translator)
    response = client.get(f"/translate/talks/fr/?from={start}")
    assert response.status_code in {200, 400, 404}

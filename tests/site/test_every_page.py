"""What every page offers a reader: the language switcher (greyed where there is no
text, also on the 404 page), a favicon, feeds, policies; `/` picks a language that has
content; search says when a page number is past the end."""

from __future__ import annotations

import json
import re

import pytest

from articles.site import search
from articles.states import State
from tests.factories import ArticleFactory, moderate
from tests.site.conftest import en_only_article

pytestmark = pytest.mark.django_db


def switcher(html: str) -> str:
    return re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)


def test_a_language_without_text_is_shown_greyed_not_linked(client, editor):
    en_only_article(editor, slug="english-only")
    nav = switcher(client.get("/en/articles/english-only/").content.decode())
    assert 'href="/en/articles/english-only/"' in nav
    assert '<span class="lang-switch__none" lang="fr">Français</span>' in nav
    assert "(this page has no text in this language)" in nav
    assert 'hreflang="fr"' not in nav


def test_every_page_has_the_switcher(client, story):
    for path in ("/en/", "/en/analysts/", "/en/proposals/", "/en/search/?q=x", "/en/about/ethics/"):
        nav = switcher(client.get(path).content.decode())
        assert 'lang="fr">Français</a>' in nav, path


def test_the_404_page_has_the_switcher_to_each_home(client, db):
    response = client.get("/fr/articles/nulle-part/")
    assert response.status_code == 404
    nav = switcher(response.content.decode())
    assert 'href="/en/" hreflang="en" lang="en">English</a>' in nav
    assert 'href="/fr/" hreflang="fr" lang="fr" aria-current="true">Français</a>' in nav


def test_root_picks_the_readers_language_among_those_with_content(client, editor):
    en_only_article(editor, slug="english-only")
    # A French reader goes to English: there is nothing in French yet.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_root_honours_a_language_with_content(client, story):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert response["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/en/"


def test_root_on_an_empty_site_goes_to_the_default_language(client, db):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/en/"


def test_a_favicon_is_declared_and_served(client, db):
    html = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.ico"


@pytest.mark.parametrize(
    "name,title",
    [("corrections", "Corrections policy"), ("ethics", "Ethics policy"), ("rights", "Copyright")],
)
def test_the_policy_pages_exist_in_both_languages(client, db, name, title):
    html = client.get(f"/en/about/{name}/").content.decode()
    assert title in html
    assert client.get(f"/fr/about/{name}/").status_code == 200
    assert client.get("/en/about/nothing/").status_code == 404


def test_the_json_feed_lists_the_latest_articles(client, story):
    response = client.get("/en/feed.json")
    assert response["Content-Type"] == "application/feed+json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://testserver/en/feed.json"
    (item,) = feed["items"]
    assert item["url"] == "http://testserver/en/articles/putin-talks/"
    assert item["title"] == "Putin says talks with Washington are going nowhere"
    assert item["summary"].startswith("Analysts see a stalling tactic")
    assert item["authors"] == [{"name": "Marie Dupont"}]
    assert item["tags"] == ["Ukraine"]
    french = json.loads(client.get("/fr/feed.json").content)
    assert french["language"] == "fr" and french["items"][0]["title"].startswith("Poutine")
    html = client.get("/en/").content.decode()
    assert 'type="application/feed+json"' in html


def test_search_past_the_last_page_says_so_and_links_back(client, editor):
    for n in range(12):
        moderate(ArticleFactory(slug=f"talks-{n}", title="Talks go on"), State.PUBLISHED, editor)
    search.rebuild_index()
    response = client.get("/en/search/?q=talks&page=9")
    html = response.content.decode()
    assert "There is no page 9: the results end on page 2." in html
    assert 'href="?q=talks&amp;page=2">Go to page 2</a>' in html
    assert "There is no page" not in client.get("/en/search/?q=talks&page=2").content.decode()

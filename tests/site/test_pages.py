"""What a reader sees on each public page."""

from __future__ import annotations

import json
import re

import pytest
from django.template.loader import render_to_string

from articles.states import State
from tests.factories import ProposalFactory, ProposalTermFactory, moderate

pytestmark = pytest.mark.django_db


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[\s>]", html)


def test_root_redirects_to_the_english_home(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_home_lists_the_latest_published_article(client, story):
    html = client.get("/en/").content.decode()
    assert "Putin says talks with Washington are going nowhere" in html
    assert 'href="/en/articles/putin-talks/"' in html
    assert 'href="/en/topics/ukraine/"' in html
    assert len(h1s(html)) == 1


def test_home_in_french_shows_the_french_title(client, story):
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr">' in html
    assert "Poutine juge les pourparlers dans l&#x27;impasse" in html
    assert 'href="/fr/articles/putin-talks/"' in html


def test_article_page_shows_text_credit_statements_blocks_and_proposals(client, story):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert (
        '<h1 class="story__title">Putin says talks with Washington are going nowhere</h1>' in html
    )
    assert "Analysts see a stalling tactic" in html
    assert "Translated from the original in French by Lara Bullens" in html
    assert "Vladimir Putin said on Friday" in html
    assert "<h2>What the Kremlin wants</h2>" in html
    assert "Kyiv refuses." in html
    # Statements, each with the analyst's name, role and institution linking to the profile.
    assert "The Kremlin is buying time." in html
    assert 'href="/en/analysts/alexander-gabuev/">Alexander Gabuev</a>' in html
    assert "director" in html and "Carnegie Endowment, Berlin" in html
    # Enrichment blocks.
    assert "Talks are stuck." in html and "No ceasefire." in html
    # Proposals side by side, with sourcing, and an empty cell where one says nothing.
    assert "US 28-point plan" in html and "European counter-proposal" in html
    assert "Donbas ceded to Russia." in html
    assert 'sourcing--reported">reported</span>' in html
    assert 'sourcing--confirmed">confirmed</span>' in html
    assert "comparison__empty" in html
    assert len(h1s(html)) == 1


def test_article_page_follows_web_conventions(client, story):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert '<link rel="canonical" href="http://testserver/en/articles/putin-talks/">' in html
    assert 'hreflang="fr" href="http://testserver/fr/articles/putin-talks/"' in html
    assert '<meta property="og:title" content="Putin says talks' in html
    assert '<meta property="og:type" content="article">' in html
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert ld["@type"] == "AnalysisNewsArticle"
    assert ld["headline"] == "Putin says talks with Washington are going nowhere"
    assert ld["inLanguage"] == "en"
    assert ld["author"] == {
        "@type": "Person",
        "name": "Marie Dupont",
        "url": "http://testserver/en/bylines/marie-dupont/",
    }
    assert ld["translator"] == {"@type": "Person", "name": "Lara Bullens"}
    assert ld["about"] == [{"@type": "Thing", "name": "Ukraine"}]
    assert ld["datePublished"] and ld["dateModified"] >= ld["datePublished"]


def test_article_in_french_uses_the_live_french_text(client, story):
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert '<html lang="fr">' in html
    assert "Poutine juge les pourparlers" in html
    # The statements stay in the language they were made in, and say so.
    assert 'lang="en"><p>The Kremlin is buying time.' in html


def test_language_switcher_offers_only_published_languages(client, editor):
    from tests.site.conftest import en_only_article

    en_only_article(editor, slug="english-only")
    html = client.get("/en/articles/english-only/").content.decode()
    assert 'hreflang="fr"' not in html
    assert client.get("/fr/articles/english-only/").status_code == 404


def test_topic_page_lists_its_published_articles(client, story):
    html = client.get("/en/topics/ukraine/").content.decode()
    assert '<h1 class="page-title">Ukraine</h1>' in html
    assert "Putin says talks" in html
    assert client.get("/en/topics/nowhere/").status_code == 404


def test_analysts_index_lists_public_analysts_with_their_statement_count(client, story):
    html = client.get("/en/analysts/").content.decode()
    assert "Alexander Gabuev" in html and "Tatiana Stanovaya" in html
    assert "1 published statement" in html


def test_analyst_profile_is_a_track_record(client, story):
    html = client.get("/en/analysts/alexander-gabuev/").content.decode()
    assert '<h1 class="page-title">Alexander Gabuev</h1>' in html
    assert "director" in html and "Carnegie Endowment, Berlin" in html
    assert "The Kremlin is buying time." in html
    assert 'href="/en/articles/putin-talks/">Putin says talks' in html
    assert story.published_at.strftime("%Y-%m-%d") in html


def test_proposals_index_and_detail(client, story):
    html = client.get("/en/proposals/").content.decode()
    assert "US 28-point plan" in html and "European counter-proposal" in html
    html = client.get("/en/proposals/us-plan/").content.decode()
    assert "Territorial concessions" in html and "Donbas ceded to Russia." in html
    assert "United States" in html
    assert 'href="/en/articles/putin-talks/"' in html


def test_compare_puts_proposals_side_by_side_with_empty_cells(client, story):
    html = client.get("/en/proposals/compare/?slugs=us-plan,eu-plan").content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    header, *body = rows
    # Categories in TermCategory order (same order number: alphabetical).
    guarantees, territory = body
    assert header.index("US 28-point plan") < header.index("European counter-proposal")
    assert "Security guarantees" in guarantees and "European troops." in guarantees
    # The European plan says nothing on territory: its cell is empty.
    assert "Territorial concessions" in territory
    assert "Donbas ceded to Russia." in territory
    assert territory.count("comparison__empty") == 1
    assert territory.index("Donbas") < territory.index("comparison__empty")


def test_compare_accepts_repeated_slugs_from_the_checkbox_form(client, story):
    response = client.get("/en/proposals/compare/?slugs=eu-plan&slugs=us-plan")
    assert response.status_code == 200


def test_compare_with_an_unknown_slug_is_404(client, story):
    assert client.get("/en/proposals/compare/?slugs=us-plan,unknown").status_code == 404


def test_compare_with_a_proposal_linked_to_no_published_article_is_404(client, story, editor):
    lonely = ProposalFactory(slug="lonely")
    ProposalTermFactory(proposal=lonely)
    moderate(lonely, State.PUBLISHED, editor)
    assert client.get("/en/proposals/compare/?slugs=us-plan,lonely").status_code == 404


def test_unknown_page_is_a_styled_404(client, db):
    response = client.get("/en/articles/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "css/site.css" in html


def test_500_page_renders_without_a_request_or_database(db):
    html = render_to_string("500.html")
    assert "Something went wrong" in html and "css/site.css" in html


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_pages_in_their_languages(client, story):
    index = client.get("/sitemap.xml").content.decode()
    xml = ""
    for section in re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index):
        response = client.get(section)
        assert response.status_code == 200
        xml += response.content.decode()
    for path in (
        "/en/",
        "/fr/",
        "/en/articles/putin-talks/",
        "/fr/articles/putin-talks/",
        "/en/topics/ukraine/",
        "/en/analysts/alexander-gabuev/",
        "/en/proposals/us-plan/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in xml


def test_feed_is_rss_with_the_latest_articles(client, story):
    response = client.get("/en/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert '<rss version="2.0"' in xml
    assert "<title>Putin says talks with Washington are going nowhere</title>" in xml
    assert "<link>http://testserver/en/articles/putin-talks/</link>" in xml
    assert "<language>en</language>" in xml
    assert "<category>Ukraine</category>" in xml
    fr = client.get("/fr/feed/").content.decode()
    assert "<language>fr</language>" in fr and "Poutine juge" in fr

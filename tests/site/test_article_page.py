"""What a reader, a search engine and a sharing platform get from an article page:
pictures, statements marked where they occur, a summary, related stories."""

from __future__ import annotations

import json
import re

import pytest

from articles.models import ImageTranslation, Section
from articles.states import State
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    TopicFactory,
    moderate,
)
from tests.images.pictures import make_image

pytestmark = pytest.mark.django_db


def ld_of(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


@pytest.fixture
def pictured(story):
    """The story with a lead picture (translated into French) and a section picture."""
    lead = make_image(alt_text="Putin at a podium", caption="In Moscow on Friday.")
    ImageTranslation.objects.create(
        image=lead, language="fr", alt_text="Poutine à la tribune", caption="À Moscou vendredi."
    )
    map_ = make_image(alt_text="Map of the front line", credit="Newsroom graphics")
    type(story).objects.filter(pk=story.pk).update(lead_image=lead, dateline="Moscow")
    section = story.sections.get(heading="What the Kremlin wants")
    Section.objects.filter(pk=section.pk).update(image=map_)
    return story, lead, map_


def test_the_lead_picture_has_webp_and_original_renditions_alt_caption_and_credit(client, pictured):
    _story, lead, map_ = pictured
    html = client.get("/en/articles/putin-talks/").content.decode()
    figure = html[html.index('<figure class="figure figure--lead"') :]
    figure = figure[: figure.index("</figure>")]
    assert '<source type="image/webp" srcset="/media/images/r/' in figure
    assert re.search(r'srcset="[^"]+full-480\.jpeg 480w, [^"]+full-960\.jpeg 960w', figure)
    assert 'alt="Putin at a podium"' in figure and 'fetchpriority="high"' in figure
    assert 'width="960" height="640"' in figure  # no layout shift while loading
    assert "In Moscow on Friday." in figure
    assert "Picture: Jane Lens · All rights reserved" in figure
    # The section's picture follows its heading and loads lazily.
    section = html[html.index("<h2>What the Kremlin wants</h2>") :]
    assert section.index('alt="Map of the front line"') < section.index("Moscow demands")
    assert 'loading="lazy"' in section[: section.index("Moscow demands")]
    # The upload is never linked: only renditions.
    assert lead.master not in html and map_.master not in html


def test_a_translated_picture_reads_in_the_page_language(client, pictured):
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert 'alt="Poutine à la tribune"' in html and "À Moscou vendredi." in html
    # The map has no French text: its English alt text says it is English.
    assert re.search(r'<figure class="figure" lang="en">.*?alt="Map of the front line"', html, re.S)


def test_shared_links_and_search_engines_get_the_picture(client, pictured):
    html = client.get("/en/articles/putin-talks/").content.decode()
    image = meta(html, "og:image")
    assert image.startswith("http://testserver/media/images/r/") and image.endswith(".jpeg")
    assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
    assert meta(html, "og:image:alt") == "Putin at a podium"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == image
    assert client.get(image.removeprefix("http://testserver")).status_code == 200
    ld = ld_of(html)
    assert ld["image"] == [
        {
            "@type": "ImageObject",
            "url": image,
            "width": 1200,
            "height": 630,
            "caption": "In Moscow on Friday.",
            "creditText": "Jane Lens",
            "copyrightNotice": "All rights reserved",
        }
    ]
    assert ld["dateline"] == "Moscow"


def test_without_a_picture_the_card_is_a_summary(client, story):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"
    assert "image" not in ld_of(html)


def test_the_description_is_the_standfirst_or_else_the_lead(client, story, editor):
    html = client.get("/en/articles/putin-talks/").content.decode()
    standfirst = "Analysts see a stalling tactic as the summer offensive nears."
    assert meta(html, "description") == standfirst
    assert meta(html, "og:description") == standfirst
    moderate(
        ArticleFactory(
            slug="no-standfirst", standfirst="", sections=[("", "The lead says it all.")]
        ),
        State.PUBLISHED,
        editor,
    )
    html = client.get("/en/articles/no-standfirst/").content.decode()
    assert meta(html, "description") == "The lead says it all."
    assert meta(html, "og:description") == "The lead says it all."
    assert ld_of(html)["description"] == "The lead says it all."
    feed = client.get("/en/feed/").content.decode()
    assert "<description>The lead says it all.</description>" in feed


def test_statements_are_marked_in_the_text_not_repeated_in_a_list(client, editor):
    sentence = "Jeff Hawn, a Russia expert, notes that Putin refuses to meet Zelensky."
    quote = '"This is a trap," Hall said.'
    article = ArticleFactory(
        slug="marked", sections=[("", f"Talks stalled. {sentence} Nobody moved."), ("Why", quote)]
    )
    hawn = AnalystFactory(slug="jeff-hawn", name="Jeff Hawn")
    hall = AnalystFactory(slug="hall", name="Gemma Hall")
    for analyst, kind, statement in (
        (hawn, "paraphrase", sentence),
        (hall, "quote", quote),
        (hall, "assessment", "The offer will be withdrawn."),  # not in the text
    ):
        moderate(
            AttributionFactory(article=article, analyst=analyst, kind=kind, statement=statement),
            State.APPROVED,
            editor,
        )
    moderate(article, State.PUBLISHED, editor)
    html = client.get("/en/articles/marked/").content.decode()
    assert (
        f'Talks stalled. <span class="attributed attributed--paraphrase">{sentence}</span>'
        ' <a class="attributed__who" href="/en/analysts/jeff-hawn/">Jeff Hawn</a> Nobody moved.'
    ).replace('"This', "&quot;This") in html
    # Each statement appears once on the page: the ones in the text are not repeated.
    assert html.count("refuses to meet Zelensky") == 1
    assert html.count("This is a trap") == 1
    # The direct quote keeps "Hall said" outside its quotation marks.
    assert "&quot;This is a trap,&quot; Hall said.</span>" in html
    assert "“&quot;" not in html
    # The statement not in the text is listed, with its analyst.
    listed = html[html.index('class="statements"') :]
    assert "The offer will be withdrawn." in listed
    assert html.count('class="statement-card"') == 1


def test_related_stories_share_a_topic(client, story, editor):
    other_topic = TopicFactory(slug="arctic", name="Arctic")
    for slug, topic in (("same-topic", story.topics.get()), ("other-topic", other_topic)):
        article = ArticleFactory(slug=slug, title=f"Story {slug}")
        article.topics.add(topic)
        moderate(article, State.PUBLISHED, editor)
    draft = ArticleFactory(slug="draft-same-topic", title="Story draft")
    draft.topics.add(story.topics.get())
    html = client.get("/en/articles/putin-talks/").content.decode()
    related = html[html.index('id="related-heading"') :]
    assert "More on this topic" in related
    assert 'href="/en/articles/same-topic/">Story same-topic</a>' in related
    assert "other-topic" not in related and "draft" not in related


def test_topic_names_read_as_written(client, editor):
    topic = TopicFactory(slug="business-and-economy", name="Business and economy")
    article = ArticleFactory(slug="biz")
    article.topics.add(topic)
    moderate(article, State.PUBLISHED, editor)
    html = client.get("/en/articles/biz/").content.decode()
    assert ">Business and economy</a>" in html and "Business And Economy" not in html


def test_the_byline_links_to_the_authors_page_of_published_articles(client, story, editor):
    ArticleFactory(slug="unpublished-by-marie", byline="Marie Dupont", title="Not yet")
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert (
        '<a class="byline" href="/en/bylines/marie-dupont/" rel="author">Marie Dupont</a>' in html
    )
    page = client.get("/en/bylines/marie-dupont/").content.decode()
    assert '<h1 class="page-title">Marie Dupont</h1>' in page
    assert "Putin says talks with Washington" in page and "Not yet" not in page
    assert client.get("/en/bylines/nobody/").status_code == 404


def test_json_ld_publisher_is_a_news_media_organization_with_its_policies(client, story):
    publisher = ld_of(client.get("/en/articles/putin-talks/").content.decode())["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["correctionsPolicy"] == "http://testserver/en/about/corrections/"
    assert publisher["ethicsPolicy"] == "http://testserver/en/about/ethics/"
    assert client.get("/en/about/corrections/").status_code == 200


def test_policy_urls_come_from_settings_when_given(client, story, settings):
    settings.NEWSROOM_ETHICS_POLICY_URL = "https://example.org/ethics"
    publisher = ld_of(client.get("/en/articles/putin-talks/").content.decode())["publisher"]
    assert publisher["ethicsPolicy"] == "https://example.org/ethics"

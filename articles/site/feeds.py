"""The feeds of the readers' site: RSS 2.0 and JSON Feed 1.1, the latest articles with a
live text in the feed's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext

from articles import images
from articles.models import Article
from articles.site import tags as cache_tags
from articles.site.pages import reader_cache, tagged
from articles.site.queries import Headline, headline
from articles.site.rss import ControlCharacterSafeRssFeed
from articles.site.views import SITE_NAME, summary_of


class LatestArticlesFeed(Feed):
    """RSS 2.0: the 20 latest published articles with a live text in the feed's language."""

    feed_type = ControlCharacterSafeRssFeed

    def title(self) -> str:
        return gettext("%(site)s: latest analysis") % {"site": SITE_NAME}

    def link(self) -> str:
        return reverse("articles:home")

    def description(self) -> str:
        return gettext("The latest published analysis of world news.")

    def items(self):
        return feed_items(get_language())

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.url

    def item_guid(self, item) -> str:
        return item.url

    def item_pubdate(self, item):
        return item.article.published_at

    def item_updateddate(self, item):
        # A correction published since (possibly on a part, not the article's row) counts.
        corrected = item.article.last_corrected_at
        return max(item.article.updated_at, corrected) if corrected else item.article.updated_at

    def item_author_name(self, item) -> str:
        return item.article.byline or None

    def item_categories(self, item) -> list[str]:
        return [topic.name for topic in item.article.topics.all()]


feed = reader_cache(tagged(LatestArticlesFeed(), cache_tags.ARTICLES))

FEED_SIZE = 20


@dataclass(frozen=True)
class FeedItem(Headline):
    summary: str = ""


def feed_items(language: str) -> list[FeedItem]:
    """The latest articles with a live text in `language`, each with its summary
    (standfirst, else the lead): four queries."""
    articles = (
        Article.objects.listed(language)
        .with_last_correction()
        .prefetch_related("sections")[:FEED_SIZE]
    )
    items = []
    for article in articles:
        item = headline(article, language)
        # The standfirst, without the text's sections (a list loads translations'
        # titles only); the lead's first paragraph only where there is no standfirst.
        text = article.live_text(item.language, sections=False)
        if text is not None and not text.standfirst.strip():
            text = article.live_text(item.language)
        items.append(FeedItem(**vars(item), summary=summary_of(text) if text else ""))
    return items


@reader_cache
def json_feed(request: HttpRequest) -> HttpResponse:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) beside the RSS feed."""
    language = get_language()
    absolute = request.build_absolute_uri
    items = []
    for item in feed_items(language):
        article = item.article
        entry = {
            "id": absolute(item.url),
            "url": absolute(item.url),
            "title": item.title,
            "summary": item.summary,
            "date_published": article.published_at.isoformat(),
            "date_modified": max(article.published_at, article.updated_at).isoformat(),
            "language": item.language,
            "tags": [topic.name for topic in article.topics.all()],
        }
        if article.byline:
            entry["authors"] = [{"name": article.byline}]
        card = images.social(article.lead_image) if article.lead_image else None
        if card:
            entry["image"] = absolute(card.url)
        items.append(entry)
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": gettext("%(site)s: latest analysis") % {"site": SITE_NAME},
        "home_page_url": absolute(reverse("articles:home")),
        "feed_url": absolute(reverse("articles:json-feed")),
        "description": gettext("The latest published analysis of world news."),
        "language": language,
        "icon": absolute(static("img/logo.png")),
        "favicon": absolute(static("img/favicon-64.png")),
        "items": items,
    }
    response = JsonResponse(
        data, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False}
    )
    return cache_tags.tag(response, cache_tags.ARTICLES)

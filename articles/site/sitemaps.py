"""Sitemaps: `sitemap.xml` is an index of sitemaps of at most 10,000 URLs each (one per
kind of page; articles one per language, paged with `?p=`), every published page in
every language it exists in; `sitemap-news.xml` is the Google News sitemap (articles
published in the last two days).

Every sitemap runs a fixed number of queries whatever the number of articles: a page
of articles is one indexed range of one query, and the index counts them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index, sitemap
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from articles.models import Analyst, Article, Topic
from articles.site import tags as cache_tags
from articles.site.pages import reader_cache
from articles.site.queries import headline
from proposals.models import Proposal

URLS_PER_SITEMAP = 10_000


class _Localized(Sitemap):
    """Items are (object, language) pairs; `location` resolves in that language."""

    protocol = None

    def location(self, item) -> str:
        obj, language = item
        with override(language):
            return self.url_for(obj)

    def url_for(self, obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def languages() -> list[str]:
        return [code for code, _name in settings.LANGUAGES]


class HomeSitemap(_Localized):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return [("home", code) for code in self.languages()]

    def url_for(self, obj) -> str:
        return reverse("articles:home")


class ArticleSitemap(Sitemap):
    """The published articles with a live text in `language`, newest first."""

    changefreq = "daily"
    priority = 0.8
    protocol = None
    limit = URLS_PER_SITEMAP

    def __init__(self, language: str):
        self.language = language

    def items(self):
        # Only the columns a URL and its date need: the sitemap lists every article.
        return (
            Article.objects.public()
            .with_language(self.language)
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def location(self, article) -> str:
        with override(self.language):
            return reverse("articles:detail", args=[article.slug])

    def lastmod(self, article):
        return max(d for d in (article.published_at, article.updated_at) if d)

    def get_latest_lastmod(self):
        # One query, not every article loaded (Django's default walks all items).
        latest = (
            Article.objects.public()
            .with_language(self.language)
            .aggregate(latest=Max("updated_at"), published=Max("published_at"))
        )
        dates = [d for d in latest.values() if d]
        return max(dates) if dates else None


class TopicSitemap(_Localized):
    limit = URLS_PER_SITEMAP

    def items(self):
        topics = Topic.objects.public().order_by("name")
        return [(topic, code) for topic in topics for code in self.languages()]


class AnalystSitemap(_Localized):
    limit = URLS_PER_SITEMAP

    def items(self):
        analysts = Analyst.objects.public().order_by("name", "pk")  # no counts needed
        return [(analyst, code) for analyst in analysts for code in self.languages()]


class ProposalSitemap(_Localized):
    limit = URLS_PER_SITEMAP

    def items(self):
        proposals = Proposal.objects.public().order_by("title", "pk")
        return [(proposal, code) for proposal in proposals for code in self.languages()]


def sitemaps() -> dict[str, Sitemap]:
    """The sections of the index, by the name in their URL (`sitemap-<name>.xml`)."""
    sections: dict[str, Sitemap] = {"home": HomeSitemap()}
    for code, _name in settings.LANGUAGES:
        sections[f"articles-{code}"] = ArticleSitemap(code)
    sections.update(topics=TopicSitemap(), analysts=AnalystSitemap(), proposals=ProposalSitemap())
    return sections


# The sitemaps list every story, topic, analyst and proposal (their slugs and dates).
SITEMAP_TAGS = (cache_tags.ARTICLES, cache_tags.ANALYSTS, cache_tags.PROPOSALS)


@reader_cache
def index_view(request):
    response = index(request, sitemaps=sitemaps(), sitemap_url_name="sitemap-section")
    return cache_tags.tag(response, *SITEMAP_TAGS)


@reader_cache
def section_view(request, section: str):
    return cache_tags.tag(sitemap(request, sitemaps=sitemaps(), section=section), *SITEMAP_TAGS)


# Google News: articles of the last two days, at most 1,000 (its rules).
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


@reader_cache
def news_view(request: HttpRequest) -> HttpResponse:
    """`sitemap-news.xml`: every live text of the articles published in the last two
    days, with the publication's name and the text's language and title."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.public()
        .filter(published_at__gte=since)
        .with_live_translations(headlines_only=True)
        .order_by("-published_at", "-pk")
    )
    entries = []
    for article in articles:
        for code in article.live_languages():
            if code not in dict(settings.LANGUAGES):
                continue
            title = headline(article, code).title
            with override(code):
                url = request.build_absolute_uri(reverse("articles:detail", args=[article.slug]))
            entries.append({"url": url, "language": code, "title": title, "article": article})
            if len(entries) >= NEWS_LIMIT:
                break
        if len(entries) >= NEWS_LIMIT:
            break
    response = TemplateResponse(
        request,
        "articles/sitemap_news.xml",
        {"entries": entries, "publication": settings.NEWSROOM_PUBLISHER_NAME},
        content_type="application/xml",
    )
    return cache_tags.tag(response, cache_tags.ARTICLES)

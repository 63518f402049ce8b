"""The readers' site: home, article, topic, analysts, search, feed and robots.txt.

Everything here shows published content only (see `articles.site.queries`) and answers 404
for anything else. Anonymous readers get pages from the cache (`reader_cache`); the
key carries `public_cache_version()`, which every publish, unpublish or edit bumps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import (
    get_language,
    gettext,
    gettext_noop,
    override,
)
from django.views.decorators.cache import never_cache

from articles import permissions
from articles.models import Analyst, Article, EnrichmentBlock, Topic
from articles.params import MAX_BIGINT, positive_int
from articles.site import search as search_index
from articles.site.pages import (
    json_ld,
    language_name_in_page_language,
    page_context,
    paginate,
    reader_cache,
)
from articles.site.queries import (
    PREVIEW,
    READERS,
    Visibility,
    article_for_preview,
    article_url,
    headline,
    public_analyst_for_page,
    public_topic,
    published_article_for_page,
)
from articles.site.rss import ControlCharacterSafeRssFeed
from proposals.compare import compare

SITE_NAME = "Newsroom"
# Blocks shown beside the lead ("at a glance"); the other kinds follow the text.
GLANCE_KINDS = (EnrichmentBlock.Kind.OVERVIEW, EnrichmentBlock.Kind.KEY_POINTS)
# The models' choice labels are plain English; marking them here puts them in the
# catalogue, and the templates translate them ({% translate a.get_kind_display %}).
CHOICE_LABELS = (
    gettext_noop("Quote"),
    gettext_noop("Paraphrase"),
    gettext_noop("Assessment"),
    gettext_noop("Overview"),
    gettext_noop("Key points"),
    gettext_noop("Background"),
    gettext_noop("Comparison"),
    gettext_noop("Timeline"),
)


# -- pages -------------------------------------------------------------------------------


@reader_cache
def home(request: HttpRequest) -> HttpResponse:
    language = get_language()
    page = paginate(request, Article.objects.listed(language))
    headlines = [headline(article, language) for article in page.object_list]
    return render(
        request,
        "articles/home.html",
        page_context(
            request,
            nav="home",
            page=page,
            lead=headlines[0] if headlines and page.number == 1 else None,
            headlines=headlines[1:] if page.number == 1 else headlines,
            topics=Topic.objects.public().order_by("name"),
        ),
    )


@reader_cache
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = get_language()
    article = published_article_for_page(slug, language)
    if article is None:
        raise Http404("No published text of this article in this language.")
    context = article_page_context(
        request, article, language, READERS, published_at=article.published_at
    )
    return render(request, "articles/article.html", context)


def article_page_context(
    request: HttpRequest,
    article: Article,
    language: str,
    visibility: Visibility,
    *,
    published_at: datetime,
    url_for: Callable[[str], str] | None = None,
    **extra,
) -> dict:
    """The context of `articles/article.html`: the article in `language` as
    `visibility` shows it (readers' page or editors' preview).

    Needs `Article.objects.with_parts(visibility.states)`; runs no query of its own.
    """
    text = visibility.text(article, language)
    if text is None:
        raise Http404("No text of this article in this language.")
    sections = list(text.sections)
    lead = sections.pop(0) if sections and not sections[0].get("heading") else None
    blocks = list(article.enrichment_blocks.all())
    proposals = list(article.proposals.all())
    topics = list(article.topics.all())
    attributions = list(article.attributions.all())
    context = page_context(
        request,
        languages=visibility.languages(article),
        url_for=url_for,
        article=article,
        text=text,
        lead=lead,
        sections=sections,
        topics=topics,
        attributions=attributions,
        glance_blocks=[b for b in blocks if b.kind in GLANCE_KINDS],
        other_blocks=[b for b in blocks if b.kind not in GLANCE_KINDS],
        proposals=proposals,
        comparison=compare(proposals),
        translated_from=(
            language_name_in_page_language(text.from_language) if text.from_language else ""
        ),
        published_at=published_at,
        date_modified=_date_modified(article, published_at),
        **extra,
    )
    context["json_ld"] = json_ld(_news_article_ld(request, context))
    return context


@never_cache
def article_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """An article in any state as readers will see it once published (editors' preview).

    Served from the admin (`ArticleAdmin.get_urls`, behind `admin_view`: staff only,
    others go to the admin login), to whoever `can_preview` the article; 404 for anyone
    else, as for an article that does not exist. Shows the `PREVIEW` visibility: every
    child that is not rejected or archived, the unpublished ones marked with their
    state, and the latest such text version of the language. Never cached, never
    indexed (noindex meta and header); sitemap, feed and search list published
    articles only, so it is in none of them.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404("Unknown language.")
    article = article_for_preview(Article.objects.all(), pk, viewer=request.user)
    if article is None or not permissions.can_preview(request.user, article):
        raise Http404("No such article.")
    with override(language):
        # The date readers would see: when it was (or is scheduled to be) published,
        # else now, as if it were published now.
        published_at = article.published_at or article.publish_at or timezone.now()
        version = PREVIEW.translation(article, language)
        context = article_page_context(
            request,
            article,
            language,
            PREVIEW,
            published_at=published_at,
            url_for=lambda code: preview_url(article, code),
            canonical_url=request.build_absolute_uri(article_url(article, language)),
            preview=True,
            text_version=version,
            change_url=reverse("admin:articles_article_change", args=[article.pk]),
        )
        response = render(request, "articles/preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = language  # the page's, not the admin's
    return response


def preview_url(article: Article, language: str | None = None) -> str:
    return reverse(
        "admin:articles_article_preview", args=[article.pk, language or article.language]
    )


def _date_modified(article: Article, published_at: datetime):
    dates = [published_at, article.updated_at]
    dates += [v.published_at for v in article.translations.all() if v.published_at]
    return max(d for d in dates if d)


def _news_article_ld(request: HttpRequest, context: dict) -> dict:
    article: Article = context["article"]
    text = context["text"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "description": text.standfirst,
        "inLanguage": text.language,
        "datePublished": context["published_at"].isoformat(),
        "dateModified": context["date_modified"].isoformat(),
        "mainEntityOfPage": context["canonical_url"],
        "url": context["canonical_url"],
        "author": (
            {"@type": "Person", "name": article.byline}
            if article.byline
            else {"@type": "Organization", "name": SITE_NAME}
        ),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "about": [{"@type": "Thing", "name": topic.name} for topic in context["topics"]],
    }
    if text.credit:
        data["translator"] = {"@type": "Person", "name": text.credit}
        data["translationOfWork"] = {"@type": "CreativeWork", "inLanguage": text.from_language}
    return data


@reader_cache
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = public_topic(slug)
    if topic is None:
        raise Http404("No published article on this topic.")
    language = get_language()
    page = paginate(request, Article.objects.listed(language).filter(topics=topic))
    return render(
        request,
        "articles/topic.html",
        page_context(
            request,
            topic=topic,
            page=page,
            headlines=[headline(article, language) for article in page.object_list],
        ),
    )


@reader_cache
def analyst_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Analyst.objects.with_statement_count(), per_page=30)
    return render(
        request, "articles/analysts.html", page_context(request, nav="analysts", page=page)
    )


@reader_cache
def analyst_detail(request: HttpRequest, slug: str) -> HttpResponse:
    analyst = public_analyst_for_page(slug)
    if analyst is None:
        raise Http404("No published statement by this analyst.")
    language = get_language()
    statements = [
        {"attribution": a, "headline": headline(a.article, language)}
        for a in analyst.public_statements
    ]
    return render(
        request,
        "articles/analyst.html",
        page_context(
            request,
            nav="analysts",
            analyst=analyst,
            statements=statements,
            article_count=len({a.article_id for a in analyst.public_statements}),
        ),
    )


SEARCH_PAGE_SIZE = 10
MAX_SEARCH_PAGE = MAX_BIGINT // SEARCH_PAGE_SIZE


@reader_cache
def search(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    # Any page number the offset below can hold; anything else is the first page.
    page_number = positive_int(request.GET.get("page"), maximum=MAX_SEARCH_PAGE) or 1
    results = search_index.search(
        query,
        language,
        limit=SEARCH_PAGE_SIZE,
        offset=(page_number - 1) * SEARCH_PAGE_SIZE,
    )
    articles = (
        Article.objects.published().filter(pk__in=[hit.article_id for hit in results.hits])
        if results.hits
        else Article.objects.none()
    )
    by_id = {article.pk: article for article in articles}
    hits = [
        {
            "hit": hit,
            "article": by_id[hit.article_id],
            "url": article_url(by_id[hit.article_id], language),
        }
        for hit in results.hits
        if hit.article_id in by_id
    ]
    last_page = max(1, -(-results.total // SEARCH_PAGE_SIZE))
    return render(
        request,
        "articles/search.html",
        page_context(
            request,
            query=query,
            hits=hits,
            total=results.total,
            page_number=page_number,
            previous_page=page_number - 1 if page_number > 1 else None,
            next_page=page_number + 1 if page_number < last_page else None,
            searched=bool(query),
        ),
    )


# -- feed and robots -----------------------------------------------------------------------


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
        language = get_language()
        return [headline(a, language) for a in Article.objects.listed(language)[:20]]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.standfirst

    def item_link(self, item) -> str:
        return item.url

    def item_guid(self, item) -> str:
        return item.url

    def item_pubdate(self, item):
        return item.article.published_at

    def item_updateddate(self, item):
        return item.article.updated_at

    def item_author_name(self, item) -> str:
        return item.article.byline or None

    def item_categories(self, item) -> list[str]:
        return [topic.name for topic in item.article.topics.all()]


feed = reader_cache(LatestArticlesFeed())


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /translate/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

"""The readers' site: home, article, topic, analysts, search, feed and robots.txt.

Everything here shows published content only (see `articles.site.queries`) and answers 404
for anything else. Anonymous readers get pages from the cache (`reader_cache`), each
tagged with what it shows (`articles.site.tags`): a change makes stale only the pages
showing what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import (
    get_language,
    gettext_noop,
    override,
)
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache

from articles import corrections, permissions
from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    Topic,
    TranslationVersion,
)
from articles.params import MAX_BIGINT, positive_int
from articles.site import search as search_index
from articles.site import snapshots, statements
from articles.site import tags as cache_tags
from articles.site.cache import public_cache_key, remember
from articles.site.pages import (
    json_ld,
    language_name_in_page_language,
    page_context,
    paginate,
    reader_cache,
)
from articles.site.pictures import figure, load_translations, social_card
from articles.site.queries import (
    PREVIEW,
    READERS,
    Visibility,
    analyst_record,
    article_for_preview,
    article_url,
    headline,
    illustrated,
    public_analyst,
    public_topic,
    published_article_for_page,
)
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
    gettext_noop("Correction"),
    gettext_noop("Update"),
    gettext_noop("Clarification"),
)


# -- pages -------------------------------------------------------------------------------


@reader_cache
def home(request: HttpRequest) -> HttpResponse:
    language = get_language()
    page = paginate(request, Article.objects.listed(language))
    headlines = [
        illustrated(article, language, "card-lead" if i == 0 and page.number == 1 else "card")
        for i, article in enumerate(page.object_list)
    ]
    response = render(
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
    return cache_tags.tag(response, cache_tags.ARTICLES)


@reader_cache
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = get_language()
    if request.user.is_authenticated:  # signed in: built afresh from the tables
        article = published_article_for_page(slug, language)
    else:  # written at publication (one query), as `with_parts(READERS.states)` loads it
        article = snapshots.for_page(slug, language)
    if article is None:
        raise Http404("No published text of this article in this language.")
    related = [headline(a, language) for a in Article.objects.related_to(article, language)]
    context = article_page_context(
        request, article, language, READERS, published_at=article.published_at, related=related
    )
    response = render(request, "articles/article.html", context)
    # The related stories shown go stale with a change to them (unpublished: never a
    # dead link); newer ones join when the page is next made, not on every publication
    # in the topic.
    related_tags = [cache_tags.story(item.article.pk) for item in related]
    return cache_tags.tag(response, *cache_tags.for_article(article), *related_tags)


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
    blocks = list(article.enrichment_blocks.all())
    proposals = list(article.proposals.all())
    topics = list(article.topics.all())
    attributions = list(article.attributions.all())
    # Section pictures by position: a translation has as many sections as its source.
    section_images = [section.image for section in article.sections.all()]
    load_translations([article.lead_image, *section_images], language)
    # Statements are in the article's own language: marked in that text only; a text
    # in another language lists them all.
    same_language = text.language == article.language
    marked = statements.mark(
        [list(section.get("paragraphs", [])) for section in text.sections],
        attributions if same_language else [],
    )
    if not same_language:
        marked.unmatched = attributions
    sections = [
        {
            "heading": section.get("heading", ""),
            "paragraphs": marked.sections[index],
            "figure": figure(
                section_images[index] if index < len(section_images) else None, language
            ),
        }
        for index, section in enumerate(text.sections)
    ]
    lead = sections.pop(0) if sections and not sections[0]["heading"] else None
    marked_ids = {a.pk for a in attributions} - {a.pk for a in marked.unmatched}
    context = page_context(
        request,
        languages=visibility.languages(article),
        url_for=url_for,
        article=article,
        text=text,
        summary=summary_of(text),
        lead=lead,
        sections=sections,
        lead_figure=figure(article.lead_image, language, "lead"),
        social=social_card(request, article.lead_image, language),
        topics=topics,
        attributions=attributions,
        listed_statements=[
            {"attribution": a, "quoted": statements.needs_quotation_marks(a)}
            for a in marked.unmatched
        ],
        cited_analysts=_analysts_of([a for a in attributions if a.pk in marked_ids]),
        glance_blocks=[b for b in blocks if b.kind in GLANCE_KINDS],
        other_blocks=[b for b in blocks if b.kind not in GLANCE_KINDS],
        proposals=proposals,
        comparison=compare(proposals),
        translated_from=(
            language_name_in_page_language(text.from_language) if text.from_language else ""
        ),
        published_at=published_at,
        date_modified=_date_modified(article, published_at),
        corrections=corrections.for_article(article, language),
        **extra,
    )
    context["json_ld"] = json_ld(_news_article_ld(request, context))
    return context


def summary_of(text, limit: int = 300) -> str:
    """What describes an article in search results, shared links and feeds: the
    standfirst, or the lead's first paragraph when there is none, cut at a word."""
    summary = text.standfirst.strip()
    if not summary:
        lead = text.sections[0] if text.sections and not text.sections[0].get("heading") else None
        paragraphs = lead.get("paragraphs", []) if lead else []
        summary = paragraphs[0].strip() if paragraphs else ""
    return Truncator(summary).chars(limit)


def _analysts_of(attributions: list) -> list:
    """Each analyst whose statements are marked in the text, once, in order."""
    seen: dict[int, object] = {}
    for attribution in attributions:
        seen.setdefault(attribution.analyst_id, attribution.analyst)
    return list(seen.values())


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
    dates = [published_at, article.updated_at, corrections.latest_at(article)]
    dates += [v.published_at for v in article.translations.all() if v.published_at]
    return max(d for d in dates if d)


def _news_article_ld(request: HttpRequest, context: dict) -> dict:
    """schema.org JSON-LD of an article page (what search engines read).

    `correction` is left to the corrections work: it adds a list of
    `CorrectionComment`s here from the article's published corrections.
    """
    article: Article = context["article"]
    text = context["text"]
    absolute = request.build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "AnalysisNewsArticle",
        "headline": text.title,
        "description": context["summary"],
        "inLanguage": text.language,
        "datePublished": context["published_at"].isoformat(),
        "dateModified": context["date_modified"].isoformat(),
        "mainEntityOfPage": context["canonical_url"],
        "url": context["canonical_url"],
        "author": (
            {"@type": "Person", "name": article.byline, "url": absolute(article.byline_url)}
            if article.byline
            else {"@type": "Organization", "name": SITE_NAME, "url": absolute("/")}
        ),
        "publisher": publisher_ld(request),
        "about": [topic_ld(topic) for topic in context["topics"]],
        "mentions": [
            {
                "@type": "Person",
                "name": analyst.name,
                "url": absolute(analyst.get_absolute_url()),
                **({"jobTitle": analyst.role} if analyst.role else {}),
            }
            for analyst in {a.analyst_id: a.analyst for a in context["attributions"]}.values()
        ],
    }
    if article.dateline:
        data["dateline"] = article.dateline
    social = context.get("social")
    if social:
        image = social["image"]
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": social["url"],
                "width": social["width"],
                "height": social["height"],
                "caption": social["text"].caption or social["text"].alt_text,
                "creditText": image.credit,
                "copyrightNotice": social["text"].licence,
                **({"license": image.licence_url} if image.licence_url else {}),
            }
        ]
    if context["corrections"]:
        data["correction"] = corrections.json_ld(article, text.language)
    if text.credit:
        data["translator"] = {"@type": "Person", "name": text.credit}
        data["translationOfWork"] = {"@type": "CreativeWork", "inLanguage": text.from_language}
    return data


def topic_ld(topic: Topic) -> dict:
    """A topic as a schema.org Thing, tied to its IPTC Media Topic when it has one."""
    thing = {"@type": "Thing", "name": topic.name}
    if topic.media_topic:
        thing["sameAs"] = topic.media_topic_uri
        thing["identifier"] = topic.media_topic
    return thing


def publisher_ld(request: HttpRequest) -> dict:
    """The newsroom as a schema.org NewsMediaOrganization, with its policies."""
    absolute = request.build_absolute_uri
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_PUBLISHER_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static("img/logo.png")),
            "width": 512,
            "height": 512,
        },
        "correctionsPolicy": absolute(policy_url("corrections")),
        "ethicsPolicy": absolute(policy_url("ethics")),
    }


def policy_url(name: str) -> str:
    """A policy's URL: the setting when given, else the site's own page."""
    configured = {
        "corrections": settings.NEWSROOM_CORRECTIONS_POLICY_URL,
        "ethics": settings.NEWSROOM_ETHICS_POLICY_URL,
        "rights": settings.NEWSROOM_RIGHTS_URL,
    }[name]
    return configured or reverse("articles:policy", args=[name])


@reader_cache
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = public_topic(slug)
    if topic is None:
        raise Http404("No published article on this topic.")
    language = get_language()
    page = paginate(request, Article.objects.listed(language).filter(topics=topic))
    response = render(
        request,
        "articles/topic.html",
        page_context(
            request,
            topic=topic,
            page=page,
            headlines=[illustrated(article, language) for article in page.object_list],
        ),
    )
    return cache_tags.tag(
        response, cache_tags.topic(topic.pk), cache_tags.topic_articles(topic.pk), cache_tags.TOPICS
    )


@reader_cache
def byline_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The published articles of one byline (the author page JSON-LD points to)."""
    language = get_language()
    page = paginate(request, Article.objects.listed(language).filter(byline_slug=slug))
    if not page.object_list:
        raise Http404("No published article under this byline.")
    response = render(
        request,
        "articles/byline.html",
        page_context(
            request,
            author=page.object_list[0].byline,
            page=page,
            headlines=[illustrated(article, language) for article in page.object_list],
        ),
    )
    return cache_tags.tag(response, cache_tags.ARTICLES)  # a list of articles, like home


@reader_cache
def analyst_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Analyst.objects.with_statement_count(), per_page=30)
    response = render(
        request, "articles/analysts.html", page_context(request, nav="analysts", page=page)
    )
    return cache_tags.tag(response, cache_tags.ANALYSTS)


@reader_cache
def analyst_detail(request: HttpRequest, slug: str) -> HttpResponse:
    analyst = public_analyst(slug)
    if analyst is None:
        raise Http404("No published statement by this analyst.")
    language = get_language()
    page = paginate(request, Attribution.objects.record_of(analyst), per_page=RECORD_PAGE_SIZE)
    statements = [{"attribution": a, "headline": headline(a.article, language)} for a in page]
    record = analyst_record(analyst)
    response = render(
        request,
        "articles/analyst.html",
        page_context(
            request,
            nav="analysts",
            analyst=analyst,
            page=page,
            statements=statements,
            statement_count=record["statements"],
            article_count=record["articles"],
        ),
    )
    return cache_tags.tag(
        response, cache_tags.analyst(analyst.pk), cache_tags.analyst_statements(analyst.pk)
    )


RECORD_PAGE_SIZE = 20
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
    # Pages reach the ranked matches (the most recent ones: `search.CANDIDATES`).
    last_page = max(1, -(-results.ranked // SEARCH_PAGE_SIZE))
    response = render(
        request,
        "articles/search.html",
        page_context(
            request,
            query=query,
            hits=hits,
            total=results.total,
            capped=results.capped,
            page_number=page_number,
            previous_page=page_number - 1 if page_number > 1 else None,
            next_page=page_number + 1 if page_number < last_page else None,
            # Past the last page (an old link, a hand-edited address): say so, link back.
            past_last_page=last_page if results.total and page_number > last_page else None,
            searched=bool(query),
        ),
    )
    return cache_tags.tag(response, cache_tags.ARTICLES)


# -- policies, languages, robots ---------------------------------------------------------


POLICIES = {"corrections", "ethics", "rights"}


@reader_cache
def policy(request: HttpRequest, name: str) -> HttpResponse:
    """The default corrections and ethics policies and reuse terms (JSON-LD and ninjs
    point here unless NEWSROOM_CORRECTIONS_POLICY_URL / NEWSROOM_ETHICS_POLICY_URL /
    NEWSROOM_RIGHTS_URL are set)."""
    if name not in POLICIES:
        raise Http404("No such page.")
    response = render(request, "articles/policy.html", page_context(request, policy=name))
    return cache_tags.tag(response, cache_tags.SITE)  # shows no content: stale only with all


def published_languages() -> list[str]:
    """Site languages with at least one published text, in settings order (cached until
    anything readers see changes)."""

    def find() -> list[str]:
        found = set(Article.objects.public().values_list("language", flat=True).distinct())
        found |= set(
            TranslationVersion.objects.published()
            .filter(article__in=Article.objects.public())
            .values_list("language", flat=True)
            .distinct()
        )
        return [code for code, _name in settings.LANGUAGES if code in found]

    return remember(public_cache_key("languages"), [cache_tags.ARTICLES], find)


@never_cache
def root(request: HttpRequest) -> HttpResponse:
    """`/`: the home page in the reader's language, chosen (cookie, then
    Accept-Language) among the languages with published content only; English-speaking
    readers are not sent to an empty French home, nor the reverse."""
    available = published_languages() or [settings.LANGUAGE_CODE]
    wanted = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")]
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:255]
    wanted += [code for code, _q in parse_accept_lang_header(header)]
    choice = next(
        (c.split("-")[0].lower() for c in wanted if c and c.split("-")[0].lower() in available),
        available[0] if settings.LANGUAGE_CODE not in available else settings.LANGUAGE_CODE,
    )
    with override(choice):
        response = redirect(reverse("articles:home"))
    response["Vary"] = "Accept-Language, Cookie"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers ask for whatever the page says."""
    return redirect(static("img/favicon.ico"), permanent=True)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /translate/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        f"Sitemap: {request.build_absolute_uri('/sitemap-news.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

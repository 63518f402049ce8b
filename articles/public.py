"""What readers may see, loaded in a fixed number of queries.

Every builder here starts from the published-only querysets and prefetches only
published children (with `Prefetch` objects), so templates can walk relations with
`.all()` without ever reaching unpublished content or issuing one query per row.
The site's views use them; the API can too. The one exception is
`article_for_preview`, the editors' preview of what would go live (`PREVIEW`), served
only from the admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import override

from articles import permissions
from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    Text,
    Topic,
    TranslationVersion,
)
from articles.states import PUBLIC, State
from proposals.models import Proposal, ProposalTerm


def live_translations() -> Prefetch:
    """`article.translations.all()` limited to the live (published) versions."""
    return Prefetch("translations", queryset=TranslationVersion.objects.filter(state__in=PUBLIC))


def public_attributions() -> QuerySet[Attribution]:
    """Statements readers may see: published, in a published article."""
    return Attribution.objects.filter(state__in=PUBLIC, article__state__in=PUBLIC)


def public_proposals() -> QuerySet[Proposal]:
    """`Proposal.objects.public()` with its actors and categorised terms prefetched."""
    return Proposal.objects.public().prefetch_related("proposed_by", proposal_terms())


def proposal_terms() -> Prefetch:
    return Prefetch(
        "terms", queryset=ProposalTerm.objects.select_related("category").order_by("order", "id")
    )


@dataclass(frozen=True)
class Headline:
    """What a list shows of an article: its title in the best available language."""

    article: Article
    language: str  # the language of `title` and `standfirst`
    title: str
    standfirst: str
    url: str


def headline(article: Article, language: str) -> Headline:
    """The article's title and standfirst in `language`, or in its base language.

    Needs `live_translations()` prefetched; never touches the sections.
    """
    for version in article.translations.all():
        if version.language == language and version.state in PUBLIC:
            text_language, title, standfirst = language, version.title, version.standfirst
            break
    else:
        # No live text in `language`: the base text is live for every published article.
        text_language, title, standfirst = article.language, article.title, article.standfirst
    return Headline(
        article=article,
        language=text_language,
        title=title,
        standfirst=standfirst,
        url=article_url(article, text_language),
    )


def article_url(article: Article, language: str) -> str:
    with override(language):
        return article.get_absolute_url(language)


def published_articles(language: str | None = None) -> QuerySet[Article]:
    """Published articles (with a live text in `language` if given), newest first."""
    articles = Article.objects.published()
    if language:
        articles = articles.with_language(language)
    return articles.prefetch_related("topics", live_translations()).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Visibility:
    """Which moderated states an article page shows: the one knob between the readers'
    page (published only) and the editors' preview (what would go live).

    Every child is filtered by `states` both in the prefetch and again here, so a
    template walking `.all()` sees nothing else.
    """

    name: str
    states: frozenset[str]

    def translation(self, article: Article, language: str) -> TranslationVersion | None:
        """The highest-numbered version in `language` within `states` (readers: the
        one published version, by the database's one-live-per-language constraint)."""
        versions = [
            v
            for v in article.translations.all()
            if v.language == language and v.state in self.states
        ]
        return max(versions, key=lambda v: v.version) if versions else None

    def text(self, article: Article, language: str) -> Text | None:
        """The text shown in `language` (for readers, `Article.live_text`)."""
        return article.text_in(language, self.states)

    def languages(self, article: Article) -> list[str]:
        """Codes of the languages with a text to show, in settings order."""
        return article.languages_with_text(self.states)


# Readers: published only (the public page's text agrees with `Article.live_text`).
READERS = Visibility("readers", PUBLIC)
# Editors' preview: everything that is, or could still become, public; rejected and
# archived items are out (they will not go live again without a new decision).
PREVIEW = Visibility("preview", frozenset(State) - {State.REJECTED, State.ARCHIVED})


def article_page_prefetches(visibility: Visibility, viewer=None) -> list:
    """What an article page shows, limited to `visibility`: sections, topics,
    translations, statements with analysts and institutions, enrichment blocks, and
    the proposals it discusses with their actors and terms (eight queries).

    With a `viewer` (the preview), parts still private to someone else are left out
    (`permissions.shared_with`)."""
    states = visibility.states

    def parts(model):
        queryset = model.objects.filter(state__in=states)
        return queryset if viewer is None else permissions.shared_with(viewer, queryset)

    return [
        "sections",
        "topics",
        Prefetch("translations", queryset=parts(TranslationVersion)),
        Prefetch(
            "attributions",
            queryset=parts(Attribution).select_related("analyst__institution"),
        ),
        Prefetch("enrichment_blocks", queryset=parts(EnrichmentBlock)),
        Prefetch(
            "proposals",
            queryset=parts(Proposal)
            .order_by("title", "pk")
            .prefetch_related("proposed_by", proposal_terms()),
        ),
    ]


def published_article_for_page(slug: str, language: str) -> Article | None:
    """A published article with everything its page shows, or None.

    Prefetched, published only (`article_page_prefetches(READERS)`). Nine queries
    whatever the sizes.
    """
    article = (
        Article.objects.published()
        .filter(slug=slug)
        .prefetch_related(*article_page_prefetches(READERS))
        .first()
    )
    if article is None or READERS.text(article, language) is None:
        return None
    return article


def article_for_preview(queryset: QuerySet[Article], pk: int, viewer=None) -> Article | None:
    """An article in any state, from `queryset` (scope it to the user), with what its
    page would show once published (`article_page_prefetches(PREVIEW)`), less the
    parts still private to someone other than `viewer`."""
    prefetches = article_page_prefetches(PREVIEW, viewer)
    return queryset.filter(pk=pk).prefetch_related(*prefetches).first()


def public_analyst_for_page(slug: str) -> Analyst | None:
    """A public analyst with `public_statements`: their published statements, newest first.

    Each statement has its article (and the article's live translations) loaded.
    """
    return (
        Analyst.objects.public()
        .filter(slug=slug)
        .select_related("institution")
        .prefetch_related(
            Prefetch(
                "attributions",
                queryset=public_attributions()
                .select_related("article")
                .prefetch_related(
                    Prefetch(
                        "article__translations",
                        queryset=TranslationVersion.objects.filter(state__in=PUBLIC),
                    )
                )
                .order_by("-article__published_at", "article_id", "order", "pk"),
                to_attr="public_statements",
            )
        )
        .first()
    )


def public_analysts() -> QuerySet[Analyst]:
    """Analysts with at least one public statement, with `statement_count`, by name."""
    public = Q(attributions__state__in=PUBLIC, attributions__article__state__in=PUBLIC)
    return (
        Analyst.objects.annotate(statement_count=Count("attributions", filter=public))
        .filter(statement_count__gt=0)
        .select_related("institution")
        .order_by("name", "pk")
    )


def public_topic(slug: str) -> Topic | None:
    """A topic, when at least one published article carries it."""
    return Topic.objects.filter(slug=slug, articles__state__in=PUBLIC).distinct().first()


def public_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(articles__state__in=PUBLIC).distinct().order_by("name")


def public_proposal_for_page(slug: str) -> Proposal | None:
    """A public proposal with its actors, terms and the published articles discussing it."""
    return (
        public_proposals()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.published()
                .prefetch_related(live_translations())
                .order_by("-published_at", "-pk"),
            )
        )
        .first()
    )


def public_proposals_by_slug(slugs: Sequence[str]) -> list[Proposal] | None:
    """The public proposals named by `slugs`, in that order; None if any is not public."""
    wanted = list(dict.fromkeys(slugs))
    found = {p.slug: p for p in public_proposals().filter(slug__in=wanted)}
    if len(found) != len(wanted):
        return None
    return [found[slug] for slug in wanted]

"""The readers' pages' loaders: one call per page, a fixed number of queries.

The rules for what readers may see are QuerySet methods (`articles.querysets`,
`proposals.models.ProposalQuerySet`); these loaders combine them for one page. The one
exception is `article_for_preview`, the editors' preview of what would go live
(`PREVIEW`), served only from the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import override

from articles import permissions
from articles.models import Analyst, Article, Attribution, Text, Topic, TranslationVersion
from articles.site.pictures import figure
from articles.states import PREVIEWABLE, PUBLIC
from proposals.models import Proposal


@dataclass(frozen=True)
class Headline:
    """What a list shows of an article: its title in the best available language."""

    article: Article
    language: str  # the language of `title` and `standfirst`
    title: str
    standfirst: str
    url: str
    figure: object | None = None  # articles.site.pictures.Figure, on lists with pictures


def headline(article: Article, language: str) -> Headline:
    """The article's title and standfirst in `language`, or in its base language.

    Needs `with_live_translations()` (or `listed()`); never touches the sections.
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


def illustrated(article: Article, language: str, where: str = "card") -> Headline:
    """`headline()` with the lead picture's card; needs `Article.objects.listed()`'s
    prefetches (the lead image and its translations)."""
    return replace(headline(article, language), figure=figure(article.lead_image, language, where))


def article_url(article: Article, language: str) -> str:
    with override(language):
        return article.get_absolute_url(language)


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
PREVIEW = Visibility("preview", PREVIEWABLE)


def published_article_for_page(slug: str, language: str) -> Article | None:
    """A published article with everything its page shows, or None.

    Found by its own slug or by a version's (`/fr/articles/<french-slug>/`); the view
    redirects any address that is not the language's current one. Prefetched,
    published only (`with_parts()`). Nine queries whatever the sizes.
    """
    article = Article.objects.public().at_address(slug).with_parts(READERS.states).first()
    if article is None or READERS.text(article, language) is None:
        return None
    return article


def article_for_preview(queryset: QuerySet[Article], pk: int, viewer=None) -> Article | None:
    """An article in any state, from `queryset` (scope it to the user), with what its
    page would show once published (`with_parts(PREVIEW.states)`), less the parts still
    private to someone other than `viewer`."""
    scope = None if viewer is None else partial(permissions.shared_with, viewer)
    return queryset.filter(pk=pk).with_parts(PREVIEW.states, scope=scope).first()


def public_analyst(slug: str) -> Analyst | None:
    """A public analyst (one with a published statement), with their institution."""
    return Analyst.objects.public().select_related("institution").filter(slug=slug).first()


def analyst_record(analyst: Analyst) -> dict[str, int]:
    """How many public statements `analyst` made, in how many articles (one query)."""
    return Attribution.objects.record_of(analyst).aggregate(
        statements=Count("pk"), articles=Count("article", distinct=True)
    )


def public_topic(slug: str):
    """A topic, when at least one published article carries it."""
    return Topic.objects.public().filter(slug=slug).first()


def public_proposal_for_page(slug: str) -> Proposal | None:
    """A public proposal with its actors, terms and the published articles discussing it."""
    return (
        Proposal.objects.public()
        .with_terms()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.public()
                .with_live_translations()
                .order_by("-published_at", "-pk"),
            )
        )
        .first()
    )

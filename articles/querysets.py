"""The read rules: which rows readers may see, and what a page of them needs loaded.

"Published" (`state__in=PUBLIC`) is spelled here and nowhere else. The readers' site,
the API, the sitemaps, the feed and search all ask these methods, so a rule changes in
one place. Prefetches filter children by the same states, so templates and serializers
walking `.all()` never reach unpublished content nor issue one query per row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.states import PUBLIC, State


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state__in=PUBLIC)

    def in_states(self, states):
        return self.filter(state__in=states)

    def in_review(self):
        return self.filter(state=State.IN_REVIEW)

    def due(self, now=None):
        """Approved items whose scheduled publish time has come."""
        return self.filter(state=State.APPROVED, publish_at__lte=now or timezone.now())


def _related(queryset: models.QuerySet, relation: str) -> type[models.Model]:
    # The related model by its relation name: proposals depend on articles, not back.
    return queryset.model._meta.get_field(relation).related_model


class ArticleQuerySet(ModeratedQuerySet):
    def public(self):
        """Articles readers may see: the published ones."""
        return self.published()

    def with_language(self, language: str):
        """Articles having a published text in `language`.

        A subquery, not a join: a list can then walk the articles newest first and stop
        at its page (a join needs DISTINCT over every match first)."""
        translation = _related(self, "translations")
        live = translation.objects.published().filter(article=OuterRef("pk"), language=language)
        return self.filter(Q(language=language) | Exists(live))

    def with_live_translations(self, *, headlines_only: bool = False):
        """`article.translations.all()` limited to the live (published) versions; with
        `headlines_only`, without their sections (for lists: `live_heading()`)."""
        return self.prefetch_related(_live(self.model, "translations", headlines_only))

    def listed(self, language: str | None = None):
        """Published articles for a list (with a live text in `language` if given),
        newest first, with what a headline needs: topics and live translations (their
        titles only: lists never show a text)."""
        articles = self.public()
        if language:
            articles = articles.with_language(language)
        return (
            articles.select_related("lead_image")
            .prefetch_related(
                "topics",
                _live(self.model, "translations", headlines_only=True),
                "lead_image__translations",
            )
            .order_by("-published_at", "-pk")
        )

    def with_last_correction(self):
        """With `last_corrected_at`: when its latest correction was published (or None).

        A subquery per row fetched, not a GROUP BY over every article: a list stops at
        its page."""
        correction = _related(self, "corrections")
        latest = (
            correction.objects.filter(article=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return self.annotate(last_corrected_at=Subquery(latest))

    def related_to(self, article, language: str, limit: int = 4):
        """Published articles sharing a topic with `article` (newest first), with a live
        text in `language`; two queries."""
        topic_ids = [topic.pk for topic in article.topics.all()]
        if not topic_ids:
            return self.none()
        ids = (
            self.public()
            .with_language(language)
            .filter(topics__in=topic_ids)
            .exclude(pk=article.pk)
            .values("pk")
        )
        return (
            self.public()
            .filter(pk__in=ids)
            .prefetch_related(_live(self.model, "translations", headlines_only=True))
            .order_by("-published_at", "-pk")[:limit]
        )

    def with_parts(self, states=PUBLIC, *, proposal_terms: bool = True, scope=None):
        """What an article page shows, limited to `states`: sections, topics,
        translations, statements with analysts and institutions, enrichment blocks, and
        the proposals it discusses with their actors and terms, and its published
        corrections, newest first (nine queries; seven without `proposal_terms`, for
        callers that only name the proposals).

        `scope(queryset)`, when given, narrows every part's queryset (the preview
        leaves out parts still private to someone other than its viewer)."""

        def parts(relation):
            queryset = _related(self, relation).objects.in_states(states)
            return queryset if scope is None else scope(queryset)

        section = _related(self, "sections")
        proposals = parts("proposals").order_by("title", "pk")
        # Pictures come with their rows (lead image joined, section images joined to
        # the sections): no query of their own.
        return self.select_related("lead_image").prefetch_related(
            Prefetch("sections", queryset=section.objects.select_related("image")),
            "topics",
            Prefetch("translations", queryset=parts("translations")),
            Prefetch(
                "attributions",
                queryset=parts("attributions").select_related("analyst__institution"),
            ),
            Prefetch("enrichment_blocks", queryset=parts("enrichment_blocks")),
            Prefetch(
                "proposals",
                queryset=proposals.with_terms() if proposal_terms else proposals,
            ),
            Prefetch("corrections", queryset=_related(self, "corrections").objects.newest_first()),
        )


# What a headline needs of a translation version (not its sections, nor its source).
HEADLINE_FIELDS = (
    "id", "article_id", "language", "from_language", "version", "title", "standfirst",
    "credit", "state", "published_at", "updated_at",
)  # fmt: skip


def _live(model: type[models.Model], lookup: str, headlines_only: bool = False) -> Prefetch:
    """Prefetch `lookup` (a path from `model` ending at translation versions) limited
    to the live versions (with `headlines_only`, their `HEADLINE_FIELDS`). The model is
    found through the relations, so this module needs no import of the models (they
    import it)."""
    target = model
    for name in lookup.split("__"):
        target = target._meta.get_field(name).related_model
    queryset = target.objects.published()
    if headlines_only:
        queryset = queryset.only(*HEADLINE_FIELDS)
    return Prefetch(lookup, queryset=queryset)


class AttributionQuerySet(ModeratedQuerySet):
    def public(self):
        """Statements readers may see: published, in a published article."""
        return self.filter(state__in=PUBLIC, article__state__in=PUBLIC)

    def record_of(self, analyst):
        """`analyst`'s public statements, newest first, each with its article and the
        article's live translations (titles only) loaded: an analyst's track record."""
        # Sorted on an expression of the date, not the column: PostgreSQL would otherwise
        # walk every published article newest first looking for this analyst's (a few
        # thousand statements at most, found through the analyst's index, sort at once).
        newest_first = Coalesce("article__published_at", "article__created_at").desc()
        return (
            self.public()
            .filter(analyst=analyst)
            .select_related("article")
            .prefetch_related(_live(self.model, "article__translations", headlines_only=True))
            .order_by(newest_first, "-article_id", "order", "pk")
        )


class AnalystQuerySet(models.QuerySet):
    def public(self):
        """Analysts with at least one statement readers may see."""
        attribution = _related(self, "attributions")
        return self.filter(Exists(attribution.objects.public().filter(analyst=OuterRef("pk"))))

    def with_statement_count(self):
        """Analysts with at least one public statement, with `statement_count`, by name.

        Counted for the rows fetched only (a subquery each), not for every analyst."""
        attribution = _related(self, "attributions")
        public = attribution.objects.public().filter(analyst=OuterRef("pk")).order_by()
        count = public.values("analyst").annotate(n=Count("pk")).values("n")
        return (
            self.public()
            .annotate(statement_count=Subquery(count))
            .select_related("institution")
            .order_by("name", "pk")
        )

    def with_public_statements(self, *, article_translations: bool = True):
        """Public analysts with `public_statements`: their published statements, newest
        first, each with its article (and the article's live translations) loaded."""
        attribution = _related(self, "attributions")
        statements = (
            attribution.objects.public()
            .select_related("article")
            .order_by("-article__published_at", "article_id", "order", "pk")
        )
        if article_translations:
            statements = statements.prefetch_related(_live(attribution, "article__translations"))
        return (
            self.public()
            .select_related("institution")
            .prefetch_related(
                Prefetch("attributions", queryset=statements, to_attr="public_statements")
            )
        )


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics carried by at least one published article."""
        article = _related(self, "articles")
        return self.filter(Exists(article.objects.public().filter(topics=OuterRef("pk"))))


class CorrectionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def public(self):
        """Corrections readers may see (those of published articles), newest first."""
        return self.filter(article__state__in=PUBLIC).newest_first()

    def for_page(self):
        """`public()` with what a list shows: each article with its live translations
        (its title and the note's text in the page's language)."""
        return (
            self.public()
            .select_related("article")
            .prefetch_related(_live(self.model, "article__translations"))
        )

"""The read rules: which rows readers may see, and what a page of them needs loaded.

"Published" (`state__in=PUBLIC`) is spelled here and nowhere else. The readers' site,
the API, the sitemaps, the feed and search all ask these methods, so a rule changes in
one place. Prefetches filter children by the same states, so templates and serializers
walking `.all()` never reach unpublished content nor issue one query per row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch, Q
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
        """Articles having a published text in `language`."""
        return self.filter(
            Q(language=language)
            | Q(translations__language=language, translations__state__in=PUBLIC)
        ).distinct()

    def with_live_translations(self):
        """`article.translations.all()` limited to the live (published) versions."""
        return self.prefetch_related(_live(self.model, "translations"))

    def listed(self, language: str | None = None):
        """Published articles for a list (with a live text in `language` if given),
        newest first, with what a headline needs: topics and live translations."""
        articles = self.public()
        if language:
            articles = articles.with_language(language)
        return articles.prefetch_related("topics", _live(self.model, "translations")).order_by(
            "-published_at", "-pk"
        )

    def with_parts(self, states=PUBLIC, *, proposal_terms: bool = True, scope=None):
        """What an article page shows, limited to `states`: sections, topics,
        translations, statements with analysts and institutions, enrichment blocks, and
        the proposals it discusses with their actors and terms (eight queries; six
        without `proposal_terms`, for callers that only name the proposals).

        `scope(queryset)`, when given, narrows every part's queryset (the preview
        leaves out parts still private to someone other than its viewer)."""

        def parts(relation):
            queryset = _related(self, relation).objects.in_states(states)
            return queryset if scope is None else scope(queryset)

        proposals = parts("proposals").order_by("title", "pk")
        return self.prefetch_related(
            "sections",
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
        )


def _live(model: type[models.Model], lookup: str) -> Prefetch:
    """Prefetch `lookup` (a path from `model` ending at translation versions) limited
    to the live versions. The model is found through the relations, so this module
    needs no import of the models (they import it)."""
    target = model
    for name in lookup.split("__"):
        target = target._meta.get_field(name).related_model
    return Prefetch(lookup, queryset=target.objects.published())


class AttributionQuerySet(ModeratedQuerySet):
    def public(self):
        """Statements readers may see: published, in a published article."""
        return self.filter(state__in=PUBLIC, article__state__in=PUBLIC)


class AnalystQuerySet(models.QuerySet):
    def public(self):
        """Analysts with at least one statement readers may see."""
        return self.filter(
            attributions__state__in=PUBLIC, attributions__article__state__in=PUBLIC
        ).distinct()

    def with_statement_count(self):
        """Analysts with at least one public statement, with `statement_count`, by name."""
        public = Q(attributions__state__in=PUBLIC, attributions__article__state__in=PUBLIC)
        return (
            self.annotate(statement_count=Count("attributions", filter=public))
            .filter(statement_count__gt=0)
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
        return self.filter(articles__state__in=PUBLIC).distinct()

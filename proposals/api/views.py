"""/api/v1/proposals/: public proposals, one by one or side by side.

A proposal is public when published and discussed by a published article
(`Proposal.objects.public()`); any other answers 404, to everyone.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from articles.api.caching import AnonymousCacheMixin
from articles.api.errors import ErrorSerializer
from articles.models import Article
from articles.site import tags as cache_tags
from proposals.api.filters import ProposalFilter
from proposals.api.serializers import ComparisonSerializer, ProposalSerializer
from proposals.compare import compare
from proposals.models import Proposal

MAX_COMPARED = 10
# Two to MAX_COMPARED slugs, comma-separated (spaces around them are tolerated).
SLUGS_PATTERN = rf"^[-a-zA-Z0-9_]+(,[-a-zA-Z0-9_]+){{1,{MAX_COMPARED - 1}}}$"


def public_proposals() -> QuerySet[Proposal]:
    return (
        Proposal.objects.public()
        .with_terms(by_category=True)
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.public().order_by("-published_at", "-pk"),
                to_attr="public_articles",
            )
        )
    )


class CompareQuery(serializers.Serializer):
    # DRF's CharField refuses NUL and lone surrogates, which PostgreSQL cannot compare;
    # each slug is then checked as a slug, so nothing else odd reaches the database.
    slugs = serializers.CharField(max_length=MAX_COMPARED * 201, allow_blank=True)


def slugs_param(query_params) -> list[str]:
    """The distinct slugs of `?slugs=a,b`, checked (400 with a `slugs` error if bad)."""
    query = CompareQuery(data={"slugs": query_params.get("slugs", "")})
    query.is_valid(raise_exception=True)
    raw = query.validated_data["slugs"]
    slugs = list(dict.fromkeys(s.strip() for s in raw.split(",") if s.strip()))
    for slug in slugs:
        try:
            validate_slug(slug)
        except DjangoValidationError:
            raise ValidationError({"slugs": [f"{slug!r} is not a slug."]}) from None
    if len(slugs) < 2:
        raise ValidationError({"slugs": ["Name at least two proposals, separated by commas."]})
    if len(slugs) > MAX_COMPARED:
        raise ValidationError({"slugs": [f"Compare at most {MAX_COMPARED} proposals."]})
    return slugs


@extend_schema_view(
    list=extend_schema(summary="Public proposals, by title"),
    retrieve=extend_schema(summary="One proposal with its terms"),
)
class ProposalViewSet(AnonymousCacheMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    cursor_ordering = ("title",)

    def get_queryset(self) -> QuerySet[Proposal]:
        return public_proposals()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        # Each proposal names the published articles discussing it.
        response = super().list(request, *args, **kwargs)
        return cache_tags.tag(response, cache_tags.PROPOSALS, cache_tags.ARTICLES)

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        response = Response(self.get_serializer(proposal).data)
        return cache_tags.tag(
            response, cache_tags.proposal(proposal.pk), cache_tags.proposal_articles(proposal.pk)
        )

    @extend_schema(
        summary="Proposals side by side, category by category",
        parameters=[
            OpenApiParameter(
                "slugs",
                {"type": "string", "pattern": SLUGS_PATTERN},
                required=True,
                description=f"Two to {MAX_COMPARED} proposal slugs, separated by commas. "
                f"Fewer than two, more than {MAX_COMPARED} or one that is not a slug: 400; "
                "one that is not public: 404.",
            )
        ],
        responses={
            200: ComparisonSerializer,
            404: OpenApiResponse(ErrorSerializer, description="A slug names no public proposal."),
        },
        filters=False,
    )
    @action(detail=False, url_path="compare", pagination_class=None, filterset_class=None)
    def compare(self, request, *args, **kwargs):
        slugs = slugs_param(request.query_params)
        found = {p.slug: p for p in self.get_queryset().filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise NotFound(f"No public proposal {missing[0]!r}.")
        proposals = [found[slug] for slug in slugs]
        data = ComparisonSerializer(
            {"proposals": proposals, "categories": compare(proposals)},
            context=self.get_serializer_context(),
        ).data
        return cache_tags.tag(Response(data), *(cache_tags.proposal(p.pk) for p in proposals))

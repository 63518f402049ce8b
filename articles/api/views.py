"""/api/v1/articles/ and /api/v1/analysts/ (read-only), and the token endpoint.

Visibility: readers (anonymous or any non-editor) see published articles only, and
anything else answers 404, never 403; editors also see unpublished articles and may
filter them by `status`. Everything a response shows is prefetched, so each endpoint
runs a fixed number of queries whatever the amount of content; anonymous readers are
served from the cache (`articles.api.caching`) after the first request.
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import override
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from articles import permissions
from articles.api import ninjs
from articles.api.caching import AnonymousCacheMixin
from articles.api.filters import Q_MAX_LENGTH, ArticleFilter
from articles.api.serializers import (
    LANGUAGE_CODES,
    AnalystSerializer,
    ArticleDetailSerializer,
    ArticleSummarySerializer,
)
from articles.models import Analyst, Article
from articles.site import search, snapshots
from articles.site import tags as cache_tags

LANGUAGE_PARAM = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=LANGUAGE_CODES,
    description="The language of the text to return. Without it, the first language of "
    "`Accept-Language` that has a published text, else the article's own language. "
    "A language with no published text: 404.",
)
ACCEPT_LANGUAGE_PARAM = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Preferred languages (used when `language` is not given).",
)


def requested_language(request: Request) -> str | None:
    """The `language` query parameter, checked (400 if not a language of the site)."""
    language = request.query_params.get("language")
    if not language:  # `?language=` is not given, as for every other parameter
        return None
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": [f"Choose one of: {', '.join(LANGUAGE_CODES)}."]})
    return language


def text_language(request: Request, article: Article) -> str:
    """Which live text of `article` to serve: asked for, preferred, else its own."""
    live = article.live_languages()
    language = requested_language(request)
    if language is not None:
        if language not in live:
            raise NotFound(f"This article has no published text in {language!r}.")
        return language
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _q in parse_accept_lang_header(header[:255]):
        primary = code.split("-")[0].lower()
        if primary in live:
            return primary
    return article.language


class ArticleVisibilityMixin:
    """Published articles for readers; every article for editors (sorted either way)."""

    def base_articles(self) -> QuerySet[Article]:
        if permissions.can_review(self.request.user):
            # Unpublished articles have no published_at yet: they sort by creation.
            return Article.objects.annotate(sort_at=Coalesce("published_at", "created_at"))
        return Article.objects.public().annotate(sort_at=F("published_at"))


@extend_schema_view(
    list=extend_schema(
        summary="Published articles, newest first",
        description="Cursor-paginated. Editors also see unpublished articles and may "
        "filter them by `status`.",
    ),
    retrieve=extend_schema(
        summary="One article",
        parameters=[LANGUAGE_PARAM, ACCEPT_LANGUAGE_PARAM],
        description="Its text in one language (see `language`), the languages it is "
        "published in, the translations' credits, and its published statements, "
        "enrichment blocks and proposals.",
    ),
)
class ArticleViewSet(AnonymousCacheMixin, ArticleVisibilityMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ArticleFilter
    cursor_ordering = ("-sort_at",)

    @property
    def cache_varies_on_language(self) -> bool:
        # One article's text negotiates on Accept-Language; lists follow `language`.
        return self.action != "list"

    def get_queryset(self) -> QuerySet[Article]:
        articles = self.base_articles()
        if self.action == "list":
            return articles.prefetch_related("topics").with_live_translations(headlines_only=True)
        return articles.with_parts(proposal_terms=False)

    def filter_queryset(self, queryset):
        # The filters select lists; one article is found by its slug alone.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return ArticleSummarySerializer
        return ArticleDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            # Titles in the language filtered on, when there is one.
            context["language"] = self.request.query_params.get("language") or None
        return context

    def retrieve(self, request, *args, **kwargs):
        article, language = self.article_and_language(request)
        serializer = self.get_serializer(article)
        serializer.context["language"] = language
        response = Response(serializer.data, headers=self._language_headers(language))
        return cache_tags.tag(response, *cache_tags.for_article(article))

    def article_and_language(self, request) -> tuple[Article, str]:
        """The article asked for, loaded with what the caller may see of it, and the
        language of the text to serve. Anonymous readers get it from its snapshot (one
        query); signed-in callers (editors also see unpublished articles) from the
        tables."""
        if request.user.is_authenticated:
            article = self.get_object()
            return article, text_language(request, article)
        texts = snapshots.for_story(self.kwargs[self.lookup_field])
        if texts is None:
            raise NotFound()  # as get_object() answers
        language = text_language(request, next(iter(texts.values())))
        return texts[language], language

    @staticmethod
    def _language_headers(language: str) -> dict:
        return {"Content-Language": language, "Vary": "Accept-Language"}

    @extend_schema(
        summary="One article as IPTC ninjs 2.2 (or 3.1 with version=3)",
        parameters=[
            LANGUAGE_PARAM,
            ACCEPT_LANGUAGE_PARAM,
            OpenApiParameter(
                "version",
                OpenApiTypes.STR,
                enum=["2", "3"],
                description="`3` for ninjs 3.1 (with genres, located, embargoedUntil, "
                "rightsInfo and trustIndicators); ninjs 2.2 without it. Anything else: 400.",
            ),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="An IPTC ninjs news item, valid against "
                "https://www.iptc.org/std/ninjs/ninjs-schema_2.2.json (or _3.1.json).",
            )
        },
        filters=False,
    )
    @action(detail=True, url_path="ninjs", pagination_class=None, filterset_class=None)
    def ninjs(self, request, *args, **kwargs):
        version = request.query_params.get("version") or "2"
        version = {"2.2": "2", "3.1": "3"}.get(version, version)
        if version not in {"2", "3"}:
            raise ValidationError({"version": ["Choose 2 (ninjs 2.2) or 3 (ninjs 3.1)."]})
        article, language = self.article_and_language(request)
        response = Response(
            ninjs.article_to_ninjs(article, language, request, version=version),
            headers=self._language_headers(language),
        )
        return cache_tags.tag(response, *cache_tags.for_article(article))

    def list(self, request, *args, **kwargs):
        return cache_tags.tag(super().list(request, *args, **kwargs), cache_tags.ARTICLES)


@extend_schema_view(
    list=extend_schema(summary="Analysts with published statements, by name"),
    retrieve=extend_schema(summary="One analyst and their published statements"),
)
class AnalystViewSet(AnonymousCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Only analysts with a published statement exist here (anyone else: 404)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    serializer_class = AnalystSerializer
    cursor_ordering = ("name",)
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Analyst]:
        return Analyst.objects.with_public_statements(article_translations=False)

    def list(self, request, *args, **kwargs):
        # Each analyst's statements name their articles' titles.
        response = super().list(request, *args, **kwargs)
        return cache_tags.tag(response, cache_tags.ANALYSTS, cache_tags.ARTICLES)

    def retrieve(self, request, *args, **kwargs):
        analyst = self.get_object()
        response = Response(self.get_serializer(analyst).data)
        return cache_tags.tag(
            response, cache_tags.analyst(analyst.pk), cache_tags.analyst_statements(analyst.pk)
        )


class SearchFilter(django_filters.FilterSet):
    """`q` (required) and `language` of /api/v1/search/; the same checks as the
    articles list's filters (400 for a value that cannot be one)."""

    q = ArticleFilter.base_filters["q"].__class__(
        method="filter_q", max_length=Q_MAX_LENGTH, required=True
    )
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES,
        method="filter_language",
        help_text="Search the published texts in that language only (their title and "
        "standfirst are then given in it); every language without it.",
    )

    class Meta:
        model = Article
        fields = ["q", "language"]

    def filter_q(self, queryset, name, value):
        language = self.form.cleaned_data.get("language") or None
        # A subquery: the page walks the articles newest first and stops once full.
        matching = search.matching_ids_sql(value, language)
        return queryset.filter(pk__in=RawSQL(*matching)) if matching else queryset.none()

    def filter_language(self, queryset, name, value):
        return queryset  # applied by filter_q: it narrows the search, not the list


@extend_schema_view(
    list=extend_schema(
        summary="Full-text search over published articles",
        description="The site's search: every word of `q` must match a published text "
        "(in `language` if given). Newest first, cursor-paginated, in the shape of the "
        "articles list. Readers and editors alike see published articles only.",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description=f"The words to find (at most {Q_MAX_LENGTH} characters).",
            )
        ],
    )
)
class SearchViewSet(AnonymousCacheMixin, viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = ArticleSummarySerializer
    filterset_class = SearchFilter
    cursor_ordering = ("-published_at",)

    def get_queryset(self) -> QuerySet[Article]:
        articles = Article.objects.public().prefetch_related("topics")
        return articles.with_live_translations(headlines_only=True)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["language"] = self.request.query_params.get("language") or None
        return context

    def list(self, request, *args, **kwargs):
        return cache_tags.tag(super().list(request, *args, **kwargs), cache_tags.ARTICLES)


class ApiIndex(APIView):
    """GET /api/v1/: where everything is, for a client starting from the root."""

    @extend_schema(
        summary="The API's endpoints",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Name -> URL.")},
        tags=["index"],
    )
    def get(self, request, *args, **kwargs):
        def url(name: str, *args) -> str:
            # "{slug}" marks where a slug goes (a URI template, RFC 6570).
            path = reverse(name, args=["SLUG" for _ in args])
            return request.build_absolute_uri(path).replace("SLUG", "{slug}")

        return Response(
            {
                "articles": url("api-article-list"),
                "article": url("api-article-detail", "{slug}"),
                "article_ninjs": url("api-article-ninjs", "{slug}"),
                "search": url("api-search-list"),
                "analysts": url("api-analyst-list"),
                "proposals": url("api-proposal-list"),
                "proposals_compare": url("api-proposal-compare"),
                "translations": url("translation-list"),
                "auth_token": url("api-token"),
                "schema": url("api-schema"),
                "docs": url("api-docs"),
                "feeds": {
                    code: {
                        "rss": _in_language(code, request, "articles:feed"),
                        "json": _in_language(code, request, "articles:json-feed"),
                    }
                    for code, _name in settings.LANGUAGES
                },
            }
        )


def _in_language(code: str, request, name: str) -> str:
    with override(code):
        return request.build_absolute_uri(reverse(name))


api_index = ApiIndex.as_view()


TokenResponse = inline_serializer("Token", fields={"token": serializers.CharField()})


class ObtainToken(ObtainAuthToken):
    """DRF's obtain_auth_token, with the API's parsers, throttles and documentation."""

    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    # Anyone may ask: a stale token still sent by habit (401 elsewhere) or a browser
    # session without its CSRF token (403) must not stop a client getting a new token.
    authentication_classes: list = []
    conflict_possible = False

    @extend_schema(
        summary="Exchange a username and password for an API token",
        description="Then send `Authorization: Token <token>`. Bad credentials: 400 with "
        "field errors.",
        request=AuthTokenSerializer,
        responses={200: TokenResponse},
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


obtain_token = ObtainToken.as_view()

"""Filters of /api/v1/articles/ (django-filter; invalid values answer 400 with field errors).

Values naming things by slug (`topic`, `analyst`) that match nothing give an empty
list, as any search would; values that cannot be slugs, values outside a closed
vocabulary (`language`, `status`) and malformed dates are refused with 400, before
any query runs (PostgreSQL cannot even compare a string holding a NUL character).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from drf_spectacular.utils import extend_schema_field

from articles import permissions
from articles.models import Article, Attribution
from articles.site import search
from articles.states import State

# What forms.SlugField accepts (every slug in the project is ASCII); empty: no filter.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"
SLUG_MAX_LENGTH = 200  # the longest slug field in the models
# Text parameters: anything but NUL (which no database column can hold).
TEXT_PATTERN = r"^[^\u0000]*$"
Q_MAX_LENGTH = 200


class SlugFilter(django_filters.CharFilter):
    """A filter naming something by its slug; a value that cannot be a slug is a 400."""

    field_class = forms.SlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX_LENGTH)
        super().__init__(*args, **kwargs)
        schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}
        extend_schema_field({**schema, "description": self.extra.get("help_text", "")})(self)


class ArticleFilter(django_filters.FilterSet):
    topic = SlugFilter(method="filter_topic", help_text="Topic slug: articles carrying that topic.")
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES,
        method="filter_language",
        help_text="Language code: articles with a published text in that language "
        "(their title and standfirst are then given in it). An editor's unpublished "
        "article counts in the language of its own text.",
    )
    analyst = SlugFilter(
        method="filter_analyst",
        help_text="Analyst slug: articles with a published statement by that analyst.",
    )
    published_after = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        help_text="ISO date (YYYY-MM-DD): published on or after that day (UTC).",
    )
    published_before = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        help_text="ISO date (YYYY-MM-DD): published on or before that day (UTC).",
    )
    q = extend_schema_field(
        {
            "type": "string",
            "maxLength": Q_MAX_LENGTH,
            "pattern": TEXT_PATTERN,
            "description": "Full-text search in the published texts (every word must "
            "match; in the `language` given, else in any language). Order stays newest "
            f"first. At most {Q_MAX_LENGTH} characters.",
        }
    )(django_filters.CharFilter(method="filter_q", max_length=Q_MAX_LENGTH))
    status = django_filters.ChoiceFilter(
        choices=State.choices,
        method="filter_status",
        help_text="Moderation state, for editors; everyone else sees published articles "
        "only and the (still validated) value changes nothing for them.",
    )

    class Meta:
        model = Article
        fields = ["topic", "language", "analyst", "published_after", "published_before", "q"]

    def filter_status(self, queryset, name, value):
        if not permissions.can_review(getattr(self.request, "user", None)):
            # Readers only ever see published articles; the filter is not theirs.
            return queryset
        return queryset.filter(state=value)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__slug=value)

    def filter_language(self, queryset, name, value):
        return queryset.with_language(value)

    def filter_analyst(self, queryset, name, value):
        statements = Attribution.objects.published().filter(
            article=OuterRef("pk"), analyst__slug=value
        )
        return queryset.filter(Exists(statements))

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        language = self.form.cleaned_data.get("language") or None
        # A subquery, not a list of ids: the page walks the articles newest first and
        # stops once full, whether three articles match or every one does.
        matching = search.matching_ids_sql(value, language)
        ids = Q(pk__in=RawSQL(*matching)) if matching else Q(pk__in=[])
        if permissions.can_review(getattr(self.request, "user", None)):
            # The index holds published texts only; editors also find their drafts.
            words = search.terms(value)
            match = Q()
            for word in words:
                match &= Q(title__icontains=word) | Q(standfirst__icontains=word)
            return queryset.filter(ids | (match if words else Q(pk__in=[])))
        return queryset.filter(ids)

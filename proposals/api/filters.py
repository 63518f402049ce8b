"""Filters of /api/v1/proposals/ (slugs matching nothing give an empty list; non-slugs: 400)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef

from articles.api.filters import SlugFilter
from articles.models import Article
from proposals.models import Proposal, ProposalTerm


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Proposal.Status.choices, help_text="Status as reported."
    )
    actor = SlugFilter(
        method="filter_actor", help_text="Actor slug: proposals that actor put forward."
    )
    article = SlugFilter(
        method="filter_article", help_text="Article slug: proposals that article discusses."
    )
    category = SlugFilter(
        method="filter_category", help_text="Term category slug: proposals with terms in it."
    )

    class Meta:
        model = Proposal
        fields = ["status", "actor", "article", "category"]

    def filter_actor(self, queryset, name, value):
        through = Proposal.proposed_by.through.objects.filter(
            proposal=OuterRef("pk"), actor__slug=value
        )
        return queryset.filter(Exists(through))

    def filter_article(self, queryset, name, value):
        articles = Article.objects.public().filter(proposals=OuterRef("pk"), slug=value)
        return queryset.filter(Exists(articles))

    def filter_category(self, queryset, name, value):
        terms = ProposalTerm.objects.filter(proposal=OuterRef("pk"), category__slug=value)
        return queryset.filter(Exists(terms))

"""Shapes of /api/v1/proposals/ (see the REST API section of the contract)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers import ArticleRefSerializer
from proposals.models import Actor, Proposal, ProposalTerm


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name"]


class TermSerializer(serializers.ModelSerializer):
    category = serializers.CharField(
        source="category.label", help_text='The category\'s label as written, e.g. "Ceasefire".'
    )

    class Meta:
        model = ProposalTerm
        fields = ["category", "text", "sourcing"]


class ComparedTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalTerm
        fields = ["text", "sourcing"]


class ProposalRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["slug", "title"]


class ProposalSerializer(serializers.ModelSerializer):
    proposed_by = ActorSerializer(many=True, help_text="The actors who put it forward.")
    terms = TermSerializer(many=True, help_text="Ordered by category, then as written.")
    articles = ArticleRefSerializer(
        many=True, source="public_articles", help_text="Published articles discussing it."
    )

    class Meta:
        model = Proposal
        fields = ["slug", "title", "status", "summary", "proposed_by", "terms", "articles"]


class ComparedCategorySerializer(serializers.Serializer):
    category = serializers.CharField(source="category.label", help_text="The label as written.")
    slug = serializers.SlugField(source="category.slug")
    terms = serializers.SerializerMethodField(
        help_text="Proposal slug -> that proposal's terms in this category (maybe empty)."
    )

    # A field, not a raw {"$ref": ...}: a raw reference names a component that nothing
    # else registers, and the published schema had a dangling reference.
    @extend_schema_field(serializers.DictField(child=ComparedTermSerializer(many=True)))
    def get_terms(self, row) -> dict:
        return {
            proposal.slug: ComparedTermSerializer(terms, many=True).data
            for proposal, terms in row.cells
        }


class ComparisonSerializer(serializers.Serializer):
    proposals = ProposalRefSerializer(many=True, help_text="In the order asked for.")
    categories = ComparedCategorySerializer(
        many=True, help_text="Every category any of them has terms in, in the usual order."
    )

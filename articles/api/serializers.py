"""Shapes of the public API (see the REST API section of the contract).

Serializers only read: the views pick what the caller may see (published only for
readers) and prefetch it; the article's text comes from `article.live_text(language)`,
the one authority on which text readers get in a language. The view puts the chosen
language in the serializer context ("language"; None: the article's own language).
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import corrections
from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    PendingChange,
    Text,
    Topic,
)
from articles.states import State

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def text_of(article: Article, language: str | None, *, sections: bool = True) -> Text:
    """The live text in `language`, else the text of the article's own language
    (without `sections`: its title and standfirst only, for lists)."""
    text = article.live_text(language, sections=sections) if language else None
    return (
        text
        or article.live_text(article.language, sections=sections)
        or article.base_text(sections=sections)
    )


def live_translations(article: Article) -> list[Text]:
    """The live texts that are translations (a translated base text counts, version 1)."""
    texts = (article.live_text(code) for code in article.live_languages())
    return [text for text in texts if text is not None and text.from_language]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class AffiliationSerializer(serializers.Serializer):
    name = serializers.CharField()
    place = serializers.CharField(help_text="City or country; may be empty.")


class AnalystRefSerializer(serializers.ModelSerializer):
    affiliation = AffiliationSerializer(
        source="institution", allow_null=True, help_text="null when not known."
    )

    class Meta:
        model = Analyst
        fields = ["slug", "name", "role", "affiliation"]


class AttributionSerializer(serializers.ModelSerializer):
    analyst = AnalystRefSerializer()

    class Meta:
        model = Attribution
        fields = ["analyst", "kind", "statement"]


class EnrichmentBlockSerializer(serializers.ModelSerializer):
    body = serializers.CharField(help_text="Sanitised HTML (p, em, strong, a, lists, ...).")
    items = serializers.ListField(child=serializers.CharField(), help_text="Possibly empty.")

    class Meta:
        model = EnrichmentBlock
        fields = ["kind", "title", "body", "items"]


class ArticleSectionSerializer(serializers.Serializer):
    heading = serializers.CharField(help_text='The lead is the section whose heading is "".')
    paragraphs = serializers.ListField(child=serializers.CharField())


class TranslationCreditSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    from_language = serializers.CharField(help_text="Code of the language translated from.")
    credit = serializers.CharField(help_text="The translator's name as published.")
    version = serializers.IntegerField(min_value=1)


class ArticleRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class ArticleSummarySerializer(serializers.ModelSerializer):
    """An article in a list: its text in the requested (or its own) language."""

    status = serializers.ChoiceField(
        source="state",
        choices=State.choices,
        help_text="Moderation state; always `published` except for editors.",
    )
    language = serializers.SerializerMethodField(help_text="Language of the text given here.")
    title = serializers.SerializerMethodField()
    standfirst = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField(
        help_text="Codes of the languages with a published text."
    )
    topics = TopicSerializer(many=True)
    published_at = serializers.DateTimeField(allow_null=True, help_text="null until published.")

    class Meta:
        model = Article
        fields = [
            "slug",
            "status",
            "language",
            "title",
            "standfirst",
            "original_language",
            "languages",
            "topics",
            "published_at",
        ]

    # A list shows titles: its queryset loads no sections (`headlines_only`).
    with_sections = False

    def _text(self, article: Article) -> Text:
        cache = self.context.setdefault("_texts", {})
        if article.pk not in cache:
            cache[article.pk] = text_of(
                article, self.context.get("language"), sections=self.with_sections
            )
        return cache[article.pk]

    @extend_schema_field(serializers.ChoiceField(choices=settings.LANGUAGES))
    def get_language(self, article: Article) -> str:
        return self._text(article).language

    def get_title(self, article: Article) -> str:
        return self._text(article).title

    def get_standfirst(self, article: Article) -> str:
        return self._text(article).standfirst

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, article: Article) -> list[str]:
        return article.live_languages()


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PendingChange.CorrectionKind.choices)
    text = serializers.CharField(help_text="In the language of the text given, when translated.")
    published_at = serializers.DateTimeField()


class ArticleDetailSerializer(ArticleSummarySerializer):
    sections = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="The live texts that are translations, with their translator's credit."
    )
    attributions = AttributionSerializer(many=True, source="attributions.all")
    enrichment_blocks = EnrichmentBlockSerializer(many=True, source="enrichment_blocks.all")
    proposals = ArticleRefSerializer(many=True, source="proposals.all")
    corrections = serializers.SerializerMethodField(
        help_text="Corrections, updates and clarifications published, newest first."
    )

    with_sections = True

    class Meta(ArticleSummarySerializer.Meta):
        fields = ArticleSummarySerializer.Meta.fields + [
            "sections",
            "translations",
            "attributions",
            "enrichment_blocks",
            "proposals",
            "corrections",
        ]

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, article: Article) -> list[dict]:
        """The published corrections, updates and clarifications, newest first."""
        language = self._text(article).language
        return CorrectionSerializer(corrections.for_article(article, language), many=True).data

    @extend_schema_field(ArticleSectionSerializer(many=True))
    def get_sections(self, article: Article) -> list[dict]:
        return [
            {"heading": s.get("heading", ""), "paragraphs": list(s.get("paragraphs", []))}
            for s in self._text(article).sections
        ]

    @extend_schema_field(TranslationCreditSerializer(many=True))
    def get_translations(self, article: Article) -> list[dict]:
        return [
            {
                "language": t.language,
                "from_language": t.from_language,
                "credit": t.credit,
                "version": t.version,
            }
            for t in live_translations(article)
        ]


class StatementSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer()
    published_at = serializers.SerializerMethodField()

    class Meta:
        model = Attribution
        fields = ["article", "kind", "statement", "published_at"]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_published_at(self, attribution: Attribution):
        when = attribution.published_at or attribution.article.published_at
        return serializers.DateTimeField().to_representation(when) if when else None


class AnalystSerializer(AnalystRefSerializer):
    statements = StatementSerializer(
        many=True, source="public_statements", help_text="Published statements, newest first."
    )

    class Meta(AnalystRefSerializer.Meta):
        fields = AnalystRefSerializer.Meta.fields + ["statements"]

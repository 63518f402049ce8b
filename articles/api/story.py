"""Shapes of the editors' side of /api/v1/articles/: the staff view of a story, the input
of a new or changed article, and the answer to a story action (see the contract's
"Stories" and the editors' moderation API).

The staff view is the public detail plus, for the story's editors and author, every
part whatever its state, each with its `status` and an `id` unique within the story
(`"attribution:12"`), `revision` (send it back to change the article), and
`pending_changes`. With the context's `view == "pending"` it shows the pending values
of the article and of each part that has some.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import pending, staging
from articles.api.serializers import (
    AnalystRefSerializer,
    ArticleDetailSerializer,
    EnrichmentBlockSerializer,
)
from articles.control_characters import no_control_characters
from articles.models import Article, Attribution, Text, Topic
from articles.states import State
from articles.story import part_key

SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _pending_copy(obj, view: str | None):
    """`obj` as its pending changes have it (an unsaved copy), with `view == "pending"`."""
    open_set = pending.open_pending(obj)
    if view != "pending" or open_set is None:
        return obj
    shown = copy.copy(obj)
    model = type(obj)
    for name, value in open_set.data.get("fields", {}).items():
        field = model._meta.get_field(name)
        setattr(shown, field.attname, value)
        if field.is_relation and field.is_cached(shown):
            field.delete_cached_value(shown)  # read the pending choice, not the live one
    return shown


class PartMixin(serializers.Serializer):
    id = serializers.SerializerMethodField(
        help_text='Unique within the story whatever the kind ("attribution:12"); opaque.'
    )
    status = serializers.ChoiceField(source="state", choices=State.choices)
    pending_changes = serializers.SerializerMethodField(
        help_text="Published, with changes waiting for review (`?view=pending` shows them)."
    )

    def get_id(self, obj) -> str:
        return part_key(obj)

    def get_pending_changes(self, obj) -> bool:
        return pending.open_pending(obj) is not None

    def to_representation(self, instance):
        data = super().to_representation(_pending_copy(instance, self.context.get("view")))
        data["id"], data["status"] = part_key(instance), instance.state  # the live object's
        data["pending_changes"] = self.get_pending_changes(instance)
        return data


class StaffAttributionSerializer(PartMixin, serializers.ModelSerializer):
    analyst = AnalystRefSerializer()

    class Meta:
        model = Attribution
        fields = ["id", "status", "pending_changes", "analyst", "kind", "statement"]


class StaffEnrichmentBlockSerializer(PartMixin, EnrichmentBlockSerializer):
    class Meta(EnrichmentBlockSerializer.Meta):
        fields = ["id", "status", "pending_changes", *EnrichmentBlockSerializer.Meta.fields]


class StaffProposalRefSerializer(PartMixin, serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class StaffArticleDetailSerializer(ArticleDetailSerializer):
    """The whole story, for its editors and its author."""

    revision = serializers.SerializerMethodField(
        help_text="Send it back with a change (PATCH): a change based on an older "
        "revision is refused (409)."
    )
    pending_changes = serializers.SerializerMethodField(
        help_text="Published, with changes waiting for review (`?view=pending` shows them)."
    )
    pending_status = serializers.SerializerMethodField(
        help_text="The state of the article's pending changes, null without any."
    )
    attributions = StaffAttributionSerializer(many=True, source="attributions.all")
    enrichment_blocks = StaffEnrichmentBlockSerializer(many=True, source="enrichment_blocks.all")
    proposals = StaffProposalRefSerializer(many=True, source="proposals.all")

    class Meta(ArticleDetailSerializer.Meta):
        fields = ArticleDetailSerializer.Meta.fields + [
            "revision",
            "pending_changes",
            "pending_status",
        ]

    def get_revision(self, article: Article) -> int:
        return staging.revision(article)

    def get_pending_changes(self, article: Article) -> bool:
        return pending.open_pending(article) is not None

    @extend_schema_field(serializers.ChoiceField(choices=State.choices, allow_null=True))
    def get_pending_status(self, article: Article) -> str | None:
        open_set = pending.open_pending(article)
        return open_set.state if open_set is not None else None

    def _text(self, article: Article) -> Text:
        open_set = pending.open_pending(article)
        if self.context.get("view") == "pending" and open_set is not None:
            return pending.article_text(open_set.data, article)
        return super()._text(article)


class StaffArticleSummarySerializer(serializers.Serializer):
    """What creating an article answers when the caller is not shown the story whole."""

    slug = serializers.SlugField()
    status = serializers.ChoiceField(source="state", choices=State.choices)
    revision = serializers.IntegerField()


# -- input ----------------------------------------------------------------------------------


class SectionInputSerializer(serializers.Serializer):
    heading = serializers.CharField(
        allow_blank=True,
        max_length=300,
        default="",
        validators=[no_control_characters],
        help_text='The lead is the first section, with the heading "".',
    )
    paragraphs = serializers.ListField(
        child=serializers.CharField(validators=[no_control_characters]), min_length=1
    )


class ArticleInputSerializer(serializers.Serializer):
    """A new draft: title, standfirst, languages, sections, topics (by slug)."""

    title = serializers.CharField(max_length=300, validators=[no_control_characters])
    standfirst = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[no_control_characters]
    )
    original_language = serializers.ChoiceField(
        choices=ALL_LANGUAGES,
        help_text="The language the article was first written in.",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of this text (default: `original_language`, when it is "
        "one of the site's).",
    )
    sections = SectionInputSerializer(many=True, required=False, default=list)
    topics = serializers.ListField(
        child=serializers.SlugField(max_length=80), required=False, default=list
    )

    def validate_sections(self, sections: list[dict]) -> list[dict]:
        for number, section in enumerate(sections[1:], 2):
            if not section["heading"].strip():
                raise serializers.ValidationError(
                    f"Section {number} needs a heading: only the first section (the lead) "
                    "may have none."
                )
        return sections

    def validate_topics(self, slugs: list[str]) -> list[Topic]:
        topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in dict.fromkeys(slugs) if slug not in topics]
        if unknown:
            raise serializers.ValidationError(f"No topic with the slug: {', '.join(unknown)}.")
        return [topics[slug] for slug in dict.fromkeys(slugs)]

    def validate(self, data: dict) -> dict:
        if "language" not in data and "original_language" in data:
            if data["original_language"] not in SITE_LANGUAGES:
                raise serializers.ValidationError(
                    {"language": ["Give the language of this text: one of the site's."]}
                )
            data["language"] = data["original_language"]
        return data


class ArticlePatchSerializer(ArticleInputSerializer):
    """Any of the fields of a new article, and the `revision` read last (required)."""

    revision = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The `revision` of the article read last."
    )

    def validate(self, data: dict) -> dict:
        return data  # every field is optional: nothing to default


class StoryActionSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=5000,
        help_text="Required for request-changes and reject; kept in the audit trail (and "
        "with any part held back).",
    )
    at = serializers.DateTimeField(
        required=False,
        help_text="On publish: a future time schedules the publication; on unpublish: the "
        "unpublishing.",
    )
    hold = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=1000,
        help_text="On approve and publish: ids of parts to hold back (they keep their state).",
    )
    correction = serializers.DictField(
        required=False,
        help_text='On approve and publish of pending changes: {"kind": "correction" | '
        '"update" | "clarification", "text": "…"} (at most 2,000 characters), '
        "published with them.",
    )


class StoryPartResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField(help_text='"attribution", "enrichment block", ...')
    status = serializers.ChoiceField(choices=State.choices)
    pending_status = serializers.ChoiceField(
        choices=State.choices, allow_null=True, help_text="Its pending changes' state, if any."
    )
    held = serializers.BooleanField(help_text="Held back by this action.")
    outcome = serializers.CharField(help_text="What the action did to it, in words.")


class StoryActionResultSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    status = serializers.ChoiceField(choices=State.choices)
    revision = serializers.IntegerField()
    pending_changes = serializers.BooleanField()
    pending_status = serializers.ChoiceField(choices=State.choices, allow_null=True)
    parts = StoryPartResultSerializer(many=True)

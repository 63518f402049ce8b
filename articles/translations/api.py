"""/api/v1/translations/: translators submit versions, editors review them.

Translators see only their own versions (another translator's answers 404); editors
see all. Creating goes through `articles.translations.domain.submit_translation`; every state
change through `articles.workflow.transition` (its refusals map to 409/403/400 in
`articles.api.errors`).
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from articles import permissions as rules
from articles.models import Article, AuditEntry, TranslationVersion
from articles.params import positive_int
from articles.states import State
from articles.translations import domain as translation
from articles.translations import staleness
from articles.translations import status as board_status
from articles.workflow import transition


class IsTranslatorOrEditor(permissions.BasePermission):
    message = "Only translators and editors may use the translations API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and rules.can_use_workspace(user)


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField(allow_blank=True, max_length=300, default="")
    paragraphs = serializers.ListField(
        child=serializers.CharField(allow_blank=True), allow_empty=True
    )


class CorrectionTranslationSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The correction's id (see `corrections`)."
    )
    text = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="The note in this version's language."
    )


class TranslationInputSerializer(serializers.Serializer):
    article = serializers.SlugField(help_text="The article's slug.")
    language = serializers.CharField(max_length=10)
    title = serializers.CharField(allow_blank=True, max_length=300)
    standfirst = serializers.CharField(allow_blank=True, required=False, default="")
    sections = SectionSerializer(many=True)
    credit = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=200,
        help_text="Translator's name as published; defaults to the account's name.",
    )
    slug = serializers.SlugField(
        allow_blank=True,
        required=False,
        default="",
        max_length=200,
        help_text="The article's address in this language; defaults to one made from the title.",
    )
    parts = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="The story's parts, by unit key (e.g. `attribution:12:statement`): "
        "every required part of the source (listed in the version's `source_parts`).",
    )
    corrections = CorrectionTranslationSerializer(
        many=True,
        required=False,
        default=list,
        help_text="The article's correction notes translated into this language (optional; "
        "readers see a note left out in its own language).",
    )

    def validate_article(self, slug: str) -> Article:
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise ValidationError(f"No article with the slug {slug!r}.")
        return article


class NoteSerializer(serializers.Serializer):
    action = serializers.CharField()
    to = serializers.CharField(source="data.to")
    note = serializers.CharField()
    by = serializers.CharField(source="actor_name")
    at = serializers.DateTimeField(source="created_at")


class TranslationVersionSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.CharField(source="state", read_only=True)
    translator = serializers.SerializerMethodField()
    outdated = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()
    source_parts = serializers.SerializerMethodField()
    slug = serializers.CharField(
        read_only=True, help_text="The article's address in this language (may be empty)."
    )
    corrections = serializers.SerializerMethodField()

    class Meta:
        model = TranslationVersion
        fields = [
            "id",
            "article",
            "language",
            "from_language",
            "version",
            "status",
            "title",
            "standfirst",
            "sections",
            "credit",
            "translator",
            "slug",
            "imported",
            "parts",
            "source_parts",
            "source_revision",
            "outdated",
            "submitted_at",
            "reviewed_at",
            "notes",
            "corrections",
        ]
        read_only_fields = fields

    def get_translator(self, obj) -> str | None:
        return obj.translator.get_username() if obj.translator else None

    @extend_schema_field(CorrectionTranslationSerializer(many=True))
    def get_corrections(self, obj) -> list[dict]:
        return [{"id": int(key), "text": text} for key, text in (obj.corrections or {}).items()]

    def get_outdated(self, obj) -> bool:
        return staleness.is_outdated(obj)

    def get_parts(self, obj) -> dict[str, str]:
        return {unit.key: unit.text for unit in obj.units.all()}

    def get_source_parts(self, obj) -> list[dict]:
        """The source's parts: `key`, `group`, `label`, `source`, `required`."""
        return [
            {name: part.get(name) for name in ("key", "group", "label", "source", "required")}
            for part in (obj.source_snapshot or {}).get("parts", [])
        ]

    @extend_schema(responses=NoteSerializer(many=True))
    def get_notes(self, obj) -> list[dict]:
        notes = self.context.get("notes")
        entries = (
            notes.get(obj.pk, [])
            if notes is not None
            else AuditEntry.objects.notes_by_object([obj])[obj.pk]
        )
        return NoteSerializer(entries, many=True).data


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="")


class ReviewWithNoteSerializer(serializers.Serializer):
    """Request changes and reject: the translator must be told what to change or why."""

    NEEDED = "A note is required: tell the translator what to change or why."
    note = serializers.CharField(error_messages={"required": NEEDED, "blank": NEEDED})


def _language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)  # read per request: adding a language is a settings change


class TranslationFilter(django_filters.FilterSet):
    """Bad values answer 400 with field errors: a malformed slug, a language not in
    settings, an unknown status. A well-formed slug naming no article gives an empty
    list, as in /api/v1/articles/."""

    article = django_filters.CharFilter(
        field_name="article__slug", validators=[validate_slug], help_text="Article slug."
    )
    language = django_filters.ChoiceFilter(
        field_name="language", choices=_language_choices, help_text="Language code."
    )
    status = django_filters.ChoiceFilter(
        field_name="state", choices=State.choices, help_text="Moderation state."
    )

    class Meta:
        model = TranslationVersion
        fields = ["article", "language", "status"]


class TranslationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Translation versions: translators their own, editors all."""

    serializer_class = TranslationVersionSerializer
    permission_classes = [IsTranslatorOrEditor]
    filterset_class = TranslationFilter

    def get_queryset(self):
        qs = (
            TranslationVersion.objects.select_related("article", "translator")
            .prefetch_related("units")
            .order_by("-pk")
        )
        return rules.in_granted_languages(self.request.user, rules.owned_by(self.request.user, qs))

    def get_object(self):
        """404 for what the caller may not see; 403 for their own version in a
        language they are no longer granted (per the contract)."""
        try:
            return super().get_object()
        except Http404:
            owned = rules.owned_by(self.request.user, TranslationVersion.objects.all())
            pk = positive_int(str(self.kwargs.get("pk", "")))
            if pk is not None and owned.filter(pk=pk).exists():
                raise PermissionDenied("Not one of your languages.") from None
            raise

    def get_serializer_class(self):
        if self.action == "create":
            return TranslationInputSerializer
        if self.action in {"approve", "request_changes", "reject"}:
            return ReviewSerializer
        return TranslationVersionSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = TranslationVersionSerializer(
            page,
            many=True,
            context={
                **self.get_serializer_context(),
                "notes": AuditEntry.objects.notes_by_object(page),
            },
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        request=TranslationInputSerializer, responses={201: TranslationVersionSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Submit a new version: 201 with `id`, `version`, `status: "in_review"`."""
        data = TranslationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            version = translation.submit_translation(
                values["article"],
                values["language"],
                translation.TranslationInput(
                    title=values["title"],
                    standfirst=values["standfirst"],
                    sections=[dict(s) for s in values["sections"]],
                    credit=values["credit"],
                    parts=dict(values["parts"]),
                    slug=values["slug"],
                    corrections={str(c["id"]): c["text"] for c in values["corrections"]},
                ),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(self._out(version), status=status.HTTP_201_CREATED)

    def _out(self, version: TranslationVersion) -> dict:
        version = self.get_queryset().get(pk=version.pk)
        return TranslationVersionSerializer(version, context=self.get_serializer_context()).data

    def _review(self, request, action_name: str, serializer=ReviewSerializer) -> Response:
        version = self.get_object()
        if not rules.can_transition(request.user, version, action_name):
            raise PermissionDenied("Only editors review translation versions.")
        review = serializer(data=request.data)
        review.is_valid(raise_exception=True)
        transition(version, action_name, by=request.user, note=review.validated_data["note"])
        return Response(self._out(version))

    @extend_schema(
        parameters=[
            OpenApiParameter("topic", str, description="Topic slug."),
            OpenApiParameter("translator", str, description="Translator's username."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], url_path="status", filterset_class=None,
            pagination_class=None)  # fmt: skip
    def status_board(self, request):
        """Stories × languages, each cell `missing`, `draft`, `in_review`, `live`,
        `outdated` (or `original`), with counts (editors only)."""
        if not rules.can_review(request.user):
            raise PermissionDenied("The status board is for editors.")
        languages = [
            code for code, _ in settings.LANGUAGES if rules.can_review_language(request.user, code)
        ]
        topic = request.query_params.get("topic", "")
        translator = request.query_params.get("translator", "")
        if "\x00" in topic + translator or len(topic) > 80 or len(translator) > 150:
            raise ValidationError({"topic": ["Invalid filter."]})
        return Response(
            board_status.as_json(board_status.board(languages, topic=topic, translator=translator))
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("article", str, required=True, description="Article slug."),
            OpenApiParameter("language", str, required=True, description="Target language."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def source(self, request):
        """What a new version of `article` in `language` translates: `language`,
        `title`, `standfirst`, `sections`, `parts` (each `key`, `group`, `label`,
        `source`, `required`: send the texts as `parts: {key: text}`) and `corrections`
        (the correction notes to translate, each `id`, `kind`, `text`)."""
        slug, language = (
            request.query_params.get("article", ""),
            request.query_params.get("language", ""),
        )
        try:
            validate_slug(slug)
        except DjangoValidationError:
            raise ValidationError({"article": ["A slug, please."]}) from None
        article = Article.objects.filter(slug=slug).first()
        if article is None:  # as the POST says it: a field error
            raise ValidationError({"article": [f"No article with the slug {slug!r}."]})
        try:
            translation.check_article_and_language(article, language)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        if not rules.can_translate(request.user, language):
            raise PermissionDenied("Not one of your languages.")
        source = translation.source_for(article, language)
        return Response(
            {
                "article": article.slug,
                "language": source.text.language,
                "revision": source.revision,
                "title": source.text.title,
                "standfirst": source.text.standfirst,
                "sections": source.text.sections,
                "parts": [
                    {name: part[name] for name in ("key", "group", "label", "source", "required")}
                    for part in source.parts
                ],
                # The correction notes to translate (optional): send them as
                # `corrections: [{"id", "text"}]`.
                "corrections": [
                    {"id": note.pk, "kind": note.kind, "text": note.text}
                    for note in translation.corrections_to_translate(article, language)
                ],
            }
        )

    @extend_schema(request=ReviewSerializer, responses=TranslationVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (editors): live at once when the article is published."""
        return self._review(request, "approve")

    @extend_schema(request=ReviewWithNoteSerializer, responses=TranslationVersionSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """Send back to the translator (editors; note required)."""
        return self._review(request, "request_changes", ReviewWithNoteSerializer)

    @extend_schema(request=ReviewWithNoteSerializer, responses=TranslationVersionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject (editors; note required)."""
        return self._review(request, "reject", ReviewWithNoteSerializer)


router = SimpleRouter()
router.register("translations", TranslationViewSet, basename="translation")

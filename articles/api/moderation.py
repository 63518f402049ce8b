"""The editors' moderation API on /api/v1/articles/ (the contract's "Stories"):

- `POST /api/v1/articles/`: a new draft (editors, contributors);
- `PATCH /api/v1/articles/<slug>/` with the `revision` read last: a change (editors;
  contributors on their own drafts); on a published article it becomes pending changes
  (`articles.staging`), readers keep the live text;
- `POST /api/v1/articles/<slug>/<action>/`: a story action through
  `articles.stories.transition_story` (the same transitions, audit entries and errors
  as the admin), answering the story's new state and each part's status;
- `GET /api/v1/articles/<slug>/` for the story's editors and author: the staff view
  (every part with its `status` and `id`, `revision`, `pending_changes`; `?view=pending`).

Readers and everyone else keep the public API of `articles.api.views`, unchanged.
"""

from __future__ import annotations

import reversion
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action as route
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from articles import pending, permissions, staging, stories, story
from articles.api.errors import JSONParser
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleRefSerializer,
    AttributionSerializer,
    EnrichmentBlockSerializer,
)
from articles.api.story import (
    ArticleInputSerializer,
    ArticlePatchSerializer,
    StaffArticleDetailSerializer,
    StoryActionResultSerializer,
    StoryActionSerializer,
)
from articles.api.views import ACCEPT_LANGUAGE_PARAM, LANGUAGE_PARAM, ArticleViewSet, text_language
from articles.editing import check_not_stale
from articles.models import Article, Section, join_paragraphs
from articles.states import State

# The contract's action names (in URLs) and the workflow's.
ACTIONS = {
    "submit": "submit",
    "withdraw": "withdraw",
    "approve": "approve",
    "request-changes": "request_changes",
    "reject": "reject",
    "publish": "publish",
    "unpublish": "unpublish",
    "reopen": "reopen",
}
ACTION_PATTERN = "|".join(ACTIONS)
ALL_STATES = frozenset(State)

VIEW_PARAM = OpenApiParameter(
    "view",
    OpenApiTypes.STR,
    enum=["live", "pending"],
    description="For the story's editors and author: `pending` shows the pending changes "
    "of the article and of each part that has some (default: `live`).",
)


# -- documentation of the detail: the public shape, the staff fields optional ----------------


class _PartFields(serializers.Serializer):
    id = serializers.CharField(required=False, help_text="Staff view: the part's id.")
    status = serializers.ChoiceField(choices=State.choices, required=False)
    pending_changes = serializers.BooleanField(required=False)


class DocAttributionSerializer(_PartFields, AttributionSerializer):
    class Meta(AttributionSerializer.Meta):
        fields = ["id", "status", "pending_changes", *AttributionSerializer.Meta.fields]


class DocEnrichmentBlockSerializer(_PartFields, EnrichmentBlockSerializer):
    class Meta(EnrichmentBlockSerializer.Meta):
        fields = ["id", "status", "pending_changes", *EnrichmentBlockSerializer.Meta.fields]


class DocProposalRefSerializer(_PartFields, ArticleRefSerializer):
    pass


class ArticleDetailOrStaffSerializer(ArticleDetailSerializer):
    """One article. Its editors and author get the staff view: every part, each with
    `id`, `status` and `pending_changes`, and the article's `revision`,
    `pending_changes` and `pending_status` (absent for everyone else)."""

    attributions = DocAttributionSerializer(many=True)
    enrichment_blocks = DocEnrichmentBlockSerializer(many=True)
    proposals = DocProposalRefSerializer(many=True)
    revision = serializers.IntegerField(required=False)
    pending_changes = serializers.BooleanField(required=False)
    pending_status = serializers.ChoiceField(choices=State.choices, allow_null=True, required=False)

    class Meta(ArticleDetailSerializer.Meta):
        fields = ArticleDetailSerializer.Meta.fields + [
            "revision",
            "pending_changes",
            "pending_status",
        ]


# -- the viewset -----------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary="One article (the whole story for its editors and author)",
        parameters=[LANGUAGE_PARAM, ACCEPT_LANGUAGE_PARAM, VIEW_PARAM],
        responses=ArticleDetailOrStaffSerializer,
        description="Its text in one language (see `language`), the languages it is "
        "published in, the translations' credits, its published statements, enrichment "
        "blocks, proposals and corrections. The story's editors and author see every "
        "part whatever its state (the staff view).",
    ),
)
class EditorialArticleViewSet(ArticleViewSet):
    """ArticleViewSet plus the editors' side: create, change, story actions, staff view."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    # Stories are nested JSON (sections of paragraphs): a form body cannot say them (415).
    parser_classes = [JSONParser]
    # Readers read; writing needs credentials (401 without), then a role (403).
    permission_classes = [IsAuthenticatedOrReadOnly]

    def base_articles(self):
        articles = super().base_articles()
        user = self.request.user
        if self.action != "list" and not permissions.can_review(user):
            # An author finds their own unpublished work by its slug.
            articles = articles | permissions.owned_by(user, Article.objects.all()).annotate(
                sort_at=articles.query.annotations["sort_at"]
            )
        return articles

    def _staff(self) -> bool:
        """Whether the caller sees the story whole: its editors, or its author."""
        user = self.request.user
        if not user.is_authenticated:
            return False
        if permissions.can_review(user):
            return True
        slug = self.kwargs.get("slug")
        return Article.objects.filter(slug=slug, author=user).exists()

    def get_queryset(self):
        if self.action in {"retrieve", "partial_update", "story_action"} and self._staff():
            return (
                self.base_articles()
                .with_parts(ALL_STATES, proposal_terms=False)
                .prefetch_related(
                    "pending_changes",
                    "attributions__pending_changes",
                    "enrichment_blocks__pending_changes",
                    "proposals__pending_changes",
                )
            )
        return super().get_queryset()

    def _require_user(self, request: Request) -> None:
        if not request.user.is_authenticated:
            raise NotAuthenticated()

    def _staff_detail(self, request: Request, article: Article) -> dict:
        view = request.query_params.get("view") or "live"
        if view not in {"live", "pending"}:
            raise ValidationError({"view": ["Choose one of: live, pending."]})
        context = {
            **self.get_serializer_context(),
            "language": text_language(request, article),
            "view": view,
        }
        return StaffArticleDetailSerializer(article, context=context).data

    def _fresh(self, article: Article) -> Article:
        return self.get_queryset().get(pk=article.pk)

    def retrieve(self, request, *args, **kwargs):
        if not self._staff():
            return super().retrieve(request, *args, **kwargs)
        article = self.get_object()
        data = self._staff_detail(request, article)
        return Response(data, headers=self._language_headers(data["language"]))

    @extend_schema(
        summary="Create a draft article (editors, contributors)",
        request=ArticleInputSerializer,
        responses={201: StaffArticleDetailSerializer},
        parameters=[],
        filters=False,
    )
    def create(self, request, *args, **kwargs):
        self._require_user(request)
        if not permissions.can_create(request.user, Article):
            raise PermissionDenied("Only editors and contributors create articles.")
        values = ArticleInputSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        article = create_draft(values.validated_data, by=request.user)
        self.kwargs["slug"] = article.slug
        self.action = "retrieve"
        data = self._staff_detail(request, self._fresh(article))
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an article (send the `revision` read last, required)",
        description="Any of the fields of a new article, and `revision`. A stale "
        "`revision` answers 409 and writes nothing. On a published article the change "
        "becomes its pending changes: readers keep the live text until they are approved "
        "and published. Editors; contributors on their own drafts.",
        request=ArticlePatchSerializer,
        responses=StaffArticleDetailSerializer,
        parameters=[],
        filters=False,
    )
    def partial_update(self, request, *args, **kwargs):
        self._require_user(request)
        article = self.get_object()
        if not permissions.can_edit(request.user, article):
            raise PermissionDenied(
                "Only editors change this article: contributors change their own drafts."
            )
        values = ArticlePatchSerializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        data = values.validated_data
        if "revision" not in data:
            raise ValidationError({"revision": ["Send the `revision` of the article read last."]})
        if pending.goes_through_review(article):
            changes = changes_for(article, data)
            staging.stage(
                article, changes, by=request.user, revision_read=data["revision"],
                note="Changed through the API.",
            )  # fmt: skip
        else:
            save_draft(article, data, by=request.user)
        return Response(self._staff_detail(request, self._fresh(article)))

    @extend_schema(
        summary="A story action: submit, withdraw, approve, request-changes, reject, "
        "publish, unpublish, reopen",
        description="The same rules, audit entries and errors as the admin. Approving or "
        "publishing carries the story's parts (held parts keep their state); on a "
        "published story it acts on its pending changes. Contributors may submit and "
        "withdraw their own work; everything else is for editors. An action that does "
        "not apply to the story's state answers 409.",
        parameters=[
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))
        ],
        request=StoryActionSerializer,
        responses=StoryActionResultSerializer,
        filters=False,
        operation_id="v1_articles_story_action",
    )
    @route(
        detail=True,
        methods=["post"],
        url_path=f"(?P<action>{ACTION_PATTERN})",
        pagination_class=None,
        filterset_class=None,
    )
    def story_action(self, request, slug=None, action=None):
        self._require_user(request)
        article = self.get_object()
        body = StoryActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        name = ACTIONS[action]
        hold = values["hold"]
        preview = stories.preview_story(
            article, name, by=request.user, hold=hold, publish_at=values.get("at")
        )
        stories.transition_story(
            article,
            name,
            by=request.user,
            note=values["note"],
            publish_at=values.get("at"),
            hold=hold,
            correction=values.get("correction"),
        )
        return Response(story_result(Article.objects.get(pk=article.pk), preview))


def story_result(article: Article, preview: stories.StoryPreview) -> dict:
    """The answer to a story action: the story's state and each part's, with what the
    action did to it (from the plan shown beforehand)."""
    planned = {step.key: step for step in preview.steps}
    open_set = pending.open_pending(article)
    parts = []
    for part, subject in story.members(article):
        key = story.part_key(part)
        step = planned.get(key)
        parts.append(
            {
                "id": key,
                "kind": str(part._meta.verbose_name),
                "status": part.state,
                "pending_status": subject.state if subject is not part else None,
                "held": bool(step and step.held),
                "outcome": step.outcome if step else "new: not part of the story then",
            }
        )
    return {
        "slug": article.slug,
        "status": article.state,
        "revision": staging.revision(article),
        "pending_changes": open_set is not None,
        "pending_status": open_set.state if open_set is not None else None,
        "parts": parts,
    }


# -- writing -------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:190].strip("-") or "article"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_draft(values: dict, *, by) -> Article:
    """A new draft article by `by`, with its sections and topics (one transaction)."""
    for _attempt in range(2):  # a concurrent article may take the slug: try the next one
        try:
            with transaction.atomic(), reversion.create_revision(atomic=False):
                article = Article.objects.create(
                    slug=_unique_slug(values["title"]),
                    title=values["title"],
                    standfirst=values["standfirst"],
                    language=values["language"],
                    original_language=values["original_language"],
                    author=by,
                )
                _write_sections(article, values["sections"])
                article.topics.set(values["topics"])
                reversion.add_to_revision(article)
                reversion.set_user(by)
                reversion.set_comment("Created through the API.")
                return article
        except IntegrityError:
            continue
    raise ValidationError({"title": ["Another article took this title's slug; try again."]})


def _write_sections(article: Article, sections: list[dict]) -> None:
    article.sections.all().delete()
    Section.objects.bulk_create(
        Section(article=article, order=order, heading=s["heading"], body=_body(s))
        for order, s in enumerate(sections)
    )


def _body(section: dict) -> str:
    return join_paragraphs([p for p in section["paragraphs"] if p.strip()])


TEXT_FIELDS = ("title", "standfirst", "language", "original_language")


def save_draft(article: Article, values: dict, *, by) -> None:
    """Change an unpublished article in place, under the stale-save rule (a stale
    `revision` raises ValidationError "stale": 409, nothing written)."""
    with transaction.atomic(), reversion.create_revision(atomic=False):
        check_not_stale(article, values["revision"])
        article = Article.objects.get(pk=article.pk)
        before = article.base_text()
        for name in TEXT_FIELDS:
            if name in values:
                setattr(article, name, values[name])
        article.save()
        if "sections" in values:
            _write_sections(article, values["sections"])
        if "topics" in values:
            article.topics.set(values["topics"])
        reversion.add_to_revision(article)
        reversion.set_user(by)
        reversion.set_comment("Changed through the API.")
        if Article.objects.get(pk=article.pk).base_text() != before:
            article.mark_text_revised()


def changes_for(article: Article, values: dict) -> dict:
    """`values` (a PATCH) as pending changes of the published `article`: sections are
    matched by position with the current ones (pending, else live), keeping their ids."""
    changes: dict = {"fields": {}, "m2m": {}, "children": {}}
    for name in TEXT_FIELDS:
        if name in values:
            changes["fields"][name] = values[name]
    if "topics" in values:
        changes["m2m"]["topics"] = sorted(t.pk for t in values["topics"])
    if "sections" in values:
        open_set = pending.open_pending(article)
        current = (open_set.data if open_set else pending.snapshot(article))["children"]
        rows = sorted(current.get("sections", []), key=lambda r: r.get("order", 0))
        changes["children"]["sections"] = [
            {
                "id": rows[order]["id"] if order < len(rows) else None,
                "order": order,
                "heading": s["heading"],
                "body": _body(s),
            }
            for order, s in enumerate(values["sections"])
        ]
    return changes

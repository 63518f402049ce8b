"""The editors' admin for articles and everything attached to them."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from reversion_compare.helpers import html_diff

from articles import permissions
from articles.admin.changelist import DateSafeChangeListMixin
from articles.admin.desk import statement_checks
from articles.admin.moderation import (
    ModeratedAdmin,
    ModeratedInlineMixin,
    ReferenceDataAdmin,
    ScopedInlineMixin,
    StaleEditGuardForm,
    audit_change,
)
from articles.admin.pending import PendingChangesAdminMixin, PendingChildrenFormSet
from articles.admin.story import story_view
from articles.comments.threads import action_label
from articles.intake.admin import WireIntakeAdminMixin
from articles.models import (
    Analyst,
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    Institution,
    Section,
    Topic,
    TranslationVersion,
    language_name,
    shorten,
)
from articles.site.views import article_preview, preview_url
from articles.stories import available_story_actions, transition_story
from articles.story import STORY_ACTIONS
from articles.translations.admin import TranslationReviewMixin


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ("order", "heading", "body", "image")
        help_texts = {"heading": "Leave empty for the lead."}


class SectionInline(ScopedInlineMixin, admin.StackedInline):
    model = Section
    form = SectionForm
    formset = PendingChildrenFormSet  # shows the sections of a published article's pending changes
    extra = 0
    autocomplete_fields = ("image",)


class ItemsField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class EnrichmentBlockForm(StaleEditGuardForm):
    items = ItemsField(required=False, help_text="One item per line (key points, timeline…).")

    class Meta:
        model = EnrichmentBlock
        fields = "__all__"


class ModeratedInline(ModeratedInlineMixin):
    """Attached moderated items: their state shows, it is never a field; each row
    carries its version (stale-save guard) and only rows the user may change show."""

    extra = 0
    readonly_fields = ("state",)
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        # A published story's parts are not deleted in passing: unpublish or reject them.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


class AttributionInline(ModeratedInline, admin.TabularInline):
    model = Attribution
    fields = ("order", "analyst", "kind", "statement", "state", "outside_check")
    readonly_fields = ("state", "outside_check")

    @admin.display(description="Analyst's check")
    def outside_check(self, obj):
        return outside_check_html(obj)

    autocomplete_fields = ("analyst",)
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}
    }


def outside_check_html(attribution) -> str:
    """ "Confirmed by the analyst on …" (or flagged, with the comment), or a dash."""
    if attribution is None or attribution.pk is None:
        return "—"
    check = statement_checks([attribution]).get(attribution.pk)
    if check is None:
        return "—"
    return format_html(
        '<span class="statement-check statement-check--{}">{} by {} on {}{}</span>',
        check.verdict,
        check.get_verdict_display(),
        check.link.recipient_name,
        f"{check.answered_at:%Y-%m-%d %H:%M}",
        f": “{check.comment}”" if check.comment else "",
    )


class EnrichmentBlockInline(ModeratedInline, admin.StackedInline):
    model = EnrichmentBlock
    form = EnrichmentBlockForm
    fields = ("order", "kind", "title", "body", "items", "provenance", "state")


class ProposalLinkInline(ScopedInlineMixin, admin.TabularInline):
    model = Article.proposals.through
    extra = 0
    verbose_name = "proposal discussed"
    verbose_name_plural = "proposals discussed"
    autocomplete_fields = ("proposal",)

    # The links of a published article change on the proposal's page (through its own
    # review when the proposal is published), not here in passing.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


class TranslationInline(ScopedInlineMixin, admin.TabularInline):
    model = TranslationVersion
    extra = 0
    fields = ("language", "version", "credit", "state", "source_revision")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AnalystFilter(admin.SimpleListFilter):
    """Articles quoting an analyst; lists only analysts that are attributed somewhere."""

    title = "analyst"
    parameter_name = "analyst"

    def lookups(self, request, model_admin):
        # EXISTS per analyst: a few hundred index probes, not a join over every statement.
        quoted = Attribution.objects.filter(analyst=OuterRef("pk"))
        return Analyst.objects.filter(Exists(quoted)).order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(attributions__analyst__slug=self.value()).distinct()
        return queryset


class TopicsInUseFilter(admin.RelatedFieldListFilter):
    """Topics carried by the articles the user may see (as RelatedOnlyFieldListFilter),
    found with EXISTS per topic rather than a DISTINCT over every article's topics."""

    def field_choices(self, field, request, model_admin):
        articles = model_admin.get_queryset(request).order_by()
        used = Topic.objects.filter(Exists(articles.filter(topics=OuterRef("pk"))))
        return [(topic.pk, str(topic)) for topic in used.order_by("name")]


class OriginalLanguageFilter(admin.SimpleListFilter):
    """Only the original languages articles actually have, not every language there is."""

    title = "original language"
    parameter_name = "original_language"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("original_language", flat=True)
            .distinct()
        )
        return sorted(((code, language_name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(original_language=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(WireIntakeAdminMixin, PendingChangesAdminMixin, ModeratedAdmin):
    list_display = ("title", "state_badge", "languages", "author", "publish_or_published")
    list_select_related = ("author",)
    list_filter = (
        "state",
        ("topics", TopicsInUseFilter),
        "language",
        OriginalLanguageFilter,
        AnalystFilter,
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    # Editors look a story up by who is quoted, what it says and its topic, too.
    search_fields = (
        "title", "slug", "standfirst", "byline", "sections__heading", "sections__body",
        "attributions__analyst__name", "attributions__statement", "topics__name",
    )  # fmt: skip
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topics", "lead_image")
    readonly_fields = ("state_badge", "text_revision", "audit_trail")
    inlines = [
        SectionInline,
        AttributionInline,
        EnrichmentBlockInline,
        ProposalLinkInline,
        TranslationInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "state_badge",
                    "title",
                    "slug",
                    "standfirst",
                    "byline",
                    "dateline",
                    "lead_image",
                    "topics",
                )  # fmt: skip
            },
        ),
        (
            "Language",
            {
                "fields": ("language", "original_language", "translator_credit", "text_revision"),
                "description": "When the text below is a translation, credit its translator.",
            },
        ),
        ("Audit trail", {"fields": ("audit_trail",), "classes": ("collapse",)}),
    )

    change_list_template = "admin/articles/article/change_list.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/<str:language>/",
                self.admin_site.admin_view(article_preview),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/story/",
                self.admin_site.admin_view(story_view),
                name="articles_article_story",
            ),
        ] + super().get_urls()

    def transition_view(self, request, object_id, action):
        # Opened as a page (no JavaScript for the dialog), actions that carry the story's
        # parts are confirmed on the story page, which lists what happens to every part;
        # one the user may not take shows its refusal here, without a button.
        story_action = request.method == "GET" and action in STORY_ACTIONS
        if story_action and object_id.isascii() and object_id.isdigit():
            article = self.get_object(request, object_id)
            if article is not None and action in {
                t.name for t in self.workflow_actions(request, article)
            }:
                url = reverse("admin:articles_article_story", args=[object_id])
                return HttpResponseRedirect(f"{url}?action={action}")
        return super().transition_view(request, object_id, action)

    # An article's workflow actions are its story's (`articles.stories`): once it is
    # published they act on its pending changes, and withdraw, approve or publish them.
    def workflow_actions(self, request, obj) -> list:
        return available_story_actions(obj, request.user)

    def apply_transition(self, request, obj, action, **kwargs):
        return transition_story(obj, action, by=request.user, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in ("approve", "publish"):
            if f"workflow_{name}" in actions:
                function = _story_bulk_action(name)
                actions[f"workflow_{name}"] = (
                    function,
                    function.__name__,
                    function.short_description,
                )
        return actions

    def get_view_on_site_url(self, obj=None):
        # Readers' URLs of unpublished articles answer 404: those get "Preview" instead.
        if obj is None or not obj.is_published:
            return None
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and permissions.can_preview(request.user, obj):
            context["preview_url"] = preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def compare_sections(self, obj_compare):
        """Revision compare: what each section's text says, not "(lead) → (lead)"."""
        info = obj_compare.get_m2o_change_info()

        def text(version) -> str:
            fields = version.field_dict
            return "\n\n".join(p for p in (fields.get("heading", ""), fields.get("body", "")) if p)

        parts = [html_diff(text(old), text(new)) for old, new in info["changed_items"]]
        parts += [html_diff("", text(v)) for v in info["added_items"]]
        parts += [html_diff(text(v), "") for v in info["removed_items"]]
        return mark_safe("<hr>".join(parts) or "No change in the sections.")  # noqa: S308

    @admin.display(description="Language")
    def languages(self, obj):
        if obj.is_translated_copy:
            return f"{language_name(obj.language)} (from {language_name(obj.original_language)})"
        return language_name(obj.language)

    @admin.display(description="Published / scheduled", ordering="published_at")
    def publish_or_published(self, obj):
        if obj.published_at:
            return obj.published_at
        if obj.publish_at:
            return f"scheduled {obj.publish_at:%Y-%m-%d %H:%M}"
        return "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        text_changed = any(f in form.changed_data for f in ("title", "standfirst")) or any(
            fs.model is Section and fs.has_changed() for fs in formsets
        )
        if change and text_changed and getattr(request, "_pending_changes", None) is None:
            # (pending changes do it when published)
            form.instance.mark_text_revised(by=request.user)


def _story_bulk_action(name: str):
    """Approve/publish selected articles as stories: confirmed on a page listing every
    part of each and what happens to it (the review queue's bulk confirmation)."""

    def action(modeladmin, request, queryset):
        query = "&".join(f"story={pk}" for pk in queryset.values_list("pk", flat=True)[:200])
        return HttpResponseRedirect(f"{reverse('admin:review_stories')}?action={name}&{query}")

    action.__name__ = f"workflow_{name}"
    action.short_description = f"{name.capitalize()} selected stories…"
    action.allowed_permissions = ("workflow",)
    return action


@admin.register(Attribution)
class AttributionAdmin(PendingChangesAdminMixin, ModeratedAdmin):
    list_display = ("analyst", "kind", "short_statement", "article", "state_badge", "author")
    list_select_related = ("analyst", "article", "author")
    list_filter = ("state", "kind", "analyst")
    search_fields = ("statement", "analyst__name", "article__title")
    autocomplete_fields = ("article", "analyst")
    fields = (
        "state_badge", "article", "analyst", "kind", "statement", "order", "outside_check",
        "audit_trail",
    )  # fmt: skip
    readonly_fields = ("state_badge", "outside_check", "audit_trail")

    @admin.display(description="Statement")
    def short_statement(self, obj):
        return shorten(obj.statement, 90)

    @admin.display(description="Analyst's check")
    def outside_check(self, obj):
        return outside_check_html(obj)


@admin.register(EnrichmentBlock)
class EnrichmentBlockAdmin(PendingChangesAdminMixin, ModeratedAdmin):
    form = EnrichmentBlockForm
    list_display = ("__str__", "kind", "article", "state_badge", "provenance", "author")
    list_select_related = ("article", "author")
    list_filter = ("state", "kind")
    search_fields = ("title", "body", "article__title", "provenance")
    autocomplete_fields = ("article",)
    fields = (
        "state_badge", "article", "kind", "title", "body", "items", "provenance", "order",
        "audit_trail",
    )  # fmt: skip


@admin.register(Topic)
class TopicAdmin(ReferenceDataAdmin):
    list_display = ("name", "slug", "media_topic", "article_count")
    list_filter = ("media_topic",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        # Counted with GROUP BY, which drops Meta.ordering: the autocomplete pages by name.
        queryset = super().get_queryset(request).annotate(article_count=Count("articles"))
        return queryset.order_by("name", "pk")

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Institution)
class InstitutionAdmin(ReferenceDataAdmin):
    list_display = ("name", "place")
    search_fields = ("name", "place")


@admin.register(Analyst)
class AnalystAdmin(ReferenceDataAdmin):
    list_display = ("name", "role", "institution", "statement_count")
    list_select_related = ("institution",)
    search_fields = ("name", "role", "institution__name")
    list_filter = ("institution",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("institution",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(statement_count=Count("attributions"))
        return queryset.order_by("name", "pk")  # GROUP BY drops Meta.ordering

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count


class AuditKindFilter(admin.SimpleListFilter):
    """What an entry is on, named as people say it ("Article"), not "Articles | article"."""

    title = "on"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        ids = AuditEntry.objects.order_by().values_list("content_type", flat=True).distinct()
        kinds = []
        for content_type in ContentType.objects.filter(pk__in=ids):
            model = content_type.model_class()
            if model is not None:
                kinds.append((str(content_type.pk), str(model._meta.verbose_name).capitalize()))
        return sorted(kinds, key=lambda kind: kind[1])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=int(self.value()))
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(DateSafeChangeListMixin, admin.ModelAdmin):
    """The whole audit log, read-only: entries are append-only."""

    list_display = ("created_at", "actor_name", "action_name", "target_link", "summary")
    list_filter = ("action", AuditKindFilter)
    search_fields = ("actor_name", "data")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)

    @admin.display(description="Action", ordering="action")
    def action_name(self, obj):
        return action_label(obj)

    @admin.display(description="On")
    def target_link(self, obj):
        model = obj.content_type.model_class()
        if model is None:
            return "—"
        kind = str(model._meta.verbose_name).capitalize()
        target = model._default_manager.filter(pk=obj.object_id).first()
        if target is None:
            return f"{kind} (deleted)"
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.object_id])
        return format_html('{} <a href="{}">“{}”</a>', kind, url, shorten(str(target), 80))

    @admin.display(description="What changed, note")
    def summary(self, obj):
        note = f" — {obj.note}" if obj.note else ""
        return f"{audit_change(obj)}{note}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TranslationVersion)
class TranslationVersionAdmin(TranslationReviewMixin, ModeratedAdmin):
    """Versions are read-only here; editors decide on the side-by-side review page."""

    list_display = (
        "article", "language", "version", "credit", "state_badge", "submitted_at", "review_link",
    )  # fmt: skip
    list_select_related = ("article",)
    list_filter = ("state", "language")
    search_fields = ("article__title", "title", "credit")
    readonly_fields = (
        "state_badge", "article", "language", "from_language", "version", "title",
        "standfirst", "sections", "credit", "translator", "source_revision", "audit_trail",
    )  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # translators submit at /translate/; versions are append-only

    def has_delete_permission(self, request, obj=None):
        return False

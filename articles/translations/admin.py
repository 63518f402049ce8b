"""Editors' side-by-side review of a translation version, in the admin.

`translation_review_view(request, pk)` shows the source (as the version saw it) and the
version aligned paragraph by paragraph, the diff against the previous version in the
same language, the source's diff when the version is outdated, the reviewers' notes,
and approve / request changes / reject forms. Every decision goes through
`articles.workflow.transition`.

Wiring: `TranslationReviewMixin` adds `<pk>/review/` (URL name
`admin:articles_translationversion_review`) and a "Review" link column to a
TranslationVersion ModelAdmin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from articles import permissions
from articles.desk import desk_context
from articles.models import (
    GlossaryEntry,
    GlossaryRendering,
    LanguageGrant,
    TranslationVersion,
    language_name,
)
from articles.roles import Role, is_editor, is_translator
from articles.translations import domain as translation
from articles.translations import glossary, parts, staleness
from articles.workflow import TRANSITIONS, WorkflowError, available_transitions, transition

REVIEW_ACTIONS = ("approve", "request_changes", "reject")


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, TRANSITIONS[name].label) for name in REVIEW_ACTIONS])
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text="Shown to the translator. Required to request changes or reject.",
    )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("action")
        if name and TRANSITIONS[name].note_required and not cleaned.get("note", "").strip():
            self.add_error(
                "note", f"{TRANSITIONS[name].label} needs a note telling the translator why."
            )
        return cleaned


def review_url(version: TranslationVersion) -> str:
    return reverse("admin:articles_translationversion_review", args=[version.pk])


def translation_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The side-by-side review page (editors only); POST applies a review action."""
    if not permissions.can_review(request.user):
        raise PermissionDenied
    version = get_object_or_404(
        TranslationVersion.objects.select_related("article", "translator").prefetch_related(
            "units"
        ),
        pk=pk,
    )
    if not permissions.can_review_language(request.user, version.language):
        raise PermissionDenied(f"You review versions in other languages than {version.language}.")
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            name = form.cleaned_data["action"]
            try:
                transition(version, name, by=request.user, note=form.cleaned_data["note"])
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                version.refresh_from_db()
                messages.success(
                    request,
                    f"{TRANSITIONS[name].label}: “{version}” is now "
                    f"{version.get_state_display().lower()}.",
                )
                # Back where the editor was (the dashboard, the queue), else this page.
                target = request.POST.get("next", "")
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = request.path
                return HttpResponseRedirect(target)
        status = 400

    snapshot = version.source_snapshot or {}
    previous, previous_diff = staleness.diff_with_previous(version)
    outdated = staleness.is_outdated(version)
    actions = [t for t in available_transitions(version, request.user) if t.name in REVIEW_ACTIONS]
    opts = TranslationVersion._meta
    context = {
        **admin.site.each_context(request),
        "title": f"Review: {version}",
        "opts": opts,
        "version": version,
        "article": version.article,
        "language_name": language_name(version.language),
        "source_language_name": language_name(snapshot.get("language", "")),
        "snapshot": snapshot,
        "aligned": translation.align(snapshot.get("sections", []), version.sections),
        "previous": previous,
        "previous_diff": previous_diff,
        "identical": f"Identical to version {previous.version}." if previous else "",
        "outdated": outdated,
        "source_diff": staleness.source_diff(version) if outdated else [],
        "notes": translation.reviewer_notes(version),
        "parts": parts.side_by_side(version),
        "glossary_warnings": glossary.version_warnings(version),
        "actions": actions,
        "form": form,
        "change_url": reverse("admin:articles_translationversion_change", args=[version.pk]),
        **desk_context(request, version),
    }
    return TemplateResponse(
        request, "admin/articles/translationversion/review.html", context, status=status
    )


class TranslationReviewMixin:
    """Add the review page and a link to it to a TranslationVersion ModelAdmin."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(translation_review_view),
                name="articles_translationversion_review",
            ),
        ] + super().get_urls()

    @admin.display(description="Review")
    def review_link(self, obj: TranslationVersion) -> str:
        return format_html('<a href="{}">Side by side</a>', review_url(obj))


# --- the glossary and the language grants (editors only) ------------------------------


class EditorsOnlyAdmin(admin.ModelAdmin):
    """Editors manage these; the answer comes from `articles.permissions`."""

    def has_module_permission(self, request) -> bool:
        return permissions.can_review(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can_review(request.user)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can_review(request.user)

    has_delete_permission = has_change_permission


class GlossaryRenderingInline(admin.TabularInline):
    model = GlossaryRendering
    extra = 1
    fields = ("language", "text", "do_not_translate")

    def has_add_permission(self, request, obj=None) -> bool:
        return permissions.can_review(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can_review(request.user)

    has_delete_permission = has_change_permission
    has_view_permission = has_change_permission


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(EditorsOnlyAdmin):
    """Approved renderings per language; the newsroom's entities are added by "Add the
    newsroom's names"; exports as TBX or CSV from the list."""

    list_display = ("term", "language", "kind", "rendered")
    list_filter = ("kind", "language")
    search_fields = ("term", "renderings__text", "note")
    fields = ("term", "language", "kind", "note")
    inlines = [GlossaryRenderingInline]
    change_list_template = "admin/articles/glossaryentry/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renderings")

    @admin.display(description="Renderings")
    def rendered(self, obj: GlossaryEntry) -> str:
        return "; ".join(
            f"{r.language}: {'(kept)' if r.do_not_translate else r.text}"
            for r in obj.renderings.all()
        )

    def get_urls(self):
        return [
            path(
                "sync/",
                self.admin_site.admin_view(self.sync_view),
                name="articles_glossaryentry_sync",
            ),
        ] + super().get_urls()

    def sync_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not permissions.can_review(request.user):
            raise PermissionDenied
        created = glossary.sync_entities()
        messages.success(request, f"{created} of the newsroom's names added to the glossary.")
        return HttpResponseRedirect(reverse("admin:articles_glossaryentry_changelist"))


class LanguageGrantForm(forms.ModelForm):
    class Meta:
        model = LanguageGrant
        fields = ("user", "role", "language", "from_language")

    def clean(self):
        cleaned = super().clean()
        user, role = cleaned.get("user"), cleaned.get("role")
        if user is not None and role == LanguageGrant.Role.REVIEW and not is_editor(user):
            self.add_error("role", "Only editors review: make this person an editor first.")
        if user is not None and role == LanguageGrant.Role.TRANSLATE and not is_translator(user):
            self.add_error("role", "Only translators are granted languages to translate into.")
        if cleaned.get("from_language") and cleaned.get("from_language") == cleaned.get("language"):
            self.add_error("from_language", "A language pair needs two different languages.")
        return cleaned


@admin.register(LanguageGrant)
class LanguageGrantAdmin(EditorsOnlyAdmin):
    """Who translates into, or reviews, which language. A translator without any grant
    works in every language; an editor without review grants reviews every language."""

    form = LanguageGrantForm
    list_display = ("user", "role", "language", "from_language", "granted_by")
    list_filter = ("role", "language")
    search_fields = ("user__username",)
    autocomplete_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name__in=[Role.TRANSLATOR.value, Role.EDITOR.value])
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)

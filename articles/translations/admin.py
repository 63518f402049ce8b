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
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from articles import permissions
from articles.desk import desk_context
from articles.models import TranslationVersion, language_name
from articles.translations import domain as translation
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
        TranslationVersion.objects.select_related("article", "translator"), pk=pk
    )
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
    previous, previous_diff = translation.diff_with_previous(version)
    outdated = translation.is_outdated(version)
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
        "source_diff": translation.source_diff(version) if outdated else [],
        "notes": translation.reviewer_notes(version),
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

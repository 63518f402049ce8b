"""What every moderated model's admin shares: scoping by role, the stale-save guard,
workflow buttons and bulk actions, and the audit trail.

State changes go through `articles.workflow.transition`; nothing here sets a state.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from reversion_compare.admin import CompareVersionAdmin

from articles import permissions
from articles.admin.changelist import DateSafeChangeListMixin
from articles.comments.threads import action_label
from articles.desk import desk_context
from articles.editing import check_not_stale
from articles.models import AuditEntry
from articles.publication import public_content_changed
from articles.states import PUBLIC, State
from articles.workflow import TRANSITIONS, WorkflowError, available_transitions, transition


class StaleEditGuardForm(forms.ModelForm):
    """Refuses a save made from a copy older than the stored one.

    The admin validates and saves inside one transaction, so the row lock taken in
    `clean()` holds until the save: two editors saving at once cannot both pass.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            check_not_stale(self.instance, cleaned.get("edit_version"))
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text="Shown to the author in the audit trail.",
    )
    publish_at = forms.DateTimeField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-12-01 09:00", "autocomplete": "off"}),
    )

    def __init__(self, *args, transition_obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition_obj
        if transition_obj.note_required:
            self.fields["note"].required = True
            self.fields["note"].help_text = "Required: tell the author what to change or why."
        if transition_obj.name == "schedule":
            self.fields["publish_at"].required = True
            # Read in the person's own time zone (articles.desk.UserTimeZoneMiddleware).
            self.fields["publish_at"].help_text = (
                f"When to publish, in your time zone ({timezone.get_current_timezone_name()}),"
                " e.g. 2026-12-01 09:00."
            )
        else:
            del self.fields["publish_at"]


def audit_trail_html(obj) -> str:
    if obj is None or obj.pk is None:
        return "—"
    entries = AuditEntry.objects.for_instance(obj).order_by("-created_at", "-id")
    if not entries:
        return "No workflow actions yet."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                e.actor_name,
                action_label(e),
                audit_change(e),
                e.note or "",
            )
            for e in entries
        ),
    )
    return format_html(
        '<table class="audit-trail"><thead><tr><th>When</th><th>Who</th><th>Action</th>'
        "<th>From → to</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


def audit_change(entry: AuditEntry) -> str:
    """What an audit entry changed, as people read it ("In review → Approved")."""
    data = entry.data
    if "from" in data or "to" in data:
        return f"{state_label(data.get('from', ''))} → {state_label(data.get('to', ''))}"
    if entry.action == "assignment.assign":
        due = f", due {data['due']}" if data.get("due") else ""
        return f"to {data.get('assignee', '')}{due} ({data.get('priority', '').lower()})"
    if entry.action.startswith("signoff."):
        return f"for {data.get('recipient', '')}"
    return data.get("previous", "")


def state_label(value: str) -> str:
    return State(value).label if value in State.values else value


def _bulk_action(name: str):
    t = TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for obj in queryset:
            try:
                transition(obj, name, by=request.user)
                done += 1
            except WorkflowError as error:
                refused.append(f"“{obj}”: {error}")
        if done:
            modeladmin.message_user(request, f"{t.label}: {done} done.", messages.SUCCESS)
        for message in refused[:10]:
            modeladmin.message_user(request, message, messages.ERROR)
        if len(refused) > 10:
            modeladmin.message_user(
                request, f"…and {len(refused) - 10} more refused.", messages.ERROR
            )

    action.__name__ = f"workflow_{name}"
    action.short_description = f"{t.label} selected"
    action.allowed_permissions = ("workflow",)
    return action


class ReferenceDataAdmin(admin.ModelAdmin):
    """Topics, analysts, institutions, actors, categories: not moderated, but shown on
    published pages, so every change (and deletion) invalidates the public cache."""

    # Passing what changed (not None) invalidates the cache without a full re-index.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: public_content_changed(obj), robust=True)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(lambda: public_content_changed(obj), robust=True)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: public_content_changed(queryset.model), robust=True)


class ModeratedAdmin(DateSafeChangeListMixin, CompareVersionAdmin):
    """Base admin for moderated models (articles, attributions, blocks, proposals)."""

    form = StaleEditGuardForm
    change_form_template = "admin/moderated_change_form.html"
    readonly_fields = ("state_badge", "audit_trail")
    actions = [_bulk_action(name) for name in ("submit", "approve", "publish", "unpublish")]
    list_per_page = 50
    show_full_result_count = False
    history_latest_first = True

    # Scoping: contributors see only their own work; editors see everything.
    def get_queryset(self, request):
        return permissions.owned_by(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return permissions.can_delete(request.user, obj)

    def has_workflow_permission(self, request):
        return request.user.is_staff

    @admin.display(description="State", ordering="state")
    def state_badge(self, obj):
        if obj is None or obj.pk is None:
            return "draft (new)"
        label = obj.get_state_display()
        if obj.state == State.APPROVED and obj.publish_at:
            label += f" — scheduled for {timezone.localtime(obj.publish_at):%Y-%m-%d %H:%M}"
        return format_html('<span class="state-badge state-{}">{}</span>', obj.state, label)

    @admin.display(description="Audit trail")
    def audit_trail(self, obj):
        return audit_trail_html(obj)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if obj.state in PUBLIC:
            transaction.on_commit(lambda: public_content_changed(obj), robust=True)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if hasattr(instance, "author_id") and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    def get_actions(self, request):
        # Workflow actions first: "Delete selected" is never the one a slip picks.
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = actions.pop("delete_selected")
        return actions

    def construct_change_message(self, request, form, formsets, add=False):
        # The stale-save guard's hidden field is bookkeeping, not a change to report.
        for each in [form, *(f for fs in formsets or [] for f in fs.forms)]:
            if "edit_version" in getattr(each, "changed_data", []):
                each.changed_data.remove("edit_version")
        return super().construct_change_message(request, form, formsets, add)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_transitions"] = (
            available_transitions(obj, request.user) if obj is not None and obj.pk else []
        )
        if obj is not None and obj.pk:
            context.update(desk_context(request, obj))
            context["here"] = request.get_full_path()
            if obj.state in {State.CHANGES_REQUESTED, State.REJECTED}:
                notes = AuditEntry.objects.notes_by_object([obj]).get(obj.pk) or []
                if notes:
                    context["last_note"] = notes[-1]
                    context["last_note_action"] = action_label(notes[-1])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/transition/<str:action>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
        ] + super().get_urls()

    def transition_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """Confirm a workflow action, asking for a note (or a time) where it needs one."""
        obj = self.get_object(request, unquote(object_id))  # None for "abc" too
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with the id {object_id!r}.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        t = TRANSITIONS.get(action)
        if t is None:
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        form = NoteForm(request.POST or None, transition_obj=t)
        if request.method == "POST" and form.is_valid():
            try:
                transition(
                    obj,
                    action,
                    by=request.user,
                    note=form.cleaned_data.get("note", ""),
                    publish_at=form.cleaned_data.get("publish_at"),
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                obj.refresh_from_db()
                self.message_user(
                    request,
                    f"{t.label}: “{obj}” is now {obj.get_state_display().lower()}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._back_to(request, change_url, obj))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{t.label}: {obj}",
            "opts": opts,
            "object": obj,
            "transition": t,
            "form": form,
            "change_url": change_url,
            "available": action in {a.name for a in available_transitions(obj, request.user)},
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }
        return TemplateResponse(request, "admin/transition_confirm.html", context)

    def _back_to(self, request: HttpRequest, change_url: str, obj) -> str:
        """Where the editor was (a safe `next`), else the item's page when they may
        still open it (an author who withdrew or submitted: their "My work")."""
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return change_url

"""What every moderated model's admin shares: scoping by role, the stale-save guard,
workflow buttons and bulk actions, and the audit trail.

State changes go through `articles.workflow.transition`; nothing here sets a state.
"""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from reversion.errors import RevertError
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from articles import permissions, publication, story
from articles.admin.audit import audit_trail_html
from articles.admin.changelist import DateSafeChangeListMixin
from articles.admin.widgets import SafeChoicesMixin
from articles.comments.threads import action_label
from articles.desk import desk_context
from articles.editing import check_not_stale
from articles.models import WORKFLOW_FIELDS, AuditEntry, Moderated
from articles.states import PUBLIC, State
from articles.stories import preview_story
from articles.workflow import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    transition,
)

# A story changed between the dialog (or page) listing its parts and the POST.
STORY_CHANGED = (
    "Something in this story changed after this page was drawn (a part was edited, "
    "submitted or decided on). Nothing was done: check what will happen now, then "
    "confirm again."
)


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
            # A form that does not say which copy it was built from is refused too.
            check_not_stale(self.instance, cleaned.get("edit_version"))
        return cleaned


def _in_scope(user, model: type[models.Model], queryset: models.QuerySet | None = None):
    """`queryset` (all of `model` by default) limited, for a moderated model, to what
    `user` may work on (`permissions.owned_by`); None for other models."""
    if not issubclass(model, Moderated):
        return None
    return permissions.owned_by(
        user, model._default_manager.all() if queryset is None else queryset
    )


class ScopedChoicesMixin(SafeChoicesMixin):
    """Every moderated object a form offers or accepts (select, autocomplete, raw id,
    many-to-many) is limited to what the user may work on, like the changelist: a
    contributor cannot attach anything to, or link, someone else's work. Ids nothing
    can hold are refused by the form, never looked up (`SafeChoicesMixin`)."""

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        scoped = _in_scope(request.user, db_field.remote_field.model, queryset)
        return queryset if scoped is None else scoped


class ScopedInlineMixin(ScopedChoicesMixin):
    """Inlines of a moderated change page: scoped choices; moderated rows limited to
    those the user may change (`permissions.editable_by`), rows pointing at moderated
    objects out of the user's scope left out (and so left alone)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if issubclass(self.model, Moderated):
            queryset = permissions.editable_by(request.user, queryset)
        for field in self.model._meta.concrete_fields:
            if not field.many_to_one:
                continue
            scoped = _in_scope(request.user, field.related_model)
            if scoped is not None:
                queryset = queryset.filter(**{f"{field.name}__in": scoped})
        return queryset


class ModeratedInlineMixin(ScopedInlineMixin):
    """Inline rows of moderated objects: scoped, and each row's save checked for staleness."""

    form = StaleEditGuardForm


class _Discard(Exception):
    """Roll back what a revision page wrote to show or check it, and answer `response`."""

    def __init__(self, response: HttpResponse):
        self.response = response


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
        if transition_obj.needs_time:  # schedule, schedule_unpublish
            self.fields["publish_at"].required = True
            # Read in the person's own time zone (articles.desk.UserTimeZoneMiddleware).
            what = "unpublish" if transition_obj.name == "schedule_unpublish" else "publish"
            self.fields["publish_at"].help_text = (
                f"When to {what} ({timezone.get_current_timezone_name()}). Your own time"
                " zone, e.g. 2026-12-01 09:00."
            )
        else:
            del self.fields["publish_at"]


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


class ReferenceDataAdmin(SafeChoicesMixin, admin.ModelAdmin):
    """Topics, analysts, institutions, actors, categories: not moderated, but shown on
    published pages, so every change (and deletion) invalidates the public cache."""

    # Passing what changed (not None) rebuilds and invalidates only the stories showing it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        publication.changed(obj)

    def delete_model(self, request, obj):
        publication.changed(obj)  # before: the stories showing it are found through it
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        publication.changed(queryset.model)
        super().delete_queryset(request, queryset)


class ModeratedAdmin(DateSafeChangeListMixin, ScopedChoicesMixin, CompareVersionAdmin):
    """Base admin for moderated models (articles, attributions, blocks, proposals).

    django-reversion's views are scoped like the rest: history, compare and revert
    answer 404 out of scope; a revert is an ordinary edit of the content fields the
    user's form edits (never a workflow field, never another object of the revision);
    only editors recover deleted objects, which come back as drafts.
    """

    form = StaleEditGuardForm
    change_form_template = "admin/moderated_change_form.html"
    revision_form_template = "admin/moderated_revision_form.html"
    recover_form_template = "admin/moderated_recover_form.html"
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
        if getattr(obj, "unpublish_at", None):
            label += f" — to be unpublished {timezone.localtime(obj.unpublish_at):%Y-%m-%d %H:%M}"
        return format_html('<span class="state-badge state-{}">{}</span>', obj.state, label)

    @admin.display(description="Audit trail")
    def audit_trail(self, obj):
        return audit_trail_html(obj)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        request.moderated_saved_pk = obj.pk  # what a revision page checks it saved
        if obj.state in PUBLIC:
            publication.changed(obj)

    def save_related(self, request, form, formsets, change):
        # Links the user may not see are not in their form: keep them, do not drop them.
        hidden = self._links_out_of_scope(request, form.instance) if change else {}
        super().save_related(request, form, formsets, change)
        for name, pks in hidden.items():
            getattr(form.instance, name).add(*pks)

    def _links_out_of_scope(self, request, obj) -> dict[str, list]:
        hidden = {}
        for field in self.model._meta.many_to_many:
            scoped = _in_scope(request.user, field.related_model)
            if scoped is not None:
                links = getattr(obj, field.name).exclude(pk__in=scoped)
                hidden[field.name] = list(links.values_list("pk", flat=True))
        return hidden

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
            self.workflow_actions(request, obj) if obj is not None and obj.pk else []
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

    def workflow_actions(self, request: HttpRequest, obj) -> list:
        """The workflow actions `request.user` may apply to `obj` now (its buttons)."""
        return available_transitions(obj, request.user)

    def apply_transition(self, request: HttpRequest, obj, action: str, **kwargs):
        """Apply `action` to `obj` (articles: to their story, `ArticleAdmin`)."""
        return transition(obj, action, by=request.user, **kwargs)

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
                self._check_story_unchanged(request, obj, action)
                self.apply_transition(
                    request,
                    obj,
                    action,
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
            "available": action in {a.name for a in self.workflow_actions(request, obj)},
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }
        return TemplateResponse(request, "admin/transition_confirm.html", context)

    def _check_story_unchanged(self, request: HttpRequest, obj, action: str) -> None:
        """A dialog listing what a story action does to each part posts the story's
        fingerprint: when the story changed since, nothing is done (as on the story page)."""
        fingerprint = request.POST.get("fingerprint", "")
        article = story.story_article(obj) if fingerprint else None
        if article is None:
            return
        if preview_story(article, action, by=request.user).fingerprint != fingerprint:
            raise WorkflowError(STORY_CHANGED)

    def _back_to(self, request: HttpRequest, change_url: str, obj) -> str:
        """Where the editor was (a safe `next`), else the item's page when they may
        still open it (an author who withdrew or submitted: their "My work")."""
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return change_url

    # django-reversion's views, scoped and made ordinary edits.

    def _object_in_scope(self, request, object_id: str):
        """The object behind a history URL, or 404 when it is out of the user's scope."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._object_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        self._object_in_scope(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        # Deleted objects are nobody's any more: only editors may see and recover them.
        if not permissions.can_recover(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a version: the form shows the object with that version's content;
        saving it is an ordinary edit (stale check, cache, a revision saying so)."""
        obj = self._object_in_scope(request, object_id)
        if not (self.has_change_permission(request, obj) and self._content_fields(request, obj)):
            raise PermissionDenied  # read-only to this user (or append-only, as versions)
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        context = {"title": f"Revert {version.object_repr}", "revert": True}
        return self._revision_form_view(
            request,
            version,
            lambda: self._revert_content(request, obj, version),
            self.revision_form_template,
            {**context, **(extra_context or {})},
            comment="Reverted to the version saved on {}",
        )

    def recover_view(self, request, version_id, extra_context=None):
        """Recover a deleted object (editors only): it comes back as a draft."""
        if not (permissions.can_recover(request.user) and self.has_add_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related("revision"), pk=version_id
        )
        context = {"title": f"Recover {version.object_repr}", "recover": True}
        return self._revision_form_view(
            request,
            version,
            lambda: self._recover_content(request, version),
            self.recover_form_template,
            {**context, **(extra_context or {})},
            comment="Recovered as a draft from the version saved on {}",
        )

    def _revision_form_view(self, request, version, restore, template, context, *, comment):
        """Apply `restore()` and run the change form on the result, in one transaction.

        Showing the page (or a refused save) rolls everything back; only a save the
        change form accepted is kept, with `comment` on its revision.
        """
        opts = self.model._meta
        try:
            with transaction.atomic(using=version.db):
                obj = restore()
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(str(obj.pk)), request.path, context
                    )
                    saved = (
                        request.method == "POST"
                        and response.status_code == 302
                        and getattr(request, "moderated_saved_pk", None) == obj.pk
                    )
                    if not saved:
                        if response.status_code != 200:
                            raise Http404("No such object.")
                        response.template_name = template
                        response.render()
                        raise _Discard(response)
                    when = localize(timezone.localtime(version.revision.date_created))
                    reversion.set_comment(comment.format(when))
        except _Discard as discard:
            return discard.response
        except (RevertError, IntegrityError, ObjectDoesNotExist, models.ProtectedError) as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
            )
        return response

    def _content_fields(self, request, obj) -> set[str]:
        """The fields a revert may write: those the user's change form edits."""
        return set(self.get_form(request, obj, change=True).base_fields) - set(WORKFLOW_FIELDS)

    def _revert_content(self, request, obj, version):
        """Write the content of `version` the user could edit onto `obj`, and restore the
        children the page edits inline (sections, terms). Workflow fields, other objects
        of the revision and links out of the user's scope stay as they are."""
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        data = version.field_dict
        editable = self._content_fields(request, obj)
        for field in self.model._meta.concrete_fields:
            if field.name in editable and field.attname in data and not field.primary_key:
                setattr(obj, field.attname, data[field.attname])
        obj.save()
        for field in self.model._meta.many_to_many:
            if field.name in editable and field.attname in data:
                self._restore_links(request, obj, field, data[field.attname])
        self._restore_children(request, obj, version)
        return obj

    def _recover_content(self, request, version):
        """Re-create a deleted object from `version` as a draft of the recovering editor."""
        data = version.field_dict
        obj = _instance_from(version, self.model)  # workflow fields as for a new draft
        obj.author = request.user
        _check_dependencies(obj, version)
        with transaction.atomic(using=version.db):
            obj.save(force_insert=True)
        for field in self.model._meta.many_to_many:
            if field.attname in data:
                self._restore_links(request, obj, field, data[field.attname])
        self._restore_children(request, obj, version)
        return obj

    def _restore_links(self, request, obj, field, pks) -> None:
        manager = getattr(obj, field.name)
        existing = field.related_model._default_manager.filter(pk__in=pks)
        scoped = _in_scope(request.user, field.related_model)
        if scoped is None:
            manager.set(existing)
            return
        hidden = manager.exclude(pk__in=scoped)
        manager.set([*existing.filter(pk__in=scoped), *hidden])

    def _restore_children(self, request, obj, version) -> None:
        """The children this page edits inline and versions with the object (not
        moderated ones, which have their own history) as they were in `version`'s revision."""
        for inline in self.get_inline_instances(request, obj):
            model = inline.model
            if issubclass(model, Moderated) or not reversion.is_registered(model):
                continue
            fk = next(
                f for f in model._meta.concrete_fields
                if f.many_to_one and issubclass(self.model, f.related_model)
            )  # fmt: skip
            old = [
                v
                for v in Version.objects.get_for_model(model).filter(revision=version.revision)
                if str(v.field_dict.get(fk.attname)) == str(obj.pk)
            ]
            if not old:
                continue  # the revision did not record them: leave them as they are
            keep = {model._meta.pk.to_python(v.object_id) for v in old}
            model._default_manager.filter(**{fk.name: obj}).exclude(pk__in=keep).delete()
            for v in old:
                child = _instance_from(v, model)
                setattr(child, fk.attname, obj.pk)
                _check_dependencies(child, v)
                child.save()


def _instance_from(version, model):
    """An unsaved `model` instance with `version`'s content; its other fields (the
    workflow's) take their defaults."""
    data = version.field_dict
    obj = model(
        **{
            f.attname: data[f.attname]
            for f in model._meta.concrete_fields
            if f.attname in data and f.name not in WORKFLOW_FIELDS
        }
    )
    obj.pk = model._meta.pk.to_python(version.object_id)
    return obj


def _check_dependencies(obj, version) -> None:
    """Raise RevertError when something `obj` points to is gone (saving it would fail
    only at commit, where nothing can say why)."""
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if not field.many_to_one or value is None:
            continue
        if not field.related_model._default_manager.filter(pk=value).exists():
            raise RevertError(
                f"“{version.object_repr}” cannot be restored: the "
                f"{field.related_model._meta.verbose_name} it belonged to was deleted."
            )

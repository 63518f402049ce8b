"""The admin side of pending changes: a published article or part is edited as usual, and
the save becomes its pending changes (`articles.staging`); readers keep the live object.

- `PendingChangesAdminMixin`, for the ModelAdmins of articles, statements, blocks and
  proposals: the change form of a published object shows its pending values (fields,
  many-to-many, child rows such as sections) when it has some, says that the save goes
  to review, and shows live against pending as a diff; the save is staged (with the
  stale-save rule on the pending set: the hidden `pending_revision`); inline rows of
  published parts (the statements on an article's page) are staged per part; reverting
  to an old revision of a published object stages that revision as pending changes.
- `PendingChangeAdmin`: the pending changes themselves: the diff, who changed what,
  the correction note to publish with them, and the workflow buttons.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles import corrections, pending, staging, story
from articles.admin.changelist import DateSafeChangeListMixin
from articles.admin.moderation import ModeratedAdmin, StaleEditGuardForm
from articles.models import AuditEntry, Correction, PendingChange
from articles.states import OPEN_CHANGES


def _plain(value):
    """A form's cleaned value in the pending-changes format (a pk for an object)."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "values_list"):  # a queryset (many-to-many)
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple) and value and hasattr(value[0], "pk"):
        return sorted(v.pk for v in value)
    return value


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def story_url(obj) -> str:
    """The admin story page of the story `obj` (an article, a part, pending changes)
    belongs to, or "" when it belongs to none."""
    if isinstance(obj, PendingChange):
        obj = pending.target_of(obj)
    articles = story.articles_of(obj)
    return reverse("admin:articles_article_story", args=[articles[0].pk]) if articles else ""


class PendingChildrenFormSet(BaseInlineFormSet):
    """An inline formset (sections, terms) that can show the rows of pending changes.

    With `pending_rows`, the rows that change a live row are its forms (the live row
    with the pending values) and the new rows are extra forms filled in; live rows the
    pending changes delete are left out. It is never saved: the save is staged.
    """

    def __init__(self, *args, pending_rows=None, **kwargs):
        self.pending_rows = pending_rows
        if pending_rows is not None:
            new = [r for r in pending_rows if r.get("id") is None]
            kwargs["initial"] = [{k: v for k, v in r.items() if k != "id"} for r in new]
        super().__init__(*args, **kwargs)
        if pending_rows is not None and not self.is_bound:
            self.extra = len(kwargs["initial"])

    def get_queryset(self):
        if self.pending_rows is None:
            return super().get_queryset()
        if not hasattr(self, "_pending_objects"):
            live = {obj.pk: obj for obj in super().get_queryset()}
            objects = []
            for row in self.pending_rows:
                obj = live.get(row.get("id"))
                if obj is None:
                    continue
                for name, value in row.items():
                    if name != "id":
                        setattr(obj, self.model._meta.get_field(name).attname, value)
                objects.append(obj)
            self._pending_objects = objects
        return self._pending_objects


def rows_from(formset, relation_fields) -> list[dict]:
    """The child rows a formset holds, in the pending-changes format, by their order."""
    rows = []
    names = [f.name for f in relation_fields]
    for index, form in enumerate(formset.forms):
        if formset.can_delete and formset._should_delete_form(form):
            continue
        is_new = index >= formset.initial_form_count()
        if is_new and not form.has_changed():
            if not form.initial:
                continue  # an empty "add another" row
            values = dict(form.initial)
        else:
            values = form.cleaned_data
        row = {"id": None if is_new else form.instance.pk}
        row.update({name: _plain(values.get(name)) for name in names})
        rows.append(row)
    if "order" in names:
        rows.sort(key=lambda r: (r.get("order") is None, r.get("order") or 0))
    return rows


class PendingChangesAdminMixin:
    """Editing a published object stages its pending changes (see the module docstring)."""

    change_form_template = "admin/pending_change_form.html"

    # -- showing the pending values -------------------------------------------------------

    def _open_pending(self, request, obj):
        if obj is None or not pending.goes_through_review(obj):
            return None
        if getattr(request, "_pending_revert", False):
            return None  # an old revision is shown as it was, not the pending values
        return pending.open_pending(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or not pending.goes_through_review(obj):
            return form
        open_set = self._open_pending(request, obj)
        initial = {}
        if open_set is not None:
            model_fields = {f.name for f in pending.content_fields(self.model)}
            model_fields |= {f.name for f in pending.m2m_fields(self.model)}
            data = open_set.data
            initial = {
                name: value
                for part in ("fields", "m2m")
                for name, value in data.get(part, {}).items()
                if name in model_fields
            }
        revision = staging.revision(obj)

        class PendingForm(form):
            pending_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {
                    **initial,
                    **(kwargs.get("initial") or {}),
                    "pending_revision": revision,
                }
                super().__init__(*args, **kwargs)

            def clean(self):
                cleaned = super().clean()
                # Locked until the save (the admin saves in this transaction): two
                # editors saving the same pending changes cannot both pass.
                live = type(obj).objects.select_for_update().get(pk=obj.pk)
                submitted = cleaned.get("pending_revision")
                if submitted is not None and submitted != staging.revision(live):
                    raise staging.stale_error(live)
                return cleaned

        PendingForm.__name__ = form.__name__
        return PendingForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        relation = self._child_relation(inline.model)
        open_set = self._open_pending(request, obj)
        if relation and open_set is not None and issubclass(inline.formset, PendingChildrenFormSet):
            rows = open_set.data.get("children", {}).get(relation)
            if rows is not None:
                kwargs["pending_rows"] = rows
        return kwargs

    def _child_relation(self, model) -> str | None:
        for relation in pending.child_relations(self.model):
            if self.model._meta.get_field(relation).related_model is model:
                return relation
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and pending.goes_through_review(obj):
            open_set = pending.open_pending(obj)
            context["goes_through_review"] = True
            context["pending_set"] = open_set
            if open_set is not None:
                context["pending_url"] = change_url(open_set)
                context["pending_changes"] = pending.describe(obj, open_set.data)
        if obj is not None and obj.pk:
            context["story_url"] = story_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- saving ---------------------------------------------------------------------------

    def _diverted(self, request, obj, change) -> bool:
        return bool(change and obj.pk and pending.goes_through_review(obj))

    def save_model(self, request, obj, form, change):
        if not self._diverted(request, obj, change):
            return super().save_model(request, obj, form, change)
        fields = {f.name for f in pending.content_fields(self.model)}
        m2m = {f.name for f in pending.m2m_fields(self.model)}
        data = form.cleaned_data
        request._pending_changes = {
            "fields": {name: _plain(data[name]) for name in fields if name in data},
            "m2m": {name: _plain(data[name]) for name in m2m if name in data},
            "children": {},
        }

    def save_related(self, request, form, formsets, change):
        changes = getattr(request, "_pending_changes", None)
        if changes is None:  # not published: saved in place, as every moderated admin does
            return super().save_related(request, form, formsets, change)
        obj = form.instance
        for formset in formsets:
            relation = self._child_relation(formset.model)
            if relation:
                changes["children"][relation] = rows_from(
                    formset, pending.child_fields(self.model, relation)
                )
            elif pending.can_have_pending(formset.model):
                self.save_formset(request, form, formset, change)
        self._stage(request, obj, changes, form.cleaned_data.get("pending_revision"))

    def _stage(self, request, obj, changes, revision_read) -> None:
        capture = getattr(request, "_pending_capture", None)
        if capture is not None:  # reverting: written once the revert is undone
            capture.append((obj, changes, revision_read))
            request.moderated_saved_pk = obj.pk  # the revision page: the form was accepted
            return
        # The form checked `revision_read` with the row locked: this cannot be stale.
        request._pending_staged = staging.stage(
            obj, changes, by=request.user, revision_read=revision_read
        )

    def save_formset(self, request, form, formset, change):
        if not pending.can_have_pending(formset.model):
            return super().save_formset(request, form, formset, change)
        # Published parts in an inline (an article's statements): their changes are staged.
        staged_forms = []
        for inline_form in formset.initial_forms:
            part = inline_form.instance
            if pending.goes_through_review(part) and inline_form.has_changed():
                if formset.can_delete and formset._should_delete_form(inline_form):
                    continue  # has_delete_permission keeps published parts from inlines
                fields = {f.name for f in pending.content_fields(formset.model)}
                values = {
                    name: _plain(inline_form.cleaned_data[name])
                    for name in inline_form.changed_data
                    if name in fields
                }
                staging.stage(part, {"fields": values}, by=request.user)
                staged_forms.append(inline_form)
        for inline_form in staged_forms:
            inline_form.has_changed = lambda: False  # saved as pending, not in place
        return super().save_formset(request, form, formset, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_pending_changes", None) is not None:
            return "Saved as pending changes (waiting for review)."  # formsets were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_pending_staged", None) is not None:
            message = "Saved as pending changes (waiting for review)."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        staged = getattr(request, "_pending_staged", None)
        if staged is None and not hasattr(request, "_pending_changes"):
            return super().response_change(request, obj)
        if getattr(request, "_pending_capture", None) is not None:
            return HttpResponseRedirect(request.path)  # reverting: said once staged
        if staged is None:
            self.message_user(request, "Nothing changed.", messages.INFO)
        else:
            self.message_user(
                request,
                f"Saved as pending changes to “{obj}” ({staged.get_state_display().lower()}): "
                "readers keep the live version until they are approved and published.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    # -- reverting to an old revision -----------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        target = self.get_object(request, unquote(object_id))  # None for a bad id
        if target is None or not pending.goes_through_review(target):
            return super().revision_view(request, object_id, version_id, extra_context)
        request._pending_revert = True
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        request._pending_capture = captured = []
        try:
            with transaction.atomic():
                response = super().revision_view(request, object_id, version_id, extra_context)
                raise _UndoRevert(response)  # the live object must not change
        except _UndoRevert as undo:
            response = undo.response
        if not captured:
            return response  # the form had errors: shown again, nothing written
        request._pending_capture = None
        for obj, changes, _revision_read in captured:
            # The revert page's form was checked against the reverted copy it showed (so
            # its revision number is one the rollback undid): staged unchecked, locked.
            try:
                staged = staging.stage(
                    obj,
                    changes,
                    by=request.user,
                    note="Reverted to an earlier revision.",
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(change_url(target))
        messages.success(
            request,
            "The earlier revision was saved as pending changes: readers keep the live "
            "version until they are approved and published.",
        )
        return HttpResponseRedirect(change_url(staged) if staged else change_url(target))


class _UndoRevert(Exception):
    def __init__(self, response):
        super().__init__("undo the revert")
        self.response = response


# -- the pending changes themselves --------------------------------------------------------


class PendingChangeForm(StaleEditGuardForm):
    class Meta:
        model = PendingChange
        fields = ("correction_kind", "correction_text")
        widgets = {"correction_text": forms.Textarea(attrs={"rows": 4, "cols": 80})}
        labels = {"correction_kind": "Public note", "correction_text": "Text of the note"}

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("correction_kind") or "", cleaned.get("correction_text") or ""
        if kind or text.strip():
            try:
                cleaned["correction_kind"], cleaned["correction_text"] = (
                    corrections.clean_correction({"kind": kind, "text": text})
                )
            except ValidationError as error:
                raise ValidationError({"correction_text": error.messages}) from None
        else:
            cleaned["correction_text"] = ""
        return cleaned


@admin.register(PendingChange)
class PendingChangeAdmin(ModeratedAdmin):
    """Pending changes: what they change (a diff), who changed what, the public note."""

    form = PendingChangeForm
    list_display = ("__str__", "state_badge", "author", "updated_at", "story_link")
    list_select_related = ("author", "content_type")
    list_filter = ("state", "content_type")
    readonly_fields = (
        "state_badge",
        "target_link",
        "story_link",
        "changes",
        "edits",
        "audit_trail",
    )
    fieldsets = (
        (None, {"fields": ("state_badge", "target_link", "story_link")}),
        ("Live → pending", {"fields": ("changes",)}),
        (
            "Correction, update or clarification",
            {
                "fields": ("correction_kind", "correction_text"),
                "description": "Published with these changes, at the foot of the article "
                "(and in the feed, the API and /corrections/). Leave empty for none.",
            },
        ),
        ("Who changed what", {"fields": ("edits",)}),
        ("Audit trail", {"fields": ("audit_trail",), "classes": ("collapse",)}),
    )
    actions = []

    def has_add_permission(self, request):
        return False  # made by editing a published object

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.state in OPEN_CHANGES)

    @admin.display(description="Changes to")
    def target_link(self, obj):
        target = pending.target_of(obj)
        return format_html(
            '<a href="{}">{} “{}”</a> ({})',
            change_url(target),
            target._meta.verbose_name,
            target,
            target.get_state_display().lower(),
        )

    @admin.display(description="Story")
    def story_link(self, obj):
        url = story_url(obj)
        return format_html('<a href="{}">Review the story</a>', url) if url else "—"

    @admin.display(description="Live → pending")
    def changes(self, obj):
        from django.template.loader import render_to_string

        target = pending.target_of(obj)
        return render_to_string(
            "admin/_pending_diff.html", {"changes": pending.describe(target, obj.data)}
        )

    @admin.display(description="Who changed what")
    def edits(self, obj):
        entries = AuditEntry.objects.for_instance(obj).filter(action="pending.edit")
        if not entries:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {}: {}{}</li>",
                (
                    (
                        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                        e.actor_name,
                        ", ".join(e.data.get("fields", [])),
                        f" ({e.note})" if e.note else "",
                    )
                    for e in entries
                ),
            ),
        )

    def transition_view(self, request, object_id, action):
        # Pending changes of an article are the story's: decided on the story page,
        # which lists what happens to every part.
        obj = self.get_object(request, unquote(object_id))
        story_action = request.method == "GET" and action in story.STORY_ACTIONS
        if obj is not None and story_action and story.story_article(obj):
            url = reverse("admin:articles_article_story", args=[obj.object_id])
            return HttpResponseRedirect(f"{url}?action={action}")
        return super().transition_view(request, object_id, action)


@admin.register(Correction)
class CorrectionAdmin(DateSafeChangeListMixin, admin.ModelAdmin):
    """Published corrections, updates and clarifications, read-only: a note goes public
    with its pending changes, and is part of the record from then on."""

    list_display = ("published_at", "kind", "article", "short_text", "language")
    list_select_related = ("article",)
    list_filter = ("kind", "language")
    search_fields = ("text", "article__title")
    date_hierarchy = "published_at"
    # Read-only, field by field: the form offers no choice of article at all.
    fields = ("article", "kind", "text", "language", "published_at", "published_by")
    readonly_fields = fields

    @admin.display(description="Text")
    def short_text(self, obj):
        return obj.text[:90] + ("…" if len(obj.text) > 90 else "")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

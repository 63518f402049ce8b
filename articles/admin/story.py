"""The story page (/admin/articles/article/<pk>/story/) and the review queue's bulk
confirmation (/admin/review/stories/): an article and its parts reviewed as one.

Each page lists every part of each story and what the action will do to it (from
`articles.stories.preview_story`, the plan the workflow then carries out), lets the
editor hold parts back (with the note), write the correction to publish with pending
changes, and confirm. The page carries a fingerprint of the parts' states and versions:
when anything changed since it was drawn, nothing is done and the page is shown again
with what will happen now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import pending, permissions
from articles.admin.moderation import STORY_CHANGED
from articles.admin.pending import change_url
from articles.models import Article, PendingChange, TranslationVersion
from articles.site.views import preview_url
from articles.stories import StoryPreview, available_story_actions, preview_story, transition_story
from articles.translations.admin import review_url
from articles.workflow import TRANSITIONS, Transition, WorkflowError

# The action a story page offers first, when it is available.
PRIMARY = ("publish", "approve", "submit")
BULK_ACTIONS = ("approve", "publish")
PAST = {
    "submit": "submitted", "withdraw": "withdrawn", "approve": "approved",
    "request_changes": "sent back", "reject": "rejected", "schedule": "scheduled",
    "publish": "published", "unpublish": "unpublished", "reopen": "reopened",
    "schedule_unpublish": "scheduled to be unpublished",
    "cancel_unpublish": "no longer scheduled to be unpublished",
}  # fmt: skip


class StoryForm(forms.Form):
    """A story action: its note, time, correction, and the page's fingerprint."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Kept in the audit trail; also the note of any part held back.",
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="When",
        help_text="Leave empty for now; a future time (in your time zone) schedules it.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    correction_kind = forms.ChoiceField(
        required=False,
        label="Public note",
        choices=[("", "None"), *PendingChange.CorrectionKind.choices],
    )
    correction_text = forms.CharField(
        required=False,
        label="Text of the note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Readers see it at the foot of the article, dated (2,000 characters "
        "at most; translators translate it).",
    )

    def __init__(self, *args, transition: Transition, with_correction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.note_required:
            self.fields["note"].required = True
            self.fields["note"].help_text = "Required: tell the author what to change or why."
        if transition.needs_time:
            self.fields["publish_at"].required = True
            # Read in the person's own time zone (articles.desk.UserTimeZoneMiddleware).
            zone = timezone.get_current_timezone_name()
            self.fields[
                "publish_at"
            ].help_text = f"A time in the future, in your time zone ({zone})."
        elif transition.name not in {"publish", "unpublish"}:
            del self.fields["publish_at"]
        if not with_correction:
            del self.fields["correction_kind"], self.fields["correction_text"]

    def correction(self) -> dict | None:
        kind = self.cleaned_data.get("correction_kind") or ""
        text = self.cleaned_data.get("correction_text") or ""
        return {"kind": kind, "text": text} if kind or text.strip() else None


@dataclass
class StoryEntry:
    """One story on a confirmation page."""

    article: Article
    preview: StoryPreview
    hold: set[str] = field(default_factory=set)

    @property
    def rows(self) -> list[dict]:
        rows = []
        for step in self.preview.steps:
            rows.append(
                {
                    "step": step,
                    "url": _part_url(step.part),
                    "pending_url": change_url(step.subject) if step.pending else "",
                    "can_hold": bool(step.actions) or step.held,
                    "held": step.held or step.key in self.hold,
                    "changes": pending.describe(step.part, step.subject.data)
                    if step.pending
                    else [],
                }
            )
        return rows

    @property
    def root_row(self) -> dict:
        """What the action does to the article (or its pending changes)."""
        root, action = self.preview.root, self.preview.action
        if root is None:
            return {
                "label": "The article",
                "state": self.article.state,
                "state_label": self.article.get_state_display(),
                "outcome": "stays published (no pending changes): only the parts waiting",
            }
        t = TRANSITIONS.get(action)
        label = "Its pending changes" if isinstance(root, PendingChange) else "The article"
        before = root.get_state_display().lower()
        if t is None or t.target is None:
            outcome = f"stays {before}" + (" (scheduled)" if action == "schedule" else "")
        else:
            outcome = f"{before} → {t.target.label.lower()}"
        return {
            "label": label,
            "state": root.state,
            "state_label": root.get_state_display(),
            "outcome": outcome,
            "url": change_url(root),
        }

    @property
    def holdable(self) -> bool:
        return self.preview.action in {"approve", "schedule", "publish"}

    @property
    def root_changes(self):
        root = self.preview.root
        if isinstance(root, PendingChange):
            return pending.describe(self.article, root.data)
        return []

    @property
    def url(self) -> str:
        return reverse("admin:articles_article_story", args=[self.article.pk])


def _part_url(part) -> str:
    if isinstance(part, TranslationVersion):
        return review_url(part)
    return change_url(part)


def _article(request: HttpRequest, pk) -> Article:
    queryset = permissions.owned_by(request.user, Article.objects.all())
    article = queryset.filter(pk=pk).first()
    if article is None:
        raise Http404("No such article.")
    return article


def story_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One story: its parts, what an action does to each, the action's form."""
    article = _article(request, pk)
    available = available_story_actions(article, request.user)
    names = [t.name for t in available]
    action = request.POST.get("action") or request.GET.get("action") or ""
    if action not in names:
        # Offered first: what moves the story on (anything else is a click away).
        action = next((name for name in PRIMARY if name in names), "")
    if request.method == "POST" and action not in names:
        raise PermissionDenied
    t = TRANSITIONS.get(action)
    hold = set(request.POST.getlist("hold")) if request.method == "POST" else set()
    entry = StoryEntry(article, preview_story(article, action, by=request.user), hold)
    form = None
    if t is not None:
        with_correction = isinstance(entry.preview.root, PendingChange) and action in {
            "approve",
            "publish",
        }
        form = StoryForm(
            request.POST if request.method == "POST" else None,
            transition=t,
            with_correction=with_correction,
            initial={"fingerprint": entry.preview.fingerprint},
        )
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["fingerprint"] != entry.preview.fingerprint:
                form.add_error(None, _CHANGED)
            else:
                try:
                    transition_story(
                        article,
                        action,
                        by=request.user,
                        note=form.cleaned_data["note"],
                        publish_at=form.cleaned_data.get("publish_at"),
                        hold=hold,
                        correction=form.correction(),
                    )
                except WorkflowError as error:
                    form.add_error(None, str(error))
                else:
                    article.refresh_from_db()
                    messages.success(request, _done(article, action, hold))
                    return HttpResponseRedirect(entry.url)
            # Shown again with the story as it is now (a fresh fingerprint).
            entry = StoryEntry(article, preview_story(article, action, by=request.user), hold)
            form.data = form.data.copy()
            form.data["fingerprint"] = entry.preview.fingerprint
    context = {
        **admin.site.each_context(request),
        "title": f"Story: {article}",
        "opts": Article._meta,
        "entries": [entry],
        "article": article,
        "action": t,
        "actions": available,
        "form": form,
        "change_url": change_url(article),
        "preview_url": preview_url(article),
        "single": True,
    }
    return TemplateResponse(request, "admin/articles/article/story.html", context)


_CHANGED = STORY_CHANGED


def _done(article: Article, action: str, hold: set[str]) -> str:
    held = f" {len(hold)} part{'s' if len(hold) != 1 else ''} held back." if hold else ""
    return f"“{article}”: story {PAST.get(action, action)}.{held}"


def stories_confirm_view(request: HttpRequest) -> HttpResponse:
    """Approve or publish several stories at once (the review queue's bulk actions)."""
    if not permissions.can_review(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    if action not in BULK_ACTIONS:
        raise Http404("Unknown action.")
    ids = [int(i) for i in data.getlist("story") if i.isascii() and i.isdigit()][:200]
    articles = list(permissions.owned_by(request.user, Article.objects.filter(pk__in=ids)))
    entries, done, errors = [], [], []
    for article in articles:
        hold = set(data.getlist(f"hold-{article.pk}")) if request.method == "POST" else set()
        entry = StoryEntry(article, preview_story(article, action, by=request.user), hold)
        if request.method == "POST" and "confirm" in data:
            if data.get(f"fingerprint-{article.pk}") != entry.preview.fingerprint:
                errors.append(f"“{article}”: {_CHANGED}")
            else:
                try:
                    transition_story(
                        article, action, by=request.user, note=data.get("note", "")[:5000],
                        hold=hold,
                    )  # fmt: skip
                except WorkflowError as error:
                    errors.append(f"“{article}”: {error}")
                else:
                    done.append(_done(article, action, hold))
                    continue
            entry = StoryEntry(article, preview_story(article, action, by=request.user), hold)
        entries.append(entry)
    for message in done:
        messages.success(request, message)
    if request.method == "POST" and "confirm" in data and not entries:
        return HttpResponseRedirect(reverse("admin:review_queue"))
    context = {
        **admin.site.each_context(request),
        "title": f"{TRANSITIONS[action].label} stories",
        "opts": Article._meta,
        "entries": entries,
        "action": TRANSITIONS[action],
        "errors": errors,
        "single": False,
    }
    return TemplateResponse(request, "admin/articles/article/story.html", context)

"""The desk on every change page: the item's thread, its assignment, and (for a story)
its outside sign-off links; and the small POST views behind them.

`desk_context(request, obj)` is what a change page (or the side-by-side review) adds
to its context; the views (URLs in `NewsroomAdminSite.get_urls`) post a comment,
resolve one, assign / claim / release, issue / revoke a sign-off link, each returning
to the page the person was on.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles import permissions
from articles.assignments import actions as assignments
from articles.assignments.models import Assignment
from articles.comments import threads
from articles.comments.models import Comment
from articles.models import Analyst, Article, Attribution
from articles.roles import Role
from articles.signoff import links as signoff
from articles.signoff.models import SignoffLink, StatementCheck
from articles.workflow import moderated_models


def _target(content_type_id: int, object_id: int) -> Model:
    """The moderated item named in a URL; 404 for anything else."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such item.") from None
    if model not in moderated_models():
        raise Http404("No such item.")
    return get_object_or_404(model, pk=object_id)


def _back(request: HttpRequest, obj: Model | None = None) -> HttpResponse:
    """Back where the person was (the `next` they posted), or the item's page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if not target and obj is not None:
        opts = obj._meta
        target = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return HttpResponseRedirect(target or reverse("admin:index"))


def reviewers():
    """The people reviews can be assigned to: active editors."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.EDITOR) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


class AssignmentForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, empty_label=None, label="Reviewer")
    due_on = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    priority = forms.TypedChoiceField(
        choices=Assignment.Priority.choices, coerce=int, initial=Assignment.Priority.NORMAL
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()


def desk_context(request: HttpRequest, obj: Model, *, with_parts: bool | None = None) -> dict:
    """The thread, the assignment and the sign-off links of `obj` for its page."""
    user = request.user
    if obj is None or obj.pk is None or not permissions.can_see(user, obj):
        return {}
    if with_parts is None:
        with_parts = isinstance(obj, Article)
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    context = {
        "desk_object": obj,
        "desk_ct": ct.pk,
        "thread": threads.thread(obj, user, with_parts=with_parts),
        "can_comment": permissions.can_comment(user, obj),
        "anchor_choices": threads.anchor_choices(obj),
        "here": request.get_full_path(),
    }
    if assignments.is_assignable(obj):
        current = assignments.assignment_of(obj)
        context["assignment"] = current
        if permissions.can_assign(user):
            initial = (
                {
                    "assignee": current.assignee,
                    "due_on": current.due_on,
                    "priority": current.priority,
                }
                if current
                else {"assignee": user}
            )
            context["assignment_form"] = AssignmentForm(initial=initial)
    if isinstance(obj, Article) and permissions.can_send_signoff(user):
        context["signoff_links"] = [
            {"link": link, "url": request.build_absolute_uri(signoff.url_for(link))}
            for link in obj.signoff_links.select_related("analyst")
        ]
        context["signoff_analysts"] = list(signoff.analysts_to_ask(obj))
        context["signoff_days"] = signoff.DEFAULT_DAYS
        context["signoff_open"] = obj.state not in {"published", "archived", "rejected"}
    return context


@require_POST
def post_comment(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    obj = _target(content_type_id, object_id)
    if not permissions.can_see(request.user, obj):
        raise Http404("No such item.")
    parent = None
    if request.POST.get("parent", "").isdigit():
        parent = Comment.objects.filter(pk=int(request.POST["parent"])).first()
    try:
        threads.post(
            obj,
            by=request.user,
            body=request.POST.get("body", ""),
            parent=parent,
            anchor=request.POST.get("anchor", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Comment posted.")
    return _back(request, obj)


@require_POST
def resolve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    target = comment.target
    if target is None or not permissions.can_see(request.user, target):
        raise Http404("No such comment.")
    reopen = request.POST.get("reopen") == "1"
    threads.resolve(comment, by=request.user, resolved=not reopen)
    messages.success(request, "Comment reopened." if reopen else "Comment resolved.")
    return _back(request, target)


@require_POST
def assign(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    obj = _target(content_type_id, object_id)
    if not permissions.can_assign(request.user):
        raise PermissionDenied
    what = request.POST.get("do", "assign")
    try:
        if what == "claim":
            assignments.claim(obj, by=request.user)
            messages.success(request, f"You are on “{obj}”.")
        elif what == "release":
            assignments.release(obj, by=request.user)
            messages.success(request, f"“{obj}” is assigned to nobody now.")
        else:
            form = AssignmentForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose a reviewer, and a due date like 2026-12-01.")
                return _back(request, obj)
            data = form.cleaned_data
            done = assignments.assign(
                obj,
                to=data["assignee"],
                by=request.user,
                due_on=data["due_on"],
                priority=data["priority"],
            )
            messages.success(request, f"“{obj}” is assigned to {done.assignee.get_username()}.")
    except PermissionDenied as error:
        messages.error(request, str(error))
    return _back(request, obj)


@require_POST
def issue_signoff(request: HttpRequest, article_id: int) -> HttpResponse:
    if not permissions.can_send_signoff(request.user):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=article_id)
    analyst = Analyst.objects.filter(pk=request.POST.get("analyst") or 0).first()
    raw_days = request.POST.get("days", "")
    days = int(raw_days) if raw_days.isdigit() else signoff.DEFAULT_DAYS
    try:
        if analyst is None:
            raise ValidationError("Choose whose statements to check.")
        link = signoff.issue(
            article,
            analyst,
            by=request.user,
            recipient_name=request.POST.get("recipient_name", ""),
            note=request.POST.get("note", ""),
            days=days,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        url = request.build_absolute_uri(signoff.url_for(link))
        messages.success(
            request,
            f"Sign-off link for {link.recipient_name}, valid until "
            f"{link.expires_at:%Y-%m-%d %H:%M} UTC: {url} — send it to them yourself.",
        )
    return _back(request, article)


@require_POST
def revoke_signoff(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_send_signoff(request.user):
        raise PermissionDenied
    link = get_object_or_404(SignoffLink, pk=pk)
    signoff.revoke(link, by=request.user)
    messages.success(request, f"The link for {link.recipient_name} no longer works.")
    return _back(request, link.article)


def statement_checks(attributions: list[Attribution]) -> dict[int, object]:
    """The latest outside answer on each statement ("Confirmed by … on …")."""
    latest: dict[int, object] = {}
    for check in StatementCheck.objects.filter(attribution__in=attributions).select_related("link"):
        latest.setdefault(check.attribution_id, check)
    return latest

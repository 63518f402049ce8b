"""The small POST views behind the desk on a change page (URLs in
`NewsroomAdminSite.get_urls`): assign / claim / release, issue / revoke a sign-off
link, each returning to the page the person was on. Comments: `articles.comments.views`;
what the page shows: `articles.desk.desk_context`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from articles import permissions
from articles.assignments import actions as assignments
from articles.comments.views import back as _back
from articles.comments.views import target_of as _target
from articles.desk import AssignmentForm
from articles.models import Analyst, Article, Attribution
from articles.signoff import links as signoff
from articles.signoff.models import SignoffLink, StatementCheck


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

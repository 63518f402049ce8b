"""Each role's desk.

- `home` sends a signed-in person to their own desk (the login page's destination):
  editors and contributors to the admin (its index is the editors' dashboard or the
  contributor's "My work", `articles.admin.dashboard`), translators to /translate/.
- `desk_context` is what an item's page shows below it: its thread, its assignment
  and, for a story, its outside sign-off links (admin change pages, the side-by-side
  review, the workspace's version page).
- `UserTimeZoneMiddleware` shows and reads dates in each person's time zone.
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.assignments import actions as assignments
from articles.assignments.models import Assignment
from articles.comments import threads
from articles.models import Article
from articles.notifications.models import Preferences
from articles.roles import Role, roles_of
from articles.signoff import links as signoff


def desk_url(user) -> str:
    roles = roles_of(user)
    if user.is_staff and (Role.EDITOR in roles or Role.CONTRIBUTOR in roles):
        return "admin:index"
    if permissions.can_use_workspace(user):
        return "translate:index"
    return "notifications:index"  # a signed-in person with no desk: at least their news


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(desk_url(request.user))


class UserTimeZoneMiddleware:
    """Show and read dates in the signed-in person's own time zone (their preferences),
    so an editor schedules in local time. The newsroom's TIME_ZONE otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        name = self.time_zone_name(request)
        if name:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)

    @staticmethod
    def time_zone_name(request: HttpRequest) -> str:
        """The person's time zone: kept in the session at sign-in (`remember_time_zone`)
        and by the preferences page, so a request asks the database nothing."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            return session[SESSION_KEY]
        return time_zone_of(user)  # a session from before this feature


SESSION_KEY = "desk_time_zone"


def time_zone_of(user) -> str:
    return Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""


def remember_time_zone(sender, request, user, **kwargs) -> None:
    """On sign-in (`user_logged_in`, connected in `ArticlesConfig.ready`): keep the
    person's time zone in their session for `UserTimeZoneMiddleware`."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = time_zone_of(user)


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


def desk_context(
    request: HttpRequest,
    obj: Model,
    *,
    with_parts: bool | None = None,
    workspace: bool = False,
) -> dict:
    """The thread, the assignment and the sign-off links of `obj` for its page
    (`workspace`: the translators' workspace, where comments post to its own URLs)."""
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
        "anchor": request.GET.get("anchor", ""),
        "here": request.get_full_path(),
        "workspace": workspace,
        "comment_url": (
            reverse("translate:comment", args=[obj.pk])
            if workspace
            else reverse("admin:desk_comment", args=[ct.pk, obj.pk])
        ),
    }
    if workspace:
        return context
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

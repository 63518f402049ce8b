"""Where each role starts its day: `home` sends a signed-in person to their own desk.

Editors and contributors work in the admin (its index is the editors' dashboard or
the contributor's "My work", `articles.admin.dashboard`); translators in the
workspace at /translate/. The login page's default destination.
"""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from articles import permissions
from articles.notifications.models import Preferences
from articles.roles import Role, roles_of


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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()
            if name:
                try:
                    zone = zoneinfo.ZoneInfo(name)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    zone = None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)

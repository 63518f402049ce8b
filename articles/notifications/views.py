"""The notifications list (/notifications/) and the preferences page, for every
signed-in person: in the admin's frame for staff, the workspace's for translators."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles.notifications.models import Notification, Preferences

LIMIT = 100


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _frame(request: HttpRequest) -> dict:
    """The page's frame: the admin's for staff, the translators' workspace otherwise."""
    if request.user.is_staff:
        return {**admin.site.each_context(request), "base_template": "admin/base_site.html"}
    return {"base_template": "translate/base.html"}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    notifications = list(Notification.objects.filter(recipient=request.user)[:LIMIT])
    return render(
        request,
        "desk/notifications.html",
        {
            **_frame(request),
            "title": "Notifications",
            "notifications": notifications,
            "unread": sum(1 for n in notifications if n.read_at is None),
        },
    )


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    path = notification.path
    if not path or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        raise Http404("This notification points nowhere.")
    return redirect(path)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:index")


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", "The newsroom's time zone (UTC)")] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        required=False,
        help_text="Dates and scheduling times are shown and entered in this time zone.",
    )

    class Meta:
        model = Preferences
        fields = ("email", "time_zone")
        widgets = {"email": forms.RadioSelect}


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    # Created by the first save: showing the page writes nothing.
    prefs = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session["desk_time_zone"] = form.cleaned_data["time_zone"]  # articles.desk
        messages.success(request, "Your preferences were saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "desk/preferences.html",
        {
            **_frame(request),
            "title": "Your preferences",
            "form": form,
            "has_email": bool(request.user.email),
        },
        status=400 if form.errors else 200,
    )

"""The limit on password guessing, the same at every door where people sign in.

After `PER_USERNAME` (10) failed sign-ins for one username, or `PER_ADDRESS` (30) from
one client address, within `WINDOW` (15 minutes), further attempts are refused, even
with the right password, until the window has passed: at /accounts/login/,
/admin/login/ and POST /api/v1/auth/token/, and wherever else Django's `authenticate()`
is given a username and a password. Refused attempts are not counted, so the lock ends
`WINDOW` after the failures that caused it.

- `SignInLimitBackend` (AUTHENTICATION_BACKENDS) is Django's ModelBackend with the rule
  in front: it raises `SignInLocked` before any password is checked, and records a
  failure when the password is wrong.
- `SignInLimitMiddleware` turns `SignInLocked` into a 429 page saying when to try again;
  the API answers its own 429 (`articles.api.errors`).

Failures are rows in the database (`SignInFailure`), so every server process counts
the same ones. django-axes was considered: it has one failure limit for all its lockout
parameters, where the rule needs 10 per username and 30 per address.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import SignInFailure

WINDOW = timedelta(minutes=15)
PER_USERNAME = 10
PER_ADDRESS = 30


def now() -> datetime:
    """The rule's clock (the tests move it)."""
    return timezone.now()


class SignInLocked(Exception):
    """Too many recent failures for this username or from this address."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(
            f"Too many failed sign-ins: try again after {until:%H:%M} UTC "
            f"(in {self.minutes} minute{'s' if self.minutes != 1 else ''})."
        )

    @property
    def wait(self) -> int:
        """Seconds until the lock ends (at least 1): the `Retry-After` header."""
        return max(1, math.ceil((self.until - now()).total_seconds()))

    @property
    def minutes(self) -> int:
        return math.ceil(self.wait / 60)


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry that the
    NEWSROOM_TRUSTED_PROXIES proxies in front of the site vouch for (the one the first
    of them appended). The same rule as DRF's throttles (REST_FRAMEWORK NUM_PROXIES)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    return entries[-min(proxies, len(entries))][:64]


def locked_until(username: str, address: str) -> datetime | None:
    """When attempts for `username` from `address` are allowed again; None if they are."""
    recent = SignInFailure.objects.filter(at__gt=now() - WINDOW)
    limits = [(recent.filter(username=username[:150]), PER_USERNAME)]
    if address:
        limits.append((recent.filter(address=address), PER_ADDRESS))
    ends = []
    for failures, limit in limits:
        # Locked while `limit` failures are in the window: until the limit-th most
        # recent one leaves it.
        oldest_that_counts = list(
            failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]
        )
        if oldest_that_counts:
            ends.append(oldest_that_counts[0] + WINDOW)
    return max(ends, default=None)


def record_failure(username: str, address: str) -> None:
    at = now()
    SignInFailure.objects.create(username=username[:150], address=address, at=at)
    SignInFailure.objects.filter(at__lte=at - WINDOW).delete()


class SignInLimitBackend(ModelBackend):
    """Django's ModelBackend, refusing while the limit holds and counting failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request)
        until = locked_until(username, address)
        if until is not None:
            # Not PermissionDenied: authenticate() would swallow it and the form would
            # say "wrong password". This one reaches the view's caller, who says when
            # to try again.
            raise SignInLocked(until)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        return user


class SignInLimitMiddleware:
    """The sign-in pages' answer to `SignInLocked`: 429, and when to try again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, SignInLocked):
            return None
        context = {"until": exception.until, "minutes": exception.minutes}
        response = render(request, "accounts/signin_locked.html", context, status=429)
        response["Retry-After"] = str(exception.wait)
        return response

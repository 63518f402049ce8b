"""`unread_notifications` in every template: counted only when a template uses it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from articles.notifications.views import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}

"""E-mail to the people whose work an editor decided on.

Called by `articles.workflow.transition` through `transaction.on_commit`, so nothing is
sent for a change that rolled back, and a mail server that is down never undoes one.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Model
from django.urls import reverse

logger = logging.getLogger(__name__)

SUBJECTS = {
    "approve": "Approved",
    "request_changes": "Changes requested",
    "reject": "Rejected",
    "publish": "Published",
    "unpublish": "Unpublished",
}
# Publishing cascades to every approved part of an article: tell the authors of the
# article and of translations, not of each attribution or block.
ANNOUNCED_PUBLICATIONS = {"article", "translationversion"}


def recipients(obj: Model, by) -> list:
    people = [getattr(obj, "author", None), getattr(obj, "translator", None)]
    seen, result = set(), []
    for person in people:
        if person is None or not person.email or person.pk in seen:
            continue
        if by is not None and person.pk == getattr(by, "pk", None):
            continue  # nobody needs a mail about their own action
        seen.add(person.pk)
        result.append(person)
    return result


def where_to_look(obj: Model) -> str:
    opts = obj._meta
    if opts.model_name == "translationversion":
        path = reverse("translate:version", args=[obj.pk])
    else:
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return settings.NEWSROOM_SITE_URL.rstrip("/") + path


def notify_transition(obj: Model, action: str, *, by, note: str = "") -> None:
    """Mail the author (and translator) of `obj` that `action` was applied by `by`."""
    if action not in SUBJECTS:
        return
    if action in {"publish", "unpublish"} and obj._meta.model_name not in ANNOUNCED_PUBLICATIONS:
        return
    people = recipients(obj, by)
    if not people:
        return
    actor = by.get_username()
    kind = obj._meta.verbose_name
    lines = [
        f"{SUBJECTS[action]}: your {kind} “{obj}”, by {actor}.",
        "",
        *([f"Note: {note}", ""] if note else []),
        f"See it here: {where_to_look(obj)}",
    ]
    try:
        send_mail(
            subject=f"[Newsroom] {SUBJECTS[action]}: {str(obj)[:120]}",
            message="\n".join(lines),
            from_email=None,
            recipient_list=[person.email for person in people],
        )
    except Exception:  # a mail server being down must not break the editorial desk
        logger.exception("could not send the %s notification for %s %s", action, kind, obj.pk)

"""Issuing, resolving, answering and revoking outside sign-off links.

A link's URL carries a `django.core.signing` signature of the link's id and a random
nonce (salted for this purpose): without the secret key nobody can forge one, and guessing ids gets
nothing. The row decides whether the signed link still works: it expires
(`DEFAULT_DAYS`), it can be revoked, and it dies with its story (rejected, unpublished,
deleted). A link shows one story and answers for one analyst's statements in it.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles import permissions
from articles.assignments.actions import assignment_of
from articles.comments.models import Comment
from articles.control_characters import control_characters_in
from articles.models import Analyst, Article, Attribution, AuditEntry
from articles.notifications.events import editor_path, notify_signoff
from articles.signoff.models import SignoffLink, StatementCheck
from articles.states import CLOSED, PUBLIC, State

SALT = "newsroom.signoff.link"
DEFAULT_DAYS = 7
MAX_DAYS = 30
# The statements an outside person is shown: what is (or may soon be) published.
SHOWN_STATES = (State.IN_REVIEW, State.APPROVED, State.PUBLISHED)


def token_for(link: SignoffLink) -> str:
    """The same token every time for a link (no time stamp: its row says when it
    expires), so the editor can copy it again from the story's page."""
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "n": link.nonce})


def url_for(link: SignoffLink) -> str:
    return reverse("signoff:page", args=[token_for(link)])


def analysts_to_ask(article: Article):
    """Analysts with a statement in the story (not rejected or unpublished)."""
    return (
        Analyst.objects.filter(attributions__article=article)
        .exclude(attributions__state__in=CLOSED)
        .distinct()
        .order_by("name")
    )


def _audit(article: Article, action: str, by, data: dict) -> None:
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=article.pk,
        action=action,
        actor=by if getattr(by, "pk", None) else None,
        actor_name=by.get_username(),
        data=data,
    )


def issue(
    article: Article,
    analyst: Analyst,
    *,
    by,
    recipient_name: str = "",
    note: str = "",
    days: int = DEFAULT_DAYS,
) -> SignoffLink:
    """A new link for `analyst` to check their statements in `article` (unpublished).

    Audited on the article (`signoff.issue`). Raises PermissionDenied (not an editor)
    or ValidationError (a published or closed story, an analyst not in it, a bad
    duration).
    """
    if not permissions.can_send_signoff(by):
        raise PermissionDenied("Only editors send sign-off links.")
    if article.state in PUBLIC or article.state in CLOSED:
        raise ValidationError("Sign-off links are for stories not published yet.")
    if not analysts_to_ask(article).filter(pk=analyst.pk).exists():
        raise ValidationError(f"{analyst} has no statement in this story.")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"A link lasts between 1 and {MAX_DAYS} days.")
    now = timezone.now()
    with transaction.atomic():
        link = SignoffLink.objects.create(
            article=article,
            analyst=analyst,
            recipient_name=(recipient_name or analyst.name).strip()[:200],
            note=note.strip(),
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        _audit(
            article,
            "signoff.issue",
            by,
            {"recipient": link.recipient_name, "expires": link.expires_at.isoformat()},
        )
    return link


def revoke(link: SignoffLink, *, by) -> None:
    if not permissions.can_send_signoff(by):
        raise PermissionDenied("Only editors revoke sign-off links.")
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
        _audit(link.article, "signoff.revoke", by, {"recipient": link.recipient_name})


def resolve(token: str) -> SignoffLink | None:
    """The working link `token` names, or None (forged, expired, revoked, or its story
    gone, published or closed): callers answer 404 alike, saying nothing more."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        pk, nonce = int(data["l"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    link = SignoffLink.objects.select_related("article", "analyst").filter(pk=pk).first()
    if link is None or link.nonce != nonce or not link.is_active():
        return None
    if link.article.state in CLOSED:
        return None
    return link


def statements_for(link: SignoffLink):
    """The story's statements as they would be published, the analyst's first marked."""
    return (
        Attribution.objects.filter(article=link.article)
        .filter(state__in=SHOWN_STATES)
        .select_related("analyst", "analyst__institution")
        .order_by("order", "id")
    )


def own_statements(link: SignoffLink):
    return statements_for(link).filter(analyst=link.analyst)


def latest_checks(link: SignoffLink) -> dict[int, StatementCheck]:
    checks: dict[int, StatementCheck] = {}
    for check in StatementCheck.objects.filter(link__article=link.article):
        checks.setdefault(check.attribution_id, check)
    return checks


def answer(
    link: SignoffLink, attribution_id: int, *, verdict: str, comment: str = ""
) -> StatementCheck:
    """Record the outside person's answer on one of their statements.

    Side effects: a `signoff` comment in the story's thread, on the statement; the
    link's creator and the story's assignee are told. Raises ValidationError for a
    statement not theirs in this story, an unknown verdict, a flag without a comment.
    """
    statement = own_statements(link).filter(pk=attribution_id).first()
    if statement is None:
        raise ValidationError("No such statement to check here.")
    if verdict not in StatementCheck.Verdict.values:
        raise ValidationError("Choose confirm or flag.")
    comment = (comment or "").strip()
    if verdict == StatementCheck.Verdict.FLAGGED and not comment:
        raise ValidationError("Say what is wrong, so the editors can fix it.")
    if control_characters_in(comment) or len(comment) > 5000:
        raise ValidationError("The comment holds characters or a length we cannot keep.")
    now = timezone.now()
    with transaction.atomic():
        check = StatementCheck.objects.create(
            link=link, attribution=statement, verdict=verdict, comment=comment, answered_at=now
        )
        word = "confirmed" if verdict == StatementCheck.Verdict.CONFIRMED else "flagged"
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(Attribution),
            object_id=statement.pk,
            article=link.article,
            author=None,
            author_name=f"{link.recipient_name} (outside sign-off)",
            kind=Comment.Kind.SIGNOFF,
            body=f"{word.capitalize()} the statement." + (f" {comment}" if comment else ""),
        )
        people = [link.created_by]
        assignment = assignment_of(link.article)
        if assignment is not None:
            people.append(assignment.assignee)
        title = f"{link.recipient_name} {word} a statement in “{str(link.article)[:100]}”"
        body = f"“{statement.statement[:200]}”" + (f"\n\n{comment}" if comment else "")
        path = editor_path(link.article) + "#thread"
        transaction.on_commit(
            lambda: notify_signoff(people, title=title, body=body, path=path), robust=True
        )
    return check


def mark_opened(link: SignoffLink) -> None:
    SignoffLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())

"""Posting to and reading comment threads.

A thread is what was said about an item: its comments (with their replies) and the
notes of its workflow transitions, in one time line. A story's thread (an article's)
also gathers its parts' comments and notes, each saying what it is on. Everything
asks `articles.permissions.can_see`: a thread, a comment on a part, a mention, reach
only people who can see the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from articles import permissions, story
from articles.comments.models import Comment
from articles.control_characters import control_characters_in, describe
from articles.models import Article, AuditEntry, Section, TranslationVersion
from articles.notifications.events import notify_mentions, notify_reply
from articles.workflow import TRANSITIONS

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
MAX_LENGTH = 5000


def story_of(obj: models.Model) -> Article | None:
    if isinstance(obj, Article):
        return obj
    return getattr(obj, "article", None)


def _content_type(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def mentioned_users(body: str, target: models.Model) -> list:
    """The people `@named` in `body` who can see `target` (others are not told)."""
    names = {name.rstrip(".") for name in MENTION.findall(body)}
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return [user for user in users if permissions.can_see(user, target)]


def anchor_choices(target: models.Model) -> list[tuple[str, str]]:
    """The paragraphs a comment on `target` may be anchored to: ("2.3", "Section 2,
    paragraph 3: …"). For a translation version, the source's too ("source:2.3")."""
    choices: list[tuple[str, str]] = []
    if isinstance(target, Article):
        sections = [s.paragraphs for s in Section.objects.filter(article=target)]
        choices += _paragraph_choices(sections)
    elif isinstance(target, TranslationVersion):
        choices += _paragraph_choices([s.get("paragraphs", []) for s in target.sections])
        source = (target.source_snapshot or {}).get("sections", [])
        choices += _paragraph_choices(
            [s.get("paragraphs", []) for s in source], prefix="source:", label="Source "
        )
    return choices


def _paragraph_choices(sections, prefix: str = "", label: str = "") -> list[tuple[str, str]]:
    choices = []
    for s, paragraphs in enumerate(sections, start=1):
        for p, text in enumerate(paragraphs, start=1):
            excerpt = text if len(text) <= 60 else text[:60].rsplit(" ", 1)[0] + "…"
            choices.append((f"{prefix}{s}.{p}", f"{label}§{s} ¶{p}: {excerpt}"))
    return choices


def excerpt_of(target: models.Model, anchor: str) -> str:
    for value, text in anchor_choices(target):
        if value == anchor:
            return text.split(": ", 1)[1][:200]
    return ""


def post(
    target: models.Model,
    *,
    by,
    body: str,
    parent: Comment | None = None,
    anchor: str = "",
) -> Comment:
    """Add `by`'s comment to the thread of `target` (a reply when `parent` is given).

    Raises PermissionDenied when `by` may not see `target`, ValidationError for an
    empty or invalid body or anchor. Side effects, on commit: the mentioned people who
    can see the item are told; so are the parent comment's author (a reply) and the
    item's author (a comment by someone else).
    """
    if not permissions.can_comment(by, target):
        raise PermissionDenied("You cannot comment on this.")
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > MAX_LENGTH:
        raise ValidationError(f"A comment holds at most {MAX_LENGTH} characters.")
    if control_characters_in(body):
        raise ValidationError(
            f"Remove the control character {describe(control_characters_in(body))}."
        )
    if parent is not None:
        if (parent.content_type_id, parent.object_id) != (_content_type(target).pk, target.pk):
            raise ValidationError("That comment is in another thread.")
        parent = parent.parent or parent  # one level of replies
        anchor = parent.anchor
    if anchor and anchor not in dict(anchor_choices(target)):
        raise ValidationError("That paragraph no longer exists.")
    with transaction.atomic():
        comment = Comment.objects.create(
            content_type=_content_type(target),
            object_id=target.pk,
            article=story_of(target),
            parent=parent,
            author=by,
            author_name=by.get_username(),
            body=body,
            anchor=anchor,
            anchor_excerpt=excerpt_of(target, anchor) if anchor else "",
        )
        mentioned = mentioned_users(body, target)
        comment.mentions.set(mentioned)
        excerpt = body if len(body) <= 300 else body[:300] + "…"
        transaction.on_commit(
            lambda: notify_mentions(mentioned, target=target, excerpt=excerpt, by=by),
            robust=True,
        )
        told = {u.pk for u in mentioned}
        others = [parent.author if parent else None, getattr(target, "author", None)]
        others = [
            u
            for u in others
            if u is not None and u.pk not in told and permissions.can_see(u, target)
        ]
        transaction.on_commit(
            lambda: notify_reply(others, target=target, excerpt=excerpt, by=by),
            robust=True,
        )
    return comment


def resolve(comment: Comment, *, by, resolved: bool = True) -> Comment:
    """Mark a comment (and so its replies) resolved, or open it again."""
    if not permissions.can_comment(by, comment.target):
        raise PermissionDenied("You cannot resolve comments here.")
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = by if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@dataclass
class Entry:
    """One line of a thread: a comment (with its replies) or a transition note."""

    when: datetime
    who: str
    text: str
    kind: str  # "comment", "signoff" or "note"
    on: str = ""  # what it is on, when not the thread's own item
    anchor: str = ""
    excerpt: str = ""
    action: str = ""  # a note's workflow action, e.g. "Changes requested"
    comment: Comment | None = None
    replies: list[Entry] = field(default_factory=list)
    resolved: bool = False


def _targets(target: models.Model, with_parts: bool) -> list[models.Model]:
    if with_parts and isinstance(target, Article):
        return [target, *story.parts(target)]
    return [target]


def thread(target: models.Model, user, *, with_parts: bool = False) -> list[Entry]:
    """What `user` may read of the thread of `target`, oldest first."""
    if not permissions.can_see(user, target):
        return []
    items = [t for t in _targets(target, with_parts) if permissions.can_see(user, t)]
    by_key = {(_content_type(t).pk, t.pk): t for t in items}
    entries: list[Entry] = []
    comments = Comment.objects.none()
    for ct_id in {ct for ct, _ in by_key}:
        ids = [pk for ct, pk in by_key if ct == ct_id]
        comments = comments | Comment.objects.filter(content_type_id=ct_id, object_id__in=ids)
    tops: dict[int, Entry] = {}
    for c in comments.order_by("created_at", "id"):
        item = by_key[(c.content_type_id, c.object_id)]
        entry = Entry(
            when=c.created_at,
            who=c.author_name,
            text=c.body,
            kind=c.kind,
            on="" if item == target else _describe(item),
            anchor=c.anchor,
            excerpt=c.anchor_excerpt,
            comment=c,
            resolved=c.is_resolved,
        )
        if c.parent_id and c.parent_id in tops:
            tops[c.parent_id].replies.append(entry)
        else:
            tops[c.pk] = entry
            entries.append(entry)
    for item in items:
        for note in AuditEntry.objects.for_instance(item):
            if note.note:
                entries.append(
                    Entry(
                        when=note.created_at,
                        who=note.actor_name,
                        text=note.note,
                        kind="note",
                        on="" if item == target else _describe(item),
                        action=action_label(note),
                    )
                )
    entries.sort(key=lambda e: e.when)
    return entries


def _describe(item: models.Model) -> str:
    return f"{item._meta.verbose_name} “{str(item)[:60]}”"


def action_label(entry: AuditEntry) -> str:
    """An audit entry's action as people say it ("Changes requested", "Assigned")."""
    name = entry.action.partition(".")[2]
    if entry.action.startswith("moderation.") and name in TRANSITIONS:
        return TRANSITIONS[name].label
    return {"assign": "Assigned", "release": "Assignment removed"}.get(name, name)

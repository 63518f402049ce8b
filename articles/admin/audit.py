"""An object's audit trail as the admin shows it: who did what, when, from which state
to which, with the note."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.comments.threads import action_label
from articles.models import AuditEntry
from articles.states import State


def audit_trail_html(obj) -> str:
    if obj is None or obj.pk is None:
        return "—"
    entries = AuditEntry.objects.for_instance(obj).order_by("-created_at", "-id")
    if not entries:
        return "No workflow actions yet."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                e.actor_name,
                action_label(e),
                audit_change(e),
                e.note or "",
            )
            for e in entries
        ),
    )
    return format_html(
        '<table class="audit-trail"><thead><tr><th>When</th><th>Who</th><th>Action</th>'
        "<th>From → to</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


def audit_change(entry: AuditEntry) -> str:
    """What an audit entry changed, as people read it ("In review → Approved")."""
    data = entry.data
    if "from" in data or "to" in data:
        return f"{state_label(data.get('from', ''))} → {state_label(data.get('to', ''))}"
    if entry.action == "assignment.assign":
        due = f", due {data['due']}" if data.get("due") else ""
        return f"to {data.get('assignee', '')}{due} ({data.get('priority', '').lower()})"
    if entry.action.startswith("signoff."):
        return f"for {data.get('recipient', '')}"
    return data.get("previous", "")


def state_label(value: str) -> str:
    return State(value).label if value in State.values else value

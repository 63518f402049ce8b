"""The one moderation vocabulary shared by every moderated model, and its state groups.

Every "which states count as …" rule is a named group here; code elsewhere asks
`obj.state in GROUP` or filters with `state__in=GROUP` (readers' rules: `articles.querysets`).
"""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    # Unpublished: taken off the site (or, for a translation, replaced by a newer one).
    ARCHIVED = "archived", "Unpublished"


# States readers may ever see (further limited by the parent article being published).
PUBLIC = frozenset({State.PUBLISHED})
# States in which the author may still edit the content (and submit it).
EDITABLE_BY_AUTHOR = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
# States that wait for an editor.
AWAITING_EDITOR = frozenset({State.IN_REVIEW})
# Nobody has decided on it yet: a re-import may still change it (it stays or goes back
# in review).
UNDECIDED = EDITABLE_BY_AUTHOR | AWAITING_EDITOR
# Approved or live: a translation made from an older source is then outdated.
LIVE_OR_APPROVED = frozenset({State.APPROVED, State.PUBLISHED})
# Set aside: not going live again without a new decision (no new translations, no preview).
CLOSED = frozenset({State.ARCHIVED, State.REJECTED})
# What an editors' preview shows: everything that is, or could still become, public.
PREVIEWABLE = frozenset(State) - CLOSED
# A translator's own version in these states may be revised into a new version.
REVISABLE_TRANSLATION = frozenset({State.CHANGES_REQUESTED, State.APPROVED, State.PUBLISHED})
# Pending changes still open (not yet published, nor rejected): one such set per object.
OPEN_CHANGES = frozenset({State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED})

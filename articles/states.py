"""The one moderation vocabulary shared by every moderated model."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    ARCHIVED = "archived", "Archived"


# States in which the author may still edit the content.
EDITABLE_BY_AUTHOR = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
# States readers may ever see (further limited by the parent article being published).
PUBLIC = frozenset({State.PUBLISHED})
# States that wait for an editor.
AWAITING_EDITOR = frozenset({State.IN_REVIEW})

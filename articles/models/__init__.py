"""Articles, their texts and everything attached to them, one module per concern.

Moderated models share `Moderated`: their state is never a form field; it changes only
through `articles.workflow.transition`, which also writes the `AuditEntry`. The desk's
models (assignments, comments, notifications, sign-off) live beside their logic in
their own packages; they are imported here so the app registers them.
"""

from articles.assignments.models import Assignment
from articles.comments.models import Comment
from articles.models.base import (
    LANGUAGE_NAMES,
    WORKFLOW_FIELDS,
    AuditEntry,
    AuditEntryQuerySet,
    Moderated,
    language_name,
    shorten,
)
from articles.models.changes import CORRECTION_MAX_LENGTH, Correction, ImportWarning, PendingChange
from articles.models.images import Image, ImageText, ImageTranslation
from articles.models.localization import (
    GlossaryEntry,
    GlossaryRendering,
    LanguageGrant,
    MemorySegment,
    TranslationUnit,
)
from articles.models.reference import Analyst, Institution, Topic
from articles.models.snapshots import PageSnapshot
from articles.models.story import (
    Article,
    Attribution,
    EnrichmentBlock,
    Section,
    Text,
    join_paragraphs,
    split_paragraphs,
)
from articles.models.translation import TranslationVersion
from articles.notifications.models import Notification, Preferences
from articles.signoff.models import SignoffLink, StatementCheck

__all__ = [
    "CORRECTION_MAX_LENGTH",
    "LANGUAGE_NAMES",
    "WORKFLOW_FIELDS",
    "Analyst",
    "Article",
    "Assignment",
    "Attribution",
    "AuditEntry",
    "AuditEntryQuerySet",
    "Comment",
    "Correction",
    "EnrichmentBlock",
    "GlossaryEntry",
    "GlossaryRendering",
    "Image",
    "ImageText",
    "ImageTranslation",
    "ImportWarning",
    "Institution",
    "LanguageGrant",
    "MemorySegment",
    "Moderated",
    "Notification",
    "PageSnapshot",
    "PendingChange",
    "Preferences",
    "Section",
    "SignoffLink",
    "StatementCheck",
    "Text",
    "Topic",
    "TranslationUnit",
    "TranslationVersion",
    "join_paragraphs",
    "language_name",
    "shorten",
    "split_paragraphs",
]

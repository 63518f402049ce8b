"""When a translation is outdated, and what changed: its source since it was made, and
the text since its previous version."""

from __future__ import annotations

from django.db.models import F, QuerySet

from articles.diff import DiffLine, diff_texts
from articles.models import Text, TranslationVersion
from articles.states import LIVE_OR_APPROVED, State
from articles.translations.domain import snapshot_text, source_for


def outdated(queryset: QuerySet[TranslationVersion]) -> QuerySet[TranslationVersion]:
    """Approved or live versions made from an older revision of their article's text."""
    return queryset.filter(
        state__in=LIVE_OR_APPROVED, source_revision__lt=F("article__text_revision"), imported=False
    )


def is_outdated(version: TranslationVersion) -> bool:
    return version.state in LIVE_OR_APPROVED and version.is_outdated


def current_source(version: TranslationVersion) -> Text:
    """Today's text of what `version` was made from (to diff against its snapshot)."""
    article = version.article
    if version.source_snapshot.get("kind", "base") == "base":
        return article.base_text()
    source = source_for(article, version.language)
    if source.kind == "version" and source.text.version == version.version:
        return article.base_text()
    return source.text


def source_diff(version: TranslationVersion) -> list[DiffLine]:
    """How the source changed since the revision `version` was made from."""
    if not version.source_snapshot:
        return []
    return diff_texts(snapshot_text(version.source_snapshot), current_source(version))


def previous_text(version: TranslationVersion) -> Text | None:
    """The previous version in the same language (any submitted state), or None.

    Falls back to the article's base text when that is version 1 of this language.
    """
    previous = (
        TranslationVersion.objects.filter(
            article_id=version.article_id, language=version.language, version__lt=version.version
        )
        .exclude(state=State.DRAFT)
        .order_by("-version")
        .first()
    )
    if previous is not None:
        return previous.as_text()
    article = version.article
    if article.language == version.language and article.is_translated_copy:
        return article.base_text()
    return None


def diff_with_previous(version: TranslationVersion) -> tuple[Text | None, list[DiffLine]]:
    previous = previous_text(version)
    if previous is None:
        return None, []
    return previous, diff_texts(previous, version.as_text())

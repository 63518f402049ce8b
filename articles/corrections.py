"""Corrections: the public notes published with pending changes (a correction, an update
or a clarification), and what readers see of them.

A note is written on pending changes (`PendingChange.correction_kind/_text`, set in
the admin or given with "approve"/"publish"); publishing the pending changes publishes
it (`articles.workflow`). Readers see the notes of an article newest first at the foot
of its page, on /<lang>/corrections/, in the feed (the item's updated date), in the
JSON-LD (`correction`), in the API detail and in ninjs; each in the page's language
when the live translation carries the translated note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from articles.control_characters import control_characters_in, describe
from articles.models import CORRECTION_MAX_LENGTH, Article, Correction, PendingChange
from articles.states import PUBLIC

KINDS = PendingChange.CorrectionKind


def clean_correction(value) -> tuple[str, str]:
    """`{"kind", "text"}` checked: (kind, text), or ValidationError saying what is wrong.

    The kind is one of correction, update, clarification; the text is required, at
    most 2,000 characters, without control characters (other than tab and newlines).
    """
    if not isinstance(value, Mapping):
        raise ValidationError('Give the correction as {"kind": …, "text": …}.')
    kind, text = value.get("kind"), value.get("text")
    errors = []
    if kind not in KINDS.values:
        errors.append(f"The kind must be one of: {', '.join(KINDS.values)}.")
    if not isinstance(text, str) or not text.strip():
        errors.append("The text of the correction is required.")
    else:
        text = text.strip()
        if len(text) > CORRECTION_MAX_LENGTH:
            errors.append(
                f"The text is {len(text):,} characters long; {CORRECTION_MAX_LENGTH:,} at most."
            )
        if control_characters_in(text):
            errors.append(
                f"Remove the control character {describe(control_characters_in(text))} from "
                "the text."
            )
    if errors:
        raise ValidationError(errors)
    return kind, text


def publish_correction(pending: PendingChange, articles: list[Article], *, by, now) -> list:
    """Publish the note of `pending` (if it has one) on each of `articles`."""
    if not pending.correction_text:
        return []
    person = by if getattr(by, "pk", None) is not None else None
    return [
        Correction.objects.create(
            article=article,
            pending=pending,
            kind=pending.correction_kind,
            text=pending.correction_text,
            language=article.language,
            published_at=now,
            published_by=person,
        )
        for article in articles
    ]


@dataclass(frozen=True)
class ShownCorrection:
    """A correction as a page in one language shows it."""

    kind: str
    label: str  # "Correction", "Update", "Clarification" (English: templates translate)
    text: str
    language: str  # the language of `text`
    published_at: datetime


def shown(correction: Correction, language: str, versions=None) -> ShownCorrection:
    """`correction` for a page in `language`; `versions`: its article's live translation
    versions (default: through `correction.article`, prefetched by `for_page()`)."""
    text, text_language = correction.text_in(language, versions)
    return ShownCorrection(
        kind=correction.kind,
        label=correction.get_kind_display(),
        text=text,
        language=text_language,
        published_at=correction.published_at,
    )


def for_article(article: Article, language: str) -> list[ShownCorrection]:
    """The article's corrections, newest first, from `with_parts()`' prefetch (the live
    versions counted are those the prefetch holds: published ones for readers)."""
    versions = [v for v in article.translations.all() if v.state in PUBLIC]
    return [shown(c, language, versions) for c in article.corrections.all()]


def json_ld(article: Article, language: str) -> list[dict]:
    """schema.org `correction` of a NewsArticle: one CorrectionComment per note."""
    return [
        {
            "@type": "CorrectionComment",
            "text": f"{c.label}: {c.text}",
            "inLanguage": c.language,
            "datePublished": c.published_at.isoformat(),
        }
        for c in for_article(article, language)
    ]


def latest_at(article: Article) -> datetime | None:
    dates = [c.published_at for c in article.corrections.all()]
    return max(dates) if dates else None

"""Translations: what a version is made from, how it is numbered, when it goes stale.

`submit_translation()` and `save_translation_draft()` are the only code that creates or
edits a `TranslationVersion`; the workspace, the API and the tests call them. State
changes go through `articles.workflow.transition` like everything else.

Choices:
- Append-only: a version's text is never changed once it has been submitted. A draft
  (state `draft`) is editable by its translator until submitted; after "changes
  requested" the translator submits a NEW version (prefilled from the old one), and
  the old one stays as it was, with the editor's note, as the record of the review.
- Numbers: 1, 2, … per article and language, allocated when the row is created (a
  draft holds its number). When the article's base text is itself a translation in
  that language (imported copy with a credit), the base text is version 1.
- Source: the original-language text when the article has one (the base text when
  `article.language == article.original_language`); otherwise the live text the new
  version revises (`article.live_text(language)`), or the base text when that
  language has none yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet

from articles import permissions
from articles.control_characters import no_control_characters
from articles.diff import DiffLine, diff_texts
from articles.editing import check_not_stale
from articles.models import (
    CORRECTION_MAX_LENGTH,
    Article,
    AuditEntry,
    Correction,
    Text,
    TranslationVersion,
    language_name,
)
from articles.states import CLOSED, LIVE_OR_APPROVED, State
from articles.workflow import transition

MAX_ATTEMPTS = 5


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def open_for_translation() -> QuerySet[Article]:
    """Articles translators may work on: everything not archived or rejected, except
    work still in its author's hands (a contributor's draft is theirs until submitted)."""
    return Article.objects.exclude(state__in=CLOSED).exclude(permissions.in_authors_hands())


def target_languages(article: Article) -> list[str]:
    """Languages (from settings) `article` may be translated into: all but its original."""
    return [code for code in language_codes() if code != article.original_language]


# --- the source ---------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The text a new version translates or revises, and where it came from."""

    text: Text
    kind: str  # "base": the article's own text; "version": a published TranslationVersion
    revision: int  # article.text_revision when it was read

    def snapshot(self) -> dict:
        return {
            "kind": self.kind,
            "language": self.text.language,
            "version": self.text.version,
            "revision": self.revision,
            "title": self.text.title,
            "standfirst": self.text.standfirst,
            "sections": self.text.sections,
        }


def source_for(article: Article, language: str) -> Source:
    """What a new version of `article` in `language` is made from (see module docstring)."""
    if article.is_translated_copy:
        for version in article.translations.all():
            if version.language == language and version.state == State.PUBLISHED:
                return Source(version.as_text(), "version", article.text_revision)
    return Source(article.base_text(), "base", article.text_revision)


def from_language_of(source: Source, language: str) -> str:
    """The language a version made from `source` is translated from (for the credit)."""
    if source.text.language != language:
        return source.text.language
    # Revising a text already in `language`: it is still a translation of the original.
    return source.text.from_language or source.text.language


def snapshot_text(snapshot: dict) -> Text:
    return Text(
        language=snapshot.get("language", ""),
        title=snapshot.get("title", ""),
        standfirst=snapshot.get("standfirst", ""),
        sections=snapshot.get("sections", []),
        from_language=None,
        credit="",
        version=snapshot.get("version", 0),
    )


# --- validation ---------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationInput:
    """A translator's text, as typed: validated by `clean_translation()`."""

    title: str
    standfirst: str
    sections: list[dict]  # [{"heading": str, "paragraphs": [str, ...]}]
    credit: str = ""
    # The article's correction notes in this language: {str(correction id): text}.
    corrections: dict = field(default_factory=dict)


def check_article_and_language(article: Article, language: str) -> None:
    """Raise ValidationError (keyed "article"/"language") when no version may be made."""
    if Article.objects.filter(permissions.in_authors_hands(), pk=article.pk).exists():
        # Not for translators' eyes yet: answered as if it did not exist.
        raise ValidationError({"article": [f"No article with the slug {article.slug!r}."]})
    errors: dict[str, list[str]] = {}
    if article.state in CLOSED:
        errors["article"] = [
            f"This article is {article.get_state_display().lower()}: it takes no new translations."
        ]
    if language not in language_codes():
        errors["language"] = [
            f"Unknown language {language!r}. Choose one of: {', '.join(language_codes())}."
        ]
    elif language == article.original_language:
        errors["language"] = [
            f"This article's original language is {language_name(language)}: "
            "a translation must be into another language."
        ]
    if errors:
        raise ValidationError(errors)


def clean_translation(data: TranslationInput, source: Source) -> TranslationInput:
    """Strip the text and check it against `source`; raise ValidationError by field.

    Title is required; the standfirst when the source has one; as many sections as the
    source, each with a heading where the source has one (the lead has none) and at
    least one paragraph. Empty paragraphs are dropped.
    """
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    standfirst = (data.standfirst or "").strip()
    if not title:
        errors["title"] = ["The title is required."]
    elif len(title) > TranslationVersion._meta.get_field("title").max_length:
        errors["title"] = ["The title is too long (300 characters at most)."]
    if source.text.standfirst.strip() and not standfirst:
        errors["standfirst"] = ["The standfirst is required: the source has one."]

    sections: list[dict] = []
    section_errors: list[str] = []
    expected = len(source.text.sections)
    if not isinstance(data.sections, list) or len(data.sections) != expected:
        got = len(data.sections) if isinstance(data.sections, list) else 0
        section_errors.append(
            f"The source has {expected} section{'s' if expected != 1 else ''}"
            f" (the lead counts as one); this translation has {got}."
        )
    else:
        pairs = zip(source.text.sections, data.sections, strict=True)
        for number, (src, section) in enumerate(pairs, 1):
            heading = str(section.get("heading") or "").strip()
            raw = section.get("paragraphs") or []
            if isinstance(raw, str):
                raw = [raw]
            paragraphs = [p.strip() for p in (str(x) for x in raw) if p.strip()]
            name = f"“{src['heading']}”" if src["heading"] else "the lead"
            if src["heading"] and not heading:
                section_errors.append(f"Section {number} ({name}) needs a heading.")
            if not src["heading"] and heading:
                section_errors.append(f"Section {number} is the lead: it has no heading.")
            if not paragraphs:
                section_errors.append(f"Section {number} ({name}) has no text.")
            sections.append({"heading": heading, "paragraphs": paragraphs})
    if section_errors:
        errors["sections"] = section_errors
    credit = (data.credit or "").strip()
    # The models' rule for text (versions are created without full_clean()).
    for name, value in (
        ("title", title),
        ("standfirst", standfirst),
        ("credit", credit),
        ("sections", data.sections),
    ):
        try:
            no_control_characters(value)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return TranslationInput(title, standfirst, sections, credit)


def corrections_to_translate(article: Article, language: str) -> list[Correction]:
    """The article's published correction notes written in another language, oldest
    first: a version in `language` translates them (readers of that language see them)."""
    return list(article.corrections.exclude(language=language).order_by("published_at", "pk"))


def clean_corrections(article: Article, language: str, corrections: dict) -> dict:
    """The translated notes checked: each names a note of the article in another language,
    at most 2,000 characters, no control characters; empty ones are dropped."""
    known = {str(c.pk) for c in corrections_to_translate(article, language)}
    cleaned, errors = {}, []
    for key, text in (corrections or {}).items():
        key, text = str(key), str(text or "").strip()
        if key not in known:
            errors.append(f"This article has no correction {key} to translate.")
        elif len(text) > CORRECTION_MAX_LENGTH:
            errors.append(f"The translation of correction {key} is over 2,000 characters.")
        elif text:
            try:
                no_control_characters(text)
            except ValidationError as error:
                errors.extend(error.messages)
            cleaned[key] = text
    if errors:
        raise ValidationError({"corrections": errors})
    return cleaned


def credit_for(user, credit: str = "") -> str:
    return (credit or user.get_full_name() or user.get_username()).strip()[:200]


# --- creating versions --------------------------------------------------------------


def next_version_number(article: Article, language: str) -> int:
    """The number the next version of `article` in `language` gets.

    Call it with the article row locked (see `_create_version`).
    """
    highest = (
        TranslationVersion.objects.filter(article=article, language=language).aggregate(
            n=Max("version")
        )["n"]
        or 0
    )
    if article.language == language and article.is_translated_copy:
        highest = max(highest, 1)  # the imported base text is version 1
    return highest + 1


def _create_version(
    article: Article,
    language: str,
    data: TranslationInput,
    *,
    by,
    edit_version: int | None = None,
) -> TranslationVersion:
    """Validate and insert a new draft version, numbered under a row lock on the article.

    The lock makes two translators submitting at once take turns, so each computes a
    fresh number; on databases without row locks (SQLite) or when a number is taken
    anyway, the unique constraint raises IntegrityError and we try again with the
    next number. Both submissions are kept.

    `edit_version=0` says the form was opened when `by` had no draft of this article
    and language: a draft saved since (in another tab) makes this save stale.
    """
    for attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                locked = Article.objects.select_for_update().get(pk=article.pk)
                check_article_and_language(locked, language)
                if edit_version is not None:
                    # Under the article lock, so two tabs cannot both start a draft.
                    existing = own_draft(locked, language, by)
                    if existing is not None:
                        check_not_stale(existing, edit_version)
                source = source_for(locked, language)
                clean = clean_translation(data, source)
                notes = clean_corrections(locked, language, data.corrections)
                return TranslationVersion.objects.create(
                    article=locked,
                    language=language,
                    from_language=from_language_of(source, language),
                    version=next_version_number(locked, language),
                    title=clean.title,
                    standfirst=clean.standfirst,
                    sections=clean.sections,
                    credit=credit_for(by, clean.credit),
                    translator=by,
                    author=by,
                    source_revision=source.revision,
                    source_snapshot=source.snapshot(),
                    corrections=notes,
                )
        except IntegrityError:
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def own_draft(article: Article, language: str, user) -> TranslationVersion | None:
    """`user`'s draft of `article` in `language` (the workspace keeps at most one)."""
    return (
        TranslationVersion.objects.filter(
            article=article, language=language, author=user, state=State.DRAFT
        )
        .order_by("-version")
        .first()
    )


def save_translation_draft(
    article: Article,
    language: str,
    data: TranslationInput,
    *,
    by,
    draft: TranslationVersion | None = None,
    edit_version: int | None = None,
) -> TranslationVersion:
    """Create a draft version, or update `draft` (still a draft, `by`'s own) in place.

    `edit_version` is the draft's `edit_version` when the translator's form was built
    (0 when there was no draft yet; None: not checked). A save made from an older
    copy — the same translator saving from two tabs — is refused by the project's
    stale-save rule, `articles.editing.check_not_stale`, so neither tab silently
    overwrites the other.

    Raises ValidationError on bad input or a stale save, PermissionError when `draft`
    is not `by`'s own or no longer a draft; nothing is written then.
    """
    if draft is None:
        return _create_version(article, language, data, by=by, edit_version=edit_version)
    with transaction.atomic():
        current = TranslationVersion.objects.select_for_update().get(pk=draft.pk)
        if current.author_id != by.pk:
            raise PermissionError("Only its translator may change a draft.")
        if current.state != State.DRAFT:
            # Submitted from another tab since this form was opened: append-only.
            raise PermissionError(
                f"Version {current.version} was submitted for review after you opened this "
                "page, so it can no longer be changed. Your text was NOT saved and is still "
                "in this form: copy what you need, then start a new version from the "
                "workspace."
            )
        # The workspace's forms always say; other clients may edit their draft unchecked.
        check_not_stale(current, edit_version, missing_ok=True)
        check_article_and_language(current.article, current.language)
        # A draft keeps the source it was started from until it is submitted.
        source = Source(
            snapshot_text(current.source_snapshot),
            current.source_snapshot.get("kind", "base"),
            current.source_revision,
        )
        clean = clean_translation(data, source)
        current.corrections = clean_corrections(current.article, current.language, data.corrections)
        current.title, current.standfirst = clean.title, clean.standfirst
        current.sections = clean.sections
        current.credit = credit_for(by, clean.credit)
        current.save()
        return current


def submit_translation(
    article: Article,
    language: str,
    data: TranslationInput,
    *,
    by,
    draft: TranslationVersion | None = None,
    edit_version: int | None = None,
) -> TranslationVersion:
    """Submit a translation for review: a new numbered version in `in_review`.

    With `draft`, the draft is updated with `data` and submitted (it keeps its number);
    without, a new version is created. `edit_version` as for `save_translation_draft`.
    Side effects, in one transaction: the version row, then the workflow's "submit"
    (audit entry). Raises ValidationError (bad input, stale save), PermissionError
    (not `by`'s draft) or the workflow's errors; on any of them nothing is written.
    """
    with transaction.atomic():
        version = save_translation_draft(
            article, language, data, by=by, draft=draft, edit_version=edit_version
        )
        return transition(version, "submit", by=by)


# --- staleness and diffs ------------------------------------------------------------


def outdated(queryset: QuerySet[TranslationVersion]) -> QuerySet[TranslationVersion]:
    """Approved or live versions made from an older revision of their article's text."""
    return queryset.filter(
        state__in=LIVE_OR_APPROVED, source_revision__lt=F("article__text_revision")
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


# --- side by side -------------------------------------------------------------------


@dataclass(frozen=True)
class AlignedSection:
    number: int
    source_heading: str
    heading: str
    rows: list[tuple[str, str]]  # (source paragraph, translated paragraph); "" pads


def align(source_sections: list[dict], sections: list[dict]) -> list[AlignedSection]:
    """Pair sections by position and, inside each, paragraphs by position."""
    aligned = []
    empty = {"heading": "", "paragraphs": []}
    for number, (src, tgt) in enumerate(zip_longest(source_sections, sections, fillvalue=empty), 1):
        rows = list(zip_longest(src["paragraphs"], tgt["paragraphs"], fillvalue=""))
        aligned.append(AlignedSection(number, src["heading"], tgt["heading"], rows))
    return aligned


def reviewer_notes(version: TranslationVersion) -> list:
    """The audit entries of `version` that carry a note, oldest first."""
    return AuditEntry.objects.notes_by_object([version])[version.pk]

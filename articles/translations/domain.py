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
  that language (imported copy with a credit), that text is version 1, recorded as
  an `imported` version (`record_imported_version`) so every list shows it.
- Source: the article's own text (the original when the article holds it, else the
  imported translation: the seed story's French is made from its English text).
  Revising the imported translation itself (its own language) starts from the live
  text of that language.
- Targets: every site language but the language of the text a version is made from;
  plus, for an imported translation, its own language (a revision of it).
- The whole story: a version into another language also translates the story's parts
  (statements, blocks, proposals, topics…: `articles.translatable`), stored as units
  (`articles.translations.parts`), and may give the article an address (slug) in its
  language.
- Drafts save incomplete; a submission needs every required field and part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify

from articles import permissions
from articles.control_characters import no_control_characters
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
from articles.permissions import IMPORTER
from articles.states import CLOSED, PUBLIC, State
from articles.translations import memory, parts
from articles.translations.addresses import check_slug, slug_for
from articles.workflow import transition

MAX_ATTEMPTS = 5


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def open_for_translation() -> QuerySet[Article]:
    """Articles translators may work on: everything not archived or rejected, except
    work still in its author's hands (a contributor's draft is theirs until submitted)."""
    return Article.objects.exclude(state__in=CLOSED).exclude(permissions.in_authors_hands())


def target_languages(article: Article) -> list[str]:
    """Languages (from settings) versions of `article` may be made in: every one but
    the language of its text, plus that language when the text is an imported
    translation (a revision of it)."""
    return [
        code for code in language_codes() if code != article.language or article.is_translated_copy
    ]


# --- the source ---------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The text a new version translates or revises, and where it came from."""

    text: Text
    kind: str  # "base": the article's own text; "version": a published TranslationVersion
    revision: int  # article.text_revision when it was read
    parts: list[dict] = field(default_factory=list)  # the story's units (parts.UNIT_FIELDS)

    def snapshot(self) -> dict:
        return {
            "kind": self.kind,
            "language": self.text.language,
            "version": self.text.version,
            "revision": self.revision,
            "title": self.text.title,
            "standfirst": self.text.standfirst,
            "sections": self.text.sections,
            "parts": self.parts,
        }

    @classmethod
    def of(cls, version: TranslationVersion) -> Source:
        """The source `version` was made from, as its snapshot recorded it."""
        snapshot = version.source_snapshot or {}
        return cls(
            snapshot_text(snapshot),
            snapshot.get("kind", "base"),
            version.source_revision,
            list(snapshot.get("parts", [])),
        )


def source_for(article: Article, language: str) -> Source:
    """What a new version of `article` in `language` is made from (see module docstring).

    With the article from `Article.objects.with_parts(PREVIEWABLE)` this runs no query.
    """
    if language == article.language and article.is_translated_copy:
        for version in article.translations.all():
            live = version.language == language and version.state == State.PUBLISHED
            if live and not version.imported:
                return Source(version.as_text(), "version", article.text_revision)
    return Source(
        article.base_text(), "base", article.text_revision, parts.source_parts(article, language)
    )


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
    parts: dict[str, str] = field(default_factory=dict)  # {unit key: text}
    slug: str = ""  # the article's address in this language ("": from the title)
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
    elif language == article.language and not article.is_translated_copy:
        errors["language"] = [
            f"This article's original language is {language_name(language)}: "
            "a translation must be into another language."
        ]
    if errors:
        raise ValidationError(errors)


def clean_translation(
    data: TranslationInput, source: Source, *, complete: bool = True
) -> TranslationInput:
    """Strip the text and check it against `source`; raise ValidationError by field.

    For a submission (`complete`): the title is required; the standfirst when the
    source has one; each section a heading where the source has one and at least one
    paragraph; every required part. A draft (`complete=False`) may leave any of them
    empty. Either way: as many sections as the source, the lead without a heading,
    no control characters. Empty paragraphs are dropped. Section errors carry their
    section's index and what is missing (`params`), part errors their key, so a form
    shows each beside its field.
    """
    errors: dict[str, list] = {}
    title = (data.title or "").strip()
    standfirst = (data.standfirst or "").strip()
    if not title and complete:
        errors["title"] = ["The title is required."]
    elif len(title) > TranslationVersion._meta.get_field("title").max_length:
        errors["title"] = ["The title is too long (300 characters at most)."]
    if source.text.standfirst.strip() and not standfirst and complete:
        errors["standfirst"] = ["The standfirst is required: the source has one."]

    sections: list[dict] = []
    section_errors: list = []
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
            # Messages with params are %-formatted when shown: a "%" in a heading stays.
            name = f"“{src['heading']}”".replace("%", "%%") if src["heading"] else "the lead"
            where = {"section": number - 1}
            if src["heading"] and not heading and complete:
                section_errors.append(
                    ValidationError(f"Section {number} ({name}) needs a heading.", "heading", where)
                )
            if not src["heading"] and heading:
                section_errors.append(
                    ValidationError(
                        f"Section {number} is the lead: it has no heading.", "heading", where
                    )
                )
            if not paragraphs and complete:
                section_errors.append(
                    ValidationError(f"Section {number} ({name}) has no text.", "text", where)
                )
            sections.append({"heading": heading, "paragraphs": paragraphs})
    if section_errors:
        errors["sections"] = section_errors
    part_texts, part_errors = parts.clean_parts(data.parts, source.parts, complete=complete)
    if part_errors:
        errors["parts"] = part_errors
    slug = (data.slug or "").strip().lower()
    if slug and slug != slugify(slug):
        errors["slug"] = ["Use only lower-case letters, digits and hyphens in the address."]
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
    return TranslationInput(title, standfirst, sections, credit, part_texts, slug[:200])


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


def _check_may_translate(by, language: str, source: Source) -> None:
    if not permissions.can_translate(by, language, source.text.language):
        raise PermissionDenied(
            f"You may not translate into {language_name(language)}"
            f" from {language_name(source.text.language)}: ask an editor for that language."
        )


def _write(
    version: TranslationVersion,
    language: str,
    clean: TranslationInput,
    source: Source,
    *,
    by,
    complete: bool,
) -> TranslationVersion:
    """Put `clean` on `version` (new or a draft), then its units and memory segments."""
    article = version.article
    version.title, version.standfirst, version.sections = (
        clean.title,
        clean.standfirst,
        clean.sections,
    )
    # A draft keeps the credit as typed (empty: the account's name, shown as such);
    # a submission is credited with it, or with the account's name.
    version.credit = credit_for(by, clean.credit) if complete else clean.credit[:200]
    version.slug = slug_for(article, language, clean) if complete else clean.slug
    check_slug(article, clean.slug)  # a typed address; a made one is never taken
    new = version.pk is None
    version.save()
    parts.store_units(version, clean.parts, source.parts, new=new)
    memory.store_segments(version, clean, source, new=new)
    return version


def _create_version(
    article: Article,
    language: str,
    data: TranslationInput,
    *,
    by,
    edit_version: int | None = None,
    complete: bool = True,
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
                _check_may_translate(by, language, source)
                clean = clean_translation(data, source, complete=complete)
                notes = clean_corrections(locked, language, data.corrections)
                record_imported_version(locked)  # before numbering: it is version 1
                version = TranslationVersion(
                    article=locked,
                    language=language,
                    from_language=from_language_of(source, language),
                    version=next_version_number(locked, language),
                    translator=by,
                    author=by,
                    source_revision=source.revision,
                    source_snapshot=source.snapshot(),
                    corrections=notes,
                )
                return _write(version, language, clean, source, by=by, complete=complete)
        except IntegrityError:
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def record_imported_version(article: Article) -> TranslationVersion | None:
    """Record an imported translation (the article's own text, when it is not the
    original) as version 1 of its language, unless its language has versions already.

    Its text is the article's as it is now; readers keep getting the article's own
    text (which editors may edit). For an article not yet published it waits for
    review with the story (submitted by the importer system actor, whoever imported:
    a contributor may not submit translations); for a published one it is
    recorded as the live text it already is, since nothing readers see changes.
    Call it with the article row locked.
    """
    if not article.is_translated_copy:
        return None
    if TranslationVersion.objects.filter(article=article, language=article.language).exists():
        return None
    text = article.base_text()
    published = article.state in PUBLIC
    version = TranslationVersion.objects.create(
        article=article,
        language=article.language,
        from_language=article.original_language,
        version=1,
        title=text.title,
        standfirst=text.standfirst,
        sections=text.sections,
        credit=article.translator_credit,
        source_revision=article.text_revision,
        source_snapshot={},
        imported=True,
        state=State.PUBLISHED if published else State.DRAFT,
        published_at=article.published_at if published else None,
    )
    if published:
        return version
    return transition(version, "submit", by=IMPORTER, note="Imported with the translated copy.")


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
    complete: bool = False,
) -> TranslationVersion:
    """Create a draft version, or update `draft` (still a draft, `by`'s own) in place.

    A draft may be incomplete (empty fields and parts); `complete=True` checks it as
    a submission (what `submit_translation` does).

    `edit_version` is the draft's `edit_version` when the translator's form was built
    (0 when there was no draft yet; None: not checked). A save made from an older
    copy — the same translator saving from two tabs — is refused by the project's
    stale-save rule, `articles.editing.check_not_stale`, so neither tab silently
    overwrites the other.

    Raises ValidationError on bad input or a stale save, PermissionError when `draft`
    is not `by`'s own or no longer a draft, PermissionDenied for a language `by` may
    not translate into; nothing is written then.
    """
    if draft is None:
        return _create_version(
            article, language, data, by=by, edit_version=edit_version, complete=complete
        )
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
        source = Source.of(current)
        _check_may_translate(by, current.language, source)
        clean = clean_translation(data, source, complete=complete)
        current.corrections = clean_corrections(current.article, current.language, data.corrections)
        return _write(current, current.language, clean, source, by=by, complete=complete)


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
            article, language, data, by=by, draft=draft, edit_version=edit_version, complete=True
        )
        return transition(version, "submit", by=by)


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

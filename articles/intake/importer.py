"""Wire copy -> database rows: the one importer (command, admin and demo loader use it).

The one entry point. :func:`import_wire` (and :func:`plan_import`, its preview) take the
copy as received and do everything; underneath, two steps, so the admin can preview
before anything is written:

- :func:`plan` reads the database (never writes) and works out what an import of a
  parsed :class:`~articles.intake.wire.WireCopy` would create, update, link or leave alone,
  with every warning an editor must check (the parser's and the importer's own) and
  every choice made (:mod:`articles.intake.choices`);
- :func:`apply` does it, in one transaction, and returns an :class:`ImportResult`.

:func:`parse` reads any format the intake takes (plain text, ninjs, NITF, NewsML-G2:
:mod:`articles.intake.formats`; it names the line where an oversized copy passes the
limit); :func:`prepare` also applies the choices remembered for the same copy.
:class:`ImportRefused` (a ``WireError``: it has a ``line``) is raised for copy that
parses but may not be imported. Modules: ``plan`` (the plan), ``parts`` (the plans of
an article's parts), ``apply`` (writing), ``matching`` (which stored story a copy
updates), ``choices`` (the importer's own choices).

Rules
=====
- Everything created lands *in review*: rows are created as drafts and submitted
  through :func:`articles.workflow.transition`, by the importing user or, without
  one, by the :data:`articles.permissions.IMPORTER` system actor. Nothing is approved
  or published here; ``author`` of moderated rows is the importing user (or None).
- Which story: the article that last received this very copy (its digest), else the
  article with the copy's headline (slug) or a similar one
  (:mod:`articles.intake.matching`): same analysts and proposals, most paragraphs
  alike, headline changed or not. The copy updates it when the similarity is high
  enough (choice ``update``: that article's slug or ``new``, a separate story; the
  preview shows the score and the per-section diff). A copy with a stored headline
  but other text is a separate story (slug ``-2``...) unless an editor chooses the
  stored one.
- Matching the parts: an analyst by name and institution (institution by name and
  place); a surname-only analyst may be the one analyst of that institution whose name
  ends with that surname, a full name the one surname-only analyst of that institution
  with that surname, a name without an institution the one known analyst of that name
  (choice ``analyst-<name>``, with a warning); a proposal by slug; topics, actors and
  term categories by slug. An attribution is the same when analyst and statement are;
  the overview and key-points blocks are the article's first block of that kind.
- Choices: the editor's (``--choose KEY=VALUE``, the preview's options) win over the
  scores; a key the copy does not have is refused. The choices made on a copy are
  stored with its article (``wire_choices``) and applied again when the same copy
  comes again.
- Idempotence: the parsed copy is compared with what is stored. Identical copy ->
  nothing is written (no rows, audit entries or revisions). Each import also records
  the copy's :func:`fingerprint` on the article (``wire_fingerprint``): the copy last
  imported into the article, with the same choices, is a no-op even when editors have
  edited the article since (their edits are kept). ``standfirst`` and hand-added
  topics are never compared nor overwritten; the byline is set when the article is
  created.
- A changed copy of the same article becomes a new revision of it (title, sections,
  credit, languages, new topics, new proposal links), ``mark_text_revised()`` makes its
  translations stale, and changed or new attached items are updated or added and
  submitted; a changed statement replaces a stored statement of the same analyst that
  is no longer in the copy while that one is still changeable. A warning says when
  the text replaced had been edited in the admin since the last import. Items no
  longer in the copy are never deleted nor unlinked (a warning names them).
- Warnings stay: each import that writes replaces the article's ``ImportWarning`` rows
  with its warnings; they show on the change page and in the review queue until an
  editor marks them checked.
- Two imports at once: the article's row is locked while planning; two imports
  creating the same new article retry once after the unique-slug conflict (see
  :func:`apply`).
- Readers never see unreviewed text: the importer changes only what is a draft, in
  review or has changes requested (and, for a contributor, only their own drafts).
  An article in any other state (approved, published, rejected, archived) that would
  change is refused with a one-line error saying what to do first, or to import the
  copy as a separate story (``update=new``); an attached item in such a state is left
  as it is, with a warning. (Pending changes on published stories, when the story
  moderation work lands, will replace the refusal for published ones.)

Who may import: editors, and contributors (whose imports are their own work, submitted
by them; they may re-import only over their own drafts). Translators may not.
"""

from __future__ import annotations

from collections.abc import Mapping

from articles.intake.apply import ImportResult, apply
from articles.intake.formats import read_copy
from articles.intake.parts import (
    CREATE,
    KEEP,
    LINK,
    UNCHANGED,
    UPDATE,
    ImportRefused,
    source_label,
)
from articles.intake.plan import ImportPlan, fingerprint, plan
from articles.intake.wire import MAX_WIRE_BYTES, WireCopy, WireError, language_code
from articles.models import Article

__all__ = [
    "CREATE",
    "KEEP",
    "LINK",
    "UNCHANGED",
    "UPDATE",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "apply",
    "fingerprint",
    "import_wire",
    "parse",
    "plan",
    "plan_import",
    "prepare",
    "source_label",
]


def parse(
    data: bytes | str, language: str | None = "en", choices: Mapping[str, str] | None = None
) -> WireCopy:
    """Read wire copy in any format the intake takes (plain text, ninjs, NITF, NewsML-G2:
    :func:`articles.intake.formats.read_copy`), applying the editor's ``choices``; an
    oversized copy's error names the line where it passes 1 MB."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_WIRE_BYTES:
        line = raw.count(b"\n", 0, MAX_WIRE_BYTES) + 1
        raise WireError(
            f"the wire copy is over the limit of {MAX_WIRE_BYTES:,} bytes (1 MB); it passes "
            "the limit on this line",
            line,
        )
    try:
        code = language_code(language) if language else None
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    return read_copy(data, language=code, choices=choices)


def prepare(
    data: bytes | str, *, language: str | None = "en", choices: Mapping[str, str] | None = None
) -> tuple[WireCopy, dict[str, str]]:
    """The copy parsed with the editor's ``choices`` and with those made when this very
    copy was imported before (``Article.wire_choices``); returns (copy, remembered)."""
    explicit = dict(choices or {})
    copy = parse(data, language, explicit)
    stored = (
        Article.objects.filter(wire_fingerprint=copy.digest)
        .order_by("-wire_imported_at", "-pk")
        .values_list("wire_choices", flat=True)
        .first()
    )
    remembered = dict(stored or {})
    options = {c.key: c.values for c in copy.choices}
    again = {k: v for k, v in remembered.items() if k not in explicit and v in options.get(k, ())}
    if any(v != next(c.chosen for c in copy.choices if c.key == k) for k, v in again.items()):
        copy = parse(data, language, {**again, **explicit})
    return copy, remembered


def plan_import(
    data: bytes | str,
    *,
    language: str | None = "en",
    choices: Mapping[str, str] | None = None,
    user=None,
    source: str = "wire copy",
) -> ImportPlan:
    """What importing ``data`` would do (the admin's preview): :func:`prepare` then
    :func:`plan`. Writes nothing."""
    copy, remembered = prepare(data, language=language, choices=choices)
    return plan(copy, user=user, source=source, choices=choices, remembered=remembered)


def import_wire(
    data: bytes | str,
    *,
    language: str | None = "en",
    choices: Mapping[str, str] | None = None,
    user=None,
    source: str = "wire copy",
) -> ImportResult:
    """Parse and import in one call (the command, the admin's confirm, the demo loader):
    :func:`prepare` then :func:`apply`."""
    copy, remembered = prepare(data, language=language, choices=choices)
    return apply(copy, user=user, source=source, choices=choices, remembered=remembered)

"""The glossary: approved renderings of the newsroom's own names and of editors' terms.

Entries: analysts' names (kept as they are), institutions, actors, term categories and
topics (`sync_entities` adds one per entity that has none), and the terms editors add
in the admin. The workspace marks glossary terms in each source text with their
renderings; `check` lists, for a translation, every source text holding a term whose
rendering (or, for a kept name, the name itself) its translation lacks: a warning,
never a refusal. Exports: TBX (ISO 30042, TBX-Basic) and CSV.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from articles.models import Analyst, GlossaryEntry, GlossaryRendering, Institution, Topic


@dataclass(frozen=True)
class Term:
    term: str
    rendering: str  # in the target language ("" when there is none)
    do_not_translate: bool
    kind: str
    note: str = ""

    @property
    def expected(self) -> str:
        """What a translation holding the term should contain."""
        return self.term if self.do_not_translate else self.rendering


def entries_with_renderings(language: str | None = None):
    renderings = GlossaryRendering.objects.all()
    if language:
        renderings = renderings.filter(language=language)
    return GlossaryEntry.objects.prefetch_related(Prefetch("renderings", queryset=renderings))


def terms_for(source_language: str, target_language: str) -> list[Term]:
    """The glossary's terms in `source_language` with their `target_language`
    renderings (two queries, whatever the glossary's size); longest first, so a
    longer term wins over a shorter one inside it."""
    terms = []
    for entry in entries_with_renderings(target_language).filter(language=source_language):
        rendering = next(iter(entry.renderings.all()), None)
        dnt = entry.kind == GlossaryEntry.Kind.ANALYST if rendering is None else False
        if rendering is not None:
            dnt = rendering.do_not_translate
        terms.append(
            Term(
                entry.term,
                rendering.text if rendering is not None else "",
                dnt,
                entry.kind,
                entry.note,
            )
        )
    return sorted(terms, key=lambda t: (-len(t.term), t.term.lower()))


def _pattern(terms: list[Term]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t.term) for t in terms)
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


class Matcher:
    """Finds glossary terms in texts (one regular expression for all terms)."""

    def __init__(self, terms: list[Term]):
        self.terms = terms
        self.by_lower = {t.term.lower(): t for t in terms}
        self.pattern = _pattern(terms)

    def found(self, text: str) -> list[Term]:
        if not self.pattern or not text:
            return []
        seen: dict[str, Term] = {}
        for match in self.pattern.finditer(text):
            term = self.by_lower.get(match.group(1).lower())
            if term is not None:
                seen.setdefault(term.term.lower(), term)
        return list(seen.values())

    def highlight(self, text: str) -> list[tuple[str, Term | None]]:
        """`text` cut into pieces, each glossary term with its entry (for <mark>)."""
        if not self.pattern or not text:
            return [(text, None)]
        pieces, last = [], 0
        for match in self.pattern.finditer(text):
            if match.start() > last:
                pieces.append((text[last : match.start()], None))
            pieces.append((match.group(0), self.by_lower.get(match.group(1).lower())))
            last = match.end()
        if last < len(text):
            pieces.append((text[last:], None))
        return pieces


@dataclass(frozen=True)
class GlossaryWarning:
    where: str  # "Paragraph 2 of “Background”", "Statement by Hall — Statement"
    term: str
    expected: str

    def __str__(self) -> str:
        if self.term == self.expected:
            return f"{self.where}: “{self.term}” should stay as it is (do not translate)."
        return (
            f"{self.where}: the source has “{self.term}”; "
            f"the glossary renders it “{self.expected}”."
        )


def check(pairs: Iterable[tuple[str, str, str]], matcher: Matcher) -> list[GlossaryWarning]:
    """Warnings for `(where, source, translation)` pairs: a term in the source whose
    expected rendering is missing from a non-empty translation."""
    warnings = []
    for where, source, translated in pairs:
        if not translated.strip():
            continue
        lowered = translated.lower()
        for term in matcher.found(source):
            expected = term.expected
            if expected and expected.lower() not in lowered:
                warnings.append(GlossaryWarning(where, term.term, expected))
    return warnings


def labelled_pairs(snapshot: dict, title: str, standfirst: str, sections, texts: dict):
    """(where, source, translation) of a version's text and parts, for `check`."""
    yield "Title", snapshot.get("title", ""), title
    yield "Standfirst", snapshot.get("standfirst", ""), standfirst
    for i, src in enumerate(snapshot.get("sections", [])):
        tgt = sections[i] if i < len(sections) else {"heading": "", "paragraphs": []}
        name = f"“{src['heading']}”" if src.get("heading") else "the lead"
        if src.get("heading"):
            yield f"Heading of {name}", src["heading"], tgt.get("heading", "")
        # Paragraphs pair by position only when none was merged or split.
        if len(src["paragraphs"]) == len(tgt.get("paragraphs", [])):
            for j, (s, t) in enumerate(zip(src["paragraphs"], tgt["paragraphs"], strict=True)):
                yield f"Paragraph {j + 1} of {name}", s, t
        else:
            yield (
                f"Section {name}",
                "\n\n".join(src["paragraphs"]),
                "\n\n".join(tgt.get("paragraphs", [])),
            )
    for part in snapshot.get("parts", []):
        yield f"{part['group']} — {part['label']}", part["source"], texts.get(part["key"], "")


def version_warnings(version, matcher: Matcher | None = None) -> list[GlossaryWarning]:
    """The glossary warnings of a stored version (what editors see in review)."""
    snapshot = version.source_snapshot or {}
    if not snapshot or snapshot.get("language") == version.language:
        return []
    matcher = matcher or Matcher(terms_for(snapshot["language"], version.language))
    texts = {unit.key: unit.text for unit in version.units.all()}
    pairs = labelled_pairs(snapshot, version.title, version.standfirst, version.sections, texts)
    return check(pairs, matcher)


# --- the newsroom's entities -------------------------------------------------------------


# Where the newsroom's names come from: a kind of entry and the (pk, name) rows of its
# objects. Other apps register theirs (proposals: actors and term categories) in their
# AppConfig.ready, so this module imports nothing of theirs.
_ENTITY_SOURCES: dict[str, Callable[[], Iterable[tuple[int, str]]]] = {
    GlossaryEntry.Kind.ANALYST: lambda: Analyst.objects.values_list("pk", "name"),
    GlossaryEntry.Kind.INSTITUTION: lambda: Institution.objects.values_list("pk", "name"),
    GlossaryEntry.Kind.TOPIC: lambda: Topic.objects.values_list("pk", "name"),
}


def register_entity_source(kind: str, rows: Callable[[], Iterable[tuple[int, str]]]) -> None:
    _ENTITY_SOURCES[kind] = rows


def sync_entities(language: str | None = None) -> int:
    """Add an entry for every analyst, institution, actor, term category and topic that
    has none (analysts' names: kept as they are in every language); return how many.
    Entries already there (by term) are left as editors made them."""
    language = language or settings.LANGUAGE_CODE
    existing = {term.lower() for term in GlossaryEntry.objects.values_list("term", flat=True)}
    order = list(GlossaryEntry.Kind)  # the first source naming a term makes its entry
    created = 0
    for kind in sorted(_ENTITY_SOURCES, key=order.index):
        for pk, name in _ENTITY_SOURCES[kind]():
            name = (name or "").strip()[:200]
            if not name or name.lower() in existing:
                continue
            existing.add(name.lower())
            entry = GlossaryEntry.objects.create(
                term=name, language=language, kind=kind, object_id=pk
            )
            if kind == GlossaryEntry.Kind.ANALYST:
                GlossaryRendering.objects.bulk_create(
                    GlossaryRendering(entry=entry, language=code, do_not_translate=True)
                    for code, _name in settings.LANGUAGES
                    if code != language
                )
            created += 1
    return created


# --- exports -----------------------------------------------------------------------------

TBX_NS = "urn:iso:std:iso:30042:ed-2"


def tbx_lines(entries: Iterable[GlossaryEntry]) -> Iterator[str]:
    """TBX-Basic (ISO 30042:2019, DCA style), one concept entry per glossary entry;
    a kept name appears unchanged in each language, noted "do not translate"."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="{TBX_NS}">\n'
    yield (
        "  <tbxHeader><fileDesc><sourceDesc><p>Newsroom glossary</p></sourceDesc>"
        "</fileDesc></tbxHeader>\n  <text><body>\n"
    )
    for entry in entries:
        concept = ET.Element("conceptEntry", {"id": f"g{entry.pk}"})
        ET.SubElement(concept, "descrip", {"type": "subjectField"}).text = entry.get_kind_display()
        if entry.note:
            ET.SubElement(concept, "note").text = entry.note
        lang = ET.SubElement(concept, "langSec", {"xml:lang": entry.language})
        ET.SubElement(ET.SubElement(lang, "termSec"), "term").text = entry.term
        for rendering in entry.renderings.all():
            lang = ET.SubElement(concept, "langSec", {"xml:lang": rendering.language})
            term_sec = ET.SubElement(lang, "termSec")
            ET.SubElement(term_sec, "term").text = rendering.rendering
            if rendering.do_not_translate:
                ET.SubElement(term_sec, "note").text = "do not translate"
        yield "    " + ET.tostring(concept, encoding="unicode") + "\n"
    yield "  </body></text>\n</tbx>\n"


def csv_text(entries: Iterable[GlossaryEntry]) -> str:
    """One row per entry: term, its language, kind, note, then per site language the
    rendering and whether the term is kept as it is."""
    languages = [code for code, _name in settings.LANGUAGES]
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["term", "language", "kind", "note"]
    for code in languages:
        header += [f"rendering_{code}", f"do_not_translate_{code}"]
    writer.writerow(header)
    for entry in entries:
        by_language = {r.language: r for r in entry.renderings.all()}
        row = [_csv_safe(entry.term), entry.language, entry.kind, _csv_safe(entry.note)]
        for code in languages:
            rendering = by_language.get(code)
            row += [
                _csv_safe(rendering.text) if rendering else "",
                "yes" if rendering and rendering.do_not_translate else "",
            ]
        writer.writerow(row)
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheets: keep it text.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value

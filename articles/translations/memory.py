"""Translation memory: every approved version's segments, looked up exactly or closely.

A version's segments (title, standfirst, headings, paragraphs, parts, and their
sentences when source and translation split into as many) are stored when its text is
saved (`store_segments`, replacing the draft's earlier ones); they are in the memory
once the version has been approved (`MEMORY_STATES`: approved, live, or replaced
since). Lookups score with RapidFuzz's `fuzz.ratio` (0–100, an edit-distance
similarity); matches from 75 up are offered. Export: TMX 1.4 (`tmx_lines`).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import zip_longest

from django.db.models import Q
from rapidfuzz import fuzz, process

from articles.models import MemorySegment, TranslationVersion
from articles.states import State

MEMORY_STATES = frozenset({State.APPROVED, State.PUBLISHED, State.ARCHIVED})
MIN_SCORE = 75
# Longer texts are not looked up (nor stored): a paragraph is never this long, and
# fuzzy matching a megabyte would hold the request for nothing.
MAX_LENGTH = 5000
CANDIDATES = 2000  # newest segments compared per lookup
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]*\s+(?=[\"“«(]?[A-ZÀ-ÖØ-Þ0-9])")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text.strip()) if s.strip()]


def paragraph_pairs(source_sections: list[dict], sections: list[dict]) -> list[tuple[str, str]]:
    """(source, translation) pairs of headings and paragraphs, section by section; a
    section whose paragraphs were merged or split pairs nothing but its heading."""
    pairs = []
    empty = {"heading": "", "paragraphs": []}
    for src, tgt in zip_longest(source_sections, sections, fillvalue=empty):
        if src.get("heading") and tgt.get("heading"):
            pairs.append((src["heading"], tgt["heading"]))
        if len(src.get("paragraphs", [])) == len(tgt.get("paragraphs", [])):
            pairs.extend(zip(src["paragraphs"], tgt["paragraphs"], strict=True))
    return pairs


def version_pairs(title: str, standfirst: str, sections, texts: dict, source) -> list:
    """Every (source, translation) pair a version's text makes."""
    snapshot = source.text
    pairs = [(snapshot.title, title), (snapshot.standfirst, standfirst)]
    pairs += paragraph_pairs(snapshot.sections, sections)
    pairs += [(p["source"], texts[p["key"]]) for p in source.parts if texts.get(p["key"])]
    return [(s.strip(), t.strip()) for s, t in pairs if s.strip() and t.strip()]


def store_segments(version: TranslationVersion, clean, source, *, new: bool) -> None:
    """Replace `version`'s segments with the pairs of its text (and their sentences)."""
    if version.language == source.text.language:
        return  # a revision in the same language is not a translation
    if not new:
        MemorySegment.objects.filter(version=version).delete()
    rows = []
    seen = set()
    pairs = version_pairs(clean.title, clean.standfirst, clean.sections, clean.parts, source)
    for src, tgt in pairs:
        rows.append((MemorySegment.Kind.PARAGRAPH, src, tgt))
        src_sentences, tgt_sentences = sentences(src), sentences(tgt)
        if 1 < len(src_sentences) == len(tgt_sentences):
            pairs_of = zip(src_sentences, tgt_sentences, strict=True)
            rows += [(MemorySegment.Kind.SENTENCE, s, t) for s, t in pairs_of]
    segments = []
    for kind, src, tgt in rows:
        if (src, tgt) in seen or len(src) > MAX_LENGTH:
            continue
        seen.add((src, tgt))
        segments.append(
            MemorySegment(
                version=version,
                source_language=source.text.language,
                target_language=version.language,
                kind=kind,
                source=src,
                target=tgt,
                source_length=len(src),
                source_digest=digest(src),
            )
        )
    if segments:
        MemorySegment.objects.bulk_create(segments)


def in_memory(source_language: str, target_language: str):
    return MemorySegment.objects.filter(
        source_language=source_language,
        target_language=target_language,
        version__state__in=MEMORY_STATES,
    )


@dataclass(frozen=True)
class Match:
    score: int  # 100 for an exact match
    source: str
    target: str
    segment_id: int


def lookup_many(
    texts: Iterable[str], source_language: str, target_language: str, *, limit: int = 1
) -> dict[str, list[Match]]:
    """The best matches (score ≥ MIN_SCORE, best first) for each of `texts`, in one
    query whatever their number: the newest CANDIDATES segments of the language pair
    whose length could reach the minimum score (and any exact match)."""
    wanted = sorted({t.strip() for t in texts if t and t.strip() and len(t) <= MAX_LENGTH})
    if not wanted:
        return {}
    # fuzz.ratio ≥ 75 needs the shorter text to be at least 60 % of the longer one.
    low = int(min(len(t) for t in wanted) * 0.6)
    high = int(max(len(t) for t in wanted) / 0.6) + 1
    exact = [digest(t) for t in wanted]
    rows = list(
        in_memory(source_language, target_language)
        .filter(Q(source_length__range=(low, high)) | Q(source_digest__in=exact))
        .order_by("-id")
        .values_list("id", "source", "target")[:CANDIDATES]
    )
    choices = {row[0]: row[1] for row in rows}
    by_id = {row[0]: row for row in rows}
    found: dict[str, list[Match]] = {}
    for text in wanted:
        best: dict[str, Match] = {}  # one match per distinct translation
        for _choice, score, ident in process.extract(
            text, choices, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=limit * 3
        ):
            _id, source, target = by_id[ident]
            match = Match(int(round(score)), source, target, ident)
            if target not in best or best[target].score < match.score:
                best[target] = match
        if best:
            found[text] = sorted(best.values(), key=lambda m: (-m.score, -m.segment_id))[:limit]
    return found


def lookup(text: str, source_language: str, target_language: str, *, limit: int = 3):
    """Matches for one text (an empty or over-long text has none)."""
    return lookup_many([text], source_language, target_language, limit=limit).get(
        (text or "").strip(), []
    )


# --- TMX -------------------------------------------------------------------------------


def tmx_lines(
    segments: Iterable[MemorySegment], *, source_language: str = "*all*"
) -> Iterator[str]:
    """A TMX 1.4 document, line by line (streamed: the memory may be large). Texts are
    escaped by ElementTree."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<tmx version="1.4">\n'
    header = ET.Element(
        "header",
        {
            "creationtool": "Newsroom",
            "creationtoolversion": "1",
            "datatype": "plaintext",
            "segtype": "paragraph",
            "adminlang": "en",
            "srclang": source_language,
            "o-tmf": "newsroom",
        },
    )
    yield "  " + ET.tostring(header, encoding="unicode") + "\n  <body>\n"
    for segment in segments:
        tu = ET.Element("tu", {"tuid": str(segment.pk)})
        ET.SubElement(tu, "prop", {"type": "x-segment"}).text = segment.kind
        for language, text in (
            (segment.source_language, segment.source),
            (segment.target_language, segment.target),
        ):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": language})
            ET.SubElement(tuv, "seg").text = text
        yield "    " + ET.tostring(tu, encoding="unicode") + "\n"
    yield "  </body>\n</tmx>\n"

"""Analysts' statements marked in the article's text where they occur.

A statement the text contains word for word (the importer takes statements from the
body) is marked there, linked to its analyst, instead of being repeated in a list; the
statements the text does not contain (paraphrases written by editors, or a text in
another language) are listed apart. Matching ignores differences in spacing and
quotation-mark style only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUOTE_MARKS = '"“”«»„‟'
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain text, or a statement and who made it."""

    text: str
    attribution: object | None = None


@dataclass
class MarkedText:
    # One list of segments per paragraph, for each section (the lead first).
    sections: list[list[list[Segment]]]
    unmatched: list = field(default_factory=list)  # attributions not found in the text


def _normal(text: str) -> str:
    text = _SPACES.sub(" ", text)
    for mark in QUOTE_MARKS:
        text = text.replace(mark, '"')
    return text.replace("’", "'").strip()


def _find(paragraph: str, statement: str) -> tuple[int, int] | None:
    """Where `statement` is in `paragraph` (start, end), spacing and quote styles aside."""
    wanted = _normal(statement)
    if not wanted or wanted not in _normal(paragraph):  # most pairs: decided at C speed
        return None
    # Compare on normalised text, mapping positions back to the paragraph's.
    positions: list[int] = []
    normal_chars: list[str] = []
    previous_space = False
    for index, char in enumerate(paragraph):
        if char.isspace():
            if previous_space or not normal_chars:
                continue
            previous_space = True
            char = " "
        else:
            previous_space = False
            char = '"' if char in QUOTE_MARKS else ("'" if char == "’" else char)
        normal_chars.append(char)
        positions.append(index)
    start = "".join(normal_chars).find(wanted)
    if start < 0:
        return None
    end = start + len(wanted) - 1
    return positions[start], positions[end] + 1


def mark(sections: list[list[str]], attributions: list) -> MarkedText:
    """Split each paragraph of `sections` (lists of paragraphs) around the statements of
    `attributions` it contains; each statement is marked once, where it first occurs."""
    found: dict[tuple[int, int], list[tuple[int, int, object]]] = {}
    unmatched = []
    for attribution in attributions:
        place = None
        for s, paragraphs in enumerate(sections):
            for p, paragraph in enumerate(paragraphs):
                span = _find(paragraph, attribution.statement)
                overlapping = span and any(
                    span[0] < end and start < span[1] for start, end, _a in found.get((s, p), [])
                )
                if span and not overlapping:
                    place = (s, p, span)
                    break
            if place:
                break
        if place is None:
            unmatched.append(attribution)
        else:
            s, p, (start, end) = place
            found.setdefault((s, p), []).append((start, end, attribution))
    marked = []
    for s, paragraphs in enumerate(sections):
        section = []
        for p, paragraph in enumerate(paragraphs):
            segments, cursor = [], 0
            for start, end, attribution in sorted(found.get((s, p), []), key=lambda f: f[0]):
                if start > cursor:
                    segments.append(Segment(paragraph[cursor:start]))
                segments.append(Segment(paragraph[start:end], attribution))
                cursor = end
            if cursor < len(paragraph):
                segments.append(Segment(paragraph[cursor:]))
            section.append(segments)
        marked.append(section)
    return MarkedText(sections=marked, unmatched=unmatched)


def needs_quotation_marks(attribution) -> bool:
    """A direct quote shown on its own gets quotation marks, unless it carries its own
    (`"…," Hall said`): then the attribution stays outside them, as written."""
    return attribution.kind == "quote" and not any(m in attribution.statement for m in QUOTE_MARKS)

"""Paragraph and word diffs of texts (pure: no database, no Django).

Used wherever people compare two versions of a text: a translation's source since it
was translated, a version against the previous one, live against pending changes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass


def text_lines(text) -> list[str]:
    """A text as lines for difflib: title, standfirst, then headings and paragraphs.

    `text` is an `articles.models.Text` or a dict with the same keys (a snapshot).
    """
    if isinstance(text, Mapping):
        title, standfirst, sections = text["title"], text["standfirst"], text["sections"]
    else:
        title, standfirst, sections = text.title, text.standfirst, text.sections
    lines = [f"# {title}"]
    if standfirst:
        lines.append(standfirst)
    for section in sections:
        if section.get("heading"):
            lines.append(f"## {section['heading']}")
        lines.extend(section.get("paragraphs", []))
    return lines


# Word tokens: runs of letters/digits, runs of whitespace, single punctuation marks.
WORD_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
# A removed and an added paragraph are shown as one changed paragraph when at least this
# share of their words and punctuation match; below it the paragraph was rewritten, and
# the whole old and new paragraphs read better than a patchwork of deletions.
PAIR_CUTOFF = 0.5
# Larger replaced blocks (removed × added paragraphs) are shown whole, unpaired.
MAX_PAIRING_WORK = 400


@dataclass(frozen=True)
class DiffLine:
    """One line (title, heading or paragraph) of a diff.

    `kind` is "context", "added", "removed", "hunk" (a gap: "…") or "changed": a
    paragraph edited in place. For "changed", `text` is the new paragraph, `old_text`
    the old one, and `words` the word diff: ("equal" | "deleted" | "inserted", text)
    pieces that join up to the old text without the inserted pieces and to the new one
    without the deleted pieces. Other kinds have no `words`.
    """

    kind: str
    text: str
    words: tuple[tuple[str, str], ...] = ()
    old_text: str = ""


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """("equal" | "deleted" | "inserted", text) pieces turning `old` into `new`.

    Words, whitespace and punctuation are tokens, so a changed word is exactly that
    word; a space alone between two changes is folded into them ("the big dog" ->
    "a small cat" is one deletion and one insertion, not three of each).
    """
    a, b = WORD_TOKENS.findall(old), WORD_TOKENS.findall(new)
    ops: list[list] = []  # [tag, old text, new text]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag != "equal" and ops and ops[-1][0] != "equal":
            ops[-1][1] += old_part
            ops[-1][2] += new_part
        elif (
            tag != "equal"
            and len(ops) >= 2
            and ops[-1][0] == "equal"
            and ops[-1][1].isspace()
            and ops[-2][0] != "equal"
        ):
            space = ops.pop()[1]
            ops[-1][1] += space + old_part
            ops[-1][2] += space + new_part
        else:
            ops.append([tag if tag == "equal" else "replace", old_part, new_part])
    pieces: list[tuple[str, str]] = []
    for tag, old_part, new_part in ops:
        if tag == "equal":
            pieces.append(("equal", old_part))
            continue
        if old_part:
            pieces.append(("deleted", old_part))
        if new_part:
            pieces.append(("inserted", new_part))
    return tuple(pieces)


def _similarity(old: str, new: str) -> float:
    a = [t for t in WORD_TOKENS.findall(old) if not t.isspace()]
    b = [t for t in WORD_TOKENS.findall(new) if not t.isspace()]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _replaced(old: list[str], new: list[str]) -> list[DiffLine]:
    """Lines for paragraphs `old` replaced by `new` (difflib's "replace" block).

    In order, each old paragraph is paired with the most similar new one still
    unpaired after the last pair (at least PAIR_CUTOFF alike) and shown as one changed
    paragraph; new paragraphs skipped over are added, unpaired old ones removed.
    """
    if len(old) * len(new) > MAX_PAIRING_WORK:
        return [DiffLine("removed", line) for line in old] + [
            DiffLine("added", line) for line in new
        ]
    lines: list[DiffLine] = []
    start = 0
    for line in old:
        best, best_ratio = None, PAIR_CUTOFF
        for index in range(start, len(new)):
            ratio = _similarity(line, new[index])
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = index, ratio
        if best is None:
            lines.append(DiffLine("removed", line))
            continue
        lines.extend(DiffLine("added", added) for added in new[start:best])
        lines.append(DiffLine("changed", new[best], word_diff(line, new[best]), line))
        start = best + 1
    lines.extend(DiffLine("added", added) for added in new[start:])
    return lines


def diff_texts(old, new) -> list[DiffLine]:
    """Paragraph diff of two texts, with word diffs of edited paragraphs; [] when equal.

    Like a unified diff with one line of context: each group of changes starts with a
    "hunk" line. Paragraphs only added or only removed are whole "added"/"removed"
    lines; an edited paragraph is one "changed" line (see `DiffLine`).
    """
    return diff_lines(text_lines(old), text_lines(new))


def diff_lines(a: list[str], b: list[str]) -> list[DiffLine]:
    """`diff_texts` of two lists of lines (paragraphs, or any one-line values)."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(1):
        lines.append(DiffLine("hunk", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("context", line) for line in a[i1:i2])
            elif tag == "replace":
                lines.extend(_replaced(a[i1:i2], b[j1:j2]))
            else:
                lines.extend(DiffLine("removed", line) for line in a[i1:i2])
                lines.extend(DiffLine("added", line) for line in b[j1:j2])
    return lines

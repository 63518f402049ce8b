"""Wire copy in any of the formats the intake takes, detected from the content.

:func:`read_copy` is the one reader the importer calls: plain text goes to
:func:`articles.intake.wire.parse_wire`; JSON must be an IPTC ninjs item (2.x or 3.x;
the 1.x ``headline``/``body_html`` fields are read too), XML a NITF 3.x document
(``<nitf>``) or a NewsML-G2 ``<newsItem>`` (alone or as the one item of a
``<newsMessage>``). Each format's fields map to the same :class:`WireCopy` as plain
copy (headline, body paragraphs and subheadings, byline, language, subjects -> topics,
``located``/dateline) and its body text then goes through the same analyst, statement
and enrichment heuristics, so the rest of the import does not know where the copy came
from. Line numbers in warnings and errors are lines of the file as uploaded.

Pure: no Django. Raises :class:`WireError` (one line, naming the line or the field)
for anything that cannot be read, never another exception for bad input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from articles.intake.formats.markup import Block
from articles.intake.wire import (
    WireCopy,
    WireError,
    WireWarning,
    build_copy,
    decode,
    language_code,
    parse_wire,
)

__all__ = ["FORMATS", "assemble", "detect_format", "read_copy"]

FORMATS = {
    "text": "plain-text wire copy",
    "ninjs": "IPTC ninjs (JSON)",
    "nitf": "NITF (XML)",
    "newsml": "NewsML-G2 newsItem (XML)",
}


def detect_format(text: str) -> str:
    """'text', 'json' or 'xml', from the first character that is not blank."""
    stripped = text.lstrip("\ufeff \t\r\n")
    start = stripped[:1]
    if start == "{":
        return "json"
    if start == "[":
        # "[UPDATE 2] Talks resume" is a headline; a JSON array is JSON (and not ninjs).
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):
            return "text"
        return "json"
    if start == "<":
        return "xml"
    return "text"


def read_copy(
    data: bytes | str, *, language: str | None = "en", choices: Mapping[str, str] | None = None
) -> WireCopy:
    """Read wire copy in whichever format it is; see the module docstring.

    ``language`` is the language the caller says the copy is in; a structured format's
    own ``language`` field wins (with a warning when it differs). None: not said (plain
    text is then taken as English).
    """
    # Imported here: each format module imports `assemble` from this package.
    from articles.intake.formats import newsml, ninjs, nitf

    lang = language_code(language) if language else ""
    text = decode(data)
    kind = detect_format(text)
    if kind == "text":
        return parse_wire(data, language=lang or "en", choices=choices)
    if kind == "json":
        return ninjs.read(text, language=lang, choices=choices)
    root_name = nitf.root_name(text)
    if root_name == "nitf":
        return nitf.read(text, language=lang, choices=choices)
    if root_name in {"newsItem", "newsMessage"}:
        return newsml.read(text, language=lang, choices=choices)
    raise WireError(
        f"XML whose root element is <{root_name}>: only NITF (<nitf>) and NewsML-G2 "
        "(<newsItem>) can be imported",
        1,
    )


def assemble(
    *,
    headline: str,
    headline_line: int,
    blocks: Sequence[Block] | None = None,
    lines: Sequence[tuple[int, str]] | None = None,
    language: str,
    requested_language: str,
    choices: Mapping[str, str] | None,
    source_format: str,
    byline: str = "",
    dateline: str = "",
    topics: Sequence[str] = (),
    warnings: Sequence[WireWarning] = (),
) -> WireCopy:
    """A format's fields and body as a :class:`WireCopy` (through the plain-copy pipeline).

    ``blocks`` is a marked-up body (its headings are headings, nothing is inferred);
    ``lines`` a plain-text body (headings inferred as in plain copy).
    """
    headline = " ".join(headline.split())
    if not headline:
        raise WireError(f"the {FORMATS[source_format]} has no headline", headline_line)
    warnings = list(warnings)
    code = _language(language, headline_line) if language else (requested_language or "en")
    if requested_language and code != requested_language:
        warnings.append(
            WireWarning(
                headline_line,
                f"the copy says it is in {code!r}; imported as {code!r}, not "
                f"{requested_language!r} as asked",
            )
        )
    content: list[tuple[int, str]] = [(headline_line, headline)]
    headings: set[tuple[int, str]] | None = None
    if blocks is not None:
        headings = set()
        body = list(blocks)
        # XHTML bodies often repeat the headline as their first heading.
        if body and body[0].kind == "heading" and body[0].text == headline:
            body = body[1:]
        for block in body:
            text = f"- {block.text}" if block.kind == "bullet" else block.text
            content.append((block.line, text))
            if block.kind == "heading":
                headings.add((block.line, text))
    else:
        content += list(lines or [])
    if len(content) == 1:
        raise WireError(f"the {FORMATS[source_format]} has no body text", headline_line)
    return build_copy(
        content,
        language=code,
        choices=choices,
        headings=headings,
        byline=" ".join(byline.split()) or None,
        dateline=" ".join(dateline.split()) or None,
        topics=[t for t in topics if t.strip()] or None,
        source_format=source_format,
        warnings=warnings,
    )


def _language(tag: str, line: int) -> str:
    """A BCP 47 tag as the site's code: 'en-GB' -> 'en', 'zh-Hans' -> 'zh-hans'."""
    tag = tag.strip().replace("_", "-").lower()
    if not tag.startswith("zh"):
        tag = tag.split("-")[0]
    try:
        return language_code(tag)
    except ValueError:
        raise WireError(f"the copy's language {tag!r} is not a language code", line) from None

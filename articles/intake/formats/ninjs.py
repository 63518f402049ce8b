"""IPTC ninjs (JSON) -> :class:`WireCopy`: versions 2.x and 3.x (and 1.x's body fields).

Mapping (2.x names; 3.x spells them in camelCase: ``contentType``, ``infoSources``):

- headline: ``headlines`` (role ``main``, else the first), or 1.x ``headline``;
- body: ``bodies``: an HTML one (``text/html``, ``application/xhtml+xml``, ``body_xhtml``)
  before a plain-text one; 1.x ``body_html`` / ``body_text``. HTML ``<h1>``–``<h6>`` are
  headings, ``<p>`` paragraphs, ``<li>`` bullets; plain text goes through the plain-copy
  heuristics line by line;
- byline: ``by``; dateline: ``located``; language: ``language`` (BCP 47);
- topics: ``subjects`` (their ``name``, else ``literal``);
- ``type`` must be ``text`` when present (pictures, video… cannot be imported).

A translation credit is read from the body text like in plain copy. Line numbers are
those of the JSON file: every paragraph of a one-line body string has that line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from articles.intake.formats import assemble
from articles.intake.formats.markup import html_blocks, text_blocks
from articles.intake.wire import WireCopy, WireError

HTML_TYPES = ("text/html", "application/xhtml+xml", "body_xhtml", "xhtml", "html")
# Fields only 3.x has (camelCase); 2.x spells them in lowercase.
V3_FIELDS = frozenset(
    {"altIds", "contentCreated", "versionCreated", "firstCreated", "infoSources", "pubStatus",
     "copyrightHolder", "copyrightNotice", "embargoedUntil", "rightsInfo", "usageTerms"}
)  # fmt: skip


def read(text: str, *, language: str, choices: Mapping[str, str] | None) -> WireCopy:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WireError(f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise WireError("JSON nested too deeply to be a news item", 1) from None
    if not isinstance(item, dict):
        raise WireError("JSON that is not a ninjs item: the top level must be an object", 1)
    if not isinstance(item.get("uri"), str) or not item["uri"].strip():
        raise WireError(
            "JSON that is not a ninjs item: field 'uri' is missing (every ninjs item has one)",
            _line(text, "uri"),
        )
    version = 3 if V3_FIELDS & item.keys() or _standard_version(item).startswith("3") else 2
    kind = item.get("type", "text")
    if kind != "text":
        raise WireError(
            f"ninjs field 'type' is {kind!r}: only text items can be imported", _line(text, "type")
        )

    headline, headline_field = _headline(item)
    if not headline:
        raise WireError("ninjs item without a headline (field 'headlines')", _line(text, "uri"))
    headline_line = _line(text, headline_field, headline)

    body, is_html, body_field = _body(item, version)
    if not body:
        raise WireError("ninjs item without a body (field 'bodies')", _line(text, "uri"))
    # A JSON string never spans lines: every paragraph of the body is on its line.
    body_line = _line(text, body_field, body)
    blocks = lines = None
    if is_html:
        blocks = html_blocks(body, line=body_line, one_line=True)
    else:
        lines = text_blocks(body, line=body_line, one_line=True)

    subjects = item.get("subjects") if isinstance(item.get("subjects"), list) else []
    topics = [
        str(s.get("name") or s.get("literal") or "")
        for s in subjects
        if isinstance(s, dict) and (s.get("name") or s.get("literal"))
    ]
    return assemble(
        headline=headline,
        headline_line=headline_line,
        blocks=blocks,
        lines=lines,
        language=_string(item, "language", text),
        requested_language=language,
        choices=choices,
        source_format="ninjs",
        byline=_string(item, "by", text),
        dateline=_string(item, "located", text),
        topics=topics,
    )


def _headline(item: dict[str, Any]) -> tuple[str, str]:
    headlines = item.get("headlines")
    if isinstance(headlines, list):
        entries = [h for h in headlines if isinstance(h, dict) and isinstance(h.get("value"), str)]
        main = next(
            (h for h in entries if h.get("role") == "main"), entries[0] if entries else None
        )
        if main is not None:
            return main["value"].strip(), "headlines"
    if isinstance(item.get("headline"), str):
        return item["headline"].strip(), "headline"
    return "", "headlines"


def _body(item: dict[str, Any], version: int) -> tuple[str, bool, str]:
    """(body, is it HTML, field) from ``bodies`` or the 1.x body fields."""
    type_key = "contentType" if version == 3 else "contenttype"
    bodies = item.get("bodies")
    if isinstance(bodies, list):
        entries = [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str)]

        def content_type(body: dict) -> str:
            return str(
                body.get(type_key) or body.get("contenttype") or body.get("contentType") or ""
            )

        html = [b for b in entries if content_type(b).lower() in HTML_TYPES]
        if html:
            return html[0]["value"], True, "bodies"
        if entries:
            value = entries[0]["value"]
            return value, bool(re.search(r"<(?:p|h\d|li)\b", value)), "bodies"
    if isinstance(item.get("body_html"), str):
        return item["body_html"], True, "body_html"
    if isinstance(item.get("body_text"), str):
        return item["body_text"], False, "body_text"
    return "", False, "bodies"


def _string(item: dict[str, Any], field: str, text: str) -> str:
    value = item.get(field, "")
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise WireError(f"ninjs field {field!r} must be a string", _line(text, field))
    return value


def _standard_version(item: dict[str, Any]) -> str:
    standard = item.get("standard")
    return str(standard.get("version", "")) if isinstance(standard, dict) else ""


def _line(text: str, field: str, value: str | None = None) -> int:
    """The line of the JSON file holding ``value`` (or the field's name): for messages."""
    position = -1
    if value:
        for encoded in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
            position = text.find(encoded[:60])
            if position >= 0:
                break
    if position < 0:
        match = re.search(rf'"{re.escape(field)}"\s*:', text)
        position = match.start() if match else 0
    return text.count("\n", 0, position) + 1

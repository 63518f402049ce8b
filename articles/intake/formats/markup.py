"""Markup shared by the agency formats: safe XML with line numbers, bodies as blocks.

Pure (stdlib and defusedxml, no Django). XML is parsed by defusedxml with entity
declarations and external references refused (no XML bomb, no external entity: the
whole document is refused with the line of the declaration); a DOCTYPE naming a DTD is
allowed but never fetched. HTML bodies (ninjs) are read with the standard library's
HTML parser, which never fetches anything either.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from articles.intake.wire import WireError

# Elements that hold one block of text, by what they are in the copy.
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hl2", "hl3"})
PARAGRAPH_TAGS = frozenset({"p", "blockquote", "pre", "tagline", "bq", "credit"})
BULLET_TAGS = frozenset({"li"})
# Containers: their text outside child blocks is a paragraph of its own.
CONTAINER_TAGS = frozenset({"div", "section", "article", "block", "body.content", "body"})
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "media", "table", "figure"})


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "bullet"
    text: str
    line: int


# --------------------------------------------------------------------------- XML


@dataclass
class XmlDocument:
    root: ET.Element
    lines: dict[int, int]  # id(element) -> line of its start tag

    def line(self, element: ET.Element | None, default: int = 1) -> int:
        return self.lines.get(id(element), default) if element is not None else default


class _LineTreeBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        assert self.parser is not None
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(text: str) -> XmlDocument:
    """The document, or a :class:`WireError` naming the line (never an XML bomb)."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as exc:
        line = _line_of(text, "<!ENTITY") or 1
        what = getattr(exc, "sysid", None) or getattr(exc, "name", None) or ""
        raise WireError(
            "the XML declares entities or refers to external files"
            + (f" ({what})" if what else "")
            + ": refused (entity expansion is off, so an XML bomb or external entity "
            "cannot be read)",
            line,
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        message = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise WireError(f"not well-formed XML: {message}", line) from None
    return XmlDocument(root=root, lines=builder.lines)


def local(tag: str) -> str:
    """'{http://iptc.org/std/nar/2006-10-01/}newsItem' -> 'newsItem'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag) == name]


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if local(c.tag) == name), None)


def descendant(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((e for e in element.iter() if local(e.tag) == name), None)


def text_of(element: ET.Element | None) -> str:
    """All the text inside ``element``, whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def xml_blocks(element: ET.Element, doc: XmlDocument) -> list[Block]:
    """The blocks of an XML body (NITF ``body.content``, XHTML ``body``), in order."""
    blocks: list[Block] = []

    def walk(node: ET.Element) -> None:
        name = local(node.tag).lower()
        if name in SKIPPED_TAGS:
            return
        kind = _kind(name)
        if kind is not None:
            text = text_of(node)
            if text:
                blocks.append(Block(kind, text, doc.line(node)))
            if kind != "bullet" or not any(local(c.tag).lower() in {"ul", "ol"} for c in node):
                return
        # A container's own text between its blocks reads as a paragraph.
        if name in CONTAINER_TAGS and node.text and node.text.strip():
            blocks.append(Block("paragraph", " ".join(node.text.split()), doc.line(node)))
        for sub in node:
            walk(sub)
            if name in CONTAINER_TAGS and sub.tail and sub.tail.strip():
                blocks.append(Block("paragraph", " ".join(sub.tail.split()), doc.line(node)))

    walk(element)
    return blocks


def _kind(name: str) -> str | None:
    if name in HEADING_TAGS:
        return "heading"
    if name in PARAGRAPH_TAGS:
        return "paragraph"
    if name in BULLET_TAGS:
        return "bullet"
    return None


def _line_of(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None


# --------------------------------------------------------------------------- HTML


class _HtmlBlocks(HTMLParser):
    def __init__(self, first_line: int, one_line: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.first_line = first_line
        self.one_line = one_line  # the HTML sits on one line of the source (a JSON string)
        self.open: tuple[str, int] | None = None  # (kind, line) of the block being read
        self.parts: list[str] = []
        self.skipping = 0

    def _line(self) -> int:
        return self.first_line if self.one_line else self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
            return
        kind = _kind(tag)
        if kind is not None or tag in {"ul", "ol"} | CONTAINER_TAGS:
            self._close()
        if kind is not None:
            self.open = (kind, self._line())
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
            return
        if _kind(tag) is not None or tag in {"ul", "ol"} | CONTAINER_TAGS:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.open is None and data.strip():
            self.open = ("paragraph", self._line())  # loose text outside any block
        self.parts.append(data)

    def _close(self) -> None:
        if self.open is not None:
            text = " ".join("".join(self.parts).split())
            if text:
                self.blocks.append(Block(self.open[0], text, self.open[1]))
        self.open, self.parts = None, []

    def close(self) -> None:
        super().close()
        self._close()


def html_blocks(html: str, *, line: int, one_line: bool = False) -> list[Block]:
    """The blocks of an HTML body that starts on ``line`` of the source."""
    parser = _HtmlBlocks(line, one_line)
    parser.feed(html)
    parser.close()
    return parser.blocks


def text_blocks(text: str, *, line: int, one_line: bool = False) -> list[tuple[int, str]]:
    """A plain-text body as (line, text) lines for the plain-copy heuristics."""
    result = []
    for index, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        stripped = " ".join(raw.split())
        if stripped:
            result.append((line if one_line else line + index, stripped))
    return result

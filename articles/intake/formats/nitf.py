"""NITF 3.x (XML) -> :class:`WireCopy`.

Mapping:

- headline: ``body.head/hedline/hl1`` (else ``head/title``);
- body: ``body.content``: ``<p>`` paragraphs, ``<hl2>`` (and XHTML-style ``<h2>``…)
  headings, ``<li>`` bullets; ``body.end/tagline`` lines are read as paragraphs after
  the body (a translation credit often sits there);
- byline: ``body.head/byline`` ("By " dropped); dateline: ``body.head/dateline``;
- language: ``xml:lang`` or ``baselang`` on ``<nitf>``;
- topics: ``head/tobject/tobject.subject`` (``tobject.subject.detail``, else
  ``.matter``, else ``.type``) and ``head/docdata/key-list/keyword/@key``.

Elements may be in the NITF namespace or none. Line numbers are the file's.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from articles.intake.formats import assemble
from articles.intake.formats.markup import (
    Block,
    child,
    children,
    descendant,
    local,
    parse_xml,
    text_of,
    xml_blocks,
)
from articles.intake.wire import WireCopy, WireError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def root_name(text: str) -> str:
    """The local name of the root element (parsing the document safely)."""
    return local(parse_xml(text).root.tag)


def read(text: str, *, language: str, choices: Mapping[str, str] | None) -> WireCopy:
    doc = parse_xml(text)
    root = doc.root
    if local(root.tag) != "nitf":
        raise WireError(f"expected a <nitf> document, not <{local(root.tag)}>", doc.line(root))
    head = child(root, "head")
    body = child(root, "body")
    if body is None:
        raise WireError("NITF document without <body>", doc.line(root))
    body_head = child(body, "body.head")
    hl1 = descendant(child(body_head, "hedline"), "hl1")
    title = hl1 if hl1 is not None else child(head, "title")
    headline = text_of(title)
    if not headline:
        raise WireError("NITF document without a headline (<hedline><hl1>)", doc.line(body))
    content = child(body, "body.content")
    if content is None:
        raise WireError("NITF document without <body.content>", doc.line(body))
    blocks = xml_blocks(content, doc)
    for tagline in child(body, "body.end") or []:
        if local(tagline.tag) in {"tagline", "p"} and text_of(tagline):
            blocks.append(Block("paragraph", text_of(tagline), doc.line(tagline)))

    byline = text_of(child(body_head, "byline"))
    return assemble(
        headline=headline,
        headline_line=doc.line(title),
        blocks=blocks,
        language=root.get(XML_LANG) or root.get("baselang") or "",
        requested_language=language,
        choices=choices,
        source_format="nitf",
        byline=re.sub(r"^(?:by|par|por|von)\s+", "", byline, flags=re.I),
        dateline=text_of(child(body_head, "dateline")),
        topics=topics(head),
    )


def topics(head: ET.Element | None) -> list[str]:
    found: list[str] = []
    for tobject in children(head, "tobject") if head is not None else []:
        for subject in children(tobject, "tobject.subject"):
            name = (
                subject.get("tobject.subject.detail")
                or subject.get("tobject.subject.matter")
                or subject.get("tobject.subject.type")
                or ""
            )
            if name.strip():
                found.append(name)
    docdata = child(head, "docdata")
    for key_list in children(docdata, "key-list") if docdata is not None else []:
        found += [k.get("key", "") for k in children(key_list, "keyword") if k.get("key")]
    return found

"""A NewsML-G2 ``newsItem`` (XML) -> :class:`WireCopy`.

Mapping (NewsML-G2 2.x, namespace ``http://iptc.org/std/nar/2006-10-01/``):

- the item must be text: ``itemMeta/itemClass/@qcode`` ``ninat:text`` (when given);
- headline: ``contentMeta/headline``;
- body: the first ``contentSet/inlineXML`` holding XHTML (``<html><body>``: ``<h1>``–
  ``<h6>`` headings, ``<p>`` paragraphs, ``<li>`` bullets) or NITF (its
  ``body.content``), else ``contentSet/inlineData`` as plain text (headings inferred);
- byline: ``contentMeta/by`` (else the ``creator``'s ``name``); dateline:
  ``contentMeta/dateline`` (else the ``located`` place's ``name``);
- language: ``contentMeta/language/@tag``, else ``xml:lang`` on the item;
- topics: ``contentMeta/subject`` names (a subject with only a ``qcode`` is skipped).

A ``newsMessage`` holding exactly one ``newsItem`` is read as that item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from articles.intake.formats import assemble
from articles.intake.formats.markup import (
    child,
    children,
    descendant,
    local,
    parse_xml,
    text_blocks,
    text_of,
    xml_blocks,
)
from articles.intake.wire import WireCopy, WireError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(text: str, *, language: str, choices: Mapping[str, str] | None) -> WireCopy:
    doc = parse_xml(text)
    item = doc.root
    if local(item.tag) == "newsMessage":
        items = [e for e in item.iter() if local(e.tag) == "newsItem"]
        if len(items) != 1:
            raise WireError(
                f"a newsMessage with {len(items)} newsItems: send one item at a time",
                doc.line(item),
            )
        item = items[0]
    item_class = child(child(item, "itemMeta"), "itemClass")
    qcode = item_class.get("qcode", "") if item_class is not None else ""
    if qcode and qcode.split(":")[-1] != "text":
        raise WireError(
            f"the newsItem is a {qcode.split(':')[-1]} item (itemClass {qcode}): only text "
            "can be imported",
            doc.line(item_class),
        )
    meta = child(item, "contentMeta")
    if meta is None:
        raise WireError("newsItem without <contentMeta>", doc.line(item))
    headline_element = child(meta, "headline")
    headline = text_of(headline_element)
    if not headline:
        raise WireError("newsItem without a headline (contentMeta/headline)", doc.line(meta))

    content_set = child(item, "contentSet")
    if content_set is None:
        raise WireError("newsItem without <contentSet>", doc.line(item))
    blocks = lines = None
    for holder in content_set:
        name = local(holder.tag)
        if name == "inlineXML":
            body = descendant(holder, "body.content") or descendant(holder, "body") or holder
            blocks = xml_blocks(body, doc)
            break
        if name == "inlineData" and (holder.text or "").strip():
            lines = text_blocks(holder.text or "", line=doc.line(holder))
            break
    if blocks is None and lines is None:
        raise WireError(
            "newsItem without a text body (contentSet/inlineXML or inlineData)",
            doc.line(content_set),
        )

    creator = child(meta, "creator")
    byline = text_of(child(meta, "by")) or text_of(child(creator, "name"))
    located = child(meta, "located")
    dateline = text_of(child(meta, "dateline")) or text_of(child(located, "name"))
    language_element = child(meta, "language")
    declared = (language_element.get("tag", "") if language_element is not None else "") or (
        item.get(XML_LANG, "")
    )
    topics = [text_of(child(s, "name")) for s in children(meta, "subject")]
    return assemble(
        headline=headline,
        headline_line=doc.line(headline_element),
        blocks=blocks,
        lines=lines,
        language=declared,
        requested_language=language,
        choices=choices,
        source_format="newsml",
        byline=re.sub(r"^(?:by|par|por|von)\s+", "", byline, flags=re.I),
        dateline=dateline,
        topics=[t for t in topics if t],
    )

"""An article as an IPTC ninjs 2.2 news item (https://iptc.org/standards/ninjs/).

Mapping (one live text of the article, in `language`):

- `uri`: the article's public page in that language (absolute); `altids`: its slug;
  `slugline`: the slug; `version`: the article's edit version.
- `headlines` (role `main`): the title; `descriptions` (role `summary`): the standfirst;
  `bodies` (role `main`, `text/html`): the sections as sanitised HTML (`<h2>` headings,
  `<p>` paragraphs), with character and word counts.
- `subjects`: the topics; `people`: the analysts quoted (rel `analyst`) and
  `organisations` their institutions (rel `affiliation`).
- `by`: the byline; `infosources`: the translator (role `translator`) when the text
  is a translation, with the language translated from in `literal`.
- `pubstatus`: `usable` when published, `withheld` otherwise (only editors see those).
- Corrections, updates and clarifications (newest first): `descriptions` with the role
  `correction`, `update` or `clarification`, and `ednote` naming each with its date
  for the receiving desk; `versioncreated` is then the latest note's time when later.
"""

from __future__ import annotations

import nh3
from django.utils.html import escape
from django.utils.translation import override
from rest_framework.fields import DateTimeField
from rest_framework.request import Request

from articles import corrections
from articles.api.serializers import text_of
from articles.models import Article
from articles.sanitize import ALLOWED_TAGS

NINJS_VERSION = "2.2"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
BODY_TAGS = ALLOWED_TAGS | {"h2"}


def _when(value) -> str:
    return DateTimeField().to_representation(value)


def body_html(sections: list[dict]) -> str:
    """Sections as HTML: every piece of text escaped, then sanitised for good measure."""
    parts = []
    for section in sections:
        if section.get("heading"):
            parts.append(f"<h2>{escape(section['heading'])}</h2>")
        parts.extend(f"<p>{escape(p)}</p>" for p in section.get("paragraphs", []))
    return nh3.clean("\n".join(parts), tags=BODY_TAGS, attributes={})


def _plain(sections: list[dict]) -> str:
    return "\n\n".join(
        part
        for section in sections
        for part in [section.get("heading", ""), *section.get("paragraphs", [])]
        if part
    )


def article_to_ninjs(article: Article, language: str, request: Request) -> dict:
    """The ninjs item; needs what ArticleViewSet's detail queryset prefetches."""
    text = text_of(article, language)
    absolute = request.build_absolute_uri
    with override(text.language):
        page = absolute(article.get_absolute_url(text.language))
        subjects = [
            {
                "name": topic.name,
                "rel": "about",
                "literal": topic.slug,
                "uri": absolute(topic.get_absolute_url()),
            }
            for topic in article.topics.all()
        ]
        people: dict[str, dict] = {}
        organisations: dict[str, dict] = {}
        for attribution in article.attributions.all():
            analyst = attribution.analyst
            people.setdefault(
                analyst.slug,
                {
                    "name": analyst.name,
                    "rel": "analyst",
                    "literal": analyst.slug,
                    "uri": absolute(analyst.get_absolute_url()),
                },
            )
            if analyst.institution is not None:
                organisations.setdefault(
                    str(analyst.institution),
                    {"name": analyst.institution.name, "rel": "affiliation"},
                )

    plain = _plain(text.sections)
    item: dict = {
        "uri": page,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": "newsroom-article",
        "version": str(article.edit_version),
        "firstcreated": _when(article.created_at),
        "versioncreated": _when(article.updated_at),
        "pubstatus": "usable" if article.is_published else "withheld",
        "language": text.language,
        "slugline": article.slug,
        "altids": [{"role": "slug", "value": article.slug}],
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": text.title}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": len(plain),
                "wordcount": len(plain.split()),
                "value": body_html(text.sections),
            }
        ],
        "subjects": subjects,
        "people": list(people.values()),
        "organisations": list(organisations.values()),
    }
    if text.standfirst:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": text.standfirst}
        ]
    notes = corrections.for_article(article, text.language)
    if notes:
        item.setdefault("descriptions", []).extend(
            {"role": note.kind, "contenttype": "text/plain", "value": note.text} for note in notes
        )
        item["ednote"] = " ".join(
            f"{note.label} ({note.published_at:%Y-%m-%d}): {note.text}" for note in notes
        )
        latest = corrections.latest_at(article)
        if latest > article.updated_at:
            item["versioncreated"] = _when(latest)
    if article.byline:
        item["by"] = article.byline
    if text.from_language and text.credit:
        item["infosources"] = [
            {"name": text.credit, "role": "translator", "literal": text.from_language}
        ]
    return item

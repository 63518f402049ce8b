"""An article as an IPTC ninjs 2.2 or 3.1 news item (https://iptc.org/standards/ninjs/).

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
- `subjects` also carry each topic's IPTC Media Topic (`medtop:…`, with its URI).
- `associations`: the pictures (`featureimage`, then `image-<n>` per section), each a
  `picture` item with its alt text and caption, credit, licence and every rendition.
- ninjs 3.1 only (`?version=3`, camelCase names): `genres` (Analysis), `located` (the
  dateline), `embargoedUntil` (a scheduled, unpublished article: editors only),
  `rightsInfo` and `trustIndicators` (the rights, corrections and ethics policies).
  `expires` is left out: nothing in the newsroom expires.
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

from articles import corrections, images, mediatopics
from articles.api.serializers import text_of
from articles.models import Article
from articles.sanitize import ALLOWED_TAGS
from articles.site.pictures import load_translations
from articles.site.views import policy_url

NINJS_VERSION = "2.2"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
NINJS_3_VERSION = "3.1"
NINJS_3_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
GENRE_ANALYSIS = "http://cv.iptc.org/newscodes/genre/Analysis"
TRUST_INDICATOR = "http://cv.iptc.org/newscodes/trustindicator/"
# ninjs 2.2 property names -> their ninjs 3 spelling.
_V3_NAMES = {
    name.lower(): name
    for name in (
        "representationType", "firstCreated", "versionCreated", "pubStatus", "altIds",
        "contentType", "charCount", "wordCount", "infoSources", "usageTerms", "sizeInBytes",
    )
}  # fmt: skip
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


def article_to_ninjs(article: Article, language: str, request: Request, version: str = "2") -> dict:
    """The ninjs item (2.2, or 3.1 with `version="3"`); needs what ArticleViewSet's
    detail queryset prefetches (one more query when pictures need translating)."""
    v3 = version == "3"
    # ninjs 3 spells its properties in camelCase; 2.2 in lower case.
    k = _V3_NAMES.get if v3 else (lambda name, default=None: name)
    text = text_of(article, language)
    absolute = request.build_absolute_uri
    with override(text.language):
        page = absolute(article.get_absolute_url(text.language))
        subjects = []
        for topic in article.topics.all():
            subjects.append(
                {
                    "name": topic.name,
                    "rel": "about",
                    "literal": topic.slug,
                    "uri": absolute(topic.get_absolute_url()),
                }
            )
            if topic.media_topic:
                subjects.append(
                    {
                        "name": mediatopics.label(topic.media_topic, text.language),
                        "rel": "about",
                        "literal": topic.media_topic,
                        "uri": topic.media_topic_uri,
                    }
                )
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
        policies = {name: absolute(policy_url(name)) for name in ("corrections", "ethics")}
        rights = absolute(policy_url("rights"))

    plain = _plain(text.sections)
    item: dict = {
        "uri": page,
        "standard": {
            "name": "ninjs",
            "version": NINJS_3_VERSION if v3 else NINJS_VERSION,
            "schema": NINJS_3_SCHEMA if v3 else NINJS_SCHEMA,
        },
        "type": "text",
        k("representationtype"): "full",
        "profile": "newsroom-article",
        "version": str(article.edit_version),
        k("firstcreated"): _when(article.created_at),
        k("versioncreated"): _when(article.updated_at),
        k("pubstatus"): "usable" if article.is_published else "withheld",
        "language": text.language,
        "slugline": article.slug,
        k("altids"): [{"role": "slug", "value": article.slug}],
        "headlines": [{"role": "main", k("contenttype"): "text/plain", "value": text.title}],
        "bodies": [
            {
                "role": "main",
                k("contenttype"): "text/html",
                k("charcount"): len(plain),
                k("wordcount"): len(plain.split()),
                "value": body_html(text.sections),
            }
        ],
        "subjects": subjects,
        "people": list(people.values()),
        "organisations": list(organisations.values()),
    }
    if text.standfirst:
        item["descriptions"] = [
            {"role": "summary", k("contenttype"): "text/plain", "value": text.standfirst}
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
        item[k("infosources")] = [
            {"name": text.credit, "role": "translator", "literal": text.from_language}
        ]
    associations = _associations(article, language, absolute, v3)
    if associations:
        item["associations"] = associations
    if v3:
        # What only ninjs 3 can say, filled where the data exists.
        item["genres"] = [{"name": "Analysis", "uri": GENRE_ANALYSIS}]
        if article.dateline:
            item["located"] = article.dateline
        if not article.is_published and article.publish_at:
            item["embargoedUntil"] = _when(article.publish_at)
        item["rightsInfo"] = {"linkedRights": rights}
        item["trustIndicators"] = [
            {
                "role": TRUST_INDICATOR + "correctionsPolicy",
                "title": "Corrections policy",
                "href": policies["corrections"],
            },
            {
                "role": TRUST_INDICATOR + "ethicsPolicy",
                "title": "Ethics policy",
                "href": policies["ethics"],
            },
        ]
    return item


def _associations(article: Article, language: str, absolute, v3: bool) -> list[dict]:
    """The article's pictures as ninjs `picture` items: the lead image
    (`featureimage`), then each section's (`image-<n>`), with every rendition."""
    pictures = [("featureimage", article.lead_image)] + [
        (f"image-{n}", section.image) for n, section in enumerate(article.sections.all(), 1)
    ]
    pictures = [(name, image) for name, image in pictures if image is not None]
    load_translations([image for _name, image in pictures], language)
    k = _V3_NAMES.get if v3 else (lambda name, default=None: name)
    items = []
    for name, image in pictures:
        text = image.text_in(language)
        renditions = [
            {
                "name": f"{r.kind}-{r.width}-{r.format}",
                "href": absolute(r.url),
                k("contenttype"): r.content_type,
                "width": r.width,
                "height": r.height,
                k("sizeinbytes"): r.bytes,
            }
            for r in images.renditions(image)
        ]
        item = {
            "name": name,
            "uri": f"urn:newsroom:image:{image.pk}",
            "type": "picture",
            "language": text.language,
            "descriptions": [{"role": "alt", "value": text.alt_text}]
            + ([{"role": "caption", "value": text.caption}] if text.caption else []),
            "by": text.credit,
            k("usageterms"): text.licence,
            "renditions": renditions,
        }
        if v3:
            item["rel"] = "featureimage" if name == "featureimage" else "inline"
            item["copyrightNotice"] = text.licence
        items.append(item)
    return items

"""Cache tags: names for what a public response shows, so a change makes exactly the
responses that show it stale (`articles.site.cache`) and purges them from a CDN
(`Surrogate-Key`/`Cache-Tag` headers, `articles.site.cdn`).

A response carries the tags of what it shows:

- an article's page, its API answer and ninjs: `story-<id>`, and the entities shown
  with it (`topic-<id>`, `analyst-<id>`, `proposal-<id>`);
- a list carries the list's tag: `articles` (home, feed, search, sitemap, the API's
  article lists), `topic-articles-<id>`, `analyst-statements-<id>`,
  `proposal-articles-<id>`, `analysts` and `proposals` (the lists of them), and the
  family of its page where it shows other entities' names (`topics`: every topic
  page, `proposal-pages`: every proposal page);
- `site` on everything (a change whose reach is unknown), `any` on a response that
  names nothing (it goes stale with every change).

`story_change()` says which tags a change to one story makes stale, from what the
story was listed under before and after (the snapshots' signatures).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse

SITE = "site"
ANY = "any"
ARTICLES = "articles"
TOPICS = "topics"
ANALYSTS = "analysts"
PROPOSALS = "proposals"
PROPOSAL_PAGES = "proposal-pages"


def story(pk: int) -> str:
    return f"story-{pk}"


def topic(pk: int) -> str:
    return f"topic-{pk}"


def topic_articles(pk: int) -> str:
    return f"topic-articles-{pk}"


def analyst(pk: int) -> str:
    return f"analyst-{pk}"


def analyst_statements(pk: int) -> str:
    return f"analyst-statements-{pk}"


def proposal(pk: int) -> str:
    return f"proposal-{pk}"


def proposal_articles(pk: int) -> str:
    return f"proposal-articles-{pk}"


def tag(response: HttpResponse, *tags: str) -> HttpResponse:
    """Name what `response` shows (read by the page and API caches)."""
    response.cache_tags = {*getattr(response, "cache_tags", ()), *tags}
    return response


def of(response: HttpResponse) -> set[str]:
    """The tags a cached copy of `response` is stored under: its own (or `any`) and `site`."""
    return {*(getattr(response, "cache_tags", None) or {ANY}), SITE}


def for_article(article) -> list[str]:
    """What an article's page shows (needs its parts loaded: a snapshot or `with_parts`)."""
    return [
        story(article.pk),
        *(topic(t.pk) for t in article.topics.all()),
        *(analyst(a.analyst_id) for a in article.attributions.all()),
        *(proposal(p.pk) for p in article.proposals.all()),
    ]


def story_change(pk: int, before: dict | None, after: dict | None) -> set[str]:
    """The tags a change to story `pk` makes stale, given its signatures before and
    after (`articles.site.snapshots.signature`; None: not published).

    The story's own pages, the lists of articles, the lists of every topic, analyst
    and proposal it is or was listed under, and the lists of analysts and of proposals
    when its statements or proposals changed (their counts and membership follow).
    """
    tags = {story(pk), ARTICLES, ANY}
    for side in (before, after):
        if side is not None:
            tags |= {topic_articles(t) for t in side["topics"]}
            tags |= {analyst_statements(a) for _statement, a in side["statements"]}
            tags |= {proposal_articles(p) for p in side["proposals"]}
    if _listed(before, "statements") != _listed(after, "statements"):
        tags.add(ANALYSTS)
    if _listed(before, "proposals") != _listed(after, "proposals"):
        tags.add(PROPOSALS)
    return tags


def _listed(side: dict | None, key: str) -> list:
    return [] if side is None else side[key]


def names(tags: Iterable[str]) -> list[str]:
    return sorted(tags)

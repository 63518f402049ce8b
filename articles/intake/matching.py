"""Which stored story an incoming copy is a new version of (reads, never writes).

A copy updates a stored article when it is the same copy (its digest is the one last
imported into the article), or when it is *similar enough*: :func:`similarity` scores
a stored article against the copy from

- ``body``: how alike their paragraphs are, both ways (each paragraph against its most
  similar counterpart, weighted by length; rapidfuzz's normalised edit distance), so
  that added or dropped paragraphs count against the match;
- ``analysts``: the analysts quoted, by name (Jaccard); left out when neither has any;
- ``proposals``: the proposals discussed, by slug (Jaccard); left out when neither has any;
- ``headline``: how alike the headlines are (word order ignored);

weighted as in ``WEIGHTS``. A stored article matches when the score is at least
``THRESHOLD`` *and* its body score at least ``BODY_THRESHOLD``: two different stories
about the same talks with the same analysts never merge, because their paragraphs
differ. The article with the copy's headline (same slug) is always a candidate; when
it is not similar enough the copy becomes a separate story by default, and the editor
sees the score.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.text import slugify
from rapidfuzz import fuzz, process

from articles.intake.wire import WireCopy
from articles.models import Article, Attribution, split_paragraphs
from proposals.models import Proposal

WEIGHTS = {"body": 0.6, "analysts": 0.15, "proposals": 0.15, "headline": 0.1}
THRESHOLD = 0.8
BODY_THRESHOLD = 0.7
RECENT_IMPORTS = 100  # recently imported articles compared besides the related ones
RELATED_LIMIT = 30


@dataclass(frozen=True)
class StoryMatch:
    """A stored article and how similar the copy is to it (all scores 0..1)."""

    article: Article
    score: float
    body: float
    analysts: float | None
    proposals: float | None
    headline: float
    same_copy: bool = False  # the copy last imported into it

    @property
    def matches(self) -> bool:
        return self.same_copy or (self.score >= THRESHOLD and self.body >= BODY_THRESHOLD)


def candidates(copy: WireCopy, slug: str) -> list[StoryMatch]:
    """Stored articles the copy may update, best first: the one that last received this
    very copy, the one with its headline, and similar ones (only those that match)."""
    same = (
        Article.objects.filter(wire_fingerprint=copy.digest)
        .order_by("-wire_imported_at", "-pk")
        .first()
        if copy.digest
        else None
    )
    by_slug = Article.objects.filter(slug=slug).exclude(pk=same.pk if same else None).first()
    seen = {a.pk for a in (same, by_slug) if a is not None}
    similar = _similar_candidates(copy, seen)
    parts = _parts([*seen, *(a.pk for a in similar)])
    found: list[StoryMatch] = []
    if same is not None:
        found.append(_scored(copy, same, parts, same_copy=True))
    if by_slug is not None:
        found.append(_scored(copy, by_slug, parts))
    for article in similar:
        match = _scored(copy, article, parts)
        if match.matches:
            found.append(match)
    return sorted(found, key=lambda m: (not m.same_copy, -m.score, m.article.pk))


def similarity(copy: WireCopy, article: Article) -> StoryMatch:
    """How similar ``copy`` is to the stored ``article`` (see the module docstring)."""
    return _scored(copy, article, _parts([article.pk]))


def _parts(pks: list[int]) -> dict[int, tuple[set[str], set[str]]]:
    """{article pk: (its analysts' names, casefolded; its proposals' slugs)}: two queries."""
    parts: dict[int, tuple[set[str], set[str]]] = {pk: (set(), set()) for pk in pks}
    for pk, name in (
        Attribution.objects.filter(article_id__in=pks)
        .values_list("article_id", "analyst__name")
        .distinct()
    ):
        parts[pk][0].add(name.casefold())
    links = Proposal.articles.through.objects.filter(article_id__in=pks)
    for pk, proposal_slug in links.values_list("article_id", "proposal__slug"):
        parts[pk][1].add(proposal_slug)
    return parts


def _similar_candidates(copy: WireCopy, exclude: set[int]) -> list[Article]:
    names = [a.name for a in copy.analysts]
    proposals = [slugify(p.title) for p in copy.enrichment.proposals] if copy.enrichment else []
    base = Article.objects.filter(language=copy.language).exclude(pk__in=exclude)
    related = set(
        base.filter(Q(attributions__analyst__name__in=names) | Q(proposals__slug__in=proposals))
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .distinct()[:RELATED_LIMIT]
    )
    recent = set(
        base.filter(wire_imported_at__isnull=False)
        .order_by("-wire_imported_at")
        .values_list("pk", flat=True)[:RECENT_IMPORTS]
    )
    return list(Article.objects.filter(pk__in=related | recent).prefetch_related("sections"))


def _scored(
    copy: WireCopy,
    article: Article,
    parts: dict[int, tuple[set[str], set[str]]],
    *,
    same_copy: bool = False,
) -> StoryMatch:
    ours = [p for section in copy.sections for p in section.paragraphs]
    theirs = [p for section in article.sections.all() for p in split_paragraphs(section.body)]
    body = (_coverage(ours, theirs) + _coverage(theirs, ours)) / 2
    copy_analysts = {a.name.casefold() for a in copy.analysts}
    copy_proposals = (
        {slugify(p.title) for p in copy.enrichment.proposals} if copy.enrichment else set()
    )
    stored_analysts, stored_proposals = parts.get(article.pk, (set(), set()))
    analysts = _jaccard(copy_analysts, stored_analysts)
    proposals = _jaccard(copy_proposals, stored_proposals)
    headline = fuzz.token_sort_ratio(copy.title, article.title) / 100
    parts = {"body": body, "analysts": analysts, "proposals": proposals, "headline": headline}
    present = {k: v for k, v in parts.items() if v is not None}
    score = sum(WEIGHTS[k] * v for k, v in present.items()) / sum(WEIGHTS[k] for k in present)
    if same_copy:
        score = 1.0
    return StoryMatch(
        article=article,
        score=round(score, 2),
        body=round(body, 2),
        analysts=None if analysts is None else round(analysts, 2),
        proposals=None if proposals is None else round(proposals, 2),
        headline=round(headline, 2),
        same_copy=same_copy,
    )


def _coverage(ours: list[str], theirs: list[str]) -> float:
    """How much of ``ours`` has a similar paragraph in ``theirs`` (length-weighted)."""
    if not ours:
        return 1.0 if not theirs else 0.0
    if not theirs:
        return 0.0
    best = [process.extractOne(p, theirs, scorer=fuzz.ratio)[1] / 100 for p in ours]
    weights = [len(p) for p in ours]
    return sum(b * w for b, w in zip(best, weights, strict=True)) / sum(weights)


def _jaccard(a: set[str], b: set[str]) -> float | None:
    if not a and not b:
        return None
    return len(a & b) / len(a | b)

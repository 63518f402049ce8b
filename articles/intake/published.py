"""Re-importing wire copy of a published story: its changes become pending changes.

The importer's hook (`articles.intake.importer` calls these from its plan and apply
steps): a published article, statement, block or proposal that the copy changes is
not refused nor written in place; its new values are staged as its pending changes
(`articles.staging.stage`), which wait for review while readers keep the live story.
New statements and blocks are created in review as for any import.
"""

from __future__ import annotations

from django.db import models

from articles import permissions, staging
from articles.models import Article, Topic, join_paragraphs
from articles.pending import goes_through_review, open_pending, snapshot
from proposals.models import Actor, ProposalTerm, TermCategory

__all__ = ["link_proposal", "may_stage", "stage_article", "stage_part", "stage_proposal"]


def may_stage(user, obj: models.Model) -> bool:
    """Whether a re-import by `user` (None: the command line) may change the published
    `obj` through pending changes: editors may, and the command line."""
    return goes_through_review(obj) and (user is None or permissions.can_edit(user, obj))


def _note(source: str) -> str:
    return f"Re-imported from wire copy ({source})."


def _current(obj: models.Model) -> dict:
    open_set = open_pending(obj)
    return open_set.data if open_set is not None else snapshot(obj)


def stage_article(p, article: Article, values: dict, *, user) -> Article:
    """Stage the copy's title, languages, credit, sections and new topics on `article`.

    Sections are matched by position with the current ones (pending, else live), so a
    changed section is shown as changed, not as removed and added."""
    current = _current(article)
    changes: dict = {"fields": dict(values), "m2m": {}, "children": {}}
    if p.sections_changed:
        rows = sorted(current["children"].get("sections", []), key=lambda r: r.get("order", 0))
        changes["children"]["sections"] = [
            {
                "id": rows[order]["id"] if order < len(rows) else None,
                "order": order,
                "heading": section.heading,
                "body": join_paragraphs(list(section.paragraphs)),
            }
            for order, section in enumerate(p.copy.sections)
        ]
    new_topics = [
        Topic.objects.get_or_create(slug=tp.slug, defaults={"name": tp.name})[0].pk
        for tp in p.topics
        if tp.action != "unchanged"
    ]
    if new_topics:
        changes["m2m"]["topics"] = sorted(set(current["m2m"].get("topics", [])) | set(new_topics))
    staging.stage(article, changes, by=user, note=_note(p.source))
    return article


def stage_part(obj: models.Model, values: dict, *, user, source: str) -> None:
    """Stage new field values of a published statement or block."""
    staging.stage(obj, {"fields": values}, by=user, note=_note(source))


def stage_proposal(pp, *, user, source: str) -> None:
    """Stage a published proposal's new title, status, proposers and terms from the
    import plan `pp` (its terms are replaced, as the importer replaces them)."""
    wire = pp.wire
    actors = [Actor.objects.get_or_create(slug=s, defaults={"name": n})[0].pk for s, n in pp.actors]
    categories: dict[str, int] = {}
    terms = []
    for order, term in enumerate(pp.terms):
        if term.category_slug not in categories:
            categories[term.category_slug] = TermCategory.for_label(term.label).pk
        terms.append(
            {"id": None, "category": categories[term.category_slug], "text": term.text,
             "sourcing": ProposalTerm.Sourcing.REPORTED, "order": order}
        )  # fmt: skip
    changes = {
        "fields": {"title": wire.title, "status": wire.status},
        "m2m": {"proposed_by": sorted(actors)},
        "children": {"terms": terms},
    }
    staging.stage(pp.existing, changes, by=user, note=_note(source))


def link_proposal(proposal, article: Article, *, user, source: str) -> None:
    """Link `proposal` to `article`: through pending changes when both are published (the
    proposal would otherwise appear at once on the live page), else directly."""
    if goes_through_review(proposal) and goes_through_review(article):
        articles = set(_current(proposal)["m2m"].get("articles", [])) | {article.pk}
        staging.stage(
            proposal, {"m2m": {"articles": sorted(articles)}}, by=user, note=_note(source)
        )
    else:
        proposal.articles.add(article)

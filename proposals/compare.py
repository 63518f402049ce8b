"""Proposals side by side, category by category (the site's compare page and the API)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from proposals.models import Proposal, ProposalTerm, TermCategory


@dataclass(frozen=True)
class ComparedCategory:
    """One row of a comparison: a category and, per proposal, its terms there."""

    category: TermCategory
    # One list per proposal, in the order the proposals were given; empty when that
    # proposal says nothing on the category.
    terms: list[list[ProposalTerm]]

    @property
    def cells(self) -> list[tuple[Proposal, list[ProposalTerm]]]:
        return list(zip(self.proposals, self.terms, strict=True))

    proposals: tuple[Proposal, ...] = ()


def compare(proposals: Sequence[Proposal]) -> list[ComparedCategory]:
    """Categories any of `proposals` has terms in, ordered like `TermCategory`.

    Reads `proposal.terms.all()`: prefetch the terms with their category
    (`Proposal.objects.with_terms()`) and this runs no query at all.
    """
    categories: dict[int, TermCategory] = {}
    cells: dict[int, list[list[ProposalTerm]]] = {}
    for index, proposal in enumerate(proposals):
        for term in proposal.terms.all():
            categories.setdefault(term.category_id, term.category)
            row = cells.setdefault(term.category_id, [[] for _ in proposals])
            row[index].append(term)
    ordered = sorted(categories.values(), key=lambda c: (c.order, c.label.lower(), c.pk))
    return [
        ComparedCategory(category=c, terms=cells[c.pk], proposals=tuple(proposals)) for c in ordered
    ]

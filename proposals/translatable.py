"""The proposals' translatable units (registered in `ProposalsConfig.ready()`): a
proposal's title and summary, its terms and their categories' labels."""

from __future__ import annotations

from collections.abc import Iterable

from articles.translatable import PartKind, Unit


def proposal_units(article) -> Iterable[Unit]:
    return units_of(article.proposals.all())


def units_of(proposals) -> Iterable[Unit]:
    """Units of `proposals` (with their terms and categories prefetched)."""
    for proposal in proposals:
        group = f"Proposal: {proposal.title}"
        yield Unit(
            f"proposal:{proposal.pk}:title", group, "Title", proposal.title, proposal, "title",
            multiline=False,
        )  # fmt: skip
        if proposal.summary:
            yield Unit(
                f"proposal:{proposal.pk}:summary", group, "Summary", proposal.summary,
                proposal, "summary",
            )  # fmt: skip
        for term in proposal.terms.all():
            category = term.category
            yield Unit(
                f"category:{category.pk}:label", group, "Category", category.label, category,
                "label", multiline=False,
            )  # fmt: skip
            yield Unit(f"term:{term.pk}:text", group, "Term", term.text, term, "text")


KIND = PartKind("proposals", "Proposals", proposal_units)

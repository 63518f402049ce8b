"""A story: an article and its moderated parts (statements, enrichment blocks,
translation versions, and the proposals other apps link to it).

Apps register the relations that hold an article's parts, so the workflow walks a
story without naming every app's models: proposals register theirs in
`ProposalsConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models

_PART_RELATIONS: list[str] = ["attributions", "enrichment_blocks", "translations"]


def register_part(relation: str) -> None:
    """Count the moderated models behind `Article.<relation>` as parts of a story."""
    if relation not in _PART_RELATIONS:
        _PART_RELATIONS.append(relation)


def part_relations() -> tuple[str, ...]:
    return tuple(_PART_RELATIONS)


def parts(article, states=None) -> Iterator[models.Model]:
    """The article's parts (in `states` if given), relation by relation."""
    for relation in _PART_RELATIONS:
        queryset = getattr(article, relation).all()
        yield from queryset if states is None else queryset.filter(state__in=states)

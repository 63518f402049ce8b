"""The importer's own choices, and the checks on the choices editors pass.

The parser scores the decisions it makes in the text (where the key points start,
which analyst a shared surname is: :class:`~articles.intake.wire.WireChoice`). The
importer adds the decisions that need the database:

``update``
    Which stored story the copy is a new version of, if any: the options are the
    candidates of :func:`articles.intake.matching.candidates` (value: the article's
    slug, score: its similarity) and ``new`` ("create a separate story"). A candidate
    below the match threshold scores just under it and ``new`` scores the threshold, so
    an unmatched copy is a separate story unless an editor picks the stored one.
``analyst-<name>``
    Whether an analyst of the copy is a known analyst matched only loosely: see
    :func:`articles.intake.parts.analyst_choice`.

Every choice is offered with its options in the admin preview and taken on the command
line as ``--choose KEY=VALUE``; a key the copy does not have is refused in one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from articles.intake import matching
from articles.intake.parts import NEW, ImportRefused
from articles.intake.wire import Chooser, WireChoice, WireCopy, WireOption, WireWarning
from articles.models import Article

UPDATE_KEY = "update"


def check_keys(explicit: Mapping[str, str], made: Iterable[WireChoice]) -> None:
    """Refuse a choice key that is not one of the copy's (one line, naming the keys)."""
    keys = sorted({c.key for c in made})
    for key in explicit:
        if key not in keys:
            known = f"its choices are: {', '.join(keys)}" if keys else "it has none"
            raise ImportRefused(f"there is no choice {key!r} in this copy ({known})")


def choose_story(
    copy: WireCopy, slug: str, chooser: Chooser, warnings: list[WireWarning]
) -> tuple[Article | None, str, matching.StoryMatch | None, list[matching.StoryMatch]]:
    """(the article to update or None, the slug, its match, every candidate considered)."""
    found = matching.candidates(copy, slug)
    if not found:
        return None, slug, None, []
    options = []
    for match in found:
        score = match.score if match.matches else min(match.score, matching.THRESHOLD - 0.01)
        title = match.article.title
        options.append(
            WireOption(
                match.article.slug,
                f"update of “{title}” (similarity {match.score:.2f})"
                if not match.same_copy
                else f"update of “{title}” (the same copy)",
                round(score, 2),
            )
        )
    best = next((m for m in found if m.matches), None)
    new_score = round(1 - best.score, 2) if best is not None else matching.THRESHOLD
    options.append(WireOption(NEW, "create a separate story", new_score))
    choice = chooser.decide(
        UPDATE_KEY, copy.title_line, "Is this copy a new version of a stored story?", options
    )
    if choice.chosen == NEW:
        new_slug = _free_slug(slug)
        closest = found[0]
        if closest.article.slug == slug or closest.matches:
            how = "as chosen" if choice.explicit else _how_similar(closest)
            warnings.append(
                WireWarning(
                    copy.title_line,
                    f"a separate story ({new_slug}), not an update of “{closest.article.title}” "
                    f"({how}); choose update={closest.article.slug} to update it instead",
                    UPDATE_KEY,
                )
            )
        return None, new_slug, None, found
    match = next(m for m in found if m.article.slug == choice.chosen)
    if match.article.slug != slug and not match.same_copy:
        warnings.append(
            WireWarning(
                copy.title_line,
                f"taken as a new version of “{match.article.title}” ({_how_similar(match)}), "
                f"whose headline differs; choose update={NEW} for a separate story",
                UPDATE_KEY,
            )
        )
    elif not match.matches:
        warnings.append(
            WireWarning(
                copy.title_line,
                f"updating “{match.article.title}” as chosen, although the copy is not much "
                f"like it ({_how_similar(match)})",
                UPDATE_KEY,
            )
        )
    return match.article, match.article.slug, match, found


def _how_similar(match: matching.StoryMatch) -> str:
    if match.same_copy:
        return "the same copy"
    parts = [f"paragraphs {match.body:.2f}"]
    if match.analysts is not None:
        parts.append(f"analysts {match.analysts:.2f}")
    if match.proposals is not None:
        parts.append(f"proposals {match.proposals:.2f}")
    parts.append(f"headline {match.headline:.2f}")
    return f"similarity {match.score:.2f}: {', '.join(parts)}"


def _free_slug(slug: str) -> str:
    taken = set(Article.objects.filter(slug__startswith=slug[:190]).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    n = 2
    while f"{slug[:190]}-{n}" in taken:
        n += 1
    return f"{slug[:190]}-{n}"

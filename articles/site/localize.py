"""The readers' pages in one language: a story's parts and the newsroom's names in the
page's language where a live translation has them, in their original language (marked
with `lang` and "not yet translated") where none has.

Decision: an untranslated part is shown, not left out, so a page never loses a
statement or a term; a part is never half translated (see `translatable.localize`).
One query per page, whatever the number of parts (`TranslationUnit.objects.renderings`);
none for a page served from its snapshot, which stores the story's renderings.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from articles import translatable
from articles.models import Article, TranslationUnit, TranslationVersion


def story_renderings(
    article: Article, language: str, version: TranslationVersion | None
) -> dict[str, str]:
    """{unit key: text in `language`} for `article`'s parts (loaded with `with_parts`):
    `version`'s units first (the text the page shows in that language), else the
    newest live rendering of each key. One query; none in the article's own language.

    A page snapshot (`articles.site.snapshots`) stores this with the story, so a page
    served from it shows what a fresh build would, without the query."""
    if language == article.language:
        return {}
    units = translatable.story_units(article, unique=False)
    if not units:
        return {}
    own = version if version is not None and not version.imported else None
    return TranslationUnit.objects.renderings(language, [u.key for u in units], version=own)


def localize_story(article: Article, language: str, version: TranslationVersion | None) -> None:
    """Put `article`'s parts (loaded with `with_parts`) in `language` for its page;
    `version` is the text the page shows in that language (its units come first).
    A story hydrated from its snapshot brings its renderings (no query)."""
    units = translatable.story_units(article, unique=False)
    stored = getattr(article, "snapshot_renderings", None)
    if stored is not None and stored[0] == language:
        renderings = stored[1]
    else:
        renderings = story_renderings(article, language, version)
    translatable.localize(units, renderings, language, article.language)


def localize_names(language: str, units: Iterable[translatable.Unit], *, original_of=None) -> None:
    """Put texts shown outside their story (topics, analysts' roles, proposals,
    statements on an analyst's page…) in `language`, in one query. They are written in
    the site's default language, or in `original_of(obj)` (a statement: its article's)."""
    by_original: dict[str, list] = {}
    for unit in units:
        original = original_of(unit.obj) if original_of else settings.LANGUAGE_CODE
        by_original.setdefault(original, []).append(unit)
    foreign = [
        u.key for original, some in by_original.items() if original != language for u in some
    ]
    renderings = TranslationUnit.objects.renderings(language, foreign) if foreign else {}
    for original, some in by_original.items():
        translatable.localize(some, renderings, language, original)


def topic_units(topics: Iterable) -> list[translatable.Unit]:
    return translatable.name_units(topics, "topic", "name")


def headline_topic_units(headlines: Iterable) -> list[translatable.Unit]:
    """The topics in the kickers of a list of headlines (prefetched with `listed()`)."""
    return topic_units(t for h in headlines for t in h.article.topics.all())

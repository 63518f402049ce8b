"""What happens when something readers may see changes.

The workflow (publish, unpublish, a translation going live) and the admin (an edit of
published content, a topic renamed) call `changed(obj)` inside their transaction; once
it commits, everything changed in it is handled at once, each story once:

1. the snapshots of the stories concerned are rebuilt from the read rules
   (`articles.site.snapshots`), remembering what each story was listed under before;
2. the search index is rewritten for the stories whose text may have changed;
3. the cache tags of what changed are invalidated (`articles.site.cache`): the story's
   pages in every language, the lists that show or showed it (home, its topics, its
   analysts' pages, the proposals it links, the feed, search, the sitemap), the pages
   of a renamed topic, analyst or proposal, and nothing else;
4. a CDN in front is purged by the same tags (`articles.site.cdn`, when configured).

`public_content_changed(obj)` does the same at once, for callers already past their
commit (a command, a test). `obj` is what changed: an article or one of its parts
(sections, statements, blocks, translation versions, and parts other apps register
in `articles.story`), reference data shown with stories (`register_reference()`: a
topic, an analyst…), or a model class or None when the reach is unknown (everything
is invalidated and the snapshots rebuilt on their next read).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction

from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    Image,
    Institution,
    PendingChange,
    Section,
    Topic,
    TranslationVersion,
)
from articles.site import cdn, search, snapshots
from articles.site import tags as cache_tags
from articles.site.cache import invalidate

logger = logging.getLogger(__name__)


@dataclass
class Change:
    stories: set[int] = field(default_factory=set)  # whose content changed
    touched: set[int] = field(default_factory=set)  # showing reference data that changed
    reindex: set[int] = field(default_factory=set)  # whose text may have changed
    tags: set[str] = field(default_factory=set)
    everything: bool = False

    def merge(self, other: Change) -> Change:
        self.stories |= other.stories
        self.touched |= other.touched
        self.reindex |= other.reindex
        self.tags |= other.tags
        self.everything |= other.everything
        return self


@dataclass(frozen=True)
class Reference:
    """A model shown with stories: how to find them, and which tags a change to one
    makes stale. `lookup` goes from `Article` to the model (`"topics"`); `part` when
    the model is itself a moderated part of the stories (a change is a story change)."""

    lookup: str | tuple[str, ...]  # several: a story shows it through any of them
    tags: Callable[[models.Model], list[str]]
    part: bool = False


_REFERENCES: dict[type[models.Model], Reference] = {}
# Parts of a story that carry the article's id, and whether they hold its text.
_TEXT_PARTS = (Section, TranslationVersion)
_OTHER_PARTS = (Attribution, EnrichmentBlock)


def register_reference(model: type[models.Model], reference: Reference) -> None:
    """Have changes to `model` rebuild and invalidate the stories showing it (other
    apps register theirs in `ready()`, as proposals do)."""
    _REFERENCES[model] = reference


register_reference(
    Topic,
    Reference(
        "topics",
        # Headlines name their topics on every list of articles.
        lambda t: [
            cache_tags.topic(t.pk),
            cache_tags.ARTICLES,
            cache_tags.TOPICS,
            cache_tags.PROPOSAL_PAGES,
        ],
    ),
)
register_reference(
    Analyst,
    Reference("attributions__analyst", lambda a: [cache_tags.analyst(a.pk), cache_tags.ANALYSTS]),
)
register_reference(
    Image,
    # Pictures show on article pages and on the cards of lists (home, topics, bylines).
    Reference(
        ("lead_image", "sections__image"), lambda i: [cache_tags.ARTICLES, cache_tags.TOPICS]
    ),
)
register_reference(
    Institution,
    Reference(
        "attributions__analyst__institution",
        lambda i: [
            *(cache_tags.analyst(pk) for pk in i.analysts.values_list("pk", flat=True)),
            cache_tags.ANALYSTS,
        ],
    ),
)


def change_of(obj) -> Change:
    """What a change to `obj` concerns, read now (before a deletion, for a deletion)."""
    if obj is None or isinstance(obj, type):
        return Change(everything=True)
    if isinstance(obj, PendingChange):
        # What readers see changes when they are applied to their object: that object.
        target = obj.target
        return Change() if target is None else change_of(target)
    if isinstance(obj, Article):
        return Change(stories={obj.pk}, reindex={obj.pk})
    if isinstance(obj, _TEXT_PARTS):
        return Change(stories={obj.article_id}, reindex={obj.article_id})
    if isinstance(obj, _OTHER_PARTS):
        return Change(stories={obj.article_id})
    reference = _REFERENCES.get(type(obj))
    if reference is None:
        return Change(everything=True)
    lookups = (reference.lookup,) if isinstance(reference.lookup, str) else reference.lookup
    ids: set[int] = set()
    for lookup in lookups:
        ids |= set(
            Article.objects.public().filter(**{lookup: obj}).values_list("pk", flat=True).distinct()
        )
    if reference.part:
        return Change(stories=ids, tags=set(reference.tags(obj)))
    return Change(touched=ids, tags=set(reference.tags(obj)))


# -- on commit -------------------------------------------------------------------------


class _OnCommit:
    """The changes of one transaction, handled together once it commits."""

    def __init__(self) -> None:
        self.change = Change()

    def __call__(self) -> None:
        apply(self.change)


def changed(obj) -> None:
    """Record, inside the transaction changing it, that readers' view of `obj` changes;
    handled once the transaction commits, with everything else it changed (each story
    once). Outside a transaction: at once."""
    change = change_of(obj)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        apply(change)
        return
    # One callback per transaction: joined if registered in a savepoint enclosing this
    # one, or inside it (released: still pending). A rollback drops it with what it
    # gathered; a savepoint rolled back inside it leaves its changes in, which rebuilds
    # and invalidates a little more than needed, harmlessly.
    active = set(connection.savepoint_ids)
    for sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _OnCommit) and (sids <= active or sids >= active):
            callback.change.merge(change)
            return
    callback = _OnCommit()
    callback.change.merge(change)
    transaction.on_commit(callback, robust=True)


def public_content_changed(obj=None) -> None:
    """Handle a change to `obj` now (after its commit). See the module's docstring."""
    apply(change_of(obj))


def apply(change: Change) -> None:
    """Handle `change`. Each step runs whatever befell the one before (a failing search
    index is logged and never keeps the cache from being invalidated)."""
    if change.everything:
        _step("snapshots", snapshots.mark_all_stale)
        _step("search index", search.rebuild_index)
        stale = {cache_tags.SITE}
    else:
        before = _step("snapshots", snapshots.signatures, change.stories) or {}
        after = _step("snapshots", snapshots.refresh, change.stories)
        _step(
            "snapshots",
            snapshots.refresh,
            change.touched - change.stories,
            limit=snapshots.EAGER_LIMIT,
        )
        for pk in sorted(change.reindex):
            _step("search index", search.index_article, pk)
        stale = {cache_tags.ANY, *change.tags}
        for pk in change.stories:
            if after is None:  # not rebuilt: what it is listed under is not known
                stale |= {cache_tags.SITE}
            else:
                stale |= cache_tags.story_change(pk, before.get(pk), after.get(pk))
    invalidate(stale)
    _step("CDN purge", cdn.purge, stale)


def _step(name: str, function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception:  # logged; the next steps still run
        logger.exception("on commit of a change readers see: %s failed", name)
        return None

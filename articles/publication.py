"""What happens when something readers may see changes.

Called on commit by the workflow (publish, unpublish) and by the admin when published
content is edited: the one place to hang cache invalidation and search indexing.
"""

from __future__ import annotations

from articles.models import Article, Section, TranslationVersion
from articles.site import search
from articles.site.cache import invalidate_public_cache


def public_content_changed(obj=None) -> None:
    """Invalidate every cached public page and re-index the article's text if it changed.

    `obj` is what changed: an article, one of its sections or translation versions
    (re-indexed), anything else (cache only), or None when unknown (full re-index).
    """
    invalidate_public_cache()
    if obj is None:
        search.rebuild_index()
    elif isinstance(obj, Article):
        search.index_article(obj.pk)
    elif isinstance(obj, Section | TranslationVersion):
        search.index_article(obj.article_id)

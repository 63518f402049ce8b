"""What happens when something readers may see changes.

Called on commit by the workflow (publish, unpublish) and by the admin when published
content is edited: the one place to hang cache invalidation and search indexing.
"""

from __future__ import annotations

from articles.cache import invalidate_public_cache


def public_content_changed(obj=None) -> None:
    invalidate_public_cache()

"""The editors' desk: Django's admin, scoped per role.

`moderation` is the base every moderated ModelAdmin shares (workflow buttons, audit
trail, stale-save guard, scoping); `content` registers articles and their parts;
`review` is the review queue.
"""

# Importing registers the ModelAdmins.
from articles.admin import content, images  # noqa: F401

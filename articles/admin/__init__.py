"""The editors' desk: Django's admin, scoped per role.

`moderation` is the base every moderated ModelAdmin shares (workflow buttons, audit
trail, stale-save guard, scoping); `content` registers articles and their parts;
`review` is the review queue, grouped by story; `story` the story page and the
queue's bulk confirmation; `pending` the editing of published content through pending
changes, and the pending changes' own admin.
"""

# Importing registers the ModelAdmins.
from articles.admin import content, images, pending  # noqa: F401

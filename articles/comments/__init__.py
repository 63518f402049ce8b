"""Comment threads on moderated items and on stories as a whole.

`models.Comment` is one comment (threaded, optionally anchored to a paragraph,
resolvable, with @mentions); `threads` posts, resolves and reads threads (transition
notes merged in), asking `articles.permissions` who may see and write. Comments never
reach readers: no public page, feed or API reads them.
"""

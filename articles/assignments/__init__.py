"""Review assignments: who is on a story (or a translation version), by when, how urgent.

`models.Assignment` holds one assignment per item; `actions` assigns, claims and
releases (audited, the assignee notified) and answers the queue and dashboard filters.
"""

"""Telling people what happened: in-app notifications and e-mail.

- `models`: `Notification` (one line for one person, read or unread, with its e-mail
  state) and `Preferences` (e-mail immediately, as a daily digest, or off; time zone).
- `events`: who is told of what (submissions, assignments, mentions, changed sources,
  decisions, outside sign-off answers); creates the notifications.
- `delivery`: the e-mail, never sent inside the request that caused it: a task queued
  on commit (django-tasks, database backend, run by `manage.py db_worker`), retried,
  and the daily digests (`manage.py send_digests`).
- `views`: the list with its unread count, and the preferences page.
"""

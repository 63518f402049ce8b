"""Newsroom load and fault check: the real server under a mixed load, then the books.

    .venv/bin/python bench/loadtest.py [--seconds S] [--concurrency C] [--articles N]
                                       [--database-url URL] [--rate R] [--json PATH]

1. A throwaway PostgreSQL 15 server on 127.0.0.1 (initdb into a temporary folder, as
   the `postgres` user when run as root), or, with DATABASE_URL / --database-url, a
   throwaway database of its own on that server (dropped at the end).
2. Migrations, collectstatic (into a temporary STATIC_ROOT), the demo accounts and
   samples (`load_demo`), a generated collection (bench/run.py's `generate`), and
   extra editors and translators.
3. gunicorn with 4 workers, DEBUG off (DJANGO_DEBUG=0, a generated DJANGO_SECRET_KEY,
   DJANGO_ALLOWED_HOSTS=127.0.0.1); requests carry `X-Forwarded-Proto: https` as
   from a TLS-terminating proxy. The API throttles are set high for the run.
4. For S seconds (default 60, LOADTEST_SECONDS), C threads (default 16) mix anonymous
   readers (pages and API GETs), translators submitting versions through the API,
   editors reviewing them (API and the admin's side-by-side page), editing articles
   and attributions in the admin (GET the change form, POST it back) and moving
   articles through the workflow with the admin's buttons.
5. Prints requests, req/s, p50/p99, every non-2xx/3xx response grouped (429 apart),
   the server's tracebacks, then checks every submitted translation version exists
   exactly once with gapless numbers per article and language.

Exits 1 on any 5xx, connection failure, lost/duplicated/misnumbered version or client
error; 0 otherwise. Not a test: nothing here asserts a time. See bench/LOADTEST.md.
"""

"""Measuring endpoints in process (Django's test client): latency, queries, plans."""

from __future__ import annotations

import gc
import math
import re
import statistics
import time
from dataclasses import dataclass

from bench.generate import Collection


@dataclass
class Endpoint:
    name: str
    url: str
    cached: bool = True  # served from the cache to anonymous readers (else: staff pages)


@dataclass
class Result:
    endpoint: str
    url: str
    mode: str  # "cold" or "warm"
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    requests: int = 0  # measured (fewer than asked for an endpoint taking seconds)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def deep_api_page(client, page: int) -> tuple[str, int]:
    """The URL of the `page`-th page of /api/v1/articles/, following `next` links."""
    url, reached = "/api/v1/articles/", 1
    while reached < page:
        next_url = client.get(url).json()["next"]
        if not next_url:
            break
        url, reached = next_url, reached + 1
    return url, reached


def _sitemaps(client) -> list[Endpoint]:
    """sitemap.xml, and when it is an index, a page of its articles' sitemap (the last:
    the deepest); the news sitemap where there is one."""
    found = [Endpoint("sitemap.xml", "/sitemap.xml")]
    body = client.get("/sitemap.xml").content.decode()
    if "<sitemapindex" in body:
        locs = re.findall(r"<loc>(.*?)</loc>", body)
        articles = [
            re.sub(r"^https?://[^/]+", "", loc).replace("&amp;", "&")
            for loc in locs
            if "articles" in loc
        ]
        found += [Endpoint("sitemap page", articles[-1])] if articles else []
    if client.get("/sitemap-news.xml").status_code == 200:
        found.append(Endpoint("news sitemap", "/sitemap-news.xml"))
    return found


def endpoints(client, collection: Collection) -> list[Endpoint]:
    deep_url, deep_page = deep_api_page(client, 50)
    slug = collection.article_slug
    search = "/api/v1/search/" if client.get("/api/v1/search/?q=x").status_code == 200 else None
    return [
        Endpoint("home", "/en/"),
        Endpoint("article page", f"/en/articles/{slug}/"),
        Endpoint("article page (fr)", f"/fr/articles/{slug}/"),
        Endpoint("topic page", f"/en/topics/{collection.topic_slug}/"),
        Endpoint("analyst page", f"/en/analysts/{collection.analyst_slug}/"),
        Endpoint(
            "proposals compare",
            # `across`: compared although no article ties them (else a page explaining).
            "/en/proposals/compare/?slugs=" + ",".join(collection.compare_slugs) + "&across=1",
        ),
        Endpoint("search (broad)", "/en/search/?q=ceasefire+negotiations"),
        Endpoint("search (narrow)", "/en/search/?q=zaporizhzhia"),
        Endpoint("RSS feed", "/en/feed/"),
        *_sitemaps(client),
        Endpoint("API articles p1", "/api/v1/articles/"),
        Endpoint(f"API articles p{deep_page}", deep_url.removeprefix("http://testserver")),
        Endpoint("API article", f"/api/v1/articles/{slug}/"),
        Endpoint("API ninjs", f"/api/v1/articles/{slug}/ninjs/"),
        Endpoint(
            "API search",
            f"{search}?q=ceasefire+negotiations"
            if search
            else "/api/v1/articles/?q=ceasefire+negotiations",
        ),
    ]


BUDGET_MS = 60_000  # per endpoint and mode, past the first request

STAFF_ENDPOINTS = [
    Endpoint("admin articles", "/admin/articles/article/", cached=False),
    Endpoint("admin review queue", "/admin/review/", cached=False),
]


def measure(client, endpoint: Endpoint, mode: str, requests: int) -> Result:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        if mode == "cold":
            cache.clear()
        started = time.perf_counter()
        response = client.get(endpoint.url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{endpoint.url} answered {response.status_code}")
        expected = "miss" if mode == "cold" else "hit"
        if endpoint.cached and response.get("X-Cache") != expected:
            raise SystemExit(f"{endpoint.url} {mode}: X-Cache {response.get('X-Cache')!r}")
        return elapsed, response

    if mode == "warm":
        cache.clear()
        client.get(endpoint.url)  # fills the cache
    gc.collect()
    timings = [get()[0] * 1000]
    # An endpoint taking seconds (sitemap.xml at 100,000 stories) gets fewer requests.
    requests = min(requests, max(3, int(BUDGET_MS / max(timings[0], 0.001))))
    timings += [get()[0] * 1000 for _ in range(requests - 1)]
    # Counted apart, so that capturing the SQL never weighs on the timings.
    with CaptureQueriesContext(connection) as queries:
        _elapsed, response = get()
    return Result(
        endpoint=endpoint.name,
        url=endpoint.url,
        mode=mode,
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(p95(timings), 2),
        queries=len(queries.captured_queries),
        bytes=len(response.content),
        requests=requests,
    )


def plans(client, endpoint: Endpoint) -> list[tuple[str, str]]:
    """(query, plan) of each SELECT of one cold request (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(endpoint.url)
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
            found.append((sql, "\n".join(str(row[-1]) for row in cursor.fetchall())))
    return found


def time_publication_hook(article_ids: list[int]) -> tuple[float, float]:
    """Median and p95 ms of `public_content_changed(article)` (snapshot rebuild, search
    row, cache tags) for these published stories, as on commit of a correction."""
    from articles.models import Article
    from articles.publication import public_content_changed

    timings = []
    for article in Article.objects.filter(pk__in=article_ids):
        started = time.perf_counter()
        public_content_changed(article)
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1), round(p95(timings), 1)

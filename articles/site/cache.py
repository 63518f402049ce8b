"""What anonymous readers are served from the cache, and how each copy goes stale.

A public response (a reader's page, an anonymous API answer) is stored with the tags
naming what it shows (`articles.site.tags`) and the time its rendering began.
Invalidating a tag (`invalidate()`, on commit of a change, see `articles.publication`)
stores the time under the tag's key; a copy is served only while every one of its tags
was last invalidated before its rendering began, so a change makes stale exactly the
copies showing what changed and nothing else. A copy whose rendering started before a
change committed may hold the old content: the invalidation, later, disowns it. (A
copy made from a read replica counts from when the replica's data was current,
`articles.routing.data_as_of()`.)

The comparison allows `CLOCK_MARGIN` for clocks of several machines sharing a Redis
(one machine's processes share one clock). A tag whose time is missing (never set, or
evicted) fails the check and is set to now: a lost invalidation can never revive a
stale copy.

Public responses get `Cache-Control: public, max-age=0, s-maxage=…`, an `ETag` and
`Last-Modified` (a matching `If-None-Match`/`If-Modified-Since` answers 304), and
`Surrogate-Key`/`Cache-Tag` naming their tags for a CDN (purged by tag on commit,
`articles.site.cdn`). Responses to signed-in users are marked private and never stored.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from articles.routing import data_as_of
from articles.site import tags as cache_tags

CLOCK_MARGIN = 1.0  # seconds
TAG_KEY = "newsroom:tag:{}"


@dataclass(frozen=True)
class Entry:
    content: bytes
    headers: dict[str, str]
    tags: tuple[str, ...]
    rendered_at: float  # time.time() when rendering began
    etag: str


def public_cache_key(namespace: str, *parts: str) -> str:
    """The cache key of something served to anonymous readers, made from `parts`."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"newsroom:{namespace}:{digest}"


def invalidate(tags: Iterable[str]) -> None:
    """Make every cached copy showing any of `tags` stale (call after the commit)."""
    keys = [TAG_KEY.format(tag) for tag in tags]
    if keys:
        now = time.time()
        cache.set_many(dict.fromkeys(keys, now), timeout=None)


def invalidate_public_cache() -> None:
    """Everything stale: for a change whose reach is unknown."""
    invalidate([cache_tags.SITE])


def _tag_times(tags: Iterable[str], *, missing_at: float | None) -> dict[str, float] | None:
    """The tags' invalidation times; None when one is missing (it is then set to
    `missing_at`, or to now)."""
    keys = {TAG_KEY.format(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    if len(found) == len(keys):
        return found
    for key in keys.keys() - found.keys():
        cache.add(key, time.time() if missing_at is None else missing_at, timeout=None)
    return None


def _fresh(tags: Iterable[str], made_at: float) -> bool:
    """Whether none of `tags` was invalidated since `made_at` (less the margin)."""
    times = _tag_times(tags, missing_at=None)
    return times is not None and max(times.values(), default=0) <= made_at - CLOCK_MARGIN


def lookup(key: str) -> Entry | None:
    """The cached copy under `key`, if none of its tags was invalidated since it was made."""
    entry = cache.get(key)
    if not isinstance(entry, Entry) or not _fresh(entry.tags, entry.rendered_at):
        return None
    return entry


@dataclass(frozen=True)
class Value:
    value: object
    tags: tuple[str, ...]
    made_at: float


def remember(key: str, tags: Iterable[str], compute: Callable[[], object]):
    """`compute()`, kept under `key` until one of `tags` is invalidated (a value many
    public responses share, e.g. the languages with content)."""
    tags = tuple(sorted({*tags, cache_tags.SITE}))
    kept = cache.get(key)
    if isinstance(kept, Value) and kept.tags == tags and _fresh(tags, kept.made_at):
        return kept.value
    started = data_as_of()
    value = compute()
    _tag_times(tags, missing_at=started - CLOCK_MARGIN)
    cache.set(key, Value(value, tags, started), settings.CACHE_MIDDLEWARE_SECONDS)
    return value


def store(key: str, response: HttpResponse, rendered_at: float, headers: Iterable[str]) -> Entry:
    """Keep a rendered 200 `response` under `key`, with `headers` and its tags."""
    tags = tuple(sorted(cache_tags.of(response)))
    entry = Entry(
        content=response.content,
        headers={name: response[name] for name in headers if response.has_header(name)},
        tags=tags,
        rendered_at=rendered_at,
        etag=etag_of(response.content),
    )
    # A tag never invalidated yet counts from before this rendering began.
    _tag_times(tags, missing_at=rendered_at - CLOCK_MARGIN)
    cache.set(key, entry, settings.CACHE_MIDDLEWARE_SECONDS)
    return entry


def etag_of(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies  # a response setting a cookie is someone's own
    )


def serve(
    request: HttpRequest,
    key: str,
    render: Callable[[], HttpResponse],
    *,
    stored_headers: Iterable[str] = ("Content-Type", "Content-Language"),
    vary: Iterable[str] = (),
) -> HttpResponse:
    """An anonymous GET: the cached copy under `key`, else `render()` (stored when a
    cacheable 200), with the public headers; 304 when the client's copy is current."""
    entry = lookup(key)
    if entry is not None:
        response = HttpResponse(entry.content, headers=entry.headers)
        response["X-Cache"] = "hit"
        response.cache_tags = set(entry.tags)
        patch_vary_headers(response, vary)
        return public(request, response, entry.etag, entry.rendered_at)
    started = data_as_of()  # now, or earlier when reading from a replica behind
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    response["X-Cache"] = "miss"
    patch_vary_headers(response, vary)
    if not cacheable(response):
        return response
    entry = store(key, response, started, stored_headers)
    return public(request, response, entry.etag, started)


def public(request: HttpRequest, response: HttpResponse, etag: str, modified: float):
    """Headers of a public response; a 304 instead when the client's copy is current."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(modified))
    response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.NEWSROOM_CDN_MAX_AGE}"
    names = sorted(cache_tags.of(response))
    response["Surrogate-Key"] = " ".join(names)
    response["Cache-Tag"] = ",".join(names)
    return get_conditional_response(
        request, etag=etag, last_modified=int(modified), response=response
    )


def private(response: HttpResponse) -> HttpResponse:
    """A signed-in user's response: never stored by a shared cache, nor by the browser."""
    for name in ("ETag", "Last-Modified", "Surrogate-Key", "Cache-Tag", "Expires"):
        if response.has_header(name):
            del response[name]
    if response.has_header("Cache-Control"):
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response

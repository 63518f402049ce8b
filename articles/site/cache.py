"""Invalidation of what anonymous readers are served from the cache.

Public pages and API responses put `public_cache_version()` in their cache keys; any
change to what readers can see bumps it, so every cached copy goes stale at once.
Coarse, but always correct, and publishing is rare next to reading.
"""

import hashlib

from django.core.cache import cache

VERSION_KEY = "newsroom:public-version"


def public_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def invalidate_public_cache() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any fresh value invalidates
        cache.set(VERSION_KEY, public_cache_version() + 1, timeout=None)


def public_cache_key(namespace: str, *parts: str) -> str:
    """The cache key of something served to anonymous readers, made from `parts`.

    Carries the current public version, so it goes stale with every published change.
    """
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"newsroom:{namespace}:{public_cache_version()}:{digest}"

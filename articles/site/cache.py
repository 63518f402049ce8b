"""Invalidation of what anonymous readers are served from the cache.

Public pages and API responses put `public_cache_version()` in their cache keys; any
change to what readers can see bumps it, so every cached copy goes stale at once.
Coarse, but always correct, and publishing is rare next to reading.
"""

import hashlib
import secrets
import time

from django.core.cache import cache

VERSION_KEY = "newsroom:public-version"


def _new_version() -> str:
    # Never one used before, in any process: a full cache drops entries (the file cache
    # at random, Redis by its eviction policy), and a counter starting again at 1 after
    # losing the version would bring back pages cached under the old 1.
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def public_cache_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        candidate = _new_version()
        cache.add(VERSION_KEY, candidate, timeout=None)
        version = cache.get(VERSION_KEY, candidate)  # another process's, if it won
    return version


def invalidate_public_cache() -> None:
    # One write, no read: concurrent invalidations from several processes each leave
    # a new version, whichever lands last.
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def public_cache_key(namespace: str, *parts: str) -> str:
    """The cache key of something served to anonymous readers, made from `parts`.

    Carries the current public version, so it goes stale with every published change.
    """
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"newsroom:{namespace}:{public_cache_version()}:{digest}"

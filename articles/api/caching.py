"""Anonymous readers' GET requests to the public API, served from the cache.

Readers all see the same published content, so a response made for one serves the
next. Each copy is stored with the tags naming what it shows (the view sets them with
`articles.site.tags.tag`; `any` otherwise) and goes stale when one of them is
invalidated on commit of a change (`articles.site.cache`, `articles.publication`).
Public answers carry validators (`ETag`, `Last-Modified`: 304 when current) and
`Cache-Control: public, s-maxage` with `Surrogate-Key`/`Cache-Tag` for a CDN.
Signed-in callers are never served from the cache (editors see drafts), and their
responses are marked private and never stored.

The check runs after DRF's authentication, permissions and throttling: a cached hit is
still throttled, and a caller with a bad token still gets 401.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework.request import Request

from articles.routing import data_as_of
from articles.site import cache as public_cache
from articles.site.cache import public_cache_key

# Headers of a 200 response that travel with its cached body.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary")
# Signed-in callers get other answers (editors see drafts): shared caches key on these.
API_VARY = ("Authorization", "Cookie")


def cache_key(request: Request, *, vary_on_language: bool) -> str:
    """The key of an anonymous GET: the URL, and the language inputs.

    The absolute URL, not the path: responses carry absolute links (`next`, ninjs
    URIs), built from the scheme and host of the request.
    """
    parts = [request.build_absolute_uri(), get_language() or ""]
    if vary_on_language:
        parts.append(request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:255])
    return public_cache_key("api", *parts)


def _finish(request, key: str, started: float, response):
    """Once rendered: store a cacheable 200 and give it the public headers (or a 304)."""
    patch_vary_headers(response, API_VARY)
    if not public_cache.cacheable(response):
        return response
    entry = public_cache.store(key, response, started, STORED_HEADERS)
    return public_cache.public(request, response, entry.etag, started)


class AnonymousCacheMixin:
    """For read-only viewsets: anonymous GETs answering 200 are cached (`X-Cache`).

    `cache_varies_on_language = True` where the response negotiates on
    `Accept-Language` (an article's text); the header then joins the key.
    """

    cache_varies_on_language = False

    def dispatch(self, request, *args, **kwargs):
        # A viewset binds `get` to its action (list, retrieve, ...) before dispatching;
        # wrapped here, the action runs after authentication and throttling.
        handler = getattr(self, "get", None)
        if handler is not None:
            self.get = partial(self._cached, handler)
        return super().dispatch(request, *args, **kwargs)

    def _cached(self, handler, request: Request, *args, **kwargs):
        if request.user.is_authenticated or request.auth is not None:
            return public_cache.private(handler(request, *args, **kwargs))
        key = cache_key(request, vary_on_language=self.cache_varies_on_language)
        entry = public_cache.lookup(key)
        if entry is not None:
            response = HttpResponse(entry.content, headers=entry.headers)
            response["X-Cache"] = "hit"
            response.cache_tags = set(entry.tags)
            patch_vary_headers(response, API_VARY)
            return public_cache.public(request, response, entry.etag, entry.rendered_at)
        started = data_as_of()  # now, or earlier when reading from a replica behind
        response = handler(request, *args, **kwargs)
        response["X-Cache"] = "miss"
        if response.status_code == 200 and hasattr(response, "add_post_render_callback"):
            # Stored once rendered, with the headers rendering sets (Content-Type).
            response.add_post_render_callback(partial(_finish, request._request, key, started))
        else:
            patch_vary_headers(response, API_VARY)
        return response

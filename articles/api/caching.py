"""Anonymous readers' GET requests to the public API, served from the cache.

Readers all see the same published content, so a response made for one serves the
next: the key holds `public_cache_version()` (bumped on commit by every publish,
unpublish or edit of something readers see, see `articles.publication`), so every
cached copy goes stale at once when anything changes. Signed-in callers are never
served from the cache (editors see drafts) and their responses are never stored.

The check runs after DRF's authentication, permissions and throttling: a cached hit is
still throttled, and a caller with a bad token still gets 401.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from rest_framework.request import Request

from articles.site.cache import public_cache_key

# Headers of a 200 response that travel with its cached body.
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary")


def cache_key(request: Request, *, vary_on_language: bool) -> str:
    """The key of an anonymous GET: the version, the URL, and the language inputs.

    The absolute URL, not the path: responses carry absolute links (`next`, ninjs
    URIs), built from the scheme and host of the request.
    """
    parts = [request.build_absolute_uri(), get_language() or ""]
    if vary_on_language:
        parts.append(request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:255])
    return public_cache_key("api", *parts)


def _store(key: str, response) -> None:
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    cache.set(key, (response.content, headers), settings.CACHE_MIDDLEWARE_SECONDS)


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
            response = handler(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = cache_key(request, vary_on_language=self.cache_varies_on_language)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "hit"
        else:
            response = handler(request, *args, **kwargs)
            if response.status_code == 200 and hasattr(response, "add_post_render_callback"):
                # Stored once rendered, with the headers rendering sets (Content-Type).
                response.add_post_render_callback(partial(_store, key))
            response["X-Cache"] = "miss"
        # Signed-in callers get other answers (editors see drafts): shared caches
        # must not hand this one to them.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

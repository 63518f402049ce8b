"""Refuse requests no view should see: oversized bodies (413), NUL bytes (400)."""

import contextlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation

from articles.site.cache import private

# Multipart framing around an uploaded file; keeps a 1 MB wire upload under the limit
# so the importer can give its own, more precise message.
MULTIPART_ALLOWANCE = 64 * 1024
# The admin's picture upload takes files up to NEWSROOM_IMAGE_MAX_BYTES; a few MB more
# still reach the form, which says exactly what is wrong (a 21 MB photograph).
IMAGE_UPLOAD_PATHS = ("/admin/articles/image/",)
IMAGE_UPLOAD_SLACK = 8 * 1024 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """413 for bodies over DATA_UPLOAD_MAX_MEMORY_SIZE on the site and the admin.

    Without it, Django notices only when the CSRF check reads the form, and answers
    400. The API has its own check, answering in the API's error shape.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if request.content_type == "multipart/form-data":
                limit += MULTIPART_ALLOWANCE
                if request.path.startswith(IMAGE_UPLOAD_PATHS):
                    limit = settings.NEWSROOM_IMAGE_MAX_BYTES + IMAGE_UPLOAD_SLACK
            if length > limit:
                # Runs before LocaleMiddleware: take the language from the path.
                language = translation.get_language_from_path(request.path_info)
                with translation.override(language or settings.LANGUAGE_CODE):
                    body = render_to_string(
                        "413.html", {"limit_mb": max(1, limit // (1024 * 1024))}, request=None
                    )
                return HttpResponse(body, status=413)
        return self.get_response(request)


# Form bodies whose values the NUL check reads (others, like JSON, are the API's to check).
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class RefuseNulBytesMiddleware:
    """400 for a request with a NUL byte in its path, query string or form fields
    (and a cookie holding one is ignored).

    PostgreSQL can neither store nor compare a string holding NUL, so any such value
    that reaches a query is a 500 there (admin filters, autocomplete, compare...), and
    no honest client sends one. Refused once, here, before any view: a short page on
    the site and the admin, the API's error shape (naming the parameters) under /api/.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A cookie holding NUL is forged (no server sets one): dropped, never looked up.
        for name in [n for n, v in request.COOKIES.items() if "\x00" in n or "\x00" in v]:
            del request.COOKIES[name]
        names = self._names_with_nul(request)
        if not names:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = "Null characters are not allowed."
            return JsonResponse(
                {
                    "status": 400,
                    "code": "invalid",
                    "detail": "Invalid input.",
                    "errors": {name: [message] for name in names},
                },
                status=400,
            )
        # Runs before LocaleMiddleware: take the language from the path.
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            body = render_to_string("400.html", request=None)
        return HttpResponse(body, status=400)

    @staticmethod
    def _names_with_nul(request: HttpRequest) -> list[str]:
        if "\x00" in request.path:
            return ["path"]
        fields = list(request.GET.lists())
        if (
            request.method == "POST"
            and request.content_type in FORM_CONTENT_TYPES
            and not request.path.startswith("/api/")  # DRF parses its own bodies
            # A body over the limit is refused when read: left to the view (the wire
            # import answers it with a form error) rather than to a 400 from here.
            and _content_length(request) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            with contextlib.suppress(MultiPartParserError):  # left to the view, as before
                fields += list(request.POST.lists())
        return [
            name
            for name, values in fields
            if "\x00" in name or any("\x00" in value for value in values)
        ]


class SignedInResponsesArePrivateMiddleware:
    """No shared cache (CDN, proxy) or browser keeps a response made for a signed-in user.

    The readers' pages and the API mark their own responses (`articles.site.cache`), the
    admin its own (`never_cache`); this covers every view that says nothing (the
    translators' workspace, accounts, …). A response that says how to cache it is left
    as it is (a picture's rendition: the same public bytes for everyone). Needs
    `request.user` (after AuthenticationMiddleware; DRF sets it for token callers too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or (
            "HTTP_AUTHORIZATION" in request.META
        )
        if signed_in and not response.has_header("Cache-Control"):
            private(response)
        return response

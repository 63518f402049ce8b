"""Refuse oversized request bodies with 413 before anything reads them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# Multipart framing around an uploaded file; keeps a 1 MB wire upload under the limit
# so the importer can give its own, more precise message.
MULTIPART_ALLOWANCE = 64 * 1024
# The admin's picture upload takes files up to NEWSROOM_IMAGE_MAX_BYTES; a few MB more
# still reach the form, which says exactly what is wrong (a 21 MB photograph).
IMAGE_UPLOAD_PATHS = ("/admin/articles/image/",)
IMAGE_UPLOAD_SLACK = 8 * 1024 * 1024


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

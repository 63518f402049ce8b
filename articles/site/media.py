"""Serving picture renditions from the filesystem storage (the default).

Only `images/r/` is served: the masters (cleaned pixels) stay private, and the uploaded
files themselves were never stored. Rendition names never change (a new rendition
gets a new random token), so browsers may keep them for a year. With S3-compatible
storage, or a web server in front, the storage's own URLs are used and this view is
never reached.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

from articles.images import RENDITIONS_DIR

# What `images.store` names a rendition, "<token>/<kind>-<width>.<format>" (the storage
# may add a suffix). Anything else is no rendition and answers 404 without asking the
# filesystem, which raises on a name it cannot hold (a 10,000-character name: "File
# name too long"; a NUL byte).
RENDITION_NAME = re.compile(r"[\w-]{1,64}/[\w.-]{1,128}", re.ASCII)


def rendition(request: HttpRequest, path: str) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        raise Http404
    if not RENDITION_NAME.fullmatch(path):
        raise Http404
    try:
        response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / RENDITIONS_DIR)
    except SuspiciousFileOperation:  # "../masters/…": outside the renditions
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response

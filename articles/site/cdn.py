"""Purging a CDN in front of the site by cache tag, on commit of a change.

Public responses name their tags in `Surrogate-Key` (space-separated: Fastly, Varnish
xkey) and `Cache-Tag` (comma-separated: Cloudflare, Akamai). With
`NEWSROOM_CDN_PURGE_URL` set, every change readers can see POSTs the tags it made stale
there, as JSON `{"tags": [...]}` and in a `Surrogate-Key` header, with
`Authorization: Bearer <NEWSROOM_CDN_PURGE_TOKEN>` when a token is set. A purge that
fails is logged and never undoes or blocks the change: the CDN then serves the old copy
until its `s-maxage` runs out.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)


def purge(tags: Iterable[str]) -> bool:
    """Ask the CDN to drop every copy carrying one of `tags`; whether it said yes."""
    url = settings.NEWSROOM_CDN_PURGE_URL
    names = sorted(set(tags))
    if not url or not names:
        return False
    headers = {"Content-Type": "application/json", "Surrogate-Key": " ".join(names)}
    if settings.NEWSROOM_CDN_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.NEWSROOM_CDN_PURGE_TOKEN}"
    request = urllib.request.Request(  # noqa: S310 - an https URL from the settings
        url, data=json.dumps({"tags": names}).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.NEWSROOM_CDN_PURGE_TIMEOUT
        ) as response:
            if 200 <= response.status < 300:
                return True
            logger.warning("CDN purge of %s answered %s", names, response.status)
    except OSError as error:  # URLError, HTTPError, timeouts
        logger.warning("CDN purge of %s failed: %s", names, error)
    return False

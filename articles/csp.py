"""Content-Security-Policy (django-csp): one strict policy, one narrow exception.

Everywhere, scripts, styles and everything else come from the site's own files only;
no page has an inline script. The admin's pages alone may also carry inline styles:
Django's changelist, django-reversion-compare's diffs and our admin templates (the
review queue, the import preview, the editors' preview) have `<style>` blocks and
`style` attributes. Inline styles cannot run code; scripts stay `'self'` there too.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts

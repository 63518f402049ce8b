"""Content-Security-Policy (django-csp): one strict policy, one narrow exception.

Everywhere, scripts, styles and everything else come from the site's own files only
(the policy is CONTENT_SECURITY_POLICY in settings); no page has an inline script or
style. The one exception: the admin's revision history and compare pages, whose
templates (django-reversion-compare) carry `style` attributes and a `<style>` block,
may also use inline styles there. Inline styles cannot run code; scripts stay `'self'`.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Admin views (by URL name suffix) whose third-party templates use inline styles.
INLINE_STYLE_ADMIN_VIEWS = ("_history", "_compare")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.namespace == "admin"
            and (match.url_name or "").endswith(INLINE_STYLE_ADMIN_VIEWS)
        ):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts

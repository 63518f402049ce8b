"""OpenAPI generation: every operation documents the errors it can answer, in one shape.

Set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"], so views written anywhere in the project
get their error responses documented without repeating them. A view states what the
heuristics cannot know with `conflict_possible = False` (no 409 on its unsafe methods).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly

from articles.api.caching import AnonymousCacheMixin
from articles.api.errors import ErrorSerializer
from articles.api.serializers import LANGUAGE_CODES

DESCRIPTIONS = {
    400: "Bad input: field errors in `errors` (invalid filter, cursor, body or JSON).",
    401: "Credentials were given but are not valid (unknown token, or a login required).",
    403: "Your role may not do this.",
    404: "Does not exist, or you may not see it (unpublished content answers 404).",
    406: "The `Accept` header rules out `application/json`, the only format served.",
    409: "Illegal in the current state, or based on a stale version.",
    413: "The request body is larger than 1 MB.",
    415: "Unsupported request body media type (send JSON).",
    429: "Too many requests: throttled; retry after `Retry-After` seconds.",
}

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class NewsroomAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                # Every optional query parameter of the API treats `?name=` as not given
                # (django-filter, the pagination and the views all do), so say so.
                parameter["allowEmptyValue"] = True
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        headers = self._success_headers()
        for code, response in responses.items():
            if code.startswith("2") and headers:
                response.setdefault("headers", {}).update(headers)
        for code in self._error_statuses(operation):
            responses.setdefault(
                str(code),
                {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": error_ref}},
                },
            )
        return operation

    def _success_headers(self) -> dict:
        """Headers of a 200 worth knowing: the text's language, the cache's verdict."""
        headers = {}
        if self.method == "GET" and isinstance(self.view, AnonymousCacheMixin):
            headers["X-Cache"] = {
                "description": "`hit` or `miss` for anonymous callers (served from the "
                "cache or not); absent for signed-in callers, who always get fresh data.",
                "schema": {"type": "string", "enum": ["hit", "miss"]},
            }
            if self.view.cache_varies_on_language:
                headers["Content-Language"] = {
                    "description": "The language of the text given.",
                    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
                }
        return headers

    def _error_statuses(self, operation: dict) -> list[int]:
        params = operation.get("parameters", [])
        has_body = "requestBody" in operation or self.method in UNSAFE
        codes = {406, 429}
        if getattr(self.view, "authentication_classes", None):
            codes.add(401)  # credentials given but not valid (or missing where needed)
        if has_body or any(p.get("in") == "query" for p in params):
            codes.add(400)
        if any(p.get("in") == "path" for p in params):
            codes.add(404)
        if has_body:
            codes |= {413, 415}
            if getattr(self.view, "conflict_possible", True):
                codes.add(409)
        permissions = getattr(self.view, "permission_classes", ())
        # Read-only requests pass "authenticated or read only" as they pass AllowAny.
        open_to_reads = (AllowAny, IsAuthenticatedOrReadOnly) if self.method not in UNSAFE else ()
        allowed = (AllowAny, *open_to_reads)
        if any(not (isinstance(p, type) and issubclass(p, allowed)) for p in permissions):
            codes.add(403)
        return sorted(codes)

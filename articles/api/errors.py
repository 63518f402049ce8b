"""API errors: one JSON shape for every refusal, and the workflow's refusals mapped to HTTP.

Every error the API answers has the same body::

    {"status": 400, "code": "invalid", "detail": "Invalid input.",
     "errors": {"published_after": ["Enter a valid date."]}}

`errors` holds field errors (field name -> list of messages, nested for nested input;
`non_field_errors` for errors about the whole input); it is `{}` for other errors.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from accounts.signin_limit import SignInLocked
from articles.workflow import (
    IllegalTransition,
    InvalidArgument,
    NoteRequired,
    TransitionNotPermitted,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than 1 MB."
    default_code = "payload_too_large"


class ErrorSerializer(serializers.Serializer):
    """The one error body (documentation only)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A machine-readable code, e.g. `invalid`, `not_found`.")
    detail = serializers.CharField(help_text="A human-readable message.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name -> list of messages (nested for nested input); `{}` when the "
        "error is not about fields.",
    )


def _translate(exc: Exception) -> Exception:
    """Turn the errors views may raise into DRF's APIException family."""
    if isinstance(exc, IllegalTransition):
        return Conflict(str(exc))
    if isinstance(exc, TransitionNotPermitted):
        return PermissionDenied(str(exc))
    if isinstance(exc, NoteRequired):
        return ValidationError({"note": [str(exc)]})
    if isinstance(exc, SignInLocked):
        throttled = exceptions.Throttled(detail=str(exc))
        throttled.wait = exc.wait
        return throttled
    if isinstance(exc, InvalidArgument):
        return ValidationError({exc.field: [str(exc)]})
    if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) == "stale":
        return Conflict(" ".join(exc.messages))  # an edit based on a stale version
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, TooManyFieldsSent):
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied()
    return exc


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, list):
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {api_settings.NON_FIELD_ERRORS_KEY: [detail]}


def _encodable(value):
    """`value` with its lone surrogates as U+FFFD. A message may quote the input, and
    JSON can carry a lone surrogate ("\\ud800"), which no UTF-8 answer can: a 500."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return value
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(v) for v in value]
    return value


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every APIException answers in the one error shape.

    Anything else (a bug) is left to Django, which logs it: hiding it here would
    hide the bug too.
    """
    exc = _translate(exc)
    if not isinstance(exc, APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait)}"

    if isinstance(exc, ValidationError):
        errors = _field_errors(exc.detail)
        detail, code = "Invalid input.", "invalid"
    elif isinstance(exc, exceptions.ParseError):  # malformed JSON: still say what is wrong
        errors = _field_errors(exc.detail)
        detail, code = str(exc.detail), "parse_error"
    else:
        errors = {}
        detail = str(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    set_rollback()
    return Response(
        {
            "status": exc.status_code,
            "code": code,
            "detail": _encodable(detail),
            "errors": _encodable(errors),
        },
        status=exc.status_code,
        headers=headers,
    )


class _SizeLimited:
    """Refuse bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB) with 413 before parsing.

    Django checks the size only when `request.body` or `request.POST` is read; DRF's
    parsers read the stream directly, so without this a 50 MB JSON body would be
    parsed. The WSGI server gives a CONTENT_LENGTH for every body it passes on.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except (TypeError, ValueError):
                length = 0
            if length > limit:
                raise PayloadTooLarge()
        return super().parse(stream, media_type, parser_context)


class JSONParser(_SizeLimited, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # `[[[[...]]]]` a few thousand deep fits well under 1 MB and exhausts
            # Python's stack inside json.load: bad input, not a server error.
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None


class FormParser(_SizeLimited, parsers.FormParser):
    pass


class MultiPartParser(_SizeLimited, parsers.MultiPartParser):
    pass


def _plain_error(request, status_code: int, code: str, detail: str):
    from django.http import JsonResponse

    return JsonResponse(
        {"status": status_code, "code": code, "detail": detail, "errors": {}},
        status=status_code,
    )


def not_found(request, exception=None):
    """handler404: the API's error shape under /api/, the site's 404 page elsewhere."""
    if request.path.startswith("/api/"):
        return _plain_error(request, 404, "not_found", "Not found.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400 (a Host not allowed, a malformed request): same split as `not_found`."""
    if request.path.startswith("/api/"):
        return _plain_error(request, 400, "bad_request", "Bad request.")
    from django.views.defaults import bad_request as site_bad_request

    return site_bad_request(request, exception)


def server_error(request):
    """handler500: same split as `not_found`; the error itself is logged by Django."""
    if request.path.startswith("/api/"):
        return _plain_error(request, 500, "server_error", "Something went wrong on our side.")
    from django.views.defaults import server_error as site_server_error

    return site_server_error(request)

"""API errors: the workflow's refusals mapped to HTTP (409, 403, 400)."""

from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from articles.workflow import IllegalTransition, NoteRequired, TransitionNotPermitted


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, IllegalTransition):
        exc = Conflict(str(exc))
    elif isinstance(exc, TransitionNotPermitted):
        exc = PermissionDenied(str(exc))
    elif isinstance(exc, NoteRequired):
        exc = ValidationError({"note": [str(exc)]})
    return drf_exception_handler(exc, context)

"""Keyset ("cursor") pagination: fast at any depth, stable while content is published.

DRF's CursorPagination keeps only the first ordering field in the cursor and falls back
to an OFFSET among equal values; here the cursor holds the full position (sort value,
pk), so every page is one indexed range query whatever its depth:

    WHERE sort < :v OR (sort = :v AND pk < :pk) ORDER BY sort DESC, pk DESC LIMIT n+1

A view names its sort with `cursor_ordering = ("-published_at",)` (a field or an
annotation, never null; a leading "-" for descending); the pk breaks ties in the same
direction. Without one, pages follow the pk, newest first.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

INVALID_CURSOR = {"cursor": ["Invalid cursor."]}
CURSOR_PATTERN = r"^[-A-Za-z0-9_]*$"  # unpadded URL-safe base64
CURSOR_RE = re.compile(r"[-A-Za-z0-9_]*")  # the same, for fullmatch()

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _encode(position: list, reverse: bool) -> str:
    raw = json.dumps({"p": position, "r": int(reverse)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[list, bool]:
    # b64decode silently drops characters outside the alphabet: refuse them first.
    if not CURSOR_RE.fullmatch(cursor):
        raise ValidationError(INVALID_CURSOR)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        position, reverse = data["p"], bool(data.get("r", 0))
        if (
            not isinstance(position, list)
            or len(position) != 2
            or not isinstance(position[1], int)
            or isinstance(position[1], bool)
            or not isinstance(position[0], str | int)
        ):
            raise ValueError
        return position, reverse
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, AttributeError):
        raise ValidationError(INVALID_CURSOR) from None


def _storable(text: str) -> bool:
    """Whether a database can compare `text`: no NUL, no lone surrogate, not huge."""
    if "\x00" in text or len(text) > 1000:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" decodes from JSON, encodes nowhere
        return False
    return True


def _value(value):
    """A sort value as it travels in the cursor (and back into a filter)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str | int):
        return value
    return str(value)


class KeysetCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _ordering(self, view) -> tuple[str, bool]:
        ordering = getattr(view, "cursor_ordering", ("-pk",))[0]
        return ordering.lstrip("-"), ordering.startswith("-")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({"page_size": ["A whole number from 1 to 100."]})
        return min(size, MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        field, descending = self._ordering(view)
        self.field = field
        cursor = request.query_params.get(self.cursor_query_param)
        position, reverse = _decode(cursor) if cursor else (None, False)

        # Walking backwards (to the previous page) reads the order the other way round.
        forwards_desc = descending != reverse
        if position is not None:
            value, pk = self._checked(queryset, field, position)
            op = "lt" if forwards_desc else "gt"
            queryset = queryset.filter(
                Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})
            )
        sign = "-" if forwards_desc else ""
        queryset = queryset.order_by(f"{sign}{field}", f"{sign}pk")
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        if not rows:
            self.has_next = self.has_previous = False
        self.rows = rows
        return rows

    @staticmethod
    def _checked(queryset, field: str, position: list) -> tuple:
        """The cursor's position as Python values, refused (400) unless well-formed.

        Checked before the query runs: on PostgreSQL a bad value would fail inside the
        transaction, not politely here.
        """
        value, pk = position
        if field == "pk":
            output_field = queryset.model._meta.pk
        elif field in queryset.query.annotations:
            output_field = queryset.query.annotations[field].output_field
        else:
            try:
                output_field = queryset.model._meta.get_field(field)
            except FieldDoesNotExist:
                raise ValidationError(INVALID_CURSOR) from None
        try:
            value = output_field.to_python(value)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise ValidationError(INVALID_CURSOR) from None
        if (
            value is None
            or not 0 < pk < 2**63
            or (isinstance(value, str) and not _storable(value))
            or (isinstance(value, int) and not -(2**63) < value < 2**63)
            or (hasattr(value, "utcoffset") and value.utcoffset() is None)
        ):
            raise ValidationError(INVALID_CURSOR)
        if isinstance(value, datetime.datetime):
            try:
                # The database gets UTC: "0001-01-01T00:00+14:00" would overflow there.
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise ValidationError(INVALID_CURSOR) from None
        return value, pk

    def _position(self, row) -> list:
        return [_value(getattr(row, self.field)), row.pk]

    def _link(self, row, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(
            url, self.cursor_query_param, _encode(self._position(row), reverse)
        )

    def get_next_link(self) -> str | None:
        return self._link(self.rows[-1], reverse=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        return self._link(self.rows[0], reverse=True) if self.has_previous else None

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from `next` or `previous`. A bad cursor: 400.",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page: {PAGE_SIZE} by default, at most "
                f"{MAX_PAGE_SIZE} (larger values are capped). Not a positive integer: 400.",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

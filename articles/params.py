"""Numbers read from query strings: ASCII digits only, within what the database holds.

`str.isdigit()` says yes to "²" and "١", which `int()` then refuses or reads as another
number, and an integer past 2**63 - 1 overflows SQLite's and PostgreSQL's bigint.
"""

from __future__ import annotations

MAX_BIGINT = 2**63 - 1


def positive_int(value: str | None, *, maximum: int = MAX_BIGINT) -> int | None:
    """`value` as an integer from 1 to `maximum`, or None when it is anything else."""
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None

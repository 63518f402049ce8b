"""Changelists that answer an impossible date filter like any other bad filter.

Django's date hierarchy turns `?created_at__year=…` into a date range and catches only
ValueError: a year past what an int or a `datetime` can hold (`99999999999`, or 9999,
whose next year is out of range) raises OverflowError or ValueError outside its guard,
a 500. Here every such error is an IncorrectLookupParameters, which the changelist
answers as it does for any bad filter: a redirect to `?e=1`.
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class DateSafeChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class DateSafeChangeListMixin:
    """For a ModelAdmin with a `date_hierarchy`."""

    def get_changelist(self, request, **kwargs):
        return DateSafeChangeList

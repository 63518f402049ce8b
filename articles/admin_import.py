"""Admin view: paste or upload wire copy, preview, confirm (placeholder)."""

from django.http import Http404


def import_wire_view(request):
    raise Http404("Not built yet")

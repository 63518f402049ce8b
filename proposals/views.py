from django.http import Http404


def _not_built(*args, **kwargs):
    raise Http404("Not built yet")


proposal_list = compare = proposal_detail = _not_built

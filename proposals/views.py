"""Public pages of proposals: the list, one proposal, and proposals compared."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, pgettext_lazy

from articles.site import tags as cache_tags
from articles.site.pages import page_context, paginate, reader_cache
from articles.site.queries import headline, public_proposal_for_page
from proposals.compare import compare as compare_proposals
from proposals.models import Proposal

# The models' choice labels are plain English; marking them here puts them in the
# catalogue, and the templates translate them with the same context
# ({% translate p.get_status_display context "proposal status" %}). The contexts keep
# apart words that English spells alike ("Reported" proposal, "reported" term).
CHOICE_LABELS = (
    pgettext_lazy("proposal status", "Reported"),
    pgettext_lazy("proposal status", "Official"),
    pgettext_lazy("proposal status", "Final offer"),
    pgettext_lazy("proposal status", "Accepted"),
    pgettext_lazy("proposal status", "Rejected"),
    pgettext_lazy("proposal status", "Withdrawn"),
    pgettext_lazy("sourcing", "Reported"),
    pgettext_lazy("sourcing", "Confirmed"),
    pgettext_lazy("sourcing", "Denied"),
)


@reader_cache
def proposal_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request, Proposal.objects.public().with_terms().order_by("title", "pk"), per_page=20
    )
    response = render(
        request,
        "proposals/list.html",
        page_context(request, nav="proposals", page=page),
    )
    return cache_tags.tag(response, cache_tags.PROPOSALS)


@reader_cache
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = public_proposal_for_page(slug)
    if proposal is None:
        raise Http404("No such published proposal.")
    language = get_language()
    response = render(
        request,
        "proposals/detail.html",
        page_context(
            request,
            nav="proposals",
            proposal=proposal,
            comparison=compare_proposals([proposal]),
            articles=[headline(article, language) for article in proposal.articles.all()],
        ),
    )
    return cache_tags.tag(
        response,
        cache_tags.proposal(proposal.pk),
        cache_tags.proposal_articles(proposal.pk),
        cache_tags.PROPOSAL_PAGES,
    )


@reader_cache
def compare(request: HttpRequest) -> HttpResponse:
    """`?slugs=a,b[,c…]`: two or more public proposals; any unknown slug is a 404.

    `?slugs=a&slugs=b` works too: that is what the proposals list's checkboxes send.
    """
    slugs = [
        s.strip() for value in request.GET.getlist("slugs") for s in value.split(",") if s.strip()
    ]
    if len(slugs) < 2 or len(slugs) > 6:
        raise Http404("Compare needs two to six proposals.")
    proposals = Proposal.objects.public_by_slug(slugs)
    if proposals is None or len(proposals) < 2:
        raise Http404("Unknown proposal.")
    context = page_context(
        request, nav="proposals", proposals=proposals, comparison=compare_proposals(proposals)
    )
    query = "?slugs=" + ",".join(p.slug for p in proposals)
    context["canonical_url"] = request.build_absolute_uri(request.path + query)
    for alternate in context["alternates"]:
        alternate["url"] += query
        alternate["absolute_url"] += query
    response = render(request, "proposals/compare.html", context)
    return cache_tags.tag(response, *(cache_tags.proposal(p.pk) for p in proposals))

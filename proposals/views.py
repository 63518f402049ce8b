"""Public pages of proposals: the list, one proposal, and proposals compared."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, pgettext_lazy

from articles.site import tags as cache_tags
from articles.site.pages import page_context, paginate, reader_cache
from articles.site.queries import Headline, headline, public_proposal_for_page
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


@dataclass
class StoryGroup:
    """Proposals of one story on the list: the newest article discussing them."""

    story: Headline | None
    proposals: list = field(default_factory=list)


@reader_cache
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Public proposals grouped by the story they belong to (its newest article)."""
    language = get_language()
    page = paginate(
        request, Proposal.objects.by_story().with_terms().with_public_articles(), per_page=20
    )
    groups: list[StoryGroup] = []
    for proposal in page.object_list:
        story = proposal.public_articles[0] if proposal.public_articles else None
        if not groups or (groups[-1].story and groups[-1].story.article) != story:
            groups.append(StoryGroup(story=headline(story, language) if story else None))
        groups[-1].proposals.append(proposal)
    response = render(
        request,
        "proposals/list.html",
        page_context(request, nav="proposals", page=page, groups=groups),
    )
    # Grouped under their stories' newest articles: any story's change may move them.
    return cache_tags.tag(response, cache_tags.PROPOSALS, cache_tags.ARTICLES)


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


MAX_COMPARED = 6


@reader_cache
def compare(request: HttpRequest) -> HttpResponse:
    """`?slugs=a,b[,c…]`: two to six public proposals side by side; an unknown slug is a
    404. `?slugs=a&slugs=b` works too: that is what the proposals list's checkboxes send.

    Fewer than two or more than six: a page saying what to do. Proposals of unrelated
    stories (no published article links them, directly or through each other) are
    compared only with `&across=1`, which the page offers after explaining.
    """
    slugs = list(
        dict.fromkeys(
            s.strip()
            for value in request.GET.getlist("slugs")
            for s in value.split(",")
            if s.strip()
        )
    )
    context = page_context(request, nav="proposals")
    if len(slugs) < 2 or len(slugs) > MAX_COMPARED:
        picked = Proposal.objects.public().filter(slug__in=slugs[: MAX_COMPARED + 1])
        context.update(problem="too_few" if len(slugs) < 2 else "too_many", picked=list(picked))
        context["max_compared"] = MAX_COMPARED
        response = render(request, "proposals/compare_help.html", context)
        return cache_tags.tag(response, cache_tags.PROPOSALS)
    proposals = Proposal.objects.public_by_slug(slugs)
    if proposals is None:
        raise Http404("Unknown proposal.")
    query = "?slugs=" + ",".join(p.slug for p in proposals)
    stories = _stories(proposals)
    if len(stories) > 1 and request.GET.get("across") != "1":
        language = get_language()
        context.update(
            problem="unrelated",
            stories=[
                {
                    "story": headline(group[0], language) if group[0] else None,
                    "proposals": group[1],
                }
                for group in stories
            ],
            across_url=request.path + query + "&across=1",
        )
        response = render(request, "proposals/compare_help.html", context)
        return cache_tags.tag(response, *_compared_tags(proposals))
    # Six columns need the width of a laptop screen.
    context.update(proposals=proposals, comparison=compare_proposals(proposals), wide_page=True)
    if len(stories) > 1:
        query += "&across=1"
    context["canonical_url"] = request.build_absolute_uri(request.path + query)
    for alternate in context["alternates"]:
        alternate["url"] += query
        alternate["absolute_url"] += query
    for item in context["language_menu"]:
        if item["url"]:
            item["url"] += query
    response = render(request, "proposals/compare.html", context)
    return cache_tags.tag(response, *_compared_tags(proposals))


def _compared_tags(proposals: list[Proposal]) -> list[str]:
    """The proposals compared, and the articles that tie them into stories."""
    return [
        *(cache_tags.proposal(p.pk) for p in proposals),
        *(cache_tags.proposal_articles(p.pk) for p in proposals),
    ]


def _stories(proposals: list[Proposal]) -> list[tuple]:
    """The proposals split into stories: groups linked by published articles (two
    proposals discussed in one article are of one story). Each group is (newest
    article or None, [proposals]); two queries."""
    links = Proposal.objects.filter(pk__in=[p.pk for p in proposals]).with_public_articles()
    articles_of = {p.pk: p.public_articles for p in links}
    parent = {p.pk: p.pk for p in proposals}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_with: dict[int, int] = {}
    for proposal in proposals:
        for article in articles_of.get(proposal.pk, []):
            if article.pk in first_with:
                parent[root(proposal.pk)] = root(first_with[article.pk])
            else:
                first_with[article.pk] = proposal.pk
    groups: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        groups.setdefault(root(proposal.pk), []).append(proposal)
    result = []
    for members in groups.values():
        articles = [a for p in members for a in articles_of.get(p.pk, [])]
        newest = max(articles, key=lambda a: (a.published_at, a.pk)) if articles else None
        result.append((newest, members))
    return result

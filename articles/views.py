"""Public pages (placeholder until the readers' site lands)."""

from django.contrib.syndication.views import Feed
from django.http import Http404


def _not_built(*args, **kwargs):
    raise Http404("Not built yet")


home = article_detail = topic_detail = analyst_list = analyst_detail = search = _not_built


class LatestArticlesFeed(Feed):
    title = "Newsroom"
    link = "/"

    def items(self):
        return []

"""sitemap.xml: every published page in every language it exists in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import override

from articles.models import Analyst, Article, Topic, TranslationVersion
from articles.site import tags as cache_tags
from articles.site.pages import reader_cache, tagged
from proposals.models import Proposal


class _Localized(Sitemap):
    """Items are (object, language) pairs; `location` resolves in that language."""

    protocol = None

    def location(self, item) -> str:
        obj, language = item
        with override(language):
            return self.url_for(obj)

    def url_for(self, obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def languages() -> list[str]:
        return [code for code, _name in settings.LANGUAGES]


class HomeSitemap(_Localized):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return [("home", code) for code in self.languages()]

    def url_for(self, obj) -> str:
        return reverse("articles:home")


class ArticleSitemap(_Localized):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        # Only the columns a URL and its date need: the sitemap lists every article.
        languages_only = Prefetch(
            "translations",
            queryset=TranslationVersion.objects.published().only(
                "pk", "article_id", "language", "state"
            ),
        )
        articles = (
            Article.objects.public()
            .only("pk", "slug", "language", "published_at", "updated_at")
            .prefetch_related(languages_only)
            .order_by("-published_at", "pk")
        )
        return [(article, code) for article in articles for code in article.live_languages()]

    def url_for(self, obj) -> str:
        return reverse("articles:detail", args=[obj.slug])

    def lastmod(self, item):
        article, _language = item
        return max(d for d in (article.published_at, article.updated_at) if d)


class TopicSitemap(_Localized):
    def items(self):
        topics = Topic.objects.public().order_by("name")
        return [(topic, code) for topic in topics for code in self.languages()]


class AnalystSitemap(_Localized):
    def items(self):
        analysts = Analyst.objects.with_statement_count()
        return [(analyst, code) for analyst in analysts for code in self.languages()]


class ProposalSitemap(_Localized):
    def items(self):
        proposals = Proposal.objects.public().order_by("title", "pk")
        return [(proposal, code) for proposal in proposals for code in self.languages()]


sitemaps = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "analysts": AnalystSitemap,
    "proposals": ProposalSitemap,
}


def _sitemap(request):
    return sitemap(request, sitemaps=sitemaps)


# Lists every story, topic, analyst and proposal (their slugs and dates).
sitemap_view = reader_cache(
    tagged(_sitemap, cache_tags.ARTICLES, cache_tags.ANALYSTS, cache_tags.PROPOSALS)
)

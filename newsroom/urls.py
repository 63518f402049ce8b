from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles import desk
from articles.site import sitemaps
from articles.site.health import healthz
from articles.site.media import rendition
from articles.site.views import favicon, robots_txt, root

urlpatterns = [
    path("", root, name="root"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemaps.index_view, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_view, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.section_view, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("media/images/r/<path:path>", rendition, name="image-rendition"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/", desk.home, name="desk-home"),
    path("notifications/", include("articles.notifications.urls")),
    path("signoff/", include("articles.signoff.urls")),
    path("translate/", include("articles.translations.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("api/v1/proposals/", include("proposals.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# "/" has no page of its own: `root` redirects to /en/ or /fr/ (a language with content).
urlpatterns += i18n_patterns(
    path("", include("articles.site.urls")),
    path("proposals/", include("proposals.urls")),
    prefix_default_language=True,
)

handler400 = "articles.api.errors.bad_request"
handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"

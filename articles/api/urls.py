"""/api/v1/ routes of the articles app (proposals live in proposals.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from articles.api import moderation, views
from articles.translations import api as translations_api

router = SimpleRouter()
# The public articles API plus the editors' side (create, change, story actions).
router.register("articles", moderation.EditorialArticleViewSet, basename="api-article")
router.register("analysts", views.AnalystViewSet, basename="api-analyst")
router.register("search", views.SearchViewSet, basename="api-search")

urlpatterns = [
    path("", views.api_index, name="api-index"),
    path("auth/token/", views.obtain_token, name="api-token"),
    path("", include(router.urls)),
    path("", include(translations_api.router.urls)),
]

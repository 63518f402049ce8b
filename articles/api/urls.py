"""/api/v1/ routes of the articles app."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

from articles.api import translations

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(translations.router.urls)),
]

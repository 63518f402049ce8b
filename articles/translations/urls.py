"""The translators' workspace at /translate/."""

from django.urls import path

from articles.translations import views

app_name = "translate"

urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("<slug:slug>/<str:language>/", views.edit, name="edit"),
]

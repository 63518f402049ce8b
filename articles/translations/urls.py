"""The translators' workspace at /translate/."""

from django.urls import path

from articles.translations import discussion, views

app_name = "translate"

urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/comments/", discussion.post_comment, name="comment"),
    path("comments/<int:pk>/resolve/", discussion.resolve_comment, name="comment_resolve"),
    path("<slug:slug>/<str:language>/", views.edit, name="edit"),
]

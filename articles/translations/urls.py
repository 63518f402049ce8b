"""The translators' workspace at /translate/."""

from django.urls import path

from articles.translations import desk, discussion, views

app_name = "translate"

urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/comments/", discussion.post_comment, name="comment"),
    path("versions/<int:pk>/withdraw/", discussion.withdraw, name="withdraw"),
    path("comments/<int:pk>/resolve/", discussion.resolve_comment, name="comment_resolve"),
    path("status/", desk.status_board, name="status"),
    path("memory/", desk.memory_lookup, name="memory"),
    path("memory/export.tmx", desk.memory_export, name="memory_export"),
    path("glossary/export.<str:fmt>", desk.glossary_export, name="glossary_export"),
    path("<slug:slug>/<str:language>/", views.edit, name="edit"),
]

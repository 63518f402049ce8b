from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"


class NewsroomAdminConfig(AdminConfig):
    """The Django admin with Newsroom's site (review queue, counts on the index)."""

    default_site = "articles.admin_site.NewsroomAdminSite"

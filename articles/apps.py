from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.control_characters import refuse_control_characters
        from articles.models import AuditEntry

        # Every text field people type into refuses control characters (the audit log
        # is written by the workflow only).
        for model in self.get_models():
            if model is not AuditEntry:
                refuse_control_characters(model)


class NewsroomAdminConfig(AdminConfig):
    """The Django admin with Newsroom's site (review queue, counts on the index)."""

    default_site = "articles.admin_site.NewsroomAdminSite"

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from articles.control_characters import refuse_control_characters


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.models import AuditEntry  # the models load after this module

        # Every text field people type into refuses control characters (the audit log
        # is written by the workflow only).
        for model in self.get_models():
            if model is not AuditEntry:
                refuse_control_characters(model)


class NewsroomAdminSite(admin.AdminSite):
    """Newsroom's admin site: the review queue at /admin/review/ and its count on the index.

    Defined here, not in the `articles.admin` package: importing that package registers
    the ModelAdmins on this site, which must exist first.
    """

    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Editorial desk"

    def get_urls(self):
        from django.urls import path

        # Imported here: this module loads before the models exist.
        from articles.admin.review import review_queue_view
        from articles.admin.story import stories_confirm_view

        return [
            path("review/", self.admin_view(review_queue_view), name="review_queue"),
            path("review/stories/", self.admin_view(stories_confirm_view), name="review_stories"),
        ] + super().get_urls()

    def each_context(self, request):
        from articles.admin.review import review_queue_count

        context = super().each_context(request)
        if request.user.is_authenticated and request.user.is_staff:
            context["review_queue_count"] = review_queue_count(request.user)
        return context


class NewsroomAdminConfig(AdminConfig):
    """The Django admin with Newsroom's site (review queue, counts on the index)."""

    default_site = "articles.apps.NewsroomAdminSite"

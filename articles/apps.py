from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404

from articles.control_characters import refuse_control_characters


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from articles.desk import remember_time_zone
        from articles.models import AuditEntry  # the models load after this module

        # The signed-in person's time zone, kept in the session (articles.desk).
        user_logged_in.connect(remember_time_zone, dispatch_uid="desk-time-zone")

        # Every text field people type into refuses control characters (the audit log
        # is written by the workflow only).
        for model in self.get_models():
            if model is not AuditEntry:
                refuse_control_characters(model)


class NewsroomAdminSite(admin.AdminSite):
    """Newsroom's admin site: the review queue at /admin/review/ and its count on the index.

    Defined here, not in the `articles.admin` package: importing that package registers
    the ModelAdmins on this site, which must exist first. Its methods import what they
    use when called: this module loads before the models exist.
    """

    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Editorial desk"

    def get_urls(self):
        from django.urls import path

        from articles.admin import desk
        from articles.admin.review import review_queue_view
        from articles.admin.story import stories_confirm_view
        from articles.comments import views as comments

        return [
            path("review/", self.admin_view(review_queue_view), name="review_queue"),
            path("review/stories/", self.admin_view(stories_confirm_view), name="review_stories"),
            path(
                "desk/comment/<int:content_type_id>/<int:object_id>/",
                self.admin_view(comments.post_comment),
                name="desk_comment",
            ),
            path(
                "desk/comment/<int:pk>/resolve/",
                self.admin_view(comments.resolve_comment),
                name="desk_resolve",
            ),
            path(
                "desk/assign/<int:content_type_id>/<int:object_id>/",
                self.admin_view(desk.assign),
                name="desk_assign",
            ),
            path(
                "desk/signoff/<int:article_id>/",
                self.admin_view(desk.issue_signoff),
                name="desk_signoff",
            ),
            path(
                "desk/signoff/link/<int:pk>/revoke/",
                self.admin_view(desk.revoke_signoff),
                name="desk_signoff_revoke",
            ),
            # Before Django's own "r/" (which redirects for any object): scoped.
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
        ] + super().get_urls()

    def view_on_site(self, request, content_type_id: int, object_id: str):
        """Django's "view on site" redirect, for objects the user's admin shows them only
        (the redirect names the object's public URL, made from its title)."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        model = ContentType.objects.filter(pk=content_type_id).first()
        model_admin = self._registry.get(model.model_class()) if model else None
        obj = model_admin.get_object(request, object_id) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)

    def each_context(self, request):
        from articles import permissions
        from articles.admin.review import review_queue_count

        context = super().each_context(request)
        # The review queue's link and count only for those who may open it.
        if request.user.is_authenticated and permissions.can_review(request.user):
            context["review_queue_count"] = review_queue_count(request.user)
        return context

    def index(self, request, extra_context=None):
        """The editors' dashboard or the contributors' "My work", above the models."""
        from articles.admin.dashboard import index_context

        return super().index(request, {**index_context(request), **(extra_context or {})})


class NewsroomAdminConfig(AdminConfig):
    """The Django admin with Newsroom's site (review queue, counts on the index)."""

    default_site = "articles.apps.NewsroomAdminSite"

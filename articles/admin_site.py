"""Newsroom's admin site: the review queue at /admin/review/ and its count on the index."""

from django.contrib import admin


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Editorial desk"

    def get_urls(self):
        from django.urls import path

        from articles.admin_review import review_queue_view

        return [
            path("review/", self.admin_view(review_queue_view), name="review_queue"),
        ] + super().get_urls()

    def each_context(self, request):
        from articles.admin_review import review_queue_count

        context = super().each_context(request)
        if request.user.is_authenticated and request.user.is_staff:
            context["review_queue_count"] = review_queue_count(request.user)
        return context

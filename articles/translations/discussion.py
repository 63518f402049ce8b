"""The desk of a translation version in the translators' workspace: its thread
(translators comment on, and resolve comments of, their own versions with the editors;
the views are `articles.comments.views` behind the workspace's own gate). A submitted
version is not withdrawn: versions are append-only (`articles.workflow.applies_to`), and
a translator submits a new version instead.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse

from articles.comments import views as comments
from articles.models import TranslationVersion
from articles.translations.views import translators_only


@translators_only
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    content_type = ContentType.objects.get_for_model(TranslationVersion)
    return comments.post_comment(request, content_type.pk, pk)


@translators_only
def resolve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return comments.resolve_comment(request, pk)

"""The desk of a translation version in the translators' workspace: its thread
(translators comment on, and resolve comments of, their own versions with the editors;
the views are `articles.comments.views` behind the workspace's own gate) and withdrawing
a submitted version back to a draft until a reviewer decides on it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.comments import views as comments
from articles.models import TranslationVersion
from articles.translations.views import translators_only, visible_versions
from articles.workflow import WorkflowError, transition


@translators_only
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    content_type = ContentType.objects.get_for_model(TranslationVersion)
    return comments.post_comment(request, content_type.pk, pk)


@translators_only
def resolve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return comments.resolve_comment(request, pk)


@translators_only
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(visible_versions(request.user), pk=pk)
    try:
        transition(version, "withdraw", by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Version {version.version} is back in your drafts: change it and submit it again.",
        )
    return redirect("translate:version", pk=version.pk)

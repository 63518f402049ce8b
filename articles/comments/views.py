"""Posting to a thread and resolving a comment: the same views in the admin (behind
`admin_view`) and in the translators' workspace (behind `translators_only`). Each
checks `permissions.can_see` itself and returns to the page the person was on.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles import permissions
from articles.comments import threads
from articles.comments.models import Comment
from articles.workflow import moderated_models


def target_of(content_type_id: int, object_id: int) -> Model:
    """The moderated item named in a URL; 404 for anything else."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such item.") from None
    if model not in moderated_models():
        raise Http404("No such item.")
    return get_object_or_404(model, pk=object_id)


def back(request: HttpRequest, obj: Model | None = None) -> HttpResponse:
    """Back where the person was (the `next` they posted), or the item's page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if not target and obj is not None:
        opts = obj._meta
        target = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return HttpResponseRedirect(target or reverse("admin:index"))


@require_POST
def post_comment(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    obj = target_of(content_type_id, object_id)
    if not permissions.can_see(request.user, obj):
        raise Http404("No such item.")
    parent = None
    if request.POST.get("parent", "").isdigit():
        parent = Comment.objects.filter(pk=int(request.POST["parent"])).first()
    try:
        threads.post(
            obj,
            by=request.user,
            body=request.POST.get("body", ""),
            parent=parent,
            anchor=request.POST.get("anchor", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Comment posted.")
    return back(request, obj)


@require_POST
def resolve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    target = comment.target
    if target is None or not permissions.can_see(request.user, target):
        raise Http404("No such comment.")
    reopen = request.POST.get("reopen") == "1"
    threads.resolve(comment, by=request.user, resolved=not reopen)
    messages.success(request, "Comment reopened." if reopen else "Comment resolved.")
    return back(request, target)

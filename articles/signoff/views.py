"""The outside sign-off page at /signoff/<token>/: one story as it would be published,
the analyst's statements highlighted, each with "confirm" and "flag with a comment".

Shows nothing else: no site navigation, no other story, no editor's name, no thread,
no admin link; never cached or indexed, no referrer sent to another site. Anything
wrong with the link (forged, expired, revoked, the story gone) is the same 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from articles.models import Section
from articles.signoff import links
from articles.states import State


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    link = links.resolve(token)
    if link is None:
        raise Http404("This link does not work (any more).")
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        raw = request.POST.get("statement", "")
        try:
            links.answer(
                link,
                int(raw) if raw.isdigit() else 0,
                verdict=request.POST.get("verdict", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            errors[int(raw) if raw.isdigit() else 0] = " ".join(error.messages)
            status = 400
        else:
            messages.success(request, "Thank you: your answer was sent to the editors.")
            return redirect(request.path)
    links.mark_opened(link)
    article = link.article
    checks = links.latest_checks(link)
    statements = [
        {
            "statement": a,
            "own": a.analyst_id == link.analyst_id,
            "check": checks.get(a.pk),
            "error": errors.get(a.pk, ""),
        }
        for a in links.statements_for(link)
    ]
    blocks = article.enrichment_blocks.filter(
        state__in=[State.IN_REVIEW, State.APPROVED, State.PUBLISHED]
    )
    response = render(
        request,
        "signoff/page.html",
        {
            "link": link,
            "article": article,
            "sections": Section.objects.filter(article=article),
            "statements": statements,
            "blocks": blocks,
            "own_count": sum(1 for s in statements if s["own"]),
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Never to another site; "no-referrer" would make the browser send "Origin: null"
    # with the answer forms, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response

"""The translators' workspace at /translate/ (server-rendered, login required).

Translators and editors only. Translators see and edit only their own versions: any
other version answers 404. Every write goes through `articles.translations.domain`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from articles import permissions
from articles.desk import desk_context
from articles.models import Article, AuditEntry, TranslationVersion, language_name
from articles.params import positive_int
from articles.states import PREVIEWABLE, State
from articles.translations import domain as translation
from articles.translations import glossary, memory, parts, staleness
from articles.translations.forms import TranslationForm
from articles.workflow import WorkflowError


def translators_only(view):
    """Login required; then translators and editors only (403 for other roles)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_use_workspace(request.user):
            raise PermissionDenied("The workspace is for translators and editors.")
        return view(request, *args, **kwargs)

    return wrapper


def visible_versions(user):
    """Versions `user` may see here: a translator's own, every version for editors;
    only in the languages they were granted, if limited to some."""
    return permissions.in_granted_languages(
        user, permissions.owned_by(user, TranslationVersion.objects.all())
    )


def _with_article_shared(user, versions):
    """`versions` annotated with `article_shared`: whether the article is shared with
    `user`, not back in someone else's hands (`permissions.shared_with`)."""
    article = Article.objects.filter(pk=OuterRef("article_id"))
    return versions.annotate(article_shared=Exists(permissions.shared_with(user, article)))


def _article_title(version: TranslationVersion) -> str:
    """The article's title as the viewer may see it: the current one, or, while the
    article is back in its author's hands, the one the version was made from."""
    if version.article_shared:
        return version.article.title
    return (version.source_snapshot or {}).get("title", "")


# What happens next, by state: shown beside a version so nobody has to guess.
NEXT_STEP = {
    State.DRAFT: "Only you can see it. Continue editing, then submit it for review.",
    State.IN_REVIEW: "Waiting for an editor. You will find their decision and any note here.",
    State.CHANGES_REQUESTED: "An editor asked for changes (see the note). Submit a new version "
    "based on this one; this one stays as it is.",
    State.APPROVED: "Approved. It becomes the live text when the article is published.",
    State.PUBLISHED: "Live: readers see this text.",
    State.REJECTED: "Rejected (see the note). It will not be published.",
    State.ARCHIVED: "Replaced by a newer version; kept for the record.",
}

LIMIT = 200  # versions and articles listed on the index (newest first)


@translators_only
def index(request: HttpRequest) -> HttpResponse:
    """My versions (with notes and what to do next), then the articles open for work.

    A fixed number of queries whatever the number of versions: versions with their
    articles, their notes, the open articles with their live versions, and the
    outdated live versions.
    """
    user = request.user
    mine = list(
        _with_article_shared(user, visible_versions(user))
        .select_related("article", "translator")
        .order_by("-pk")[:LIMIT]
    )
    notes = AuditEntry.objects.notes_by_object(mine)
    rows = [
        {
            "version": v,
            "title": _article_title(v),
            "language": language_name(v.language),
            "notes": notes.get(v.pk, []),
            "outdated": staleness.is_outdated(v),
            "next": NEXT_STEP.get(v.state, ""),
            "own": v.author_id == user.pk,
        }
        for v in mine
    ]
    # The newest own version per article and language says where the translator stands.
    latest: dict[tuple[int, str], TranslationVersion] = {}
    for v in mine:
        if v.author_id == user.pk:
            latest.setdefault((v.article_id, v.language), v)
    sent_back = [
        row
        for row in rows
        if row["own"]
        and row["version"].state == State.CHANGES_REQUESTED
        and latest.get((row["version"].article_id, row["version"].language)) is row["version"]
    ]
    drafts = [row for row in rows if row["own"] and row["version"].state == State.DRAFT]

    live = Prefetch(
        "translations",
        queryset=TranslationVersion.objects.filter(state=State.PUBLISHED),
        to_attr="live_versions",
    )
    open_articles = (
        translation.open_for_translation().prefetch_related(live).order_by("-created_at")[:LIMIT]
    )
    articles = []
    for article in open_articles:
        live_by_language = {v.language: v for v in article.live_versions}
        targets = []
        for code in translation.target_languages(article):
            if not permissions.can_translate(user, code, article.language):
                continue
            live_version = live_by_language.get(code)
            targets.append(
                {
                    "code": code,
                    "name": language_name(code),
                    # The imported translation's own language: a revision of that text.
                    "revision": code == article.language,
                    # The original's language, the original not held: made from the copy.
                    "from_copy": article.is_translated_copy and code == article.original_language,
                    "source_name": language_name(article.language),
                    "url": reverse("translate:edit", args=[article.slug, code]),
                    "mine": latest.get((article.pk, code)),
                    "live": live_version.version
                    if live_version
                    else (1 if article.language == code else None),
                    "outdated": live_version is not None and staleness.is_outdated(live_version),
                }
            )
        articles.append(
            {
                "article": article,
                "original": language_name(article.original_language),
                "targets": targets,
            }
        )

    # Live texts are public, so every translator may see which ones need updating.
    outdated_live = (
        staleness.outdated(TranslationVersion.objects.filter(state=State.PUBLISHED))
        .filter(article__in=translation.open_for_translation())
        .select_related("article")
        .order_by("-article__updated_at", "language")[:LIMIT]
    )
    outdated = [
        {
            "version": v,
            "language": language_name(v.language),
            "url": reverse("translate:edit", args=[v.article.slug, v.language]),
            "visible": v.author_id == user.pk or permissions.can_review(user),
        }
        for v in outdated_live
    ]
    return render(
        request,
        "translate/index.html",
        {
            "articles": articles,
            "rows": rows,
            "sent_back": sent_back,
            "drafts": drafts,
            "outdated": outdated,
            "is_editor": permissions.can_review(user),
        },
    )


def _closed_page(request, article, language, error: ValidationError) -> HttpResponse:
    return render(
        request,
        "translate/closed.html",
        {"article": article, "language": language, "errors": error.messages},
        status=400,
    )


def _may_translate_or_403(user, language: str) -> None:
    if not permissions.can_translate(user, language):
        raise PermissionDenied(
            f"You may not work in {language_name(language)}: ask an editor to grant it to you."
        )


@translators_only
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Translate `slug` into `language`: a new version, or the translator's draft.

    The whole story on one form: the article's fields, then its parts. A fixed number
    of queries whatever the story's size (the story with its parts, the draft, the
    live version's units, the glossary, the memory).
    """
    # Someone else's work still in its author's hands is not there for translators.
    article = get_object_or_404(
        permissions.shared_with(request.user, Article.objects.all()).with_parts(PREVIEWABLE),
        slug=slug,
    )
    try:
        translation.check_article_and_language(article, language)
    except ValidationError as error:
        return _closed_page(request, article, language, error)
    _may_translate_or_403(request.user, language)

    draft = translation.own_draft(article, language, request.user)
    status, start_version = 200, None
    if request.method == "POST":
        draft, edit_version = _posted_draft(request, article, language, draft)
        form = TranslationForm(
            _source_of(article, language, draft),
            request.POST,
            language=language,
            corrections=translation.corrections_to_translate(article, language),
        )
        if form.is_valid():
            submit = "submit" in request.POST
            act = translation.submit_translation if submit else translation.save_translation_draft
            try:
                version = act(
                    article,
                    language,
                    form.to_input(),
                    by=request.user,
                    draft=draft,
                    edit_version=edit_version,
                )
            except ValidationError as error:
                form.add_domain_errors(error)
            except (PermissionError, WorkflowError) as error:
                form.add_error(None, str(error))
            else:
                if submit:
                    messages.success(
                        request,
                        f"Version {version.version} submitted for review. An editor will "
                        "approve it or send it back with a note; you will find it under "
                        "“Your versions”.",
                    )
                    for warning in glossary.version_warnings(version)[:20]:
                        messages.warning(request, f"Glossary: {warning}")
                    return redirect("translate:version", pk=version.pk)
                messages.success(
                    request,
                    f"Draft saved (version {version.version}). Only you can see it until "
                    "you submit it.",
                )
                return redirect("translate:edit", slug=article.slug, language=language)
        status = 400
    else:
        source = _source_of(article, language, draft)
        start, start_version = _starting_text(request, article, language, draft, source)
        # The correction notes as the draft, the version revised or the live text has them.
        start.update(
            TranslationForm.initial_corrections(
                draft or start_version or _live_version(article, language)
            )
        )
        form = TranslationForm(
            source,
            initial=start,
            language=language,
            corrections=translation.corrections_to_translate(article, language),
        )

    source = form.source
    start_version = start_version if request.method == "GET" else None
    # What changed in the source since the text being revised was made, if anything.
    revised = start_version or draft or _live_version(article, language)
    if revised is not None and revised.is_outdated:
        source_diff = staleness.source_diff(revised)
    else:
        source_diff = None
    return render(
        request,
        "translate/edit.html",
        {
            "article": article,
            "language": language,
            "language_name": language_name(language),
            "source": source,
            "source_language_name": language_name(source.text.language),
            "original_missing": source.text.language != article.original_language
            and language != article.language,
            "original_language_name": language_name(article.original_language),
            "draft": draft,
            "start_version": start_version,
            "start_notes": translation.reviewer_notes(start_version) if start_version else [],
            "revised": revised,
            "source_diff": source_diff,
            "form": form,
            "stale": any(e.code == "stale" for e in form.non_field_errors().as_data()),
            "sections": list(form.bound_layout()),
            "part_groups": list(form.bound_parts()),
            "helpers": _helpers(form, source, language),
            "corrections": form.bound_corrections(),
        },
        status=status,
    )


def _helpers(form: TranslationForm, source, language: str) -> dict[str, dict]:
    """Per field: its source cut at glossary terms, the terms, and memory matches (for
    an empty field). Three queries whatever the number of fields: the glossary (2) and
    the memory (1)."""
    pairs = form.source_texts()
    if source.text.language == language:  # revising a text in its own language
        return {
            name: {"pieces": [(text, None)], "terms": [], "matches": []} for name, text in pairs
        }
    matcher = glossary.Matcher(glossary.terms_for(source.text.language, language))
    empty = [text for name, text in pairs if not form[name].value()]
    matches = memory.lookup_many(empty, source.text.language, language, limit=2)
    return {
        name: {
            "pieces": matcher.highlight(text),
            "terms": [term for term in matcher.found(text) if term.expected],
            "matches": [] if form[name].value() else matches.get(text.strip(), []),
        }
        for name, text in pairs
    }


def _live_version(article: Article, language: str) -> TranslationVersion | None:
    """The live version of `language` (from the article's prefetched versions)."""
    for version in article.translations.all():
        if version.language == language and version.state == State.PUBLISHED:
            return version
    return None


def _source_of(article: Article, language: str, draft: TranslationVersion | None):
    """A draft keeps the source it was started from; a new version takes today's."""
    if draft is None:
        return translation.source_for(article, language)
    return translation.Source.of(draft)


def _posted_draft(request, article, language, current_draft):
    """The draft a POSTed form was opened on, and its edit_version then.

    Forms of this page carry both as hidden fields (no draft: edit_version 0). A client
    that sends neither edits the current draft unchecked, as `check_not_stale` treats
    a missing version.
    """
    raw_version = request.POST.get("edit_version", "")
    if not (raw_version.isascii() and raw_version.isdigit()):  # "²" is a digit to isdigit()
        return current_draft, None
    draft_id = positive_int(request.POST.get("draft", ""))
    if draft_id is None:
        return None, int(raw_version)
    # Versions are never deleted: a draft id that is not the user's own is forged.
    draft = get_object_or_404(
        TranslationVersion, pk=draft_id, article=article, language=language,
        author=request.user,
    )  # fmt: skip
    return draft, int(raw_version)


def _starting_text(request, article, language, draft, source) -> tuple[dict, object]:
    """The form's initial values, and the version they start from (if one of the
    user's, named by ?from=): the draft as saved (credit included); that version; or
    the live text of the language where its source is unchanged (after a correction,
    only what changed starts empty)."""
    user = request.user
    if draft is not None:
        initial = TranslationForm.initial_from(source, draft.as_text())
        initial.update(TranslationForm.initial_parts(parts.unit_texts(draft)))
        initial.update(credit=draft.credit, slug=draft.slug)
        return _with_form_state(initial, draft), None
    credit = _last_credit(user, article, language) or translation.credit_for(user)
    start_pk = positive_int(request.GET.get("from"))
    if start_pk is not None:
        version = (
            visible_versions(user)
            .filter(pk=start_pk, article=article, language=language)
            .prefetch_related("units")
            .first()
        )
        if version is None:
            raise Http404("No such version of yours.")
        initial = TranslationForm.initial_from(source, version.as_text())
        initial.update(TranslationForm.initial_parts(parts.prefill(source.parts, version)))
        initial.update(credit=version.credit or credit, slug=version.slug)
        return _with_form_state(initial, None), version
    if source.text.language == language:
        initial = TranslationForm.initial_from(source, source.text)  # revising this text
    else:
        live = _live_version(article, language)
        initial = TranslationForm.initial_unchanged(source, live)
        initial.update(TranslationForm.initial_parts(parts.prefill(source.parts, live)))
        if live is not None:
            initial["slug"] = live.slug
    initial["credit"] = credit
    return _with_form_state(initial, None), None


def _with_form_state(initial: dict, draft) -> dict:
    return {**initial, "draft": draft.pk if draft else None,
            "edit_version": draft.edit_version if draft else 0}  # fmt: skip


def _last_credit(user, article, language) -> str:
    """The credit of the user's latest version of this story and language, if any."""
    return (
        TranslationVersion.objects.filter(article=article, language=language, author=user)
        .exclude(credit="")
        .order_by("-version")
        .values_list("credit", flat=True)
        .first()
        or ""
    )


@translators_only
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        _with_article_shared(
            request.user, permissions.owned_by(request.user, TranslationVersion.objects.all())
        )
        .select_related("article", "translator")
        .prefetch_related(Prefetch("article__translations")),
        pk=pk,
    )
    _may_translate_or_403(request.user, version.language)
    snapshot = version.source_snapshot or {}
    # Back in its author's hands, the article shows as the version saw it, nothing newer.
    shared = version.article_shared
    outdated = shared and staleness.is_outdated(version)
    own = version.author_id == request.user.pk
    return render(
        request,
        "translate/version.html",
        {
            "version": version,
            "article": version.article,
            "article_title": _article_title(version),
            "language_name": language_name(version.language),
            "source_language_name": language_name(snapshot.get("language", "")),
            "aligned": translation.align(snapshot.get("sections", []), version.sections),
            "parts": parts.side_by_side(version),
            "glossary_warnings": glossary.version_warnings(version),
            "snapshot": snapshot,
            "notes": translation.reviewer_notes(version),
            "next": NEXT_STEP.get(version.state, ""),
            "translator_name": version.translator.get_username() if version.translator else "",
            "outdated": outdated,
            "source_diff": staleness.source_diff(version) if outdated else [],
            "can_continue": shared and own and version.state == State.DRAFT,
            "can_revise": shared and permissions.can_revise(request.user, version),
            "can_withdraw": version.state == State.IN_REVIEW
            and permissions.can_transition(request.user, version, "withdraw"),
            **desk_context(request, version, workspace=True),
        },
    )

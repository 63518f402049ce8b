"""Admin: the wire intake (paste or upload, preview with choices, confirm) and the last
import's warnings on the article's change page.

At ``/admin/articles/article/import/`` (``admin:articles_article_import``). All steps
are POSTs with CSRF: the form (paste or upload: plain text, ninjs, NITF or NewsML-G2;
language) -> a preview computed by `articles.intake.importer.plan_import` (writes
nothing) listing what will be created, updated or left alone, every warning, and for
every decision with alternatives its options, the best-scored checked -> "Apply
choices" previews again with the editor's options -> "Confirm import" imports exactly
what was previewed (the copy and the choices travel in a signed token) with
`articles.intake.importer.import_wire` (one transaction), then redirects to the
article's change page. A copy that updates a stored story shows the story, the
similarity score and the per-section diff, with "create a separate story" as the other
option. Errors (bad copy, refused import) are shown in the form, naming the line; a
refusal that a separate story would avoid offers that as a button.

Who: editors and contributors (`permissions.can_import`), like the command.

The change page lists the last import's warnings until an editor marks them checked
(``admin:articles_article_import_warnings``: a page with the warnings and a button that
POSTs; editors only).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles import permissions
from articles.diff import diff_texts
from articles.intake import importer
from articles.intake.choices import UPDATE_KEY
from articles.intake.formats import FORMATS
from articles.intake.wire import MAX_WIRE_BYTES, WireError
from articles.models import Article, ImportWarning, language_name, split_paragraphs

TOKEN_SALT = "articles.admin_import"  # unchanged when the module moved: tokens in flight stay valid
TOKEN_MAX_AGE = 60 * 60  # a preview stays confirmable for an hour
CHOICE_PREFIX = "choice:"


class WireImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the wire copy",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="…or upload it",
        required=False,
        help_text="Plain UTF-8 text, or ninjs (JSON), NITF or NewsML-G2 (XML); at most 1 MB.",
    )
    language = forms.ChoiceField(
        label="Language of the copy",
        choices=settings.LANGUAGES,
        initial="en",
        help_text="ninjs, NITF and NewsML-G2 copy says its own language; that one is used.",
    )

    raw_text: str = ""
    source: str = ""

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if text.strip() and upload:
            raise forms.ValidationError("Paste the copy or upload a file, not both.")
        if upload:
            data: bytes | str = upload.read(MAX_WIRE_BYTES + 1)
            self.source = upload.name
        elif text.strip():
            data, self.source = text, "pasted copy"
        else:
            raise forms.ValidationError("Paste the wire copy or choose a file to upload.")
        if "language" not in cleaned:
            return cleaned
        try:
            importer.parse(data, cleaned["language"])
        except WireError as exc:
            raise forms.ValidationError(str(exc)) from None
        # The copy parsed, so it is valid UTF-8 (a BOM is dropped by the parser again).
        self.raw_text = data.decode("utf-8") if isinstance(data, bytes) else data
        return cleaned


def make_token(
    text: str, language: str, source: str, choices: dict | None = None, defaults=None
) -> str:
    return signing.dumps(
        {
            "text": text,
            "language": language,
            "source": source,
            "choices": choices or {},
            "defaults": defaults or {},
        },
        salt=TOKEN_SALT,
        compress=True,
    )


def read_token(token: str) -> dict:
    data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    data.setdefault("choices", {})
    data.setdefault("defaults", {})
    return data


def import_wire_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    try:
        post = request.POST if request.method == "POST" else None
    except RequestDataTooBig:
        return _form_page(
            request,
            WireImportForm(),
            "The pasted copy is over 1 MB, the limit: it cannot be imported.",
        )

    if post is None:
        return _form_page(request, WireImportForm())

    if "token" in post:  # a preview's choices applied, or the confirm step
        return _from_preview(request, post)

    form = WireImportForm(post, request.FILES)
    if not form.is_valid():
        return _form_page(request, form)
    return _preview(request, form.raw_text, form.cleaned_data["language"], form.source, {}, form)


def _from_preview(request: HttpRequest, post) -> HttpResponse:
    try:
        data = read_token(post["token"])
    except signing.BadSignature:
        return _form_page(
            request,
            WireImportForm(),
            "This preview has expired or was altered; paste or upload the copy again.",
        )
    choices = dict(data["choices"])
    posted = {
        k.removeprefix(CHOICE_PREFIX): v for k, v in post.items() if k.startswith(CHOICE_PREFIX)
    }
    if posted:
        # The radios say everything the editor wants: what differs from the best option.
        choices = {k: v for k, v in posted.items() if v != data["defaults"].get(k)}
    text, language, source = data["text"], data["language"], data["source"]
    if "apply" in post or choices != data["choices"]:
        # Never import what the editor has not seen: show the preview these choices give.
        return _preview(request, text, language, source, choices, changed="apply" not in post)
    try:
        result = importer.import_wire(
            text, language=language, choices=choices, user=request.user, source=source
        )
    except WireError as exc:
        form = WireImportForm(initial={"text": text, "language": language})
        return _form_page(request, form, str(exc))

    article = result.article
    if result.changed:
        created = f" Created: {result.created}." if result.created else ""
        updated = f" Updated: {result.updated}." if result.updated else ""
        warned = len(result.warnings)
        messages.success(
            request,
            f"Imported “{article.title}”; it and everything new or changed are waiting for "
            f"review.{created}{updated}"
            + (
                f" {warned} warning{'s' if warned != 1 else ''} to check: they stay on the "
                "article until you mark them checked."
                if warned
                else ""
            ),
        )
    else:
        messages.info(request, f"Nothing changed: “{article.title}” already holds this copy.")
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def _preview(
    request: HttpRequest,
    text: str,
    language: str,
    source: str,
    choices: dict,
    form: WireImportForm | None = None,
    changed: bool = False,
) -> HttpResponse:
    form = form or WireImportForm(initial={"text": text, "language": language})
    try:
        preview = importer.plan_import(
            text, language=language, choices=choices, user=request.user, source=source
        )
    except WireError as exc:
        alternative = getattr(exc, "alternative", None)
        token = ""
        if alternative:
            token = make_token(text, language, source, {**choices, **alternative})
        return _form_page(request, form, str(exc), retry_token=token)
    defaults = {c.key: c.best.value for c in preview.choices}
    token = make_token(text, language, source, choices, defaults)
    return _preview_page(request, preview, token, text, changed)


def _context(request: HttpRequest, title: str) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Article._meta,
        "has_view_permission": True,
    }


def _form_page(
    request: HttpRequest, form: WireImportForm, error: str = "", retry_token: str = ""
) -> TemplateResponse:
    context = {
        **_context(request, "Import wire copy"),
        "form": form,
        "error": error,
        "retry_token": retry_token,
        "max_bytes": MAX_WIRE_BYTES,
    }
    return TemplateResponse(request, "admin/articles/article/import_form.html", context)


# What each action means to an editor, in the order the preview lists them.
SUMMARY = [
    (importer.CREATE, "Create", "new: created now"),
    (importer.UPDATE, "Update", "changed to follow the copy"),
    (importer.LINK, "Link", "existing, now attached to the article"),
    (importer.UNCHANGED, "Unchanged", "already stored as the copy has it (analysts: matched)"),
    (importer.KEEP, "Leave as it is", "differs from the copy, but may not be changed here"),
]


def copy_lines(text: str) -> list[str]:
    """The copy's lines, numbered as the parser numbers them (only \\n, \\r\\n, \\r end one)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def section_diffs(preview: importer.ImportPlan) -> list[dict]:
    """For an update: each section, stored against the copy, with its diff (paired by
    position; a section only one side has is new or removed)."""
    stored = [(h, split_paragraphs(b)) for h, b in preview.stored_sections]
    ours = [(s.heading, list(s.paragraphs)) for s in preview.copy.sections]
    rows = []
    if preview.article is not None and preview.article.title != preview.copy.title:
        old_title = {"title": preview.article.title, "standfirst": "", "sections": []}
        new_title = {"title": preview.copy.title, "standfirst": "", "sections": []}
        rows.append(
            {"heading": "Headline", "status": "changed", "diff": diff_texts(old_title, new_title)}
        )
    for index in range(max(len(stored), len(ours))):
        old = stored[index] if index < len(stored) else None
        new = ours[index] if index < len(ours) else None
        heading = (new or old)[0] or "(lead)"
        if old == new:
            rows.append({"heading": heading, "status": "unchanged", "diff": []})
            continue
        status = "changed" if old and new else ("new" if new else "removed")
        # The heading is shown above the diff: its line only when it changed.
        diff = [
            line
            for line in diff_texts(_as_text(old), _as_text(new))
            if not (line.kind == "context" and line.text.startswith("# "))
        ]
        rows.append({"heading": heading, "status": status, "diff": diff})
    return rows


def _as_text(section: tuple[str, list[str]] | None) -> dict:
    heading, paragraphs = section or ("", [])
    return {
        "title": heading or "(lead)",
        "standfirst": "",
        "sections": [{"paragraphs": paragraphs}],
    }


def _preview_page(
    request: HttpRequest, preview: importer.ImportPlan, token: str, raw_text: str, changed: bool
) -> HttpResponse:
    copy = preview.copy
    lines = copy_lines(raw_text)

    def excerpt(line: int) -> str:
        text = " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""
        return text if len(text) <= 100 else text[:99] + "…"

    choices = {c.key: c for c in preview.choices}
    warned = {w.key for w in preview.warnings if w.key}
    context = {
        **_context(request, "Import wire copy: preview"),
        "plan": preview,
        "copy": copy,
        "token": token,
        "choice_prefix": CHOICE_PREFIX,
        "changed_choices": changed,
        "format_name": FORMATS[copy.source_format],
        "language": language_name(copy.language),
        "original_language": language_name(copy.original_language),
        "summary": [
            (action, label, meaning, preview.describe_counts(action))
            for action, label, meaning in SUMMARY
            if preview.describe_counts(action)
        ],
        # Which story the copy updates is chosen in the story's own panel.
        "warnings": [
            (w, excerpt(w.line), choices.get(w.key) if w.key != UPDATE_KEY else None)
            for w in preview.warnings
        ],
        "other_choices": [c for c in preview.choices if c.key not in warned or c.key == UPDATE_KEY],
        "story": preview.story if preview.story and not preview.story.same_copy else None,
        "section_diffs": section_diffs(preview) if preview.article is not None else [],
        "sections": preview.section_changes(),
        "analysts": [
            (ap, [a for a in preview.attributions if a.analyst is ap]) for ap in preview.analysts
        ],
    }
    return TemplateResponse(request, "admin/articles/article/import_preview.html", context)


# --------------------------------------------------------------------------- change page


class WireIntakeAdminMixin:
    """For the articles' ModelAdmin: the intake's pages, and on the change page the last
    import's warnings (with the option each choice applied) until they are checked."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(import_wire_view),
                name="articles_article_import",
            ),
            path(
                "<int:pk>/import-warnings/",
                self.admin_site.admin_view(mark_import_warnings_checked),
                name="articles_article_import_warnings",
            ),
        ] + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "import_warnings")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and unchecked_warnings(obj).exists():
            return [("Wire import: warnings to check", {"fields": ("import_warnings",)})] + [
                fs for fs in fieldsets if "import_warnings" not in fs[1].get("fields", ())
            ]
        return fieldsets

    @admin.display(description="Last import")
    def import_warnings(self, obj):
        warnings = list(unchecked_warnings(obj)) if obj is not None and obj.pk else []
        return render_to_string(
            "admin/articles/article/import_warnings.html",
            {
                "article": obj,
                "warnings": warnings,
                "imported_at": obj.wire_imported_at if obj else None,
            },
        )


def unchecked_warnings(article: Article):
    return ImportWarning.objects.filter(article=article, checked_at__isnull=True)


def unchecked_warning_counts(article_ids) -> dict[int, int]:
    """{article pk: its unchecked import warnings} (for the review queue)."""
    from django.db.models import Count

    rows = (
        ImportWarning.objects.filter(article_id__in=article_ids, checked_at__isnull=True)
        .values("article_id")
        .annotate(n=Count("id"))
    )
    return {row["article_id"]: row["n"] for row in rows}


def mark_import_warnings_checked(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the article's unchecked import warnings and a button; POST: they are checked.

    Editors only: checking them is part of reviewing the import.
    """
    article = get_object_or_404(Article, pk=pk)
    if not permissions.can_review(request.user):
        raise PermissionDenied
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    if request.method == "POST":
        n = unchecked_warnings(article).update(checked_at=timezone.now(), checked_by=request.user)
        messages.success(request, f"Marked {n} import warning{'s' if n != 1 else ''} checked.")
        return HttpResponseRedirect(change_url)
    context = {
        **_context(request, f"Check the import warnings of “{article.title}”"),
        "article": article,
        "warnings": list(unchecked_warnings(article)),
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/articles/article/import_warnings_check.html", context)

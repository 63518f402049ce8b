"""Admin view: paste or upload wire copy, preview what the import will do, confirm.

At ``/admin/articles/article/import/`` (``admin:articles_article_import``). Three steps,
all POSTs with CSRF: the form (paste or upload, language) -> a preview computed by
`articles.intake.importer.plan` (writes nothing) listing what will be created, updated or left
alone and every warning -> confirm, which re-parses the copy carried in a signed token
and imports it with `articles.intake.importer.apply` (one transaction), then redirects to the
article's change page. Errors (bad copy, refused import) are shown in the form, naming
the line.

Who: editors and contributors (`permissions.can_create`), like the command. A
contributor's import is their own work, submitted by them; the importer refuses to
change an article that is not theirs to edit.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import permissions
from articles.intake import importer
from articles.intake.wire import MAX_WIRE_BYTES, WireCopy, WireError
from articles.models import Article, language_name

TOKEN_SALT = "articles.admin_import"  # unchanged when the module moved: tokens in flight stay valid
TOKEN_MAX_AGE = 60 * 60  # a preview stays confirmable for an hour


class WireImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the wire copy",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="…or upload it", required=False, help_text="Plain UTF-8 text, at most 1 MB."
    )
    language = forms.ChoiceField(
        label="Language of the copy", choices=settings.LANGUAGES, initial="en"
    )

    copy: WireCopy | None = None
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
            self.copy = importer.parse(data, cleaned["language"])
        except WireError as exc:
            raise forms.ValidationError(str(exc)) from None
        # The copy parsed, so it is valid UTF-8 (a BOM is dropped by the parser again).
        self.raw_text = data.decode("utf-8") if isinstance(data, bytes) else data
        return cleaned


def make_token(text: str, language: str, source: str) -> str:
    return signing.dumps(
        {"text": text, "language": language, "source": source}, salt=TOKEN_SALT, compress=True
    )


def read_token(token: str) -> dict:
    return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)


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

    if "token" in post:  # the confirm step
        return _confirm(request, post["token"])

    form = WireImportForm(post, request.FILES)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        preview = importer.plan(form.copy, user=request.user, source=form.source)
    except WireError as exc:
        form.add_error(None, str(exc))
        return _form_page(request, form)
    token = make_token(form.raw_text, form.cleaned_data["language"], form.source)
    return _preview_page(request, preview, token, form.raw_text)


def _confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = read_token(token)
    except signing.BadSignature:
        return _form_page(
            request,
            WireImportForm(),
            "This preview has expired or was altered; paste or upload the copy again.",
        )
    form = WireImportForm(initial={"text": data["text"], "language": data["language"]})
    try:
        copy = importer.parse(data["text"], data["language"])
        result = importer.apply(copy, user=request.user, source=data["source"])
    except WireError as exc:
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
            + (f" {warned} warning{'s' if warned != 1 else ''} to check." if warned else ""),
        )
    else:
        messages.info(request, f"Nothing changed: “{article.title}” already holds this copy.")
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def _context(request: HttpRequest, title: str) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Article._meta,
        "has_view_permission": True,
    }


def _form_page(request: HttpRequest, form: WireImportForm, error: str = "") -> TemplateResponse:
    context = {
        **_context(request, "Import wire copy"),
        "form": form,
        "error": error,
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


def _preview_page(
    request: HttpRequest, preview: importer.ImportPlan, token: str, raw_text: str
) -> HttpResponse:
    copy = preview.copy
    lines = copy_lines(raw_text)

    def excerpt(line: int) -> str:
        text = " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""
        return text if len(text) <= 100 else text[:99] + "…"

    context = {
        **_context(request, "Import wire copy: preview"),
        "plan": preview,
        "copy": copy,
        "token": token,
        "language": language_name(copy.language),
        "original_language": language_name(copy.original_language),
        "summary": [
            (action, label, meaning, preview.describe_counts(action))
            for action, label, meaning in SUMMARY
            if preview.describe_counts(action)
        ],
        "warnings": [(w, excerpt(w.line)) for w in preview.warnings],
        "sections": preview.section_changes(),
        "analysts": [
            (ap, [a for a in preview.attributions if a.analyst is ap]) for ap in preview.analysts
        ],
    }
    return TemplateResponse(request, "admin/articles/article/import_preview.html", context)

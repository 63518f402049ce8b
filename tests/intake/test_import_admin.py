"""Importing wire copy from the admin: paste or upload, preview with warnings, confirm."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, AuditEntry, EnrichmentBlock
from articles.states import State
from proposals.models import Proposal

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
PUTIN = (SAMPLES / "wire-putin-talks.txt").read_bytes()
URL = reverse("admin:articles_article_import")


def preview(client, text: str | bytes = PUTIN, **extra):
    data = {"language": "en", **extra}
    if isinstance(text, bytes):
        data["file"] = SimpleUploadedFile("wire.txt", text, content_type="text/plain")
    else:
        data["text"] = text
    return client.post(URL, data)


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def test_editor_sees_the_import_button_and_form(client, editor):
    client.force_login(editor)
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert URL.encode() in changelist.content
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="text"' in response.content
    assert b'name="file"' in response.content
    assert b'name="language"' in response.content


def test_preview_lists_what_will_be_created_and_every_warning_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = preview(client, PUTIN.decode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Create: 1 article, 5 sections, 3 institutions, 3 analysts, 4 attributions" in page
    assert "line 13: analyst &#x27;Hall&#x27; is known only by a surname" in page
    assert "5 warnings to check" in page
    assert "Europe&#x27;s growing influence" in page
    assert "Territorial concessions: 2 terms" in page
    assert "Lara Bullens" in page
    assert not Article.objects.exists()
    assert not AuditEntry.objects.exists()


def test_confirming_imports_and_redirects_to_the_article(client, editor):
    client.force_login(editor)
    token = token_of(preview(client))
    response = client.post(URL, {"token": token}, follow=True)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    assert "waiting for review" in response.content.decode()
    assert article.state == State.IN_REVIEW
    assert article.author == editor
    assert EnrichmentBlock.objects.get(kind="overview").provenance == (
        "wire import: wire.txt, line 17"
    )
    assert Proposal.objects.filter(state=State.IN_REVIEW).count() == 2


def test_confirming_the_same_copy_again_changes_nothing(client, editor):
    client.force_login(editor)
    client.post(URL, {"token": token_of(preview(client))})
    entries = AuditEntry.objects.count()
    second = preview(client)
    assert "Nothing will change" in second.content.decode()
    response = client.post(URL, {"token": token_of(second)}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert Article.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_bad_copy_is_shown_in_the_form_naming_the_line(client, editor):
    client.force_login(editor)
    response = preview(client, "A title\nA lead paragraph.\nEnrichment Data:\n")
    assert response.status_code == 200
    assert "line 3: the &#x27;Enrichment Data:&#x27; part is empty" in response.content.decode()
    assert b'name="token"' not in response.content
    assert not Article.objects.exists()


def test_upload_that_is_not_utf8_is_shown_in_the_form(client, editor):
    client.force_login(editor)
    response = preview(client, b"A title\nSome caf\xe9 text.\n")
    assert "line 2: not valid UTF-8 text" in response.content.decode()


def test_nothing_pasted_is_an_error(client, editor):
    client.force_login(editor)
    response = preview(client, "   ")
    assert "Paste the wire copy or choose a file" in response.content.decode()


def test_altered_token_is_refused_and_writes_nothing(client, editor):
    client.force_login(editor)
    token = token_of(preview(client))
    response = client.post(URL, {"token": token[:-3] + "abc"})
    assert response.status_code == 200
    assert "expired or was altered" in response.content.decode()
    assert not Article.objects.exists()


def test_reimport_of_a_published_article_makes_pending_changes(client, editor):
    from articles.models import PendingChange
    from articles.workflow import transition

    client.force_login(editor)
    client.post(URL, {"token": token_of(preview(client))})
    article = Article.objects.get()
    transition(article, "approve", by=editor)
    transition(article, "publish", by=editor)
    changed = PUTIN.replace(b"stalled ceasefire", b"stalled truce")
    response = preview(client, changed)
    page = response.content.decode()
    assert 'id="import-pending"' in page and "This article is published" in page
    assert page.count('wi-update">update') >= 2  # the article and its changed section

    response = client.post(URL, {"token": token_of(response)})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert "stalled ceasefire" in article.sections.get(order=3).body  # live text unchanged
    pending = PendingChange.objects.get()
    assert pending.state == State.IN_REVIEW
    assert "stalled truce" in pending.data["children"]["sections"][3]["body"]


def test_contributor_import_is_their_own_work_in_review(client, contributor):
    client.force_login(contributor)
    response = client.post(URL, {"token": token_of(preview(client))})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == contributor
    assert article.state == State.IN_REVIEW


def test_translator_and_roleless_staff_may_not_import(client, translator):
    client.force_login(translator)
    assert client.get(URL).status_code == 302  # not staff: sent to the admin login
    nobody = User.objects.create_user("staffer", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert preview(client).status_code == 403
    assert not Article.objects.exists()


def test_import_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert preview(client).status_code == 403
    assert not Article.objects.exists()


def test_preview_of_a_changed_copy_tells_updated_from_unchanged(client, editor):
    client.force_login(editor)
    client.post(URL, {"token": token_of(preview(client))})
    changed = PUTIN.replace(b"notes that Putin has", b"observes that Putin has")
    page = preview(client, changed).content.decode()
    summary = re.search(r'<table id="import-summary">(.*?)</table>', page, re.S).group(1)
    assert "Update: 1 article, 1 section, 1 attribution" in summary
    assert "Unchanged: 3 analysts, 3 attributions, 2 enrichment blocks, 2 proposals" in summary
    assert "Create:" not in summary
    sections = re.search(r'<ol id="import-sections">(.*?)</ol>', page, re.S).group(1)
    assert sections.count(">unchanged</span>") == 4
    assert sections.count(">update</span>") == 1
    # The statement it replaces is shown, struck through.
    assert '<span class="wi-replaces">Jeff Hawn, a Russia expert' in page
    assert "observes that Putin has" in page


def test_each_warning_shows_its_line_of_the_copy(client, editor):
    client.force_login(editor)
    page = preview(client).content.decode()
    assert '<span class="wi-excerpt">13 │ Analysts are divided on the motivations' in page


def test_preview_says_when_the_same_copy_meets_an_edited_article(client, editor):
    from articles.models import Section

    client.force_login(editor)
    client.post(URL, {"token": token_of(preview(client))})
    Section.objects.filter(order=0).update(body="An editor rewrote the lead.")
    page = preview(client).content.decode()
    assert "Nothing will change: this copy was imported into" in page
    assert "what differs now are edits made since, and they are kept" in page
    assert "left as it is</span> (lead)" in page


def test_pasted_copy_over_one_megabyte_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"language": "en", "text": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 200
    assert "The pasted copy is over 1 MB" in response.content.decode()
    assert not Article.objects.exists()


def test_uploaded_file_over_one_megabyte_is_a_form_error_naming_the_line(client, editor):
    client.force_login(editor)
    line = b"A long paragraph of wire copy that goes on and on. " * 20 + b"\n"
    big = PUTIN + line * (1024 * 1024 // len(line) + 1)
    response = preview(client, big)
    assert response.status_code == 200
    page = response.content.decode()
    assert "over the limit of 1,048,576 bytes (1 MB)" in page
    assert not Article.objects.exists()


def test_the_form_checks_the_size_before_sending(client, editor):
    # Over 1 MB + multipart framing the server answers 413 before the form can: the
    # page checks the file or the pasted text first and says so in the form.
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert 'id="wire-import-too-big"' in page
    assert 'data-max-bytes="1048576"' in page
    # In a file: the Content-Security-Policy allows no inline script.
    assert "js/wire-import.js" in page

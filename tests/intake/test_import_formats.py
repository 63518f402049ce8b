"""ninjs, NITF and NewsML-G2 through the importer, the command and the admin: the same
article as plain copy would give, and bad files refused in one line, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.intake.importer import import_wire
from articles.intake.wire import MAX_WIRE_BYTES
from articles.models import Article
from articles.states import State
from articles.workflow import transition
from tests.intake.test_formats import BOMB, EXTERNAL
from tests.intake.test_import_command import nothing_written, run

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
CORPUS = SAMPLES / "corpus"
FORMAT_SAMPLES = [
    "ninjs2-zambia-debt-copper.json",
    "ninjs3-cyprus-crossings.json",
    "nitf-indonesia-nickel-exports.xml",
    "newsml-panama-canal-water.xml",
]


@pytest.mark.parametrize("name", FORMAT_SAMPLES)
def test_each_format_sample_imports_in_review_and_again_changes_nothing(monkeypatch, capsys, name):
    code, out, err = run(monkeypatch, capsys, str(CORPUS / name))
    assert (code, err) == (0, "")
    assert "  format: " in out
    article = Article.objects.get()
    assert article.state == State.IN_REVIEW
    assert article.byline  # every sample names its author
    assert article.sections.count() >= 2
    assert article.attributions.count() >= 2
    code, out, _ = run(monkeypatch, capsys, str(CORPUS / name))
    assert code == 0 and "Nothing changed" in out


def test_a_nitf_file_uploaded_in_the_admin_is_previewed_and_imported(client, editor):
    client.force_login(editor)
    data = (CORPUS / "nitf-indonesia-nickel-exports.xml").read_bytes()
    upload = SimpleUploadedFile("nickel.xml", data, content_type="application/xml")
    response = client.post(
        reverse("admin:articles_article_import"), {"file": upload, "language": "en"}
    )
    page = response.content.decode()
    assert "NITF (XML)" in page
    assert "Dewi Lestari" in page and "JAKARTA, April 17" in page
    assert "Smelters instead of ore" in page
    assert not Article.objects.exists()


def test_our_own_ninjs_export_imports_back_to_the_same_text(client, editor):
    article = import_wire((SAMPLES / "wire-taiwan-strait-shipping.txt").read_bytes()).article
    for part in [*article.attributions.all(), *article.enrichment_blocks.all()]:
        transition(part, "approve", by=editor)
    transition(article, "approve", by=editor)
    transition(article, "publish", by=editor)
    exported = client.get(f"/api/v1/articles/{article.slug}/ninjs/").content
    item = json.loads(exported)
    item["headlines"][0]["value"] = "Shipowners reroute around the Taiwan Strait"
    copy_of_export = import_wire(json.dumps(item), choices={"update": "new"}).article
    assert copy_of_export.pk != article.pk
    assert [(s.heading, s.body) for s in copy_of_export.sections.all()] == [
        (s.heading, s.body) for s in article.sections.all()
    ]
    assert {a.analyst.name for a in copy_of_export.attributions.all()} == {
        a.analyst.name for a in article.attributions.all()
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BOMB.encode(), "error: line 3: the XML declares entities"),
        (EXTERNAL.encode(), "error: line 3: the XML declares entities or refers to external"),
        (b'{"title": "valid JSON, not ninjs"}', "error: line 1: JSON that is not a ninjs item"),
        (b"<rss></rss>", "error: line 1: XML whose root element is <rss>"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error: line 3: binary data (NUL byte)"),
    ],
)
def test_bad_files_fail_in_one_line_and_write_nothing(monkeypatch, capsys, tmp_path, data, message):
    path = tmp_path / "bad"
    path.write_bytes(data)
    code, out, err = run(monkeypatch, capsys, str(path))
    assert code == 1
    assert err.startswith(message) and err.count("\n") == 1
    assert "Traceback" not in out + err
    assert nothing_written()


def test_a_ninjs_file_one_byte_over_the_limit_is_refused(monkeypatch, capsys, tmp_path):
    head = b'{"uri": "urn:x", "headline": "Big", "body_text": "'
    data = head + b"x" * (MAX_WIRE_BYTES + 1 - len(head) - 2) + b'"}'
    assert len(data) == MAX_WIRE_BYTES + 1
    path = tmp_path / "big.json"
    path.write_bytes(data)
    code, out, err = run(monkeypatch, capsys, str(path))
    assert code == 1
    assert "over the limit of 1,048,576 bytes (1 MB)" in err
    assert nothing_written()


def test_an_xml_bomb_uploaded_in_the_admin_is_a_form_error(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("bomb.xml", BOMB.encode(), content_type="application/xml")
    response = client.post(
        reverse("admin:articles_article_import"), {"file": upload, "language": "en"}
    )
    assert response.status_code == 200
    assert "line 3: the XML declares entities" in response.content.decode()
    assert not Article.objects.exists()

"""`manage.py import_article`: summary, warnings, one-line errors, exit codes, no partial writes."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.intake.wire import MAX_WIRE_BYTES
from articles.management.commands.import_article import Command
from articles.models import Article, Attribution, AuditEntry, EnrichmentBlock, Section
from articles.states import State
from proposals.models import Proposal, ProposalTerm

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
PUTIN_PATH = SAMPLES / "wire-putin-talks.txt"
PUTIN = PUTIN_PATH.read_bytes()


def run(monkeypatch, capsys, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the command as `manage.py` does; return (exit code, stdout, stderr)."""
    # run_from_argv closes the connections afterwards; the test's transaction needs them.
    monkeypatch.setattr(
        "django.core.management.base.connections", SimpleNamespace(close_all=lambda: None)
    )
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(stdin)))
    code = 0
    try:
        Command().run_from_argv(["manage.py", "import_article", *args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def nothing_written() -> bool:
    return (
        not any(
            m.objects.exists()
            for m in (Article, Section, Attribution, EnrichmentBlock, Proposal, ProposalTerm)
        )
        and not AuditEntry.objects.exists()
    )


def test_it_imports_the_sample_and_prints_what_it_found(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(PUTIN_PATH))
    assert (code, err) == (0, "")
    assert "Title: Is Putin's sudden openness" in out
    assert "original language: French (fr)" in out
    assert "translated by: Lara Bullens" in out
    assert "  Europe's growing influence — 2 paragraphs" in out
    assert "Hall (new, surname only) — political scientist" in out
    assert "University of Bath" in out
    assert "Jeff Hawn (new) — Russia expert, London School of Economics — 1 statement" in out
    assert "key_points (new): 5 points" in out
    assert "    Territorial concessions: 2 terms" in out
    assert "    Humanitarian: 1 term" in out
    assert "Topics: war-and-conflicts, politics, general-news" in out
    assert "it is now in review" in out
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert (
        "warning: line 13: analyst 'Hall' is known only by a surname; check and complete the name"
        in (warnings)
    )
    assert any(
        w.startswith("warning: line 34: assumed the key points start here") for w in warnings
    )
    assert len(warnings) == 5
    article = Article.objects.get()
    assert article.state == State.IN_REVIEW


def test_it_reads_stdin_and_says_when_nothing_changed(monkeypatch, capsys):
    assert run(monkeypatch, capsys, "-", stdin=PUTIN)[0] == 0
    entries = AuditEntry.objects.count()
    code, out, err = run(monkeypatch, capsys, "-", stdin=PUTIN)
    assert (code, err) == (0, "")
    assert "Nothing changed" in out
    assert Article.objects.count() == 1
    assert AuditEntry.objects.count() == entries
    assert EnrichmentBlock.objects.get(kind="overview").provenance.startswith("wire import: stdin")


def test_it_imports_as_the_given_user(monkeypatch, capsys, editor):
    code, _out, _err = run(monkeypatch, capsys, str(PUTIN_PATH), "--user", editor.username)
    assert code == 0
    assert Article.objects.get().author == editor


def test_it_takes_the_copy_language(monkeypatch, capsys):
    code, out, _err = run(monkeypatch, capsys, "-", "--language", "fr", stdin=PUTIN)
    assert code == 0
    assert Article.objects.get().language == "fr"
    # The credit says French too: the parser warns that the copy claims its own language.
    assert "translated from its own language (fr)" in out


MALFORMED = {
    "empty": (b"\n\n  \n", "error: line 1: the wire copy is empty"),
    "binary": (b"Title\n\x00\x01\x02 data", "error: line 2: binary data (NUL byte)"),
    "not utf-8": (b"A title\nSome caf\xe9 text.\n", "error: line 2: not valid UTF-8 text"),
    "no title": (
        b"This starts like a paragraph, without a headline.\nMore text here.\n",
        "error: line 1: no headline",
    ),
    "empty enrichment": (
        b"A title\nA lead paragraph that says something.\nEnrichment Data:\n",
        "error: line 3: the 'Enrichment Data:' part is empty",
    ),
    "category without terms": (
        b"A title\nA lead paragraph.\nEnrichment Data:\nOverall: An overview.\nA Plan\n"
        b"- Security:\n- Borders:\n- Open borders.\n",
        "error: line 6: category 'Security' has no terms",
    ),
    "unknown credit language": (
        b"A title\nA lead paragraph.\nTranslated from Klingon by Worf.\n",
        "error: line 3: unknown language 'Klingon'",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_copy_fails_with_one_line_naming_the_line_and_writes_nothing(
    monkeypatch, capsys, case
):
    data, expected = MALFORMED[case]
    code, out, err = run(monkeypatch, capsys, "-", stdin=data)
    assert code == 1
    assert err.startswith(expected), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    assert nothing_written()


def test_copy_over_one_megabyte_fails_naming_the_line_and_writes_nothing(
    monkeypatch, capsys, tmp_path
):
    path = tmp_path / "big.txt"
    line = b"A long paragraph of wire copy that goes on and on. " * 20 + b"\n"
    path.write_bytes(PUTIN + line * (MAX_WIRE_BYTES // len(line) + 1))
    code, _out, err = run(monkeypatch, capsys, str(path))
    assert code == 1
    assert err.startswith("error: line ")
    assert "over the limit of 1,048,576 bytes (1 MB)" in err
    assert err.count("\n") == 1
    assert nothing_written()


def test_missing_file_fails_with_one_line(monkeypatch, capsys, tmp_path):
    code, _out, err = run(monkeypatch, capsys, str(tmp_path / "nope.txt"))
    assert code == 1
    assert err == f"error: no such file: {tmp_path / 'nope.txt'}\n"


def test_unknown_user_fails_and_writes_nothing(monkeypatch, capsys):
    code, _out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--user", "ghost")
    assert (code, err) == (1, "error: no user named 'ghost'\n")
    assert nothing_written()


def test_a_translator_may_not_import(monkeypatch, capsys, translator):
    code, _out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--user", translator.username)
    assert code == 1
    assert err == "error: tran may not import articles (editors and contributors may)\n"
    assert nothing_written()


def test_a_language_the_site_does_not_have_is_refused(monkeypatch, capsys):
    code, _out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--language", "de")
    assert code == 1
    assert err.startswith("error: the copy's language 'de' is not one of the site's languages")
    assert nothing_written()


def test_changed_copy_of_a_published_article_becomes_pending_changes(monkeypatch, capsys, editor):
    from articles.models import PendingChange
    from articles.workflow import transition

    run(monkeypatch, capsys, str(PUTIN_PATH))
    article = Article.objects.get()
    transition(article, "approve", by=editor)
    transition(article, "publish", by=editor)
    changed = PUTIN.replace(b"stalled ceasefire", b"stalled truce")
    code, _out, err = run(monkeypatch, capsys, "-", stdin=changed)
    assert code == 0, err
    assert "stalled ceasefire" in Article.objects.get().sections.get(order=3).body
    pending = PendingChange.objects.get()
    assert (pending.state, pending.author) == ("in_review", None)  # by the importer


def test_call_command_raises_command_error_with_the_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match=r"^line 1: the wire copy is empty"):
        call_command("import_article", str(tmp_path / "empty.txt"))


def test_a_file_name_that_is_not_utf8_is_imported_under_a_printable_name(
    monkeypatch, capsys, tmp_path
):
    # Linux file names are bytes; Python passes undecodable ones on as lone surrogates,
    # which used to reach the database and fail with a bare "Error: 'utf-8' codec ...".
    path = os.fsencode(tmp_path) + b"/wire-\xff.txt"
    Path(os.fsdecode(path)).write_bytes(PUTIN)
    code, out, err = run(monkeypatch, capsys, os.fsdecode(path))
    assert (code, err) == (0, "")
    assert "it is now in review" in out
    block = EnrichmentBlock.objects.get(kind="overview")
    assert block.provenance.startswith("wire import: wire-\ufffd.txt, line ")


def test_a_malformed_language_option_fails_in_one_line(monkeypatch, capsys):
    code, _out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--language", "e n")
    assert (code, err) == (1, "error: language must be a language code such as 'en', not 'e n'\n")
    assert nothing_written()


@pytest.mark.parametrize(
    "data",
    [
        PUTIN.replace(b"\n", b"\r"),  # old Mac line ends
        PUTIN.replace(b" ", b"\xc2\xa0"),  # NBSP everywhere
        PUTIN.replace(b"Hall", "Ha\u200bll".encode()),  # a zero-width space in a name
        "\u200f".encode() + PUTIN,  # an RTL mark before the headline
        PUTIN.replace(b'"', "\u201c".encode()),  # smart quotes
        PUTIN.replace(b"\n", b"\n\t"),  # tab-indented lines
    ],
    ids=["cr", "nbsp", "zwsp", "rtl", "smart-quotes", "tabs"],
)
def test_unicode_oddities_import_and_reimport_as_a_no_op(monkeypatch, capsys, data):
    code, out, err = run(monkeypatch, capsys, "-", stdin=data)
    assert (code, err) == (0, ""), err
    code, out, err = run(monkeypatch, capsys, "-", stdin=data)
    assert (code, err) == (0, "")
    assert "Nothing changed" in out


def test_reimport_says_what_changed_section_by_section(monkeypatch, capsys):
    run(monkeypatch, capsys, str(PUTIN_PATH))
    changed = PUTIN.replace(b"notes that Putin has", b"observes that Putin has")
    code, out, _err = run(monkeypatch, capsys, "-", stdin=changed)
    assert code == 0
    assert "(existing article, in review: updated)" in out
    assert "  Flirting with Trump's approval — 2 paragraphs (updated)\n" in out
    assert "  The Trump Card — 2 paragraphs\n" in out
    assert "    [paraphrase, updated] Jeff Hawn, a Russia expert" in out
    assert "  updated: 1 article, 1 section, 1 attribution\n" in out
    assert "  unchanged: 3 analysts, 3 attributions, 2 enrichment blocks" in out


def test_same_copy_after_an_editors_edit_says_the_edits_are_kept(monkeypatch, capsys, editor):
    import reversion

    run(monkeypatch, capsys, str(PUTIN_PATH))
    article = Article.objects.get()
    with reversion.create_revision():
        article.title = "An editor's headline"
        article.save()
    code, out, _err = run(monkeypatch, capsys, str(PUTIN_PATH))
    assert code == 0
    assert "Nothing changed: this copy was imported into 'is-putins-sudden" in out
    assert "the edits made since are kept (in review)." in out
    assert Article.objects.get().title == "An editor's headline"

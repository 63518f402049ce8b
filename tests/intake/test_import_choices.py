"""Editors resolve the importer's choices: in the admin preview (radios, applied before
confirming) and on the command line (``--choose KEY=VALUE``); the choice is remembered
for the same copy; the last import's warnings stay on the story until checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from articles.intake.importer import import_wire
from articles.models import Analyst, Article, EnrichmentBlock, ImportWarning
from proposals.models import Proposal
from tests.factories import AnalystFactory, InstitutionFactory
from tests.intake.test_import_command import nothing_written, run

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
PUTIN_PATH = SAMPLES / "wire-putin-talks.txt"
PUTIN = PUTIN_PATH.read_bytes()
URL = reverse("admin:articles_article_import")
# Line 34 is the first bullet after the "Humanitarian" term: the scored start of the key
# points; line 35 the runner-up.
BEST, RUNNER_UP = "34", "35"


def key_points() -> list[str]:
    return EnrichmentBlock.objects.get(kind="key_points").items


def humanitarian_terms() -> list[str]:
    proposal = Proposal.objects.get(slug="ukrainian-european-counterproposal")
    return list(
        proposal.terms.filter(category__label="Humanitarian").values_list("text", flat=True)
    )


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def preview(client, data: bytes = PUTIN) -> str:
    response = client.post(URL, {"text": data.decode(), "language": "en"})
    assert response.status_code == 200
    return response.content.decode()


# --------------------------------------------------------------------------- command


def test_the_command_prints_each_warnings_choice_with_its_key_and_options(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(PUTIN_PATH))
    assert (code, err) == (0, "")
    warning = next(line for line in out.splitlines() if line.startswith("warning: line 34:"))
    assert f"[choose key-points={BEST} (taken, " in warning
    assert f"| {RUNNER_UP} (" in warning and "| none (" in warning


def test_the_command_takes_a_choice_and_the_same_copy_keeps_it(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, str(PUTIN_PATH), "--choose", f"key-points={RUNNER_UP}")
    assert code == 0
    assert len(key_points()) == 4
    assert len(humanitarian_terms()) == 2
    assert Article.objects.get().wire_choices == {"key-points": RUNNER_UP}
    code, out, _ = run(monkeypatch, capsys, str(PUTIN_PATH))  # no --choose: remembered
    assert code == 0 and "Nothing changed" in out
    assert len(key_points()) == 4


def test_the_command_refuses_a_choice_the_copy_does_not_have(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--choose", "voicu@3=somebody")
    assert code == 1
    assert err.strip() == (
        "error: there is no choice 'voicu@3' in this copy (its choices are: key-points)"
    )
    assert nothing_written()


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("key-points=99", "error: line 34: choice key-points='99' is not one of its options"),
        ("key-points", "error: --choose takes KEY=VALUE"),
    ],
)
def test_the_command_refuses_a_bad_option_in_one_line(monkeypatch, capsys, arg, message):
    code, out, err = run(monkeypatch, capsys, str(PUTIN_PATH), "--choose", arg)
    assert code == 1
    assert err.startswith(message) and err.count("\n") == 1
    assert nothing_written()


def test_a_known_analyst_matched_by_surname_is_a_choice(monkeypatch, capsys):
    bath = InstitutionFactory(name="University of Bath", place="")
    peter = AnalystFactory(name="Peter Hall", slug="peter-hall", institution=bath)
    code, out, _ = run(monkeypatch, capsys, str(PUTIN_PATH))
    assert "[choose analyst-hall=peter-hall (taken, 0.80) | new (0.20)]" in out
    assert peter.attributions.count() == 1
    Article.objects.all().delete()
    code, out, _ = run(monkeypatch, capsys, str(PUTIN_PATH), "--choose", "analyst-hall=new")
    assert code == 0
    assert Analyst.objects.filter(name="Hall").count() == 1
    assert Analyst.objects.get(name="Hall").attributions.count() == 1
    assert "'Hall' is a new analyst, as chosen" in out


# --------------------------------------------------------------------------- admin


def test_the_preview_offers_every_option_of_a_choice_best_first(client, editor):
    client.force_login(editor)
    page = preview(client)
    fieldset = page[page.index('id="choice-key-points"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    values = re.findall(r'name="choice:key-points" value="([^"]+)"', fieldset)
    assert values == [BEST, RUNNER_UP, "36", "37", "38", "none"]
    assert re.search(rf'value="{BEST}" checked', fieldset)
    assert "key points start at line 35: “President Zelensky and his European" in fieldset
    assert 'name="apply"' in page
    assert not Article.objects.exists()


def test_an_editor_applies_a_choice_sees_the_result_then_confirms_it(client, editor):
    client.force_login(editor)
    token = token_of(preview(client))
    applied = client.post(URL, {"token": token, "choice:key-points": RUNNER_UP, "apply": "1"})
    page = applied.content.decode()
    assert "Key points: 4 points" in page
    assert "Humanitarian: 2 terms" in page
    assert re.search(rf'value="{RUNNER_UP}" checked', page)
    assert not Article.objects.exists()  # applying writes nothing
    done = client.post(
        URL, {"token": token_of(page), "choice:key-points": RUNNER_UP, "confirm": "1"}
    )
    assert done.status_code == 302
    assert len(key_points()) == 4 and len(humanitarian_terms()) == 2
    assert Article.objects.get().wire_choices == {"key-points": RUNNER_UP}
    # The same copy again, from the command line: the same choice, nothing to do.
    assert import_wire(PUTIN).changed is False


def test_confirming_with_a_choice_not_yet_previewed_previews_it_first(client, editor):
    client.force_login(editor)
    token = token_of(preview(client))
    response = client.post(URL, {"token": token, "choice:key-points": "none", "confirm": "1"})
    assert response.status_code == 200
    assert "Your choices changed what the import does" in response.content.decode()
    assert not Article.objects.exists()


def test_a_separate_story_can_be_chosen_in_the_preview(client, editor):
    import_wire(PUTIN)
    client.force_login(editor)
    changed = PUTIN.replace(b"Is Putin's sudden openness", b"Is Putin's new openness")
    page = preview(client, changed)
    assert "Update of “Is Putin&#x27;s sudden openness" in page
    assert "What changes, section by section" in page
    assert 'name="choice:update" value="new"' in page
    applied = client.post(URL, {"token": token_of(page), "choice:update": "new", "apply": "1"})
    page = applied.content.decode()
    assert "A separate story" in page
    client.post(URL, {"token": token_of(page), "choice:update": "new", "confirm": "1"})
    assert Article.objects.count() == 2


def test_a_refused_update_offers_the_separate_story_button(client, editor):
    from articles.workflow import transition

    article = import_wire(PUTIN).article
    transition(article, "approve", by=editor)
    client.force_login(editor)
    changed = PUTIN.replace(b"Is Putin's sudden openness", b"Is Putin's new openness")
    page = preview(client, changed)
    assert "is approved" in page and "Import it as a separate story instead" in page
    form = re.search(r'<form method="post" id="wire-import-separately">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]+)"', form.group(1)))
    assert fields.keys() == {"csrfmiddlewaretoken", "token", "apply"}
    separate = client.post(URL, fields).content.decode()
    assert "A separate story" in separate and 'name="confirm"' in separate


# --------------------------------------------------------------------------- warnings stay


def test_the_last_imports_warnings_stay_on_the_story_until_checked(client, editor):
    article = import_wire(PUTIN).article
    stored = list(article.import_warnings.values_list("line", "choice_key", "chosen"))
    assert (34, "key-points", BEST) in stored
    assert len(stored) == 5
    client.force_login(editor)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change_url).content.decode()
    assert "Wire import: warnings to check" in page
    assert "line 13: analyst &#x27;Hall&#x27; is known only by a surname" in page
    queue = client.get(reverse("admin:review_queue")).content.decode()
    assert "5 import warnings to check" in queue

    check_url = reverse("admin:articles_article_import_warnings", args=[article.pk])
    assert "Mark 5 warnings checked" in client.get(check_url).content.decode()
    response = client.post(check_url)
    assert response.status_code == 302
    assert not ImportWarning.objects.filter(checked_at__isnull=True).exists()
    assert ImportWarning.objects.filter(checked_by=editor).count() == 5
    assert "Wire import: warnings to check" not in client.get(change_url).content.decode()
    assert "import warning" not in client.get(reverse("admin:review_queue")).content.decode()


def test_a_changed_copy_replaces_the_warnings_and_the_same_copy_keeps_them(editor):
    article = import_wire(PUTIN).article
    ImportWarning.objects.update(checked_by=editor)
    import_wire(PUTIN)  # nothing changes: the warnings stay as they are
    assert ImportWarning.objects.filter(checked_by=editor).count() == 5
    import_wire(PUTIN.replace(b"stalled ceasefire", b"stalled truce"))
    assert article.import_warnings.count() == 5
    assert not article.import_warnings.filter(checked_by=editor).exists()


def test_only_editors_mark_warnings_checked(client, contributor):
    article = import_wire(PUTIN, user=contributor).article
    client.force_login(contributor)
    url = reverse("admin:articles_article_import_warnings", args=[article.pk])
    assert client.post(url).status_code == 403
    assert article.import_warnings.filter(checked_at__isnull=True).count() == 5


def test_a_choice_key_the_copy_does_not_have_is_a_form_error_not_a_500(client, editor):
    client.force_login(editor)
    token = token_of(preview(client))
    response = client.post(URL, {"token": token, "choice:nonsense": "x", "confirm": "1"})
    assert response.status_code == 200
    assert "there is no choice &#x27;nonsense&#x27; in this copy" in response.content.decode()
    assert not Article.objects.exists()

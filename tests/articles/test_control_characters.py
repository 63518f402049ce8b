"""Text refuses C0 control characters other than tab, LF and CR, wherever people type it;
wire copy is cleaned with a warning; text stored before the rule never breaks the feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from articles.control_characters import no_control_characters
from articles.models import Article, AuditEntry, Topic, TranslationVersion
from articles.states import State
from articles.workflow import transition
from tests.admin.test_admin import article_form_data
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate, published_article

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]
SAMPLE = Path(__file__).resolve().parents[2] / "articles" / "samples" / "wire-putin-talks.txt"


def test_every_text_field_people_type_into_carries_the_rule():
    missing = [
        f"{model._meta.label}.{field.name}"
        for app in ("articles", "proposals")
        for model in apps.get_app_config(app).get_models()
        if model is not AuditEntry
        for field in model._meta.fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField)
        and no_control_characters not in field.validators
    ]
    assert missing == []


def test_tab_and_line_breaks_are_text():
    no_control_characters("One\tcolumn.\r\nAnother line.\n")
    no_control_characters([{"heading": "", "paragraphs": ["Fine.\tReally."]}])


def test_the_admin_refuses_a_control_character_in_each_field_it_is_in(client, editor):
    article = ArticleFactory(title="The talks", sections=SECTIONS)
    client.force_login(editor)
    data = article_form_data(article, title="The\x01 talks")
    data["sections-1-body"] = "First.\x1b\n\nSecond."

    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Remove the control character U+0001" in errors["title"][0]
    inline = response.context["inline_admin_formsets"][0].formset
    assert "U+001B" in inline.forms[1].errors["body"][0]
    article.refresh_from_db()
    assert article.title == "The talks"

    response = client.post(reverse("admin:articles_topic_add"), {"slug": "x", "name": "Ukr\x07"})
    assert response.status_code == 200
    assert "U+0007" in response.context["adminform"].form.errors["name"][0]
    assert not Topic.objects.filter(slug="x").exists()


def test_the_workspace_refuses_them_on_the_field(client, translator):
    ArticleFactory(slug="talks", title="The talks", sections=SECTIONS)
    client.force_login(translator)
    data = {
        "title": "Un\x01 article",
        "standfirst": "Ce que les pourparlers signifient.",
        "credit": "",
        "s0p0": "Le paragraphe.",
        "heading_1": "Contexte",
        "s1p0": "Premier\x02.",
        "s1p1": "Second.",
        "submit": "1",
    }

    response = client.post(reverse("translate:edit", args=["talks", "fr"]), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert "U+0001" in form.errors["title"][0]
    assert "U+0002" in form.errors["s1p0"][0]
    assert TranslationVersion.objects.count() == 0


def api_post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "Les\x03 pourparlers"),
        ("standfirst", "Ce que\x0b les pourparlers signifient."),
        ("credit", "Jeanne\x1fTraductrice"),
        ("sections", [{"heading": "", "paragraphs": ["Le\x01."]}, {"heading": "Contexte",
                      "paragraphs": ["Premier."]}]),
    ],
)  # fmt: skip
def test_the_translations_api_answers_400_naming_the_field(editor, translator, field, value):
    published_article(editor, slug="talks", title="The talks", sections=SECTIONS)
    body = {
        "article": "talks",
        "language": "fr",
        "title": "Les pourparlers",
        "standfirst": "Ce que les pourparlers signifient.",
        "sections": [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
        field: value,
    }

    response = api_post(client_for(translator), "/api/v1/translations/", body)

    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == [field]
    assert "control character" in response.json()["errors"][field][0]
    assert TranslationVersion.objects.count() == 0


def test_a_reviewers_note_refuses_them_too(editor, translator):
    article = published_article(editor, sections=SECTIONS)
    version = moderate(
        TranslationVersionFactory(article=article, author=translator), State.IN_REVIEW, editor
    )

    response = api_post(
        client_for(editor), f"/api/v1/translations/{version.pk}/reject/", {"note": "Non\x08."}
    )

    assert response.status_code == 400
    assert "U+0008" in response.json()["errors"]["note"][0]
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW


def test_the_importer_strips_them_with_a_warning(capsys, tmp_path):
    lines = SAMPLE.read_text().splitlines()
    lines[1] = lines[1].replace("In a surprising", "In a\x01 surprising\x1b")
    wire = tmp_path / "wire.txt"
    wire.write_text("\n".join(lines) + "\n")

    call_command("import_article", str(wire))

    out = capsys.readouterr().out
    assert "warning: line 2: removed the invisible control character(s) U+0001, U+001B" in out
    article = Article.objects.get()
    assert article.sections.first().body.startswith("In a surprising development")


def test_the_feed_drops_them_from_text_stored_before_the_rule(client, editor):
    article = published_article(editor, title="Talks resume", sections=SECTIONS)
    Article.objects.filter(pk=article.pk).update(
        title="Talks\x01 resume", standfirst="What\x1b they mean."
    )

    response = client.get("/en/feed/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Talks resume</title>" in body
    assert "What they mean." in body


def test_a_workflow_note_with_a_control_character_is_refused(editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    with pytest.raises(Exception, match="U\\+0007"):
        transition(article, "reject", by=editor, note="No\x07.")
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW

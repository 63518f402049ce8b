"""The API tests' fixtures (`anon`, `role_client`, `world`), shared with tests/api/, and
the seed story (the shared sample: French original, English translation imported)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from articles.intake.importer import import_wire
from articles.models import Article
from articles.states import State
from articles.translations import domain as translation
from articles.workflow import transition
from tests.api.fixtures import anon, role_client, world  # noqa: F401

SEED = Path(settings.BASE_DIR) / "articles" / "samples" / "wire-putin-talks.txt"


def publish_story(article: Article, editor) -> Article:
    """Approve what waits for review in the story and publish it (as load_demo does)."""
    parts = [
        *article.attributions.all(),
        *article.enrichment_blocks.all(),
        *article.proposals.all(),
        *article.translations.all(),
    ]
    for obj in parts:
        if obj.state == State.IN_REVIEW:
            transition(obj, "approve", by=editor)
    transition(article, "approve", by=editor)
    return transition(article, "publish", by=editor)


@pytest.fixture
def seed(editor) -> Article:
    """The seed story, imported and published: English text, French original not held."""
    article = import_wire(SEED.read_bytes(), source=SEED.name).article
    return publish_story(article, editor)


def french_everything(article: Article, *, skip: tuple[str, ...] = (), slug: str = ""):
    """A complete French TranslationInput of `article`: every field and part, each in
    made-up French that shares no word with the English (`skip`: unit keys left out)."""
    source = translation.source_for(Article.objects.get(pk=article.pk), "fr")
    counter = iter(range(1, 10_000))
    sections = [
        {
            "heading": f"Intertitre numéro {next(counter)}" if s["heading"] else "",
            "paragraphs": [
                f"Paragraphe français numéro {next(counter)}." for _p in s["paragraphs"]
            ],
        }
        for s in source.text.sections
    ]
    parts = {
        p["key"]: f"Texte français numéro {next(counter)}"
        for p in source.parts
        if p["key"] not in skip
    }
    return translation.TranslationInput(
        title="Poutine et les pourparlers : une ruse ?",
        standfirst="Ce que disent les analystes." if source.text.standfirst else "",
        sections=sections,
        credit="Camille Martin",
        parts=parts,
        slug=slug,
    ), source

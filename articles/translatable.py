"""What of a story is translated beyond its text: the registry of translatable parts.

A story's translation version holds the article's title, standfirst and sections, and
one `TranslationUnit` per other text readers see: statements, analysts' roles,
enrichment blocks (title, body, items), proposals (title, summary, terms), term
categories and topic names. Each kind of part registers here how to list its units
for a story and where each unit's text goes on a reader's page; the translators'
form, the submission rules, the memory, the glossary and the readers' pages all walk
this one registry.

Correction notes are translated with each version too, but not as units: a version
keeps them in `TranslationVersion.corrections` ({correction id: text}; the form's
"Corrections" fieldset, the API's `corrections`), which `articles.corrections` reads for
readers' pages. One storage, so no `PartKind` for them.

Extension points (register a `PartKind` in an app's `ready()`):
- images: `register(PartKind("images", "Pictures", image_units))` with keys
  `image:<pk>:alt_text` / `image:<pk>:caption` (the readers' site's pictures).
Proposals register theirs in `ProposalsConfig.ready()`.

Units are written in the language of the story's text (`article.language`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Unit:
    """One translatable text of a story."""

    key: str  # "<kind>:<pk>:<field>" or "<kind>:<pk>:<field>:<index>"
    group: str  # what the form shows above the part's fields ("Statement by Hall")
    label: str  # the field's label ("Statement")
    source: str  # the text to translate
    obj: models.Model  # where the text lives (for readers' pages)
    field: str  # the attribute holding it
    index: int | None = None  # position in a list field (a block's items)
    required: bool = True  # submission needs it (a draft may leave it empty)
    multiline: bool = True
    html: bool = False  # limited HTML, sanitised like the source (a block's body)

    @property
    def glossary_kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(frozen=True)
class PartKind:
    name: str
    title: str  # the form's heading for this kind ("Statements")
    units: Callable[[models.Model], Iterable[Unit]]  # from a story loaded with_parts()


_KINDS: dict[str, PartKind] = {}


def register(kind: PartKind) -> None:
    """Add a kind of translatable part (see the module docstring's extension points)."""
    _KINDS[kind.name] = kind


def kinds() -> list[PartKind]:
    return list(_KINDS.values())


def story_units(article, *, unique: bool = True) -> list[Unit]:
    """Every translatable unit of `article`'s parts, kind by kind. `unique`: each key
    once (a category shared by two proposals is translated once); otherwise one unit
    per object showing it (to localise a page). Reads prefetched relations only
    (`Article.objects.with_parts(...)`)."""
    seen: set[str] = set()
    units: list[Unit] = []
    for kind in _KINDS.values():
        for unit in kind.units(article):
            if unit.source.strip() and not (unique and unit.key in seen):
                seen.add(unit.key)
                units.append(unit)
    return units


# --- the articles app's own kinds ------------------------------------------------------


def _attribution_units(article) -> Iterable[Unit]:
    for a in article.attributions.all():
        analyst = a.analyst
        group = f"Statement by {analyst.name}"
        yield Unit(f"attribution:{a.pk}:statement", group, "Statement", a.statement, a, "statement")
        if analyst.role:
            yield Unit(
                f"analyst:{analyst.pk}:role", group, f"Role of {analyst.name}", analyst.role,
                analyst, "role", multiline=False,
            )  # fmt: skip


def _block_units(article) -> Iterable[Unit]:
    for block in article.enrichment_blocks.all():
        group = f"{block.get_kind_display()} block" + (f": {block.title}" if block.title else "")
        if block.title:
            yield Unit(
                f"block:{block.pk}:title", group, "Title", block.title, block, "title",
                multiline=False,
            )  # fmt: skip
        if block.body:
            yield Unit(
                f"block:{block.pk}:body", group, "Text", block.body, block, "body", html=True
            )
        for i, item in enumerate(block.items or []):
            yield Unit(
                f"block:{block.pk}:item:{i}", group, f"Item {i + 1}", str(item), block, "items",
                index=i,
            )  # fmt: skip


def _topic_units(article) -> Iterable[Unit]:
    for topic in article.topics.all():
        yield Unit(
            f"topic:{topic.pk}:name", "Topics", "Topic", topic.name, topic, "name", multiline=False
        )


register(PartKind("attributions", "Statements", _attribution_units))
register(PartKind("enrichment_blocks", "Enrichment blocks", _block_units))
register(PartKind("topics", "Topics", _topic_units))


# --- readers' pages ---------------------------------------------------------------------


def localize(units: Iterable[Unit], renderings: dict[str, str], language: str, original: str):
    """Put the `language` texts of `units` on their objects, for one page's display.

    An object gets its texts in `language` only when every one of its units has one;
    otherwise it keeps its original texts (a part is never half translated on a
    page). Each object gets `lang` (the language of what it shows) and
    `untranslated` (True when shown in `original` on a page in another language).
    The objects are a page's own copies, loaded for display: never saved.
    """
    by_object: dict[int, list[Unit]] = {}
    objects: dict[int, models.Model] = {}
    for unit in units:
        by_object.setdefault(id(unit.obj), []).append(unit)
        objects[id(unit.obj)] = unit.obj
    for ident, obj_units in by_object.items():
        obj = objects[ident]
        translated = language != original and all(u.key in renderings for u in obj_units)
        if translated:
            for unit in obj_units:
                if unit.index is None:
                    setattr(obj, unit.field, renderings[unit.key])
                else:
                    items = list(getattr(obj, unit.field))
                    items[unit.index] = renderings[unit.key]
                    setattr(obj, unit.field, items)
        obj.lang = language if translated or language == original else original
        obj.untranslated = obj.lang != language


def name_units(objects: Iterable[models.Model], kind: str, field: str) -> list[Unit]:
    """Units of a name shown outside a story (a topic on its page, an analyst's role):
    keyed like the story's units, so any live story's rendering serves."""
    return [
        Unit(f"{kind}:{obj.pk}:{field}", "", field, getattr(obj, field), obj, field)
        for obj in objects
        if getattr(obj, field, "")
    ]

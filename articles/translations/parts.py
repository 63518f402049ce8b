"""A version's parts beyond the article's text: which units a source has, checking a
translator's texts for them, storing them, and pre-filling a new version.

The units come from the registry (`articles.translatable`); a version keeps the units
of its source in its snapshot (`source_snapshot["parts"]`), so a draft keeps what it
was started from, and reviewers see each source beside its translation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects

from articles import translatable
from articles.control_characters import no_control_characters
from articles.models import (
    Article,
    Attribution,
    EnrichmentBlock,
    TranslationUnit,
    TranslationVersion,
)
from articles.sanitize import clean_html
from articles.states import PREVIEWABLE

UNIT_FIELDS = ("key", "group", "label", "source", "required", "multiline", "html")


def source_parts(article: Article, language: str) -> list[dict]:
    """The units a version of `article` in `language` translates, as snapshot dicts.

    None when revising the article's own language (its parts are written in it).
    Reads the story's parts that are not set aside (prefetched when the article comes
    from `Article.objects.with_parts(PREVIEWABLE)`; queried otherwise).
    """
    if language == article.language:
        return []
    if not _has_parts_loaded(article):
        prefetch_related_objects([article], *_part_prefetches())
    return [
        {name: getattr(unit, name) for name in UNIT_FIELDS}
        for unit in translatable.story_units(article)
    ]


def _part_prefetches() -> list:
    """What `translatable.story_units` reads, parts not set aside (the story's text and
    versions are not needed: `Article.objects.with_parts` loads those too)."""
    # Proposals' models by the relations: the articles' side never imports proposals.
    proposal = Article._meta.get_field("proposals").related_model
    term = proposal._meta.get_field("terms").related_model
    return [
        "topics",
        Prefetch(
            "attributions",
            queryset=Attribution.objects.in_states(PREVIEWABLE).select_related("analyst"),
        ),
        Prefetch("enrichment_blocks", queryset=EnrichmentBlock.objects.in_states(PREVIEWABLE)),
        Prefetch(
            "proposals",
            queryset=proposal.objects.in_states(PREVIEWABLE).prefetch_related(
                Prefetch("terms", queryset=term.objects.select_related("category"))
            ),
        ),
    ]


def _has_parts_loaded(article: Article) -> bool:
    cache = getattr(article, "_prefetched_objects_cache", {})
    return all(name in cache for name in ("attributions", "enrichment_blocks", "topics"))


def clean_parts(
    texts: dict[str, str], parts: list[dict], *, complete: bool
) -> tuple[dict[str, str], list[ValidationError]]:
    """The translator's texts for `parts` (keys not in `parts` are ignored), stripped
    and, for HTML parts, sanitised like their source; with an error per missing
    required part when `complete` (a submission), each naming the part (its key in
    `params`) so a form shows it on the field."""
    cleaned: dict[str, str] = {}
    errors: list[ValidationError] = []
    texts = texts if isinstance(texts, dict) else {}
    for part in parts:
        raw = texts.get(part["key"], "")
        text = str(raw if raw is not None else "").replace("\r\n", "\n").strip()
        try:
            no_control_characters(text)
        except ValidationError as error:
            errors.extend(
                ValidationError(
                    f"{_name(part)}: {m.replace('%', '%%')}",
                    code="part",
                    params={"key": part["key"]},
                )
                for m in error.messages
            )
            continue
        if part.get("html") and text:
            text = clean_html(text)
        if text:
            cleaned[part["key"]] = text
        elif complete and part.get("required", True):
            errors.append(
                ValidationError(
                    f"{_name(part)} needs a translation.", code="part", params={"key": part["key"]}
                )
            )
    return cleaned, errors


def _name(part: dict) -> str:
    # The messages carry params, so they are %-formatted when shown: keep any "%".
    return f"{part['group']} — {part['label']}".replace("%", "%%")


def store_units(
    version: TranslationVersion, texts: dict[str, str], parts: list[dict], *, new: bool
) -> None:
    """Replace `version`'s units with `texts` (a draft is saved many times)."""
    sources = {part["key"]: part["source"] for part in parts}
    if not new:
        TranslationUnit.objects.filter(version=version).delete()
    TranslationUnit.objects.bulk_create(
        TranslationUnit(version=version, key=key, source=sources.get(key, ""), text=text)
        for key, text in texts.items()
    )


def unit_texts(version: TranslationVersion | None) -> dict[str, str]:
    """{key: text} of `version`'s units (one query; prefetch `units` to avoid it)."""
    if version is None:
        return {}
    return {unit.key: unit.text for unit in version.units.all()}


def prefill(parts: list[dict], earlier: TranslationVersion | None) -> dict[str, str]:
    """Texts of `earlier`'s units whose source is unchanged in `parts`: a new version
    starts from them; a part whose source changed starts empty."""
    if earlier is None:
        return {}
    old = {unit.key: unit for unit in earlier.units.all()}
    texts = {}
    for part in parts:
        unit = old.get(part["key"])
        if unit is not None and unit.source == part["source"] and unit.text:
            texts[part["key"]] = unit.text
    return texts


def side_by_side(version: TranslationVersion) -> list[tuple[dict, str]]:
    """(source part, its translation in `version`) for the side-by-side pages."""
    texts = unit_texts(version)
    return [(part, texts.get(part["key"], "")) for part in version.source_snapshot.get("parts", [])]

"""The wire corpus: every sample parses to exactly the structure its fixture records.

The samples in ``articles/samples`` (the demo's five) and ``articles/samples/corpus``
(copy nobody here wrote the parser for: other regions, shapes, credits, languages and
the agencies' structured formats) each have a fixture in ``tests/intake/corpus/``
holding the whole expected structure: title, byline and dateline, credit, sections with
their paragraphs and line numbers, analysts with their statements, proposals with
their categories and terms, key points, topics, the choices the parser scored (every
option, its score) and every warning.

A fixture is what a careful editor reads in the copy, not a snapshot: when the parser
changes, ``python -m tests.intake.test_corpus --write`` rewrites them and the diff is
read line by line before it is committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from articles.intake.formats import read_copy
from articles.intake.wire import WireCopy

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIRS = [ROOT / "articles" / "samples", ROOT / "articles" / "samples" / "corpus"]
FIXTURES = Path(__file__).resolve().parent / "corpus"
SUFFIXES = {".txt", ".json", ".xml"}


def sample_paths() -> list[Path]:
    return sorted(p for d in SAMPLE_DIRS for p in d.iterdir() if p.suffix in SUFFIXES)


def fixture_path(sample: Path) -> Path:
    return FIXTURES / f"{sample.stem}.json"


def structure(copy: WireCopy) -> dict:
    """Everything the parser found, as plain data (what the fixtures hold)."""
    enrichment = copy.enrichment
    return {
        "format": copy.source_format,
        "title": copy.title,
        "title_line": copy.title_line,
        "language": copy.language,
        "original_language": copy.original_language,
        "byline": copy.byline,
        "dateline": copy.dateline,
        "credit": copy.credit
        and {
            "translator": copy.credit.translator,
            "from_language": copy.credit.from_language,
            "line": copy.credit.line,
        },
        "sections": [
            {
                "heading": s.heading,
                "line": s.line,
                "paragraphs": [
                    {"line": line, "text": text}
                    for line, text in zip(s.paragraph_lines, s.paragraphs, strict=True)
                ],
            }
            for s in copy.sections
        ],
        "analysts": [
            {
                "name": a.name,
                "role": a.role,
                "institution": a.institution,
                "place": a.place,
                "specialty": a.specialty,
                "surname_only": a.surname_only,
                "line": a.line,
                "statements": [
                    {"line": st.line, "kind": st.kind, "text": st.text} for st in a.statements
                ],
            }
            for a in copy.analysts
        ],
        "enrichment": enrichment
        and {
            "line": enrichment.line,
            "overview": enrichment.overview,
            "overview_line": enrichment.overview_line,
            "proposals": [
                {
                    "title": p.title,
                    "line": p.line,
                    "status": p.status,
                    "proposed_by": list(p.proposed_by),
                    "categories": [
                        {"label": c.label, "line": c.line, "terms": list(c.terms)}
                        for c in p.categories
                    ],
                }
                for p in enrichment.proposals
            ],
            "key_points": [
                {"line": line, "text": text}
                for line, text in zip(
                    enrichment.key_point_lines, enrichment.key_points, strict=True
                )
            ],
            "key_points_line": enrichment.key_points_line,
        },
        "topics": list(copy.topics),
        "choices": [
            {
                "key": c.key,
                "line": c.line,
                "chosen": c.chosen,
                "options": [{"value": o.value, "score": o.score} for o in c.options],
            }
            for c in copy.choices
        ],
        "warnings": [{"line": w.line, "key": w.key, "message": w.message} for w in copy.warnings],
    }


def parse_sample(sample: Path, expected_language: str = "en") -> WireCopy:
    return read_copy(sample.read_bytes(), language=expected_language)


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.name)
def test_sample_parses_to_exactly_its_expected_structure(sample: Path) -> None:
    expected = json.loads(fixture_path(sample).read_text(encoding="utf-8"))
    copy = parse_sample(sample, expected["language"])
    assert structure(copy) == expected


def test_every_sample_has_a_fixture_and_every_fixture_a_sample() -> None:
    samples = {fixture_path(p).name for p in sample_paths()}
    fixtures = {p.name for p in FIXTURES.glob("*.json")}
    assert samples == fixtures
    assert len(samples) >= 5 + 25 + 4  # the demo's, the corpus, one per agency format


def _write() -> None:  # pragma: no cover - a maintenance helper
    FIXTURES.mkdir(exist_ok=True)
    for sample in sample_paths():
        path = fixture_path(sample)
        language = json.loads(path.read_text())["language"] if path.exists() else "en"
        data = structure(parse_sample(sample, language))
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":  # pragma: no cover
    if "--write" in sys.argv:
        _write()

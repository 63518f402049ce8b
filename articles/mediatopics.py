"""IPTC Media Topics: the subject vocabulary partners' systems understand.

The vocabulary ships with the project (`vocabularies/mediatopics.json`, a curated
subset; no network at run time). A topic stores its code as a QCode
(`medtop:16000000`); its URI feeds ninjs `subjects` and JSON-LD `about`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

VOCABULARY = Path(__file__).resolve().parent / "vocabularies" / "mediatopics.json"
SCHEME = "medtop"


@cache
def _vocabulary() -> dict:
    return json.loads(VOCABULARY.read_text(encoding="utf-8"))


@cache
def _by_qcode() -> dict[str, dict]:
    return {f"{SCHEME}:{t['code']}": t for t in _vocabulary()["topics"]}


def choices() -> list[tuple[str, str]]:
    """(QCode, "QCode — English label") pairs for the admin's select, in code order."""
    return [(qcode, f"{qcode} — {t['en']}") for qcode, t in _by_qcode().items()]


def is_known(qcode: str) -> bool:
    return qcode in _by_qcode()


def uri(qcode: str) -> str:
    """The concept's URI (`http://cv.iptc.org/newscodes/mediatopic/16000000`)."""
    return _vocabulary()["uri_base"] + qcode.split(":", 1)[1]


def label(qcode: str, language: str = "en") -> str:
    topic = _by_qcode()[qcode]
    return topic.get(language) or topic["en"]

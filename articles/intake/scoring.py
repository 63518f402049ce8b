"""Scores for the wire parser's boundary decisions (pure: stdlib only, no Django).

Two decisions in plain wire copy have no marker to go by, so the parser scores every
possible answer from several signals, takes the best and keeps the runner-up (the
editor sees both, with their scores, and may choose another):

Where the key points start (no "Key points:" header)
    The bullets after the last category are that category's terms, then the key
    points. Each bullet gets a *key-point likeness* in [0, 1] (:func:`key_point_likeness`)
    from these signals, weighted as in ``KEY_POINT_WEIGHTS``:

    - ``verb``: a finite verb of the bullet's own (after its first word, before any
      subordinate clause: ``is``, ``has``, ``may``, ``could``, ``remain``, ``wants``,
      ``demands``…): key points are sentences, terms are mostly noun phrases ("Release
      of political prisoners…", "Recognition of Kosovo before the association is
      established");
    - ``proposal_modal``: ``would``/``will``/``shall`` describe what a proposal offers.
      When most of the copy's other terms use them, they mark a term (terms written as
      full sentences); otherwise they are an ordinary finite verb;
    - ``shape``: when most other terms are noun phrases with no verb of their own, a
      bullet that is one reads like a term (``nominal``), one that is not like a key
      point;
    - ``parties``: names two or more of the proposals' parties (proposers and their
      demonyms), or compares ("both", "while", "whereas", "neither", "each side",
      "the two"): key points compare proposals, terms state one;
    - ``length``: length against the other terms of the copy (median words): a bullet
      twice as long as a typical term is a key point;
    - ``sources``: speaks of analysts, experts or observers.

    A split "key points start at bullet *s*" scores the mean agreement: for bullets
    before *s*, ``1 - likeness``; from *s* on, ``likeness``. The first bullet is
    always a term (a category has at least one), and "no key points" is the split
    after the last bullet.

Which analyst a bare surname names (two analysts of the copy share it)
    Each candidate scores (:func:`surname_scores`, weights ``SURNAME_WEIGHTS``):

    - ``recency``: the candidate mentioned last before this sentence scores 1, the
      others less the longer ago they were mentioned;
    - ``topic``: the words of the sentence and the paragraph before it against the
      vocabulary of the candidate's role ("economist": cost, budget, deficit…;
      "political scientist": election, party, voters…);
    - ``overlap``: content words shared with what the candidate said before.

    Scores are normalised to sum to 1 over the candidates.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KEY_POINT_WEIGHTS: dict[str, float] = {
    "base": 0.2,
    "verb": 0.4,
    "proposal_modal_term_style": -0.3,  # the other terms are written with would/will
    "proposal_modal_plain": 0.3,  # they are not: would/will is just a verb here
    "shape": 0.1,
    "nominal": -0.1,
    "parties": 0.25,
    "length": 0.25,
    "sources": 0.15,
}
SURNAME_WEIGHTS: dict[str, float] = {"recency": 0.35, "topic": 0.45, "overlap": 0.2}

_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|may|might|could|can|cannot|must|should|does|do|did|"
    r"(?:is|are|was|were|has|have|wo|ca|does|do|did)n['’]t|"
    r"remains?|remained|seems?|seemed|appears?|appeared|becomes?|became|"
    r"says|said|insists?|argues?|warns?|continues?|speculates?|suggests?|believes?|"
    r"expects?|reveals?|shows?|means|makes?|faces?|risks?|hinges?|depends?|"
    r"wants?|demands?|accepts?|opposes?|rejects?|refuses?|supports?|seeks?|sees|fears?|"
    r"agrees?|disagrees?|differs?|needs?|lacks?|hopes?|plans?|limits?|links?|holds?|"
    r"keeps?|gives?|takes?|stands?|leaves?|offers?|prefers?|favours?|favors?|backs?|"
    r"aims?|tries|tried|fails?|failed|calls?|called|reached|fell|rose|grew|cost|"
    r"estimates?|doubts?|questions?|welcomes?|criticises?|criticizes?)\b",
    re.IGNORECASE,
)
_PROPOSAL_MODAL_RE = re.compile(r"\b(?:would|will|shall|wo['’]n't)\b", re.IGNORECASE)
_COMPARISON_RE = re.compile(
    r"\b(?:both|while|whereas|neither|each\s+side|both\s+sides|the\s+two|either\s+side|"
    r"unlike|compared\s+with|in\s+contrast)\b",
    re.IGNORECASE,
)
_SOURCES_RE = re.compile(r"\b(?:analysts?|experts?|observers?|critics?|diplomats)\b", re.I)
# ", which operates eleven dams," and the like: not the bullet's main clause.
_RELATIVE_RE = re.compile(r",\s*(?:which|who|whose|where)\b[^,]*,", re.IGNORECASE)
_SUBORDINATE_RE = re.compile(
    r"\b(?:until|before|after|if|unless|when|whenever|because|since|although|though|once|"
    r"so\s+that|as\s+long\s+as|that|which|who|whose|where)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")

# Words that point to an analyst's field, by the head noun of the role.
_ROLE_TOPICS: dict[str, frozenset[str]] = {
    "economics": _words(
        "economy economic economics economist economists cost costs costly budget budgets "
        "deficit deficits subsidy subsidies spending spend prices price inflation tax taxes "
        "revenue revenues debt debts save saving savings fiscal market markets funds "
        "funding finance financial investment investors growth wages income tariff "
        "tariffs rating bank banks trade exports imports"
    ),
    "politics": _words(
        "politics political politician politicians party parties election elections "
        "electoral vote votes voters voting government governments coalition parliament "
        "campaign president presidential minister ministers opposition power democracy "
        "legitimacy regime protest protests"
    ),
    "law": _words(
        "law laws legal court courts ruling judgment judges treaty jurisdiction rights "
        "constitution constitutional arbitration sovereignty"
    ),
    "security": _words(
        "security military army troops forces war weapons defence defense attack "
        "attacks armed militia militias ceasefire conflict insurgents navy"
    ),
    "society": _words(
        "society social communities community families households migration emigration "
        "protesters identity religion education"
    ),
    "environment": _words(
        "climate environment environmental water river rivers forest forests emissions "
        "pollution drought fisheries species ice"
    ),
}
_ROLE_FIELDS: dict[str, str] = {
    "economist": "economics",
    "economics": "economics",
    "finance": "economics",
    "banker": "economics",
    "political": "politics",
    "politics": "politics",
    "politologue": "politics",
    "lawyer": "law",
    "law": "law",
    "jurist": "law",
    "legal": "law",
    "security": "security",
    "military": "security",
    "defence": "security",
    "defense": "security",
    "conflict": "security",
    "sociologist": "society",
    "anthropologist": "society",
    "sociologue": "society",
    "hydrologist": "environment",
    "climate": "environment",
    "environmental": "environment",
    "biologist": "environment",
    "économiste": "economics",
}
_STOPWORDS = _words(
    "the a an and or but of in on at to for from by with as that this these those it its "
    "is are was were be been has have had not no than then there their they them he she "
    "his her who which what when where why how all any some more most less least would "
    "will could can may might should must also only about into over after before while "
    "says said notes argues according"
)


# --------------------------------------------------------------------------- key points


@dataclass(frozen=True)
class Split:
    """Key points start at bullet ``index`` (``index == len(bullets)``: none)."""

    index: int
    score: float


def key_point_likeness(
    bullet: str,
    *,
    reference_terms: Sequence[str],
    parties: Iterable[str] = (),
) -> float:
    """How much ``bullet`` reads like a key point rather than a term, in [0, 1]."""
    w = KEY_POINT_WEIGHTS
    words = bullet.split()
    score = w["base"]
    if _finite_after_first_word(bullet):
        score += w["verb"]
    if _PROPOSAL_MODAL_RE.search(bullet):
        modal_share = _share(reference_terms, lambda t: bool(_PROPOSAL_MODAL_RE.search(t)))
        score += w["proposal_modal_term_style"] if modal_share >= 0.5 else w["proposal_modal_plain"]
    nominal = _is_nominal(bullet)
    if _share(reference_terms, _is_nominal) >= 0.5:
        score += w["nominal"] if nominal else w["shape"]
    if _names_two_parties(bullet, parties) or _COMPARISON_RE.search(bullet):
        score += w["parties"]
    typical = statistics.median(len(t.split()) for t in reference_terms) if reference_terms else 10
    ratio = len(words) / max(typical, 1)
    score += w["length"] * min(max((ratio - 1.0) / 1.5, 0.0), 1.0)
    if _SOURCES_RE.search(bullet):
        score += w["sources"]
    return min(max(score, 0.0), 1.0)


def score_splits(likeness: Sequence[float]) -> list[Split]:
    """Every split of bullets with these likenesses, best first (ties: earlier first).

    Split ``s`` (1 <= s <= n) makes bullets ``[0, s)`` terms and ``[s, n)`` key points.
    """
    n = len(likeness)
    splits = []
    for s in range(1, n + 1):
        agreement = sum(1 - k for k in likeness[:s]) + sum(likeness[s:])
        splits.append(Split(s, round(agreement / n, 2)))
    return sorted(splits, key=lambda sp: (-sp.score, sp.index))


def _finite_after_first_word(text: str) -> bool:
    # A verb opening the bullet is a noun more often than not ("Checks of…", "Return of…");
    # a verb in a subordinate clause ("… before the association is established") is not
    # the bullet's own.
    main = _main_clause(text)
    first = re.match(r"\s*\S+", main)
    offset = first.end() if first else 0
    return bool(_FINITE_RE.search(main, offset))


def _main_clause(text: str) -> str:
    """The text before its first subordinate clause, parenthetical relatives removed."""
    text = _RELATIVE_RE.sub(" ", text)
    match = _SUBORDINATE_RE.search(text)
    return text[: match.start()] if match else text


def _is_nominal(text: str) -> bool:
    """Opens with a noun phrase and has no verb of its own: how terms are usually written."""
    main = _main_clause(text)
    return not _finite_after_first_word(text) and not _PROPOSAL_MODAL_RE.search(main)


def _share(items: Sequence[str], predicate) -> float:
    return sum(1 for item in items if predicate(item)) / len(items) if items else 0.0


def _names_two_parties(text: str, parties: Iterable[str]) -> bool:
    found = set()
    for index, names in enumerate(_party_groups(parties)):
        if any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) for name in names):
            found.add(index)
    return len(found) >= 2


def _party_groups(parties: Iterable[str]) -> list[tuple[str, ...]]:
    # A party is named by itself or by its demonym ("Armenia" / "Armenian").
    groups = []
    for party in parties:
        names = {party}
        names.update(demonym for demonym, place in DEMONYM_PLACES.items() if place == party)
        groups.append(tuple(n for n in names if n))
    return groups


# Demonyms as written in titles -> the place they name (shared with the parser).
DEMONYM_PLACES: dict[str, str] = {
    "African": "Africa",
    "Algerian": "Algeria",
    "American": "United States",
    "Armenian": "Armenia",
    "Azerbaijani": "Azerbaijan",
    "Bangladeshi": "Bangladesh",
    "Brazilian": "Brazil",
    "British": "United Kingdom",
    "Canadian": "Canada",
    "Chinese": "China",
    "Colombian": "Colombia",
    "Danish": "Denmark",
    "Egyptian": "Egypt",
    "Emirati": "United Arab Emirates",
    "Estonian": "Estonia",
    "Ethiopian": "Ethiopia",
    "European": "Europe",
    "Finnish": "Finland",
    "Franco": "France",
    "French": "France",
    "Georgian": "Georgia",
    "German": "Germany",
    "Greenlandic": "Greenland",
    "Icelandic": "Iceland",
    "Indian": "India",
    "Iranian": "Iran",
    "Iraqi": "Iraq",
    "Israeli": "Israel",
    "Italian": "Italy",
    "Japanese": "Japan",
    "Kenyan": "Kenya",
    "Kosovar": "Kosovo",
    "Kurdish": "Kurdistan",
    "Malian": "Mali",
    "Moldovan": "Moldova",
    "Nepali": "Nepal",
    "Nigerian": "Nigeria",
    "Nigerien": "Niger",
    "Nordic": "Nordic countries",
    "Norwegian": "Norway",
    "Pakistani": "Pakistan",
    "Palestinian": "Palestinians",
    "Peruvian": "Peru",
    "Philippine": "Philippines",
    "Qatari": "Qatar",
    "Romanian": "Romania",
    "Russian": "Russia",
    "Saudi": "Saudi Arabia",
    "Serbian": "Serbia",
    "Somali": "Somalia",
    "Sudanese": "Sudan",
    "Swedish": "Sweden",
    "Taiwanese": "Taiwan",
    "Turkish": "Turkey",
    "Ukrainian": "Ukraine",
    "Venezuelan": "Venezuela",
    "Yemeni": "Yemen",
}


# --------------------------------------------------------------------------- surnames


@dataclass(frozen=True)
class Candidate:
    """An analyst a bare surname may name, with what the scores are computed from."""

    key: str  # the analyst's identifier in the parser (e.g. the full name)
    role: str
    institution: str
    said: str  # everything attributed to them so far
    last_mention: int  # order of the last sentence mentioning them; -1: never


def surname_scores(
    candidates: Sequence[Candidate], *, sentence: str, context: str
) -> list[tuple[str, float]]:
    """(candidate key, score) for each candidate, best first; scores sum to 1."""
    w = SURNAME_WEIGHTS
    words = _content_words(sentence + " " + context)
    ranks = sorted((c for c in candidates if c.last_mention >= 0), key=lambda c: -c.last_mention)
    raw = []
    for candidate in candidates:
        recency = 1.0 / (1 + ranks.index(candidate)) if candidate.last_mention >= 0 else 0.0
        field_words = _field_words(candidate.role + " " + candidate.institution)
        topic = len(words & field_words) / max(len(words), 1) * 4 if field_words else 0.0
        said = _content_words(candidate.said)
        overlap = len(_content_words(sentence) & said) / max(len(_content_words(sentence)), 1)
        raw.append(
            w["recency"] * recency + w["topic"] * min(topic, 1.0) + w["overlap"] * overlap * 2
        )
    total = sum(raw) or 1.0
    scored = [(c.key, round(r / total, 2)) for c, r in zip(candidates, raw, strict=True)]
    return sorted(scored, key=lambda item: -item[1])


def _field_words(role: str) -> frozenset[str]:
    fields = {_ROLE_FIELDS[word] for word in _content_words(role) if word in _ROLE_FIELDS}
    return frozenset().union(*(_ROLE_TOPICS[f] for f in fields)) if fields else frozenset()


def _content_words(text: str) -> set[str]:
    words = set()
    for word in _WORD_RE.findall(text.lower()):
        if word in _STOPWORDS or len(word) < 3:
            continue
        words.add(word)
        # A crude stem so "costs" meets "cost" and "subsidies" meets "subsidy".
        if word.endswith("ies"):
            words.add(word[:-3] + "y")
        elif word.endswith("s") and not word.endswith("ss"):
            words.add(word[:-1])
    return words

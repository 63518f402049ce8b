"""Generated wire copies through the whole importer: never a crash, never half written.

Each example is a copy assembled from the shapes of real copy (headlines, bylines,
datelines, analyst introductions with and without institutions, shared surnames,
credits, proposals, categories, bullets that may be terms or key points, headers or
not) plus arbitrary noise, imported with arbitrary choices. Either the import succeeds
and the article holds exactly what the plan said, or it fails with one line naming the
line or field and not a single row changed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.intake.importer import import_wire
from articles.intake.wire import WireError
from articles.models import (
    Analyst,
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    ImportWarning,
    Institution,
    Section,
    Topic,
)
from articles.states import State
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

MODELS = [
    Article, Section, Attribution, EnrichmentBlock, Analyst, Institution, Topic, Proposal,
    ProposalTerm, Actor, TermCategory, AuditEntry, ImportWarning,
]  # fmt: skip

NAMES = ["Ana Costa", "Rui Costa", "Costa", "Lena Park", "Park", "Jean-Luc Martin", "Ó Briain"]
ROLES = ["an economist", "a researcher", "a senior fellow", "director", "a former diplomat"]
PLACES = ["", " in Lisbon", " in Kyiv"]
INSTITUTIONS = ["the University of Porto", "the Bank of Korea", "Chatham House", ""]
VERBS = ["says that", "argues that", "notes that", "told reporters:", "said"]
CLAIMS = [
    "the talks will fail without monitors.",
    '"nobody expects a deal before the winter," she added.',
    "both sides want the other to move first, while the mediators wait.",
    "costs will rise if the budget is not cut.",
]


@st.composite
def intro(draw) -> str:
    name, role = draw(st.sampled_from(NAMES)), draw(st.sampled_from(ROLES))
    institution = draw(st.sampled_from(INSTITUTIONS))
    where = f" at {institution}{draw(st.sampled_from(PLACES))}" if institution else ""
    return f"{name}, {role}{where}, {draw(st.sampled_from(VERBS))} {draw(st.sampled_from(CLAIMS))}"


@st.composite
def mention(draw) -> str:
    surname = draw(st.sampled_from(NAMES)).split()[-1]
    return f"{surname} {draw(st.sampled_from(VERBS))} {draw(st.sampled_from(CLAIMS))}"


paragraph = st.one_of(
    intro(),
    mention(),
    st.sampled_from(CLAIMS).map(str.capitalize),
    st.text(min_size=1, max_size=120),
)
heading = st.sampled_from(["A crowded field", "What comes next", "The view from Kyiv?"])
bullet = st.one_of(
    st.sampled_from(
        [
            "Withdrawal of troops before any vote.",
            "A referendum within a year.",
            "Both governments want a deal, while the mediators doubt one is near.",
            "Sanctions would be lifted in stages.",
            "Neither side has accepted the timetable.",
        ]
    ),
    st.text(min_size=1, max_size=60),
)


@st.composite
def enrichment(draw) -> list[str]:
    lines = ["Enrichment Data:"]
    if draw(st.booleans()):
        lines.append("Overall: " + draw(st.sampled_from(CLAIMS)))
    for index in range(draw(st.integers(0, 3))):
        lines.append(
            draw(st.sampled_from(["Northern Plan", "Southern Counterproposal", "EU Draft"]))
            + f" {index}"
        )
        if draw(st.booleans()):
            lines.append("Proposed by: " + draw(st.sampled_from(["Northland", "Southland, EU"])))
        for _ in range(draw(st.integers(1, 2))):
            lines.append(f"- {draw(st.sampled_from(['Sequencing', 'Guarantees', 'Money']))}:")
            lines += [f"- {b}" for b in draw(st.lists(bullet, min_size=1, max_size=3))]
    if draw(st.booleans()):
        lines.append("Key points:")
    lines += [f"- {b}" for b in draw(st.lists(bullet, max_size=3))]
    return lines


@st.composite
def copies(draw) -> str:
    lines = [draw(st.sampled_from(["Will the talks hold?", "A deal in reach", "Talks resume"]))]
    if draw(st.booleans()):
        lines.append("By " + draw(st.sampled_from(["Jane Doe", "Ana Costa and Lena Park"])))
    first = draw(paragraph)
    if draw(st.booleans()):
        first = "GENEVA, May 4 (Reuters) - " + first
    lines.append(first)
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            lines.append(draw(heading))
        lines.append(draw(paragraph))
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from([
            "Translated from the Spanish by Ana Ruiz.",
            "Traduit de l'anglais par Claire Martin.",
            "Translated from the Klingon by Worf.",
        ])))  # fmt: skip
    if draw(st.booleans()):
        lines += draw(enrichment())
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["", "  ", "\t"])))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


choice_maps = st.dictionaries(
    st.sampled_from(["key-points", "update", "costa@3", "analyst-costa", "nonsense"]),
    st.sampled_from(["none", "new", "3", "4", "5", "ana-costa", "rui-costa", "x"]),
    max_size=2,
)


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=copies(), choices=st.one_of(st.just({}), choice_maps))
def test_a_generated_copy_imports_whole_or_not_at_all(db, text: str, choices: dict) -> None:
    before = row_counts()
    try:
        result = import_wire(text, choices=choices, source="generated.txt")
    except WireError as exc:
        event(f"refused: {exc.message.split(' ')[0:3]}")
        assert row_counts() == before, str(exc)
        assert "\n" not in str(exc)
        return
    article = result.article
    copy = result.plan.copy
    event("imported" if result.changed else "unchanged")
    if not result.changed:
        assert row_counts() == before
        return
    assert article.title == copy.title
    assert [s.heading for s in article.sections.all()] == [s.heading for s in copy.sections]
    assert article.state == State.IN_REVIEW
    assert article.wire_fingerprint == copy.digest
    assert article.import_warnings.count() == len(result.warnings)
    statements = {(a.analyst.name, a.statement) for a in article.attributions.all()}
    for analyst in copy.analysts:
        for statement in analyst.statements:
            assert any(text == statement.text for _, text in statements)
    # Everything the import created is waiting for review.
    assert not article.attributions.exclude(state__in=[State.IN_REVIEW, State.APPROVED]).exists()

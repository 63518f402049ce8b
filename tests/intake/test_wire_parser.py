"""The plain-text wire parser (articles/wire.py): pure parsing, no database."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.intake.wire import (
    MAX_WIRE_BYTES,
    WireCopy,
    WireError,
    WireWarning,
    parse_wire,
)

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "wire-putin-talks.txt"


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def parse_sample(name: str) -> WireCopy:
    return parse_wire(sample_bytes(name))


def warning_about(copy: WireCopy, text: str) -> WireWarning:
    matches = [w for w in copy.warnings if text in w.message]
    assert len(matches) == 1, [str(w) for w in copy.warnings]
    return matches[0]


def error_for(data: bytes | str) -> WireError:
    with pytest.raises(WireError) as info:
        parse_wire(data)
    return info.value


@pytest.fixture(scope="module")
def putin() -> WireCopy:
    return parse_sample("wire-putin-talks.txt")


@pytest.fixture(scope="module")
def putin_bytes() -> bytes:
    return sample_bytes("wire-putin-talks.txt")


# --------------------------------------------------------------------------- the sample


def test_sample_copy_is_byte_identical_to_the_shared_sample() -> None:
    if not SHARED_SAMPLE.exists():
        pytest.skip("the shared samples folder is not next to the project")
    assert sample_bytes("wire-putin-talks.txt") == SHARED_SAMPLE.read_bytes()


def test_sample_title_is_the_first_line(putin: WireCopy) -> None:
    assert putin.title == (
        "Is Putin's sudden openness to face-to-face negotiations with Ukraine possibly a ruse?"
    )
    assert putin.title_line == 1


def test_sample_has_four_headed_sections_after_the_lead(putin: WireCopy) -> None:
    assert [s.heading for s in putin.sections] == [
        "",
        "Flirting with Trump's approval",
        "The Trump Card",
        "Europe's growing influence",
        "Playing the peace maker or setting a trap?",
    ]
    assert [len(s.paragraphs) for s in putin.sections] == [1, 2, 2, 2, 2]
    assert [s.line for s in putin.sections] == [2, 3, 6, 9, 12]
    assert putin.sections[0].paragraphs[0].startswith("In a surprising development")
    assert putin.sections[4].paragraph_lines == (13, 14)


def test_sample_credit_line_is_taken_out_of_the_body(putin: WireCopy) -> None:
    assert putin.credit is not None
    assert putin.credit.translator == "Lara Bullens"
    assert putin.credit.from_language == "fr"
    assert putin.credit.line == 15
    assert putin.language == "en"
    assert putin.original_language == "fr"
    body = [p for s in putin.sections for p in s.paragraphs]
    assert not any("translated from" in p for p in body)
    assert putin.sections[-1].paragraphs[-1].startswith("Ultimately, questions remain")


def test_sample_has_three_analysts_in_order_of_appearance(putin: WireCopy) -> None:
    assert [a.name for a in putin.analysts] == ["Will Kingston-Cox", "Jeff Hawn", "Hall"]
    kingston, hawn, hall = putin.analysts
    assert (kingston.role, kingston.institution, kingston.place) == (
        "researcher",
        "International Team for the Study of Security",
        "Verona",
    )
    assert (hawn.role, hawn.institution, hawn.place) == (
        "Russia expert",
        "London School of Economics",
        "",
    )
    assert (hall.role, hall.institution, hall.place) == (
        "political scientist",
        "University of Bath",
        "",
    )
    assert hall.specialty == "Russian affairs"
    assert [a.surname_only for a in putin.analysts] == [False, False, True]
    assert [a.line for a in putin.analysts] == [2, 5, 13]


def test_sample_surname_only_analyst_gets_a_warning(putin: WireCopy) -> None:
    warning = warning_about(putin, "'Hall' is known only by a surname")
    assert warning.line == 13
    assert "complete the name" in str(warning)
    assert str(warning).startswith("line 13: ")


def test_sample_kingston_cox_statements_include_the_later_surname_mention(
    putin: WireCopy,
) -> None:
    statements = putin.analysts[0].statements
    assert [s.line for s in statements] == [2, 13]
    assert statements[0].text.startswith("According to Will Kingston-Cox, a researcher")
    assert statements[0].text.endswith(
        "this sudden openness to negotiation is a significant shift in Putin's stance."
    )
    assert statements[1].text == (
        "Kingston-Cox argues that it could be a strategic move to divert attention away from "
        "Russia's military advances on the front line in eastern Ukraine."
    )
    assert [s.kind for s in statements] == ["paraphrase", "paraphrase"]


def test_sample_hawn_statement_is_the_notes_that_sentence(putin: WireCopy) -> None:
    (statement,) = putin.analysts[1].statements
    assert "notes that Putin has consistently refused" in statement.text
    assert statement.text.endswith('the leader of a "neo-Nazi regime."')
    # Quoted words reported with "notes that" are reported speech, not a quote.
    assert statement.kind == "paraphrase"
    assert statement.line == 5


def test_sample_shared_sentence_is_split_between_hall_and_kingston_cox(
    putin: WireCopy,
) -> None:
    (hall_statement,) = putin.analysts[2].statements
    assert hall_statement.text == (
        "Hall, a political scientist at the University of Bath specializing in Russian "
        "affairs, suggests that Putin might be seizing the opportunity to present himself "
        "as a peacemaker."
    )
    assert hall_statement.kind == "paraphrase"
    assert "Kingston-Cox" not in hall_statement.text
    assert "Hall" not in putin.analysts[0].statements[1].text


def test_sample_enrichment_mentions_create_no_statements(putin: WireCopy) -> None:
    texts = [s.text for a in putin.analysts for s in a.statements]
    assert not any("speculate" in t or "view it as a tactic" in t for t in texts)
    assert len(texts) == 4


def test_sample_overview_is_read_without_a_space_after_the_colon(putin: WireCopy) -> None:
    enrichment = putin.enrichment
    assert enrichment is not None
    assert enrichment.line == 16
    assert enrichment.overview_line == 17
    assert enrichment.overview.startswith("The reported U.S. proposal and the Ukrainian-European")
    assert enrichment.overview.endswith("resolving the Russia-Ukraine conflict:")


def test_sample_has_two_proposals_with_their_categories_and_terms(putin: WireCopy) -> None:
    assert putin.enrichment is not None
    trump, counter = putin.enrichment.proposals
    assert trump.title == "Trump Administration's Reported Proposal"
    assert trump.line == 18
    assert [(c.label, len(c.terms)) for c in trump.categories] == [
        ("Territorial concessions", 2),
        ("Framework", 2),
    ]
    assert trump.categories[0].terms[0] == (
        "De jure U.S. recognition of Crimea as Russian territory."
    )
    assert counter.title == "Ukrainian-European Counterproposal"
    assert [(c.label, len(c.terms)) for c in counter.categories] == [
        ("Security guarantees", 2),
        ("Sanctions and reparations", 2),
        ("Humanitarian", 1),
    ]
    assert counter.categories[2].terms == (
        "Return of deported Ukrainian children and implementation of prisoner exchanges.",
    )
    assert [c.line for c in counter.categories] == [26, 29, 32]


def test_sample_terms_and_key_points_have_no_bullets(putin: WireCopy) -> None:
    assert putin.enrichment is not None
    items = [t for p in putin.enrichment.proposals for c in p.categories for t in c.terms] + list(
        putin.enrichment.key_points
    )
    assert not any(t.startswith(("-", " ")) for t in items)


def test_sample_proposal_status_comes_from_the_title(putin: WireCopy) -> None:
    assert putin.enrichment is not None
    assert [p.status for p in putin.enrichment.proposals] == ["reported", "official"]


def test_sample_proposers_are_inferred_with_a_warning(putin: WireCopy) -> None:
    assert putin.enrichment is not None
    trump, counter = putin.enrichment.proposals
    assert trump.proposed_by == ("Trump Administration",)
    assert counter.proposed_by == ("Ukraine", "Europe")
    assert warning_about(putin, 'inferred who proposed "Trump').line == 18
    assert warning_about(putin, "inferred who proposed 'Ukrainian-European").line == 25


def test_sample_key_points_start_after_the_first_humanitarian_term(putin: WireCopy) -> None:
    assert putin.enrichment is not None
    key_points = putin.enrichment.key_points
    assert len(key_points) == 5
    assert key_points[0].startswith("The Trump administration's proposed conditions")
    assert key_points[4].startswith("The outcome of these peace talks remains uncertain")
    assert putin.enrichment.key_points_line == 34
    assert putin.enrichment.key_point_lines == (34, 35, 36, 37, 38)
    warning = warning_about(putin, "assumed the key points start here")
    assert warning.line == 34
    assert "'Humanitarian'" in warning.message


def test_sample_topics_are_inferred_from_the_last_key_point(putin: WireCopy) -> None:
    assert putin.topics == ("war-and-conflicts", "politics", "general-news")
    assert putin.enrichment is not None
    assert putin.enrichment.key_points[-1].endswith("setting traps for all involved.")
    assert "general-news" not in putin.enrichment.key_points[-1]
    assert warning_about(putin, "inferred the topics").line == 38


def test_sample_warnings_are_sorted_by_line(putin: WireCopy) -> None:
    assert [w.line for w in putin.warnings] == sorted(w.line for w in putin.warnings)
    assert len(putin.warnings) == 5


# --------------------------------------------------------------------------- input forms


def test_str_and_bytes_input_give_the_same_result(putin_bytes: bytes) -> None:
    assert parse_wire(putin_bytes.decode("utf-8")) == parse_wire(putin_bytes)


def test_bytearray_input_is_accepted(putin_bytes: bytes) -> None:
    assert parse_wire(bytearray(putin_bytes)) == parse_wire(putin_bytes)


def test_crlf_line_endings_and_bom_change_nothing(putin_bytes: bytes) -> None:
    crlf = b"\xef\xbb\xbf" + putin_bytes.replace(b"\n", b"\r\n")
    assert parse_wire(crlf) == parse_wire(putin_bytes)
    assert parse_wire(crlf.decode("utf-8")) == parse_wire(putin_bytes)


def test_blank_lines_are_ignored_but_counted(putin_bytes: bytes) -> None:
    spaced = parse_wire(putin_bytes.replace(b"\n", b"\n\n"))
    plain = parse_wire(putin_bytes)
    assert spaced.sections == tuple(
        s.__class__(
            heading=s.heading,
            paragraphs=s.paragraphs,
            line=2 * s.line - 1,
            paragraph_lines=tuple(2 * n - 1 for n in s.paragraph_lines),
        )
        for s in plain.sections
    )
    assert spaced.credit is not None and spaced.credit.line == 29


def test_language_argument_sets_the_copy_language(putin_bytes: bytes) -> None:
    copy = parse_wire(putin_bytes, language="de")
    assert copy.language == "de"
    assert copy.original_language == "fr"


def test_original_language_is_the_copy_language_without_a_credit() -> None:
    copy = parse_wire("Un titre\nUn paragraphe de tête.\n", language="fr")
    assert copy.credit is None
    assert (copy.language, copy.original_language) == ("fr", "fr")


def test_a_bad_language_argument_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_wire("Title\nLead.\n", language="not a language")


def test_non_text_input_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_wire(42)  # type: ignore[arg-type]


def test_wire_error_keeps_line_and_message_when_pickled() -> None:
    error = pickle.loads(pickle.dumps(WireError("boom", 12)))
    assert (error.line, error.message, str(error)) == (12, "boom", "line 12: boom")
    assert str(WireError("no line")) == "no line"
    assert isinstance(error, ValueError)


# --------------------------------------------------------------------------- malformed input


def test_empty_input_is_an_error_on_line_1() -> None:
    error = error_for(b"")
    assert error.line == 1
    assert "empty" in error.message


def test_whitespace_only_input_is_an_error_on_line_1() -> None:
    error = error_for(" \n\t\r\n  \n")
    assert error.line == 1
    assert "empty" in error.message


def test_nul_bytes_are_reported_as_binary_with_their_line() -> None:
    error = error_for(b"Title\nLead paragraph.\nmore\x00\x01 data\n")
    assert error.line == 3
    assert "binary" in error.message


def test_mostly_control_characters_are_reported_as_binary() -> None:
    error = error_for(bytes(range(1, 9)) * 200)
    assert error.line == 1
    assert "binary" in error.message


def test_invalid_utf8_names_the_line_of_the_first_bad_byte() -> None:
    error = error_for(b"Title\nLead paragraph.\nA heading\nCaf\xe9 society is \xff over.\n")
    assert error.line == 4
    assert "UTF-8" in error.message
    assert "0xe9" in error.message


def test_utf16_input_is_rejected_with_advice() -> None:
    error = error_for("Title\nLead.\n".encode("utf-16"))
    assert error.line == 1
    assert "UTF-16" in error.message


def test_input_over_the_size_limit_is_rejected_with_size_and_limit() -> None:
    error = error_for(b"a" * (MAX_WIRE_BYTES + 1))
    assert error.line is None
    assert "1,048,577 bytes" in error.message
    assert "1,048,576" in error.message
    assert str(error) == error.message


def test_str_input_over_the_limit_is_measured_in_utf8_bytes() -> None:
    # 600k two-byte characters are 1.2 MB of UTF-8 though only 600k characters.
    error = error_for("Title\n" + "é" * 600_000)
    assert "1,200,006 bytes" in error.message


def test_input_at_the_size_limit_is_accepted() -> None:
    lead = "x" * (MAX_WIRE_BYTES - len("Title\n") - 2) + "."
    assert parse_wire("Title\n" + lead + "\n").sections[0].paragraphs == (lead,)


def test_a_bullet_on_the_first_line_means_the_headline_is_missing() -> None:
    error = error_for("- Territorial concessions:\nLead paragraph.\n")
    assert error.line == 1
    assert "no headline" in error.message
    assert "bullet" in error.message


def test_a_paragraph_on_the_first_line_means_the_headline_is_missing(
    putin_bytes: bytes,
) -> None:
    without_title = putin_bytes.split(b"\n", 1)[1]
    error = error_for(without_title)
    assert error.line == 1
    assert "no headline" in error.message
    assert "paragraph" in error.message


def test_leading_blank_lines_move_the_headline_line() -> None:
    error = error_for("\n\nThe first real line is a sentence.\nLead.\n")
    assert error.line == 3
    copy = parse_wire("\n\nA headline\nThe lead paragraph.\n")
    assert (copy.title, copy.title_line) == ("A headline", 3)


def test_a_headline_without_body_is_an_error_on_the_next_line() -> None:
    error = error_for("Just a headline\n")
    assert error.line == 2
    assert "no body text" in error.message


def test_an_empty_enrichment_part_is_an_error_on_its_line(putin_bytes: bytes) -> None:
    body = putin_bytes.split(b"Enrichment Data:")[0]
    error = error_for(body + b"Enrichment Data:\n\n  \n")
    assert error.line == 16
    assert "'Enrichment Data:' part is empty" in error.message


def test_a_category_with_no_terms_is_an_error_on_its_line(putin_bytes: bytes) -> None:
    data = putin_bytes.replace(b"- Framework:\n", b"- Timeline:\n- Framework:\n")
    error = error_for(data)
    assert error.line == 22
    assert "category 'Timeline' has no terms" in error.message


def test_a_last_category_with_no_terms_before_key_points_is_an_error(
    putin_bytes: bytes,
) -> None:
    data = putin_bytes.replace(
        b"- Return of deported Ukrainian children and implementation of prisoner exchanges.\n",
        b"Key points:\n",
    )
    error = error_for(data)
    assert error.line == 32
    assert "'Humanitarian' has no terms" in error.message


def test_a_proposal_with_no_categories_is_an_error_on_its_line(putin_bytes: bytes) -> None:
    data = putin_bytes.replace(
        b"Ukrainian-European Counterproposal\n",
        b"Kremlin Position\nUkrainian-European Counterproposal\n",
    )
    error = error_for(data)
    assert error.line == 25
    assert "proposal 'Kremlin Position' has no categories" in error.message


def test_a_bullet_under_a_proposal_before_any_category_is_an_error(putin_bytes: bytes) -> None:
    data = putin_bytes.replace(
        b"Ukrainian-European Counterproposal\n",
        b"Ukrainian-European Counterproposal\n- A stray term.\n",
    )
    error = error_for(data)
    assert error.line == 26
    assert "before any category" in error.message


def test_an_unknown_language_in_the_credit_is_an_error_on_its_line(putin_bytes: bytes) -> None:
    error = error_for(putin_bytes.replace(b"in French by", b"in Klingon by"))
    assert error.line == 15
    assert "unknown language 'Klingon'" in error.message


def test_a_second_translation_credit_is_an_error(putin_bytes: bytes) -> None:
    credit = b"This article was translated from the original in French by Lara Bullens.\n"
    error = error_for(putin_bytes.replace(credit, credit + credit))
    assert error.line == 16
    assert "second translation credit" in error.message


def test_a_sentence_where_a_proposal_title_belongs_is_an_error(putin_bytes: bytes) -> None:
    data = putin_bytes.replace(
        b"Ukrainian-European Counterproposal\n",
        b"Ukrainian-European Counterproposal\n"
        b"- Security guarantees:\n- A term.\n"
        b"This long line reads like an ordinary paragraph rather than a title.\n",
    )
    error = error_for(data)
    assert error.line == 28
    assert "expected a proposal title" in error.message


# --------------------------------------------------------------------------- explicit forms


MINIMAL = """\
Ceasefire talks resume in Doha
Negotiators returned to Doha on Monday for a new round of talks.
Enrichment Data:
Overall: Both sides say they want a deal.
Qatari Mediation Proposal
- Ceasefire:
- A six-week pause in fighting.
- Hostages:
- Release of all hostages in three phases.
{between}- Aid deliveries have doubled since the last truce.
- Both delegations are expected to stay in Doha for at least a week.
{after}"""


def test_an_explicit_key_points_header_removes_the_ambiguity() -> None:
    copy = parse_wire(MINIMAL.format(between="KEY POINTS:\n", after=""))
    assert copy.enrichment is not None
    assert copy.enrichment.proposals[0].categories[1].terms == (
        "Release of all hostages in three phases.",
    )
    assert len(copy.enrichment.key_points) == 2
    assert copy.enrichment.key_points_line == 10
    assert not any("assumed the key points" in w.message for w in copy.warnings)


def test_without_a_header_the_key_points_start_at_the_first_full_sentence() -> None:
    copy = parse_wire(MINIMAL.format(between="", after=""))
    assert copy.enrichment is not None
    assert copy.enrichment.key_points == (
        "Aid deliveries have doubled since the last truce.",
        "Both delegations are expected to stay in Doha for at least a week.",
    )
    assert warning_about(copy, "assumed the key points start here").line == 10


def test_an_explicit_topics_line_gives_slugs_and_no_warning() -> None:
    copy = parse_wire(
        MINIMAL.format(between="Key points:\n", after="Topics: Middle East, war-and-conflicts\n")
    )
    assert copy.topics == ("middle-east", "war-and-conflicts")
    assert not any("inferred the topics" in w.message for w in copy.warnings)


def test_an_explicit_topics_line_works_without_enrichment() -> None:
    copy = parse_wire("A headline\nThe lead paragraph.\nTopics: politics, europe\n")
    assert copy.topics == ("politics", "europe")
    assert copy.enrichment is None
    assert copy.sections[0].paragraphs == ("The lead paragraph.",)


def test_an_empty_topics_line_is_an_error() -> None:
    error = error_for("A headline\nThe lead paragraph.\nTopics:\n")
    assert error.line == 3
    assert "no topics" in error.message


def test_ordinary_last_key_points_give_no_topics() -> None:
    copy = parse_wire(MINIMAL.format(between="Key points:\n", after=""))
    assert copy.topics == ()
    assert copy.enrichment is not None
    assert copy.enrichment.key_points[-1].endswith("for at least a week.")


def test_an_explicit_proposed_by_line_is_used_without_a_warning() -> None:
    data = MINIMAL.format(between="Key points:\n", after="").replace(
        "Qatari Mediation Proposal\n", "Qatari Mediation Proposal\nProposed by: Qatar, Egypt\n"
    )
    copy = parse_wire(data)
    assert copy.enrichment is not None
    assert copy.enrichment.proposals[0].proposed_by == ("Qatar", "Egypt")
    assert not any("proposed" in w.message for w in copy.warnings)


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ("Leaked Kremlin Proposal", "reported"),
        ("Washington's Final Offer", "final_offer"),
        ("Rejected Hamas Counterproposal", "rejected"),
        ("Egyptian Framework", "official"),
    ],
)
def test_proposal_status_follows_the_title_wording(title: str, status: str) -> None:
    data = MINIMAL.format(between="Key points:\n", after="").replace(
        "Qatari Mediation Proposal", title
    )
    copy = parse_wire(data)
    assert copy.enrichment is not None
    assert copy.enrichment.proposals[0].status == status


def test_a_quote_attributed_with_said_is_a_quote_and_for_x_is_an_assessment() -> None:
    copy = parse_wire(
        "Talks resume\n"
        "Anna Berg, an analyst at the Nordic Policy Centre in Oslo, has followed the talks. "
        '"This is the last chance for a deal this year," Berg said.\n'
        "For Berg, the timing matters more than the venue.\n"
    )
    (analyst,) = copy.analysts
    assert [s.kind for s in analyst.statements] == ["assessment", "quote", "assessment"]
    assert analyst.place == "Oslo"


def test_a_mention_after_another_capitalised_word_is_not_the_analyst() -> None:
    copy = parse_wire(
        "Talks resume\n"
        "Hall, a historian at the University of Leeds, says the talks are doomed.\n"
        "Protesters gathered outside City Hall on Monday.\n"
    )
    (hall,) = copy.analysts
    assert len(hall.statements) == 1


def test_a_thing_introduced_like_a_person_is_not_an_analyst() -> None:
    copy = parse_wire(
        "Talks resume\n"
        "Moldova, a country of 2.5 million people at the edge of the war, is nervous.\n"
    )
    assert copy.analysts == ()


def test_a_short_line_at_the_end_of_the_body_stays_a_paragraph_with_a_warning() -> None:
    copy = parse_wire("A headline\nThe lead paragraph.\nReporting by Reuters\n")
    assert copy.sections[0].paragraphs == ("The lead paragraph.", "Reporting by Reuters")
    assert len(copy.sections) == 1
    assert warning_about(copy, "kept as a paragraph").line == 3


# --------------------------------------------------------------------------- our samples


def test_sahel_sample_has_two_sections_after_the_lead_and_a_spanish_credit() -> None:
    copy = parse_sample("wire-sahel-mediation.txt")
    assert copy.title == "Can Algeria's quiet mediation revive the stalled Sahel ceasefire talks?"
    assert [s.heading for s in copy.sections] == [
        "",
        "A crowded field of mediators",
        "What a deal would need",
    ]
    assert [len(s.paragraphs) for s in copy.sections] == [1, 4, 3]
    assert copy.credit is not None
    assert (copy.credit.translator, copy.credit.from_language) == ("Daniel Ferrer", "es")
    assert copy.original_language == "es"


def test_sahel_sample_has_four_analysts_one_known_by_surname() -> None:
    copy = parse_sample("wire-sahel-mediation.txt")
    assert [(a.name, a.role, a.institution, a.place, a.surname_only) for a in copy.analysts] == [
        ("Inés Carrasco", "senior fellow", "Elcano Royal Institute", "Madrid", False),
        ("Oumar Sangaré", "conflict researcher", "Sahel Security Observatory", "Bamako", False),
        (
            "Hélène Marchetti",
            "professor of international relations",
            "Sciences Po",
            "",
            False,
        ),
        ("Traoré", "political analyst", "University of Bamako", "", True),
    ]
    kinds = {a.name: [s.kind for s in a.statements] for a in copy.analysts}
    assert kinds == {
        "Inés Carrasco": ["paraphrase", "assessment"],
        "Oumar Sangaré": ["paraphrase", "paraphrase"],
        "Hélène Marchetti": ["paraphrase", "paraphrase"],
        "Traoré": ["quote"],
    }
    # "Sangaré notes that X, while Marchetti argues that Y" is split between the two.
    assert copy.analysts[1].statements[1].text.endswith("verified on the ground.")
    assert copy.analysts[2].statements[1].text == (
        "Marchetti argues that the real test will be whether Bamako accepts observers at all."
    )
    assert warning_about(copy, "'Traoré' is known only by a surname").line == 6


def test_sahel_sample_has_three_proposals_explicit_key_points_and_topics() -> None:
    copy = parse_sample("wire-sahel-mediation.txt")
    enrichment = copy.enrichment
    assert enrichment is not None
    assert enrichment.overview.startswith("Three competing plans")
    summary = [
        (p.title, p.proposed_by, p.status, [(c.label, len(c.terms)) for c in p.categories])
        for p in enrichment.proposals
    ]
    assert summary == [
        (
            "Algerian Mediation Proposal",
            ("Algeria",),
            "official",
            [("Ceasefire", 2), ("Governance", 2)],
        ),
        ("ECOWAS Reported Roadmap", ("ECOWAS",), "reported", [("Ceasefire", 1), ("Sanctions", 2)]),
        (
            "Alliance of Sahel States' Rejected Counterproposal",
            ("Mali", "Burkina Faso", "Niger"),
            "rejected",
            [("Governance", 2), ("Security", 1)],
        ),
    ]
    assert len(enrichment.key_points) == 4
    assert enrichment.key_points_line == 35
    assert copy.topics == ("war-and-conflicts", "diplomacy", "africa")
    messages = [w.message for w in copy.warnings]
    assert not any("assumed the key points" in m or "inferred the topics" in m for m in messages)
    # The explicit "Proposed by:" line leaves only the two inferred proposers to check.
    assert sum("inferred who proposed" in m for m in messages) == 2


def test_taiwan_sample_has_no_enrichment_and_no_credit() -> None:
    copy = parse_sample("wire-taiwan-strait-shipping.txt")
    assert copy.title == "Why are shipowners quietly rerouting around the Taiwan Strait?"
    assert copy.enrichment is None
    assert copy.credit is None
    assert copy.original_language == "en"
    assert copy.topics == ()
    assert [s.heading for s in copy.sections] == [
        "",
        "Drills and uncertainty",
        "Costs passed along the chain",
        "A test of nerves",
    ]
    assert [len(s.paragraphs) for s in copy.sections] == [1, 3, 3, 3]
    assert [(a.name, a.institution, a.place) for a in copy.analysts] == [
        ("Daniel Okafor", "Meridian Maritime Intelligence", "London"),
        ("Mei-ling Hsu", "Taiwan Strategy Forum", "Taipei"),
        ("Richard Almeida", "University of Southampton", ""),
    ]
    assert [[s.kind for s in a.statements] for a in copy.analysts] == [
        ["paraphrase", "quote"],
        ["paraphrase", "paraphrase"],
        ["paraphrase", "assessment"],
    ]
    assert copy.warnings == ()


def test_red_sea_sample_has_one_proposal_and_inferred_topics() -> None:
    copy = parse_sample("wire-red-sea-insurance.txt")
    assert copy.credit is None
    assert copy.original_language == "en"
    assert [s.heading for s in copy.sections] == [
        "",
        "A costly detour",
        "How the pool would work",
        "An uncertain return",
    ]
    assert [a.name for a in copy.analysts] == ["Sarah Lindqvist", "Tomás Ferreira"]
    assert [s.kind for s in copy.analysts[0].statements] == ["paraphrase", "quote", "assessment"]
    enrichment = copy.enrichment
    assert enrichment is not None
    assert enrichment.overview.startswith("Insurers are betting")
    (proposal,) = enrichment.proposals
    assert (proposal.title, proposal.status, proposal.proposed_by) == (
        "Reported London Market Pool Proposal",
        "reported",
        ("London Market Pool",),
    )
    assert [(c.label, len(c.terms)) for c in proposal.categories] == [
        ("Premiums", 2),
        ("Naval coordination", 1),
        ("Cost sharing", 1),
    ]
    assert len(enrichment.key_points) == 4
    assert enrichment.key_points[-1].endswith("face even higher rates.")
    assert copy.topics == ("business-and-economy", "shipping", "world-news")
    assert warning_about(copy, "assumed the key points start here").line == 23


def test_arctic_sample_has_six_sections_two_analysts_and_two_proposals() -> None:
    copy = parse_sample("wire-arctic-council.txt")
    assert copy.credit is not None
    assert (copy.credit.translator, copy.credit.from_language) == ("Marco Bellini", "it")
    assert [s.heading for s in copy.sections] == [
        "",
        "A forum built on consensus",
        "Science on hold",
        "Competing blueprints",
        "The view from the north",
        "What comes next",
    ]
    assert [(a.name, a.role, a.institution, a.place) for a in copy.analysts] == [
        ("Giulia Ferrandi", "polar governance researcher", "University of Trieste", ""),
        ("Lars Øvergaard", "senior analyst", "Fridtjof Nansen Institute", "Lysaker"),
    ]
    assert [len(a.statements) for a in copy.analysts] == [2, 2]
    enrichment = copy.enrichment
    assert enrichment is not None
    assert [(p.title, p.proposed_by, p.status) for p in enrichment.proposals] == [
        ("Norwegian-Danish Joint Proposal", ("Norway", "Denmark"), "official"),
        ("Russia's Reported Counterproposal", ("Russia",), "reported"),
    ]
    # "Conditions" keeps its two noun-phrase terms; "cannot" starts the key points.
    assert enrichment.proposals[1].categories[1].terms == (
        "Lifting of the suspension without preconditions.",
        "Exclusion of the war in Ukraine from the council's agenda.",
    )
    assert len(enrichment.key_points) == 3
    assert copy.topics == ()


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("wire-*.txt")), ids=lambda p: p.name)
def test_every_sample_is_long_enough_and_every_analyst_has_a_statement(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").split()) >= 350
    copy = parse_wire(path.read_bytes())
    assert copy.analysts
    assert all(a.statements for a in copy.analysts)
    assert all(
        s.kind in {"quote", "paraphrase", "assessment"} for a in copy.analysts for s in a.statements
    )


# --------------------------------------------------------------------------- property

_SAMPLE_LINES = sorted(
    {line for path in SAMPLES.glob("wire-*.txt") for line in path.read_text().splitlines()}
)
_ODD = ["\u200f", "\u200b", "\u00a0", "\u201c", "\t", "\r", "\x00", "\ufeff", "\u2028", "\x85"]
_MARKERS = ["Enrichment Data:", "Overall:", "Key points:", "Topics: a, b", "Proposed by: X"]
_wire_lines = st.one_of(
    st.sampled_from(_SAMPLE_LINES),
    st.sampled_from(_MARKERS + ["", "- A label:", "- a term", "-", "- "]),
    st.text(max_size=60),
    st.lists(st.sampled_from(_ODD), max_size=3).map("".join),
)
_wire_text = st.lists(_wire_lines, max_size=30).map(lambda lines: "\n".join(lines))


@settings(max_examples=500, derandomize=True, deadline=None, database=None)
@given(data=st.one_of(_wire_text, st.text(), st.binary(max_size=300)))
def test_any_input_parses_or_raises_a_wire_error_naming_a_line(data: str | bytes) -> None:
    try:
        copy = parse_wire(data)
    except WireError as exc:
        assert exc.line is None or exc.line >= 1
        assert "\n" not in str(exc)
    else:
        assert isinstance(copy, WireCopy)
        assert copy.title and copy.sections

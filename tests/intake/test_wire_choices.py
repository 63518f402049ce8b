"""The parser's scored decisions on unseen copy, and the shapes the corpus brought in:
where the key points start, which analyst a shared surname is, credits, bylines,
datelines, analysts without an institution. Pure parsing, no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.intake.wire import WireCopy, WireError, parse_wire

CORPUS = Path(__file__).resolve().parents[2] / "articles" / "samples" / "corpus"

# The case: the key points follow the last proposal's terms without a header,
# and the first key point is a long sentence comparing both parties with no verb the
# old rule knew ("wants", "demands").
NO_HEADER = "\n".join(
    [
        "Will the border talks survive the winter?",
        "Talks between the two governments resumed in Geneva on Monday. Ana Lima, a researcher "
        "at the Institute for Border Studies in Lisbon, says that neither side expects a deal.",
        "Enrichment Data:",
        "Overall: The two plans differ on sequencing.",
        "Northern Plan",
        "Proposed by: Northland",
        "- Sequencing:",
        "- Withdrawal of troops before any vote on the border.",
        "Southern Plan",
        "Proposed by: Southland",
        "- Sequencing:",
        "- A referendum in the disputed districts within a year.",
        "- Northland wants troops withdrawn before any vote, while Southland demands a "
        "referendum first and international monitors on both sides of the line during the "
        "campaign.",
        "- Neither government has accepted the other's timetable.",
        "- Monitors from the OSCE could oversee a future vote.",
    ]
)


def lines_of(copy: WireCopy, text: str) -> int:
    return next(no for no, line in enumerate(NO_HEADER.splitlines(), 1) if line.startswith(text))


def test_a_long_first_key_point_comparing_both_parties_is_not_taken_for_a_term() -> None:
    copy = parse_wire(NO_HEADER)
    southern = copy.enrichment.proposals[1]
    assert [c.terms for c in southern.categories] == [
        ("A referendum in the disputed districts within a year.",)
    ]
    assert copy.enrichment.key_points[0].startswith("Northland wants troops withdrawn")
    assert len(copy.enrichment.key_points) == 3


def test_the_key_points_decision_keeps_the_runner_up_with_its_score() -> None:
    copy = parse_wire(NO_HEADER)
    (choice,) = copy.choices
    first_key_point = lines_of(copy, "- Northland wants")
    assert choice.key == "key-points"
    assert choice.chosen == str(first_key_point)
    assert choice.best.value == str(first_key_point)
    assert choice.runner_up is not None and choice.runner_up.score < choice.best.score
    assert {o.value for o in choice.options} == {
        str(first_key_point),
        str(first_key_point + 1),
        str(first_key_point + 2),
        "none",
    }
    warning = next(w for w in copy.warnings if w.key == "key-points")
    assert warning.line == first_key_point
    assert f"score {choice.best.score:.2f}" in warning.message
    assert f"runner-up: line {choice.runner_up.value}" in warning.message


def test_an_editor_can_put_the_key_points_elsewhere() -> None:
    later = lines_of(parse_wire(NO_HEADER), "- Neither government")
    copy = parse_wire(NO_HEADER, choices={"key-points": str(later)})
    terms = copy.enrichment.proposals[1].categories[0].terms
    assert len(terms) == 2 and terms[1].startswith("Northland wants")
    assert copy.enrichment.key_points[0].startswith("Neither government")
    assert copy.choices[0].explicit
    assert "as chosen" in next(w.message for w in copy.warnings if w.key == "key-points")


def test_choosing_no_key_points_makes_every_bullet_a_term() -> None:
    copy = parse_wire(NO_HEADER, choices={"key-points": "none"})
    assert copy.enrichment.key_points == ()
    assert len(copy.enrichment.proposals[1].categories[0].terms) == 4
    assert any("has no key points" in w.message and w.key == "key-points" for w in copy.warnings)


def test_a_choice_that_is_not_an_option_is_an_error_naming_the_line() -> None:
    with pytest.raises(WireError) as info:
        parse_wire(NO_HEADER, choices={"key-points": "2"})
    assert info.value.line == lines_of(parse_wire(NO_HEADER), "- A referendum") + 1
    assert "not one of its options" in str(info.value)


def test_terms_written_as_full_sentences_stay_terms() -> None:
    copy = parse_wire((CORPUS / "wire-armenia-azerbaijan-transit.txt").read_bytes())
    management = copy.enrichment.proposals[2].categories[0]
    assert management.terms == (
        "A private operator would run the route under a long-term lease.",
        "Armenian law would apply, but border checks would use remote screening technology.",
    )
    assert copy.enrichment.key_points[0].startswith("Yerevan and Baku both accept")


def test_a_header_leaves_nothing_to_choose() -> None:
    copy = parse_wire((CORPUS / "wire-sudan-adre-crossing.txt").read_bytes())  # "Key takeaways:"
    assert copy.choices == ()
    assert len(copy.enrichment.key_points) == 3


# --------------------------------------------------------------------------- surnames


def test_a_surname_two_analysts_share_is_scored_sentence_by_sentence() -> None:
    copy = parse_wire((CORPUS / "wire-romania-energy-price-cap.txt").read_bytes())
    ileana, mihai = copy.analysts
    # Right after Mihai Voicu's introduction, "Voicu" on elections is him; later
    # "Voicu" on subsidies and costs, after a paragraph about economists, is the economist.
    assert [s.line for s in mihai.statements] == [5, 6]
    assert [s.line for s in ileana.statements] == [2, 9]
    by_key = {c.key: c for c in copy.choices}
    assert by_key["voicu@6"].chosen == "mihai-voicu"
    assert by_key["voicu@9"].chosen == "ileana-voicu"
    assert by_key["voicu@9"].runner_up.value == "mihai-voicu"
    assert "'Voicu' could be" in next(w.message for w in copy.warnings if w.key == "voicu@9")


def test_an_editor_can_say_which_namesake_a_surname_is() -> None:
    data = (CORPUS / "wire-romania-energy-price-cap.txt").read_bytes()
    copy = parse_wire(data, choices={"voicu@9": "mihai-voicu"})
    ileana, mihai = copy.analysts
    assert [s.line for s in mihai.statements] == [5, 6, 9]
    assert [s.line for s in ileana.statements] == [2]


def test_a_surname_before_the_namesake_is_introduced_is_the_first_analyst() -> None:
    copy = parse_wire(
        "Who pays for the bridge?\n"
        "Ana Costa, an economist at the Bank of Portugal, says the bridge will cost more.\n"
        "Costa notes that tolls would cover a third of it.\n"
        "Rui Costa, a historian at the University of Porto, argues it was always political.\n"
    )
    ana, rui = copy.analysts
    assert [s.line for s in ana.statements] == [2, 3]
    assert [s.line for s in rui.statements] == [4]
    assert copy.choices == ()


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    ("credit", "translator", "language"),
    [
        ("Translated from the Spanish by Ana Ruiz.", "Ana Ruiz", "es"),
        ("Translated from the original in French by J.-P. Roux.", "J.-P. Roux", "fr"),
        ("Translated from Romanian by Andrei Popa.", "Andrei Popa", "ro"),
        ("Translated by Ayşe Demir from the Turkish original.", "Ayşe Demir", "tr"),
        ("(Translated from Arabic by Layla Haddad)", "Layla Haddad", "ar"),
        ("Translation from Russian: Olga Ivanova", "Olga Ivanova", "ru"),
        ("Traducido del alemán por Jan Kühn.", "Jan Kühn", "de"),
        ("Aus dem Englischen übersetzt von Jonas Weber.", "Jonas Weber", "en"),
    ],
)  # fmt: skip
def test_translation_credits_in_several_wordings_and_languages(credit, translator, language):
    copy = parse_wire(f"A headline\nA first paragraph of the story.\n{credit}\n", language="fr")
    assert (copy.credit.translator, copy.credit.from_language) == (translator, language)
    assert copy.original_language == language
    assert all(credit not in p for s in copy.sections for p in s.paragraphs)


def test_a_french_copy_with_a_french_credit_and_french_analysts() -> None:
    copy = parse_wire((CORPUS / "wire-senegal-fisheries-accord.txt").read_bytes(), language="fr")
    assert (copy.language, copy.original_language, copy.credit.translator) == (
        "fr",
        "en",
        "Claire Martin",
    )
    ndiaye, diop = copy.analysts
    assert (ndiaye.role, ndiaye.institution, ndiaye.place) == (
        "chercheuse",
        "Institut sénégalais de recherches agricoles",
        "Dakar",
    )
    assert [s.kind for s in diop.statements] == ["paraphrase", "paraphrase", "quote"]


def test_an_unknown_credit_language_is_still_an_error() -> None:
    with pytest.raises(WireError, match="unknown language 'Klingon'") as info:
        parse_wire("A headline\nA paragraph.\nTranslated from the Klingon by Worf.\n")
    assert info.value.line == 3


def test_a_byline_line_is_taken_out_of_the_text_and_a_dateline_is_recognised() -> None:
    copy = parse_wire((CORPUS / "wire-kenya-drought-insurance.txt").read_bytes())
    assert copy.byline == "Wanjiru Kamau"
    assert copy.dateline == "NAIROBI, March 4 (Reuters)"
    lead = copy.sections[0].paragraphs[0]
    assert lead.startswith("NAIROBI, March 4 (Reuters) - Livestock keepers")  # as printed
    assert not any("Wanjiru" in p for s in copy.sections for p in s.paragraphs)


@pytest.mark.parametrize(
    "line", ["By 2030, the ministry expects to finish.", "By the end of the year nothing changed."]
)
def test_a_paragraph_opening_with_by_is_not_a_byline(line: str) -> None:
    copy = parse_wire(f"A headline\n{line}\nAnother paragraph follows here.\n")
    assert copy.byline == ""
    assert copy.sections[0].paragraphs[0] == line


def test_analysts_without_an_institution() -> None:
    kenya = parse_wire((CORPUS / "wire-kenya-drought-insurance.txt").read_bytes())
    mwangi = kenya.analysts[0]
    assert (mwangi.name, mwangi.role, mwangi.institution) == (
        "Peter Mwangi",
        "independent agricultural economist",
        "",
    )
    somalia = parse_wire((CORPUS / "wire-somalia-berbera-port.txt").read_bytes())
    hersi = somalia.analysts[0]
    assert (hersi.role, hersi.institution, hersi.place) == (
        "independent security analyst",
        "",
        "Nairobi",
    )


def test_a_role_without_an_article_and_an_institution_based_somewhere() -> None:
    moldova = parse_wire((CORPUS / "wire-moldova-transnistria-gas.txt").read_bytes())
    assert (moldova.analysts[0].role, moldova.analysts[0].institution) == (
        "director",
        "Institute for Strategic Initiatives",
    )
    rohingya = parse_wire((CORPUS / "wire-rohingya-repatriation.txt").read_bytes())
    kyaw = rohingya.analysts[1]
    assert (kyaw.institution, kyaw.place) == ("Institute for Strategy and Policy", "Yangon")


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukraine, a country of 38 million people, says it will not give up land.",
        "Moscow, capital of Russia, has not answered.",
        "Emmanuel Macron, president of France, met the envoy.",
    ],
)
def test_appositions_that_are_not_analysts(sentence: str) -> None:
    copy = parse_wire(f"A headline\n{sentence}\n")
    assert copy.analysts == ()


# --------------------------------------------------------------------------- property


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(sorted(p.name for p in CORPUS.glob("*.txt"))),
    data=st.data(),
)
def test_any_option_of_any_choice_parses(sample: str, data) -> None:
    raw = (CORPUS / sample).read_bytes()
    language = "fr" if "senegal" in sample else "en"
    copy = parse_wire(raw, language=language)
    picks = {}
    for choice in copy.choices:
        picks[choice.key] = data.draw(st.sampled_from(choice.values))
    again = parse_wire(raw, language=language, choices=picks)
    for choice in again.choices:
        if choice.key in picks:
            assert choice.chosen == picks[choice.key]
    # Nothing is lost: every bullet is a term or a key point whatever was chosen.
    if copy.enrichment:

        def bullets(c: WireCopy) -> int:
            return len(c.enrichment.key_points) + sum(
                len(cat.terms) for p in c.enrichment.proposals for cat in p.categories
            )

        assert bullets(again) == bullets(copy)

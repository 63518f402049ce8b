"""The agency formats (ninjs, NITF, NewsML-G2): detected from the content, their fields
mapped like plain copy, read safely; bad input is one WireError naming the line or field.
Pure parsing, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.intake.formats import detect_format, read_copy
from articles.intake.wire import WireCopy, WireError

CORPUS = Path(__file__).resolve().parents[2] / "articles" / "samples" / "corpus"


def sample(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def error_for(data: bytes | str, language: str | None = "en") -> WireError:
    with pytest.raises(WireError) as info:
        read_copy(data, language=language)
    return info.value


def body(copy: WireCopy) -> list[str]:
    return [p for s in copy.sections for p in s.paragraphs]


MINIMAL_NINJS = {
    "uri": "urn:example:1",
    "headlines": [{"role": "main", "value": "A headline"}],
    "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>A paragraph.</p>"}],
}


# --------------------------------------------------------------------------- samples


def test_the_format_is_detected_from_the_content() -> None:
    assert detect_format('\ufeff  {"uri": 1}') == "json"
    assert detect_format("\n<?xml version='1.0'?><nitf/>") == "xml"
    assert detect_format("A headline\nA paragraph.") == "text"
    assert read_copy(sample("ninjs2-zambia-debt-copper.json")).source_format == "ninjs"
    assert read_copy(sample("nitf-indonesia-nickel-exports.xml")).source_format == "nitf"
    assert read_copy(sample("newsml-panama-canal-water.xml")).source_format == "newsml"


def test_ninjs_2_fields_map_to_the_copy() -> None:
    copy = read_copy(sample("ninjs2-zambia-debt-copper.json"))
    assert copy.title == "Can Zambia's debt deal survive the copper slump?"
    assert copy.title_line == 12  # the line of the headline in the JSON file
    assert (copy.byline, copy.dateline, copy.topics) == (
        "Mwansa Phiri",
        "LUSAKA",
        ("economy", "africa"),
    )
    # <h1> repeating the headline is dropped; <h2> are the headings.
    assert [s.heading for s in copy.sections] == [
        "",
        "A clause meant for good times",
        "Creditors wait",
    ]
    assert [a.name for a in copy.analysts] == ["Chanda Mulenga", "Thomas Becker"]
    # The enrichment in the HTML body (<p> and <li>) goes through the same heuristics.
    (proposal,) = copy.enrichment.proposals
    assert proposal.proposed_by == ("Zambia",)
    assert [c.label for c in proposal.categories] == ["Payments", "Timing"]
    assert len(copy.enrichment.key_points) == 3


def test_ninjs_3_camel_case_fields_and_a_credit_in_the_body() -> None:
    copy = read_copy(sample("ninjs3-cyprus-crossings.json"))
    assert copy.language == "en"  # "en-GB"
    assert copy.original_language == "el"
    assert copy.credit.translator == "Nikos Pappas"
    assert copy.topics == ("diplomacy", "europe")  # a subject's name, else its literal
    assert not any("Translated" in p for p in body(copy))


def test_nitf_fields_map_to_the_copy() -> None:
    copy = read_copy(sample("nitf-indonesia-nickel-exports.xml"))
    assert copy.title == "Indonesia's nickel export ban faces a test at the WTO"
    assert (copy.byline, copy.dateline) == ("Dewi Lestari", "JAKARTA, April 17")
    assert copy.topics == ("trade", "asia")
    assert [(s.heading, s.line) for s in copy.sections] == [
        ("", 24),
        ("Smelters instead of ore", 25),
        ("Costs on the ground", 28),
    ]
    assert copy.credit.from_language == "id"  # from <body.end><tagline>
    assert [a.name for a in copy.analysts] == ["Budi Santoso", "Sophie Laurent"]


def test_newsml_fields_map_to_the_copy() -> None:
    copy = read_copy(sample("newsml-panama-canal-water.xml"))
    assert copy.title == "Will a new reservoir secure the Panama Canal's water?"
    assert (copy.byline, copy.dateline) == ("Lucía Batista", "PANAMA CITY, Aug. 22")
    assert copy.topics == ("shipping", "environment")  # the subject with only a qcode is skipped
    assert [s.heading for s in copy.sections][1:] == [
        "Villages in the flood zone",
        "Paying for the reservoir",
    ]
    assert copy.enrichment.proposals[0].proposed_by == ("Panama Canal Authority",)
    assert any(c.key == "key-points" for c in copy.choices)


def test_a_declared_language_wins_and_says_so_when_it_differs() -> None:
    item = {**MINIMAL_NINJS, "language": "fr"}
    copy = read_copy(json.dumps(item), language="en")
    assert copy.language == "fr"
    assert any("says it is in 'fr'" in w.message for w in copy.warnings)
    assert not read_copy(json.dumps(item), language=None).warnings


def test_a_plain_text_ninjs_body_is_read_like_plain_copy() -> None:
    item = {
        **MINIMAL_NINJS,
        "bodies": [
            {
                "contenttype": "text/plain",
                "value": "A lead paragraph.\nA heading\nA paragraph under it.\n"
                "Translated from the Spanish by Ana Ruiz.",
            }
        ],
    }
    copy = read_copy(json.dumps(item, indent=1))
    assert [s.heading for s in copy.sections] == ["", "A heading"]
    assert copy.credit.translator == "Ana Ruiz"


def test_ninjs_1_body_html_is_read_too() -> None:
    item = {
        "uri": "urn:x",
        "headline": "Old style",
        "body_html": "<p>One.</p><h2>Two</h2><p>Three.</p>",
    }
    copy = read_copy(json.dumps(item))
    assert [s.heading for s in copy.sections] == ["", "Two"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"headline": "x"}', "field 'uri' is missing"),
        ("[1, 2, 3]", "the top level must be an object"),
        ('{"uri": "urn:x", "type": "picture"}', "ninjs field 'type' is 'picture'"),
        ('{"uri": "urn:x", "bodies": []}', "without a headline"),
        ('{"uri": "urn:x", "headlines": [{"value": "A title"}]}', "without a body"),
        ('{"uri": "urn:x", "by": 12, "headline": "T", "body_text": "B."}', "field 'by' must be"),
        ('{"uri": "urn:x",\n "headline": "T",\n "body_text": }', "not valid JSON"),
    ],
)
def test_json_that_is_not_ninjs_is_one_error_naming_the_field(data: str, message: str) -> None:
    error = error_for(data)
    assert message in str(error)
    assert error.line is not None
    assert "\n" not in str(error)


def test_invalid_json_names_its_line() -> None:
    assert error_for('{"uri": "urn:x",\n "headline": "T",\n "body_text": }').line == 3


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nitf><body><body.head><hedline><hl1>&lol3;</hl1></hedline></body.head></body></nitf>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE nitf [
<!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<nitf><body><body.head><hedline><hl1>Title</hl1></hedline></body.head>
<body.content><p>&secret;</p></body.content></body></nitf>
"""


def test_an_xml_bomb_is_refused_naming_the_line_of_the_entities() -> None:
    error = error_for(BOMB)
    assert error.line == 3
    assert "entity expansion is off" in str(error)


def test_an_external_entity_is_refused_and_never_read() -> None:
    error = error_for(EXTERNAL)
    assert error.line == 3
    assert "file:///etc/passwd" in str(error)
    assert "root:" not in str(error)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        ("<nitf>\n<body>\n<p>unclosed</body></nitf>", "not well-formed XML", 3),
        ("<rss><channel/></rss>", "root element is <rss>", 1),
        ("<nitf><head/></nitf>", "NITF document without <body>", 1),
        (
            "<nitf><body><body.head><hedline><hl1>T</hl1></hedline></body.head></body></nitf>",
            "without <body.content>",
            1,
        ),
        (
            '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
            "<newsItem/><newsItem/></itemSet></newsMessage>",
            "a newsMessage with 2 newsItems",
            1,
        ),
        (
            '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">\n<itemMeta>'
            '<itemClass qcode="ninat:picture"/></itemMeta></newsItem>',
            "the newsItem is a picture item",
            2,
        ),
        (
            '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta>'
            "<headline>T</headline></contentMeta><contentSet/></newsItem>",
            "without a text body",
            1,
        ),
    ],
)
def test_xml_that_cannot_be_read_is_one_error_naming_the_line(data, message, line) -> None:
    error = error_for(data)
    assert message in str(error)
    assert error.line == line


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary",
        "\ufeff{".encode("utf-16"),
        b'{"uri": "x", "headline": "caf\xe9"}',  # Latin-1, not UTF-8
        b"<nitf>\xff\xfe</nitf>",
    ],
)
def test_binary_and_wrong_encodings_are_one_error(data: bytes) -> None:
    error = error_for(data)
    assert "\n" not in str(error) and error.line is not None


# --------------------------------------------------------------------------- property

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_ninjs_like = st.fixed_dictionaries(
    {},
    optional={
        "uri": st.text(max_size=10),
        "type": st.sampled_from(["text", "picture", ""]),
        "headlines": st.lists(st.fixed_dictionaries({"value": st.text(max_size=40)}), max_size=2),
        "headline": _json_values,
        "bodies": st.lists(
            st.fixed_dictionaries(
                {
                    "value": st.text(max_size=200)
                    | st.just("<p>A.</p><h2>B</h2><ul><li>C</li></ul>")
                },
                optional={"contenttype": st.sampled_from(["text/html", "text/plain", "x"])},
            ),
            max_size=2,
        ),
        "language": st.sampled_from(["en", "fr", "en-GB", "xx-yy-zz", "", "1"]),
        "subjects": _json_values,
        "by": _json_values,
        "located": _json_values,
    },
)
_xmlish = st.lists(
    st.sampled_from(
        ["<nitf>", "</nitf>", "<body>", "</body>", "<body.content>", "</body.content>",
         "<hl1>", "</hl1>", "<hedline>", "</hedline>", "<body.head>", "</body.head>", "<p>",
         "</p>", "<hl2>", "</hl2>", "text", "&amp;", "&x;", "<!DOCTYPE a>", "<li>", "</li>",
         '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">', "</newsItem>",
         "<contentMeta>", "</contentMeta>", "<headline>", "</headline>", "<contentSet>",
         "</contentSet>", "<inlineXML>", "</inlineXML>", "\n"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_ninjs_like.map(json.dumps) | _json_values.map(json.dumps) | _xmlish)
def test_any_json_or_xml_reads_or_is_one_wire_error(data: str) -> None:
    try:
        copy = read_copy(data)
    except WireError as exc:
        assert "\n" not in str(exc)
        return
    assert copy.title and copy.sections

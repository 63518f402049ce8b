"""Parse plain-text wire copy into frozen dataclasses (pure: no Django, no database).

The importer turns a :class:`WireCopy` into database rows; this module only reads text.
:func:`parse_wire` either returns a :class:`WireCopy` (with :class:`WireWarning` s for
everything an editor must check) or raises :class:`WireError` naming the offending line.

Accepted format
===============
UTF-8 text (a BOM and CRLF/CR line endings are accepted), at most ``MAX_WIRE_BYTES``.
One paragraph per line; runs of whitespace inside a line become one space; blank
lines are ignored everywhere. Line numbers are 1-based and count every physical line
of the input, blank ones included::

    <headline>                                  first non-blank line
    By <name>[ and <name>]                      optional byline, right after the headline
    Standfirst: <text>                          optional, after the byline ("Summary:" too)
    [DATELINE - ]<lead paragraph(s)>            "NAIROBI, March 4 (Reuters) - ..."
    <heading>                                   short line, see "Headings"
    <paragraph(s)>
    ...
    This article was translated from the original in French by Lara Bullens.
    Enrichment Data:                            optional; everything below is enrichment
    Overall:<overview text>
    <proposal title>                            a non-bulleted line
    Proposed by: A, B                           optional, right after the title
    - <Category label>:
    - <term>
    ...
    Key points:                                 optional header
    - <key point>
    Topics: war-and-conflicts, politics         optional, anywhere after the headline

The headline must be title-like: not a bullet or a marker line (``Enrichment Data:``,
``Overall:``, ``Topics:``, ``Key points:``), not ending in ``. , ; :`` (a line that
ends like a paragraph is taken to mean the headline is missing) and at most 30 words.

The agencies' structured formats (ninjs, NITF, NewsML-G2) are read by
:mod:`articles.intake.formats` into the same lines and go through :func:`build_copy`,
the same pipeline, with their headings, byline, dateline and topics given.

Choices
=======
Where the copy leaves a decision open and the parser had to score the answers, it
records a :class:`WireChoice`: a ``key``, the options best-scored first (each with its
score, so the runner-up is kept) and the one ``chosen``; the warning about it carries
the same key. ``parse_wire(..., choices={key: value})`` applies another option (an
editor's choice); a value that is not an option is a :class:`WireError` at the
choice's line. The scores are computed by :mod:`articles.intake.scoring`.

Heuristics (each one that changes or guesses content leaves a warning)
======================================================================
Headings
    A body line is *heading-like* when it has at most 12 words / 100 characters, starts
    with a capital, digit or quote, is a single sentence and does not end with
    ``. , ; : !`` (a final ``?`` is allowed). A heading-like line is a heading when the
    next body line is a paragraph (not heading-like). A heading-like line followed by
    another heading-like line, or ending the body, is kept as a paragraph (warning).
    Paragraphs before the first heading form the lead: ``sections[0]`` with heading "".
Byline and dateline
    A first body line "By <names>" (also "Par", "Por", "Von"; names capitalised, at
    most 12 words) is the byline (``WireCopy.byline``, without "By"), out of the text.
    A lead opening with a dateline in capitals ("NAIROBI, March 4 (Reuters) - ",
    "PORT-AU-PRINCE, Feb. 11 - ", "MAPUTO - ") gives ``WireCopy.dateline``; the
    dateline stays in the lead's text, as agencies print it.
Translation credit
    A whole line (optionally in brackets) crediting a translator is taken out of the
    body: "[This article was] translated from [the original in] <Language> by <Name>",
    "Translated by <Name> from the <Language> original", "Translation from
    <Language>: <Name>", "Traduit de l'<langue> par <Nom>", "Traducido del <idioma> por
    <Nombre>", "Aus dem <Sprache>en übersetzt von <Name>". Language names are read in
    English, French, Spanish and German; an unknown one is a :class:`WireError`.
Analysts
    Introduced in the body (never in the enrichment) as "<Name>, a/an <role>
    at/of/with/for/from [the] <Institution>[ in <Place>][ specializing in <field>]".
    The article may be missing when the role names an expert ("Natalia Ciobanu,
    director of the ..."); "<Place>-based <Institution>" gives the place; a possessive
    institution ("at Nepal's energy ministry") is kept as written. Without an
    institution: "<Name>, a/an <role>[ based in <Place>]," when the role names an
    expert (analyst, economist, researcher, professor...; an office only when former:
    "a former diplomat"), optionally followed by "who teaches/works at <Institution>".
    French copy: "<Nom>, [un/une] <rôle> à l'/au/de la <Institution>[ à <Lieu>],".
    The "specializing in ..." tail goes to ``WireAnalyst.specialty``, not the role.
    Roles whose head noun names a thing (country, city, party...) are ignored. A one-word
    name is ``surname_only`` (warning: complete the name). Mentions by the full name or
    its trailing words ("Kingston-Cox") refer to the same analyst, except right after
    another capitalised word ("City Hall"; honorifics and sentence openers such as
    "While", "According" or "Selon" excepted). Family-name-first names ("Chen Wei-lin"
    then "Chen") are not recognised in later mentions.
Shared surnames (scored; choice ``<surname>@<line>``)
    When two analysts of the copy share the words a sentence names them by ("Voicu"
    for Ileana and Mihai Voicu), each is scored for that line: who was mentioned last,
    the field of their role against the words of the sentence and the paragraph before,
    what they said before (see :func:`articles.intake.scoring.surname_scores`). Before
    the second one is introduced, the surname is the first one's (no choice).
Statements
    Every body sentence mentioning an analyst is a statement of that analyst (the
    introducing sentence included); following sentences are not added. A sentence
    naming two analysts is split at ", while" / "whereas" / "but" / ";" between the
    names; without such a connector each analyst gets the whole sentence. ``kind`` is
    "quote" when quoted words (three or more, in "…" or « … ») are attributed by
    said/told/wrote/déclaré... (``"...," Hall said`` or ``Hall told a forum: "..."``),
    "paraphrase" for reported speech (notes, suggests, argues, says, according to,
    estime, selon...), "assessment" otherwise.
Enrichment
    ``Overall:`` (space optional) gives the overview; non-bulleted lines right after it
    continue it if they end like a sentence. Any other non-bulleted line is a proposal
    title (trailing ":" dropped). A bullet ending in ":" with at most 8 words is a
    category; other bullets are terms of the current category, or key points after a
    ``Key points:`` header (also "Key takeaways:", "Main points:", "Highlights:"), or
    when no proposal precedes them.
Where the key points start (no header; scored; choice ``key-points``)
    Only the bullets after the *last* category are ambiguous; the first is always a
    term. Every split is scored (the options: the line of the first key point, or
    "none") from how much each bullet reads like a key point rather than a term: a
    finite verb of its own, would/will as the copy's terms use them or not, the shape
    of the copy's other terms, naming both parties or comparing them, length against
    the other terms, speaking of analysts (:mod:`articles.intake.scoring`). The best
    split applies; a warning at the first key point gives its score and the runner-up.
Proposal status (from the title's words only, first match wins)
    "rejected" -> rejected; "final offer" -> final_offer; reported/leaked/alleged/
    rumo(u)red -> reported; otherwise "official" (the copy names the proposal as the
    proposer's own without hedging). Terms are not consulted: "Presented as Trump's
    'final offer'" in a term stays a term; an editor may change the status.
Proposed by
    An explicit ``Proposed by:`` line wins. Otherwise inferred from the title: what
    comes before its first generic word ("EU Draft Statute" -> EU; "UN-Backed Proposal
    for ..." -> UN), or, for a title opening with one ("Proposal by the African
    Union"), the title without generic words; possessives are dropped; a single demonym
    or hyphenated demonyms become places ("Ukrainian-European" -> Ukraine, Europe);
    anything else is kept as written ("Trump Administration"). Always a warning when
    inferred.
Topics
    An explicit ``Topics:`` line wins. Otherwise, when the last key point ends with a
    chain of lowercase words joined by and/of/or/"," that contains a hyphenated slug
    ("... in the war-and-conflicts and politics of general-news."), the chain is taken
    as topics and cut (with its preposition) from the key point text (warning).
    Topics are slugs (lowercase ASCII, hyphens); explicit ones are slugified.

Warnings an importer passes on (``WireWarning.message`` starts with)
    "analyst '<name>' is known only by a surname" / "'<surname>' could be" /
    "inferred who proposed" / "could not tell who proposed" / "assumed the key points
    start here" / "inferred the topics" / "short line without final punctuation" / "no
    lead paragraph" / "the enrichment has no 'Overall:' overview" / "the enrichment has
    no key points" / "the credit says the copy was translated from its own language" /
    "removed the invisible control character(s)".
    ``str(warning)`` is "line N: <message>"; ``WireCopy.warnings`` is sorted by line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from articles.intake import scoring

__all__ = [
    "LANGUAGE_CODES",
    "MAX_WIRE_BYTES",
    "WireAnalyst",
    "WireCategory",
    "WireChoice",
    "WireCopy",
    "WireCredit",
    "WireEnrichment",
    "WireError",
    "WireOption",
    "WireProposal",
    "WireSection",
    "WireStatement",
    "WireWarning",
    "build_copy",
    "decode",
    "language_code",
    "parse_wire",
]

MAX_WIRE_BYTES = 1024 * 1024
# C0 controls but tab and line breaks: what articles.control_characters refuses in
# stored text (the same set; this module stays stdlib only).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Language names as written in English credit lines -> Django language codes.
LANGUAGE_CODES: dict[str, str] = {
    "albanian": "sq",
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "bengali": "bn",
    "bosnian": "bs",
    "bulgarian": "bg",
    "catalan": "ca",
    "chinese": "zh-hans",
    "croatian": "hr",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "estonian": "et",
    "finnish": "fi",
    "french": "fr",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "icelandic": "is",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "kazakh": "kk",
    "korean": "ko",
    "latvian": "lv",
    "lithuanian": "lt",
    "macedonian": "mk",
    "malay": "ms",
    "nepali": "ne",
    "norwegian": "nb",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "slovak": "sk",
    "slovenian": "sl",
    "spanish": "es",
    "swahili": "sw",
    "swedish": "sv",
    "thai": "th",
    "turkish": "tr",
    "ukrainian": "uk",
    "urdu": "ur",
    "vietnamese": "vi",
}
# The same languages as French, Spanish and German credit lines name them ("Traduit de
# l'anglais", "Traducido del ruso", "Aus dem Englischen übersetzt").
FOREIGN_LANGUAGE_NAMES: dict[str, str] = {
    # French
    "anglais": "en", "français": "fr", "espagnol": "es", "allemand": "de", "russe": "ru",
    "arabe": "ar", "italien": "it", "portugais": "pt", "chinois": "zh-hans",
    "japonais": "ja", "turc": "tr", "ukrainien": "uk", "polonais": "pl",
    "néerlandais": "nl", "roumain": "ro", "serbe": "sr", "grec": "el", "persan": "fa",
    "hébreu": "he", "coréen": "ko", "suédois": "sv", "danois": "da", "norvégien": "nb",
    "finnois": "fi", "hongrois": "hu", "tchèque": "cs", "géorgien": "ka",
    "arménien": "hy",
    # Spanish
    "inglés": "en", "francés": "fr", "español": "es", "alemán": "de", "ruso": "ru",
    "árabe": "ar", "italiano": "it", "portugués": "pt", "chino": "zh-hans",
    "japonés": "ja", "turco": "tr", "ucraniano": "uk", "polaco": "pl",
    "catalán": "ca",
    # German (as in "aus dem Englischen": the -en/-n ending is dropped before lookup)
    "englisch": "en", "französisch": "fr", "spanisch": "es", "deutsch": "de",
    "russisch": "ru", "arabisch": "ar", "italienisch": "it", "portugiesisch": "pt",
    "chinesisch": "zh-hans", "japanisch": "ja", "türkisch": "tr", "ukrainisch": "uk",
    "polnisch": "pl", "niederländisch": "nl",
}  # fmt: skip

STATEMENT_KINDS = ("quote", "paraphrase", "assessment")
PROPOSAL_STATUSES = ("reported", "official", "final_offer", "rejected")


# --------------------------------------------------------------------------- results


class WireError(ValueError):
    """Bad input. ``line`` is 1-based (or None when no line applies)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"

    def __reduce__(self) -> tuple[type[WireError], tuple[str, int | None]]:
        # Keep line/message across pickling (ValueError would replay only str(self)).
        return (type(self), (self.message, self.line))


@dataclass(frozen=True)
class WireWarning:
    """Something the parser guessed or could not fully read; an editor must check it.

    ``key`` names the :class:`WireChoice` the warning stands for ("" when none): the
    editor may pick another of its options.
    """

    line: int
    message: str
    key: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class WireOption:
    """One answer to a :class:`WireChoice`; ``value`` is what ``--choose KEY=VALUE`` takes."""

    value: str
    label: str
    score: float  # 0..1; for a decision the parser scored, higher is likelier


@dataclass(frozen=True)
class WireChoice:
    """A decision with alternatives: options best-scored first, ``chosen`` applied.

    ``explicit`` is True when ``chosen`` came from the caller (an editor's choice)
    rather than from the scores.
    """

    key: str
    line: int
    question: str
    options: tuple[WireOption, ...]
    chosen: str
    explicit: bool = False

    @property
    def best(self) -> WireOption:
        return self.options[0]

    @property
    def runner_up(self) -> WireOption | None:
        return self.options[1] if len(self.options) > 1 else None

    def option(self, value: str) -> WireOption | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class WireSection:
    """A heading and its paragraphs; the lead has heading ""."""

    heading: str
    paragraphs: tuple[str, ...]
    line: int  # line of the heading (lead: of its first paragraph)
    paragraph_lines: tuple[int, ...] = ()  # parallel to ``paragraphs``


@dataclass(frozen=True)
class WireCredit:
    translator: str
    from_language: str  # a code: "fr"
    line: int


@dataclass(frozen=True)
class WireStatement:
    text: str
    kind: str  # one of STATEMENT_KINDS
    line: int


@dataclass(frozen=True)
class WireAnalyst:
    name: str
    role: str
    institution: str
    place: str  # "" when not given
    surname_only: bool
    statements: tuple[WireStatement, ...]
    line: int  # line of the introducing sentence
    specialty: str = ""  # "Russian affairs" from "specializing in Russian affairs"


@dataclass(frozen=True)
class WireCategory:
    label: str  # as written, without bullet and colon: "Territorial concessions"
    terms: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class WireProposal:
    title: str
    proposed_by: tuple[str, ...]
    status: str  # one of PROPOSAL_STATUSES, inferred from the title
    categories: tuple[WireCategory, ...]
    line: int


@dataclass(frozen=True)
class WireEnrichment:
    overview: str
    proposals: tuple[WireProposal, ...]
    key_points: tuple[str, ...]
    line: int  # the "Enrichment Data:" line
    overview_line: int  # 0 when there is no "Overall:" line
    key_points_line: int  # header or first key point; 0 when there are none
    key_point_lines: tuple[int, ...] = ()  # parallel to ``key_points``


@dataclass(frozen=True)
class WireCopy:
    title: str
    language: str
    original_language: str
    sections: tuple[WireSection, ...]
    credit: WireCredit | None
    analysts: tuple[WireAnalyst, ...]
    enrichment: WireEnrichment | None
    topics: tuple[str, ...]
    warnings: tuple[WireWarning, ...]
    title_line: int = 1
    byline: str = ""  # "Wanjiru Kamau" from a "By Wanjiru Kamau" line
    standfirst: str = ""  # from a "Standfirst: <text>" (or "Summary:") line after the byline
    dateline: str = ""  # "NAIROBI, March 4 (Reuters)": also still in the lead's text
    choices: tuple[WireChoice, ...] = ()
    # A digest of the copy's text (not of its layout, nor of the choices made on it).
    digest: str = ""
    source_format: str = "text"  # "text", "ninjs", "nitf" or "newsml"


# --------------------------------------------------------------------------- patterns


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_UP = "A-ZÀ-ÖØ-Þ"
# A dash/bullet followed by a space or a letter ("-5%" is not a bullet).
_BULLET_RE = re.compile(r"^[-*•–—](?=\s|[^\W\d_])\s*")
_ENRICHMENT_RE = re.compile(r"^enrichment\s+data\s*:?$", re.IGNORECASE)
_OVERALL_RE = re.compile(r"^overall\s*:\s*(?P<text>.*)$", re.IGNORECASE)
_KEY_POINTS_RE = re.compile(
    r"^(?:key\s+points|key\s+takeaways|takeaways|main\s+points|highlights)\s*:?$", re.IGNORECASE
)
_TOPICS_RE = re.compile(r"^topics\s*:\s*(?P<text>.*)$", re.IGNORECASE)
_PROPOSED_BY_RE = re.compile(r"^proposed\s+by\s*:\s*(?P<text>.*)$", re.IGNORECASE)
# Translation credits, whole lines (optionally in brackets or between asterisks):
# (language, translator) from "Translated from the Spanish by Ana Ruiz", "This article
# was translated from the original in French by …", "Translated by Ayşe Demir from the
# Turkish original", "Translation from Russian: …", "Traduit de l'anglais par …",
# "Traducido del inglés por …", "Aus dem Englischen übersetzt von …".
# A translator's name, initials allowed ("L. Bullens", "J.-P. Martin").
_NAME_TAIL = r"(?P<name>(?:[^\W\d_](?:\.-[^\W\d_])?\.\s+)*[^.:;()\[\]*]+(?:\.[^.\s][^.;()*]*)*)"
_CREDIT_RES = tuple(
    re.compile(rf"^[(\[*_]*{pattern}\.?[)\]*_]*$", re.IGNORECASE)
    for pattern in (
        r"(?:this\s+(?:article|story|report|piece|text|analysis)\s+(?:was|has\s+been)\s+)?"
        r"translated\s+from\s+(?:the\s+original\s+in\s+|the\s+original\s+|the\s+)?"
        rf"(?P<lang>[^\W\d_]+)(?:\s+original)?\s+by\s+{_NAME_TAIL}",
        rf"translated\s+by\s+{_NAME_TAIL}\s+from\s+(?:the\s+)?(?:original\s+)?"
        r"(?P<lang>[^\W\d_]+)(?:\s+original)?",
        r"translat(?:ion|ed)\s+from\s+(?:the\s+)?(?P<lang>[^\W\d_]+)(?:\s+original)?"
        rf"\s*(?::|by)\s*{_NAME_TAIL}",
        r"(?:(?:cet\s+article\s+a\s+été\s+|texte\s+)?traduit|traduction)\s+"
        r"(?:de\s+l['’]\s*|du\s+|de\s+la\s+|de\s+)"
        rf"(?P<lang>[^\W\d_]+)\s*(?:par|:)\s*{_NAME_TAIL}",
        r"(?:traducido|traducción|traducci[oó]n)\s+del?\s+(?P<lang>[^\W\d_]+)\s*(?:por|:)\s*"
        rf"{_NAME_TAIL}",
        rf"aus\s+dem\s+(?P<lang>[^\W\d_]+)\s+übersetzt\s+von\s+{_NAME_TAIL}",
        rf"übersetzt\s+aus\s+dem\s+(?P<lang>[^\W\d_]+)\s+von\s+{_NAME_TAIL}",
    )
)
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")

# A sentence ends at .!? (optionally inside closing quotes) followed by a capital.
_BOUNDARY_RE = re.compile(rf"[.!?][\"”’)\]»]*\s+(?=[\"“‘(\[«]?\s?[{_UP}0-9])")
_ABBREVIATIONS = _wordset(
    "mr mrs ms dr prof st gen lt col sen rep gov jr sr vs etc no inc ltd co corp dept est "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig approx"
)

_NAME_WORD = rf"[{_UP}](?:[\w'’-]*|\.)"
_PARTICLE = r"(?:de|da|di|del|della|van|von|der|den|le|la|du|al|el|bin|ibn|ben)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"
_INST_WORD = rf"[{_UP}0-9][\w'’&-]*(?:\.[\w'’&-]+)*"
_INST_CONN = r"(?:of|for|the|and|on|to|de|du|des|la|le|di|del|della|für|&)"
_INST = rf"{_INST_WORD}(?:\s+(?:{_INST_CONN}\s+)*{_INST_WORD})*"
# "Nepal's energy ministry": a possessive and a few lowercase words, up to the comma.
_POSSESSIVE_INST = rf"[{_UP}][\w-]*['’]s(?:\s+[a-z][\w-]*){{1,3}}(?=\s*[,;.])"
_PLACE = rf"[{_UP}][\w'’-]*(?:\s+[{_UP}][\w'’-]*)*"
_SPECIALTY = (
    r"(?:,?\s+(?:who\s+)?(?:speciali[sz](?:ing|es|ed)|focus(?:ing|es|ed))\s+(?:in|on)\s+"
    r"(?P<spec>[^,;.]+))?"
)
# "<Name>, a/an <role> at/of/with/for/from [the] <Institution>[ in <Place>]": the article
# may be missing when the role names a person ("Natalia Ciobanu, director of the …").
_INTRO_RE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_NAME}),\s+(?P<art>(?:an?|the)\s+)?"
    r"(?P<role>[^,;()\"“”]{1,80}?)\s+"
    rf"(?:at|of|with|for|from)\s+(?:the\s+)?(?P<inst>{_POSSESSIVE_INST}|{_INST})"
    rf"(?:\s+in\s+(?P<place>{_PLACE}))?" + _SPECIALTY
)
# "<Name>, a/an <role>[ based in <Place>]," with no institution ("Peter Mwangi, an
# independent agricultural economist, says"): only roles naming a person's expertise.
_BARE_INTRO_RE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_NAME}),\s+(?P<art>an?\s+)(?P<role>[^,;()\"“”]{{1,60}}?)"
    rf"(?:\s+based\s+in\s+(?P<place>{_PLACE}))?"
    # "…, a former official who now teaches at the Pakistan Institute of …"
    r"(?:,?\s+who\s+(?:now\s+)?(?:teaches|works|lectures|researches)\s+(?:at|for|with)\s+"
    rf"(?:the\s+)?(?P<inst>{_INST}))?(?=,|\s+who\b|\s*[.;]|\s*$)"
)
# French copy: "Awa Ndiaye, chercheuse à l'Institut … à Dakar, estime que …".
_FRENCH_INTRO_RE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_NAME}),\s+(?P<art>(?:un|une|le|la)\s+)?"
    r"(?P<role>[^,;()\"“”]{1,60}?)\s+"
    r"(?:à\s+l['’]\s*|au\s+|aux\s+|à\s+la\s+|de\s+l['’]\s*|du\s+|de\s+la\s+|chez\s+)"
    rf"(?P<inst>[{_UP}][^,;()]{{1,120}}?)(?:\s+à\s+(?P<place>{_PLACE}))?(?=,)"
)
# Head nouns of roles that name a person's expertise (an analyst, not an office holder).
_PERSON_ROLES = _wordset(
    "analyst analysts economist researcher scientist scholar historian sociologist "
    "anthropologist geographer geologist hydrologist demographer professor lecturer fellow "
    "expert specialist strategist consultant adviser advisor commentator journalist writer "
    "author lawyer jurist director head chief observer academic criminologist "
    "epidemiologist biologist engineer planner economist-at-large associate investigator "
    "chercheur chercheuse économiste analyste professeur professeure politologue sociologue "
    "historien historienne directeur directrice spécialiste juriste géographe "
    "anthropologue enseignant enseignante experte maître"
)
# Office holders count as analysts only when they left the office ("a former diplomat").
_FORMER_ROLES = _wordset(
    "official officials diplomat negotiator minister secretary ambassador general officer "
    "envoy mediator commander adviser advisor"
)
# Capitalised words that open sentences rather than names ("Meanwhile Jane Doe, a ...").
_NOT_NAME_WORDS = _wordset(
    "meanwhile however but and yet still also instead indeed now then today according "
    "analyst researcher expert professor prof prof. dr dr. mr mr. ms ms. mrs mrs. "
    "while whereas although though for as so like unlike both even only if when since "
    "because after before the in on at by with to of moreover furthermore asked "
    "selon pour mais et cependant toutefois ainsi donc d'après enfin"
)
_HONORIFICS = _wordset("dr dr. prof prof. professor mr mr. ms ms. mrs mrs.")
# Head nouns of appositives that describe things, not people ("Ukraine, a country of ...").
_NON_PERSON_ROLES = _wordset(
    "country nation state city town village region province district territory port part "
    "party group company firm coalition bloc alliance organisation organization body "
    "agency unit move step sign deal plan member-state"
)
_CONNECTOR_RE = re.compile(
    r"(?:,\s*|;\s*|\s+)(?:while|whereas|but|although|though)\s+|;\s+", re.IGNORECASE
)
_QUOTE_VERBS = (
    r"(?:said|says|told|tells|wrote|writes|added|adds|stated|states|explained|"
    r"(?:a\s+)?(?:déclaré|dit|affirmé|expliqué|ajouté)|déclare|affirme|explique|ajoute)"
)
_QUOTED_SPAN_RE = re.compile(r"[\"“«]\s*([^\"“”«»]*?)\s*[\"”»]")
_QUOTE_AFTER_RE = re.compile(rf"^\s*[\"“«].*?[\"”»],?\s+(?:[\w'’.-]+\s+){{0,4}}?{_QUOTE_VERBS}\b")
_QUOTE_BEFORE_RE = re.compile(rf"\b{_QUOTE_VERBS}(?:\s+[\w'’.-]+){{0,5}}\s*[:,]\s*[\"“«]")
# Third-person and past forms only: base forms are mostly nouns ("a note", "a claim").
_REPORTING_RE = re.compile(
    r"\b(?:according\s+to|points\s+out|pointed\s+out|says|said|told|tells|wrote|writes|"
    r"thinks|thought|(?:note|suggest|argue|believe|warn|explain|contend|claim|observe|"
    r"maintain|add|insist|stresse|caution|predict|expect|estimate|conclude|reckon|"
    r"acknowledge|describe|call|speculate|doubt|stress)(?:s|d|ed)|"
    # French copy: "selon", "estime que", "souligne que"…
    r"selon|d['’]après|estime|souligne|affirme|explique|ajoute|déclare|assure|rappelle|"
    r"juge|prévient|insiste|considère|craint|relève|indique|avertit)\b",
    re.IGNORECASE,
)
_STATUS_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\brejected\b", re.IGNORECASE), "rejected"),
    (re.compile(r"\bfinal[\s-]+offer\b", re.IGNORECASE), "final_offer"),
    (re.compile(r"\b(?:reported|leaked|alleged|rumou?red)\b", re.IGNORECASE), "reported"),
)
_GENERIC_TITLE_WORDS = _wordset(
    "proposal proposals counterproposal counter-proposal plan offer framework roadmap "
    "road-map initiative package deal draft position terms demands agreement accord "
    "mediation peace ceasefire truce settlement reported leaked official final rejected "
    "revised initial new joint alleged rumoured rumored latest updated counter "
    "proposed blueprint rule rules statute strategy mission position positions conditions "
    "demand demands declaration arrangement memorandum operator pilot provisional "
    "humanitarian pause staff"
)
_DEMONYMS: dict[str, str] = {
    **{demonym.lower(): place for demonym, place in scoring.DEMONYM_PLACES.items()},
    "african": "Africa",
    "algerian": "Algeria",
    "american": "United States",
    "u.s.": "United States",
    "us": "United States",
    "british": "United Kingdom",
    "canadian": "Canada",
    "chinese": "China",
    "danish": "Denmark",
    "egyptian": "Egypt",
    "emirati": "United Arab Emirates",
    "european": "Europe",
    "finnish": "Finland",
    "franco": "France",
    "french": "France",
    "german": "Germany",
    "icelandic": "Iceland",
    "indian": "India",
    "iranian": "Iran",
    "israeli": "Israel",
    "italian": "Italy",
    "japanese": "Japan",
    "malian": "Mali",
    "nigerian": "Nigeria",
    "nigerien": "Niger",
    "nordic": "Nordic countries",
    "norwegian": "Norway",
    "palestinian": "Palestinians",
    "qatari": "Qatar",
    "russian": "Russia",
    "saudi": "Saudi Arabia",
    "swedish": "Sweden",
    "taiwanese": "Taiwan",
    "turkish": "Turkey",
    "ukrainian": "Ukraine",
    "yemeni": "Yemen",
}
_TOPIC_TOKEN = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_TOPIC_SEP_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|of|or|&)\s+")
_BURIED_TOPICS_RE = re.compile(
    r"(?:\s+(?:in|of|for|on|about|across|to)(?:\s+the)?)?\s+"
    rf"(?P<chain>{_TOPIC_TOKEN}(?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|of|or|&)\s+){_TOPIC_TOKEN})+)"
    r"\s*[.!]?\s*$"
)

_Line = tuple[int, str]  # (1-based line number, stripped text)


# --------------------------------------------------------------------------- entry point


def parse_wire(
    data: bytes | str, *, language: str = "en", choices: Mapping[str, str] | None = None
) -> WireCopy:
    """Parse wire copy; ``language`` is the language the copy is written in (a code).

    ``choices`` maps :class:`WireChoice` keys to the option to apply instead of the
    best-scored one (keys the copy does not have are ignored here: the importer, which
    adds choices of its own, refuses them).

    Raises :class:`WireError` for bad input (never another exception for bad text) and
    ``TypeError``/``ValueError`` for a bad ``data`` type or ``language`` argument.
    """
    lang = language_code(language)
    text = decode(data)
    warnings: list[WireWarning] = []
    lines = _without_control_characters(_split_lines(text), warnings)
    content = [(no, t) for no, t in lines if t]
    if not content:
        raise WireError("the wire copy is empty (no text at all)", 1)
    return build_copy(content, language=lang, choices=choices, warnings=warnings)


def build_copy(
    content: Sequence[_Line],
    *,
    language: str,
    choices: Mapping[str, str] | None = None,
    headings: Collection[_Line] | None = None,
    byline: str | None = None,
    dateline: str | None = None,
    topics: Sequence[str] | None = None,
    source_format: str = "text",
    warnings: Iterable[WireWarning] = (),
) -> WireCopy:
    """The copy from its non-blank lines (``(line number, text)``, headline first).

    Plain text infers what each line is; the structured formats
    (:mod:`articles.intake.formats`) know some of it and say so: ``headings`` lists the
    body lines that are headings (then no other line is one), ``byline``, ``dateline``
    and ``topics`` come from the format's fields (None: looked for in the text as for
    plain copy). Bullets are lines starting with "- ". ``warnings`` are the format
    reader's own.
    """
    lang = language_code(language)
    content = list(content)
    if not content:
        raise WireError("the wire copy is empty (no text at all)", 1)
    warnings = list(warnings)
    chooser = Chooser(choices, lang)

    title_line, title = content[0]
    _check_title(title_line, title)

    rest = content[1:]
    marker = next((i for i, (_, t) in enumerate(rest) if _ENRICHMENT_RE.match(t)), None)
    body = rest if marker is None else rest[:marker]
    tail = [] if marker is None else rest[marker + 1 :]

    explicit_topics, body, tail = _take_topics(body, tail)
    credit, body = _take_credit(body)
    if credit is not None and credit.from_language == lang:
        warnings.append(
            WireWarning(
                credit.line,
                f"the credit says the copy was translated from its own "
                f"language ({lang}); check the language of the copy",
            )
        )
    if byline is None:
        byline, body = _take_byline(body)
    standfirst, body = _take_standfirst(body)
    if not body:
        raise WireError("no body text after the headline", title_line + 1)
    if dateline is None:
        dateline = _find_dateline(body[0][1])

    sections = _parse_sections(body, warnings, headings)
    analysts = _parse_analysts(sections, warnings, chooser)

    enrichment: WireEnrichment | None = None
    if marker is not None:
        enrichment = _parse_enrichment(rest[marker][0], tail, warnings, chooser)

    found_topics: tuple[str, ...] = explicit_topics or ()
    if explicit_topics is None and topics:
        found_topics = tuple(dict.fromkeys(t for t in (_slugify(x) for x in topics) if t))
    elif explicit_topics is None and enrichment is not None and enrichment.key_points:
        enrichment, found_topics = _infer_buried_topics(enrichment, warnings)

    return WireCopy(
        title=title,
        language=lang,
        original_language=credit.from_language if credit else lang,
        sections=sections,
        credit=credit,
        analysts=analysts,
        enrichment=enrichment,
        topics=found_topics,
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
        title_line=title_line,
        byline=byline,
        standfirst=standfirst,
        dateline=dateline,
        choices=tuple(sorted(chooser.made, key=lambda c: (c.line, c.key))),
        digest=_digest(source_format, lang, content),
        source_format=source_format,
    )


def _digest(source_format: str, language: str, content: Sequence[_Line]) -> str:
    raw = json.dumps([source_format, language, [t for _, t in content]], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:20]


class Chooser:
    """Makes each :class:`WireChoice`: the editor's option when given, else the best.

    An option the editor names that is not one of the choice's is a :class:`WireError`
    at the choice's line. The importer uses one too, for its own choices.
    """

    def __init__(
        self,
        explicit: Mapping[str, str] | None,
        language: str = "en",
        remembered: Mapping[str, str] | None = None,
    ) -> None:
        self.explicit = dict(explicit or {})
        # Choices made on this copy before: applied while they are still options.
        self.remembered = dict(remembered or {})
        self.language = language
        self.made: list[WireChoice] = []

    def decide(self, key: str, line: int, question: str, options: list[WireOption]) -> WireChoice:
        ordered = tuple(sorted(options, key=lambda o: -o.score))
        values = [o.value for o in ordered]
        value = self.explicit.get(key)
        if value is None and self.remembered.get(key) in values:
            value = self.remembered[key]
        if value is not None and value not in values:
            raise WireError(
                f"choice {key}={value!r} is not one of its options ({', '.join(values)})", line
            )
        choice = WireChoice(
            key=key,
            line=line,
            question=question,
            options=ordered,
            chosen=value if value is not None else values[0],
            explicit=value is not None,
        )
        self.made.append(choice)
        return choice


# --------------------------------------------------------------------------- input checks


def language_code(language: str) -> str:
    """'en', 'fr-CA', 'French' -> a lowercase code; ValueError when it cannot be one."""
    code = language.strip().lower().replace("_", "-")
    code = LANGUAGE_CODES.get(code, code)
    if not _CODE_RE.match(code):
        raise ValueError(f"language must be a language code such as 'en', not {language!r}")
    return code


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def decode(data: bytes | str) -> str:
    """Check size and encoding; return NFC text without BOM."""
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if isinstance(data, str):
        size = len(data.encode("utf-8", "surrogatepass"))
    elif isinstance(data, bytes):
        size = len(data)
    else:
        raise TypeError(f"wire copy must be bytes or str, not {type(data).__name__}")
    if size > MAX_WIRE_BYTES:
        raise WireError(
            f"the wire copy is {size:,} bytes; the limit is {MAX_WIRE_BYTES:,} bytes (1 MB)"
        )

    if isinstance(data, bytes):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise WireError("the file is UTF-16 text; save it as UTF-8", 1)
        # Latin-1 maps each byte to one character: same offsets, same line numbers.
        _check_not_binary(data.decode("latin-1"))
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            prefix = 3
        else:
            prefix = 0
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise WireError(
                f"not valid UTF-8 text (bad byte 0x{data[exc.start]:02x} at byte "
                f"{exc.start + prefix + 1})",
                line,
            ) from None
    else:
        _check_not_binary(data)
        bad = re.search(r"[\ud800-\udfff]", data)
        if bad:
            raise WireError("not valid Unicode text (lone surrogate)", _line_at(data, bad.start()))
        text = data.removeprefix("\ufeff")
    return unicodedata.normalize("NFC", text)


def _check_not_binary(text: str) -> None:
    pos = text.find("\x00")
    if pos >= 0:
        raise WireError("binary data (NUL byte), not plain text", _line_at(text, pos))
    sample = text[:8192]
    # Control characters other than whitespace are rare in text and common in binaries.
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\v\f\r")
    if controls > max(8, len(sample) // 20):
        raise WireError("binary data (mostly control characters), not plain text", 1)


def _split_lines(text: str) -> list[_Line]:
    # Only \n, \r\n and \r end lines, so numbers match what an editor's tools show.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [(i, " ".join(raw.split())) for i, raw in enumerate(text.split("\n"), start=1)]


def _check_title(line: int, title: str) -> None:
    if _BULLET_RE.match(title):
        raise WireError("no headline: the first line is a bullet, not a title", line)
    for pattern, what in (
        (_ENRICHMENT_RE, "'Enrichment Data:'"),
        (_OVERALL_RE, "an 'Overall:' line"),
        (_TOPICS_RE, "a 'Topics:' line"),
        (_KEY_POINTS_RE, "a 'Key points:' header"),
    ):
        if pattern.match(title):
            raise WireError(f"no headline: the first line is {what}", line)
    if title[-1] in ".,;:":
        raise WireError(
            f"no headline: the first line ends with {title[-1]!r} like a paragraph; "
            "the copy must start with its headline",
            line,
        )
    words = len(title.split())
    if words > 30:
        raise WireError(
            f"no headline: the first line has {words} words, too long for a title (at most 30)",
            line,
        )


def _take_topics(
    body: list[_Line], tail: list[_Line]
) -> tuple[tuple[str, ...] | None, list[_Line], list[_Line]]:
    """Remove an explicit 'Topics:' line from body or enrichment; return its slugs."""
    found: tuple[str, ...] | None = None
    found_line = 0
    kept: list[list[_Line]] = [[], []]
    for index, part in enumerate((body, tail)):
        for no, t in part:
            match = _TOPICS_RE.match(t)
            if not match:
                kept[index].append((no, t))
                continue
            if found is not None:
                raise WireError(f"a second 'Topics:' line (the first is on line {found_line})", no)
            items = [s for s in re.split(r"[,;]", match["text"]) if s.strip()]
            if not items:
                raise WireError("the 'Topics:' line lists no topics", no)
            slugs = [_slugify(s) for s in items]
            for raw, slug in zip(items, slugs, strict=True):
                if not slug:
                    raise WireError(f"topic {raw.strip()!r} has no letters or digits", no)
            found, found_line = tuple(dict.fromkeys(slugs)), no
    return found, kept[0], kept[1]


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _take_credit(body: list[_Line]) -> tuple[WireCredit | None, list[_Line]]:
    credit: WireCredit | None = None
    kept: list[_Line] = []
    for no, t in body:
        match = _match_credit(t)
        if not match:
            kept.append((no, t))
            continue
        if credit is not None:
            raise WireError(f"a second translation credit (the first is on line {credit.line})", no)
        code = _credit_language(match["lang"])
        if code is None:
            raise WireError(
                f"unknown language {match['lang']!r} in the translation credit "
                f"(known: {', '.join(n.title() for n in sorted(LANGUAGE_CODES))})",
                no,
            )
        translator = match["name"].strip().rstrip(".").strip()
        credit = WireCredit(translator=translator, from_language=code, line=no)
    return credit, kept


def _match_credit(text: str) -> re.Match[str] | None:
    if len(text) > 200:
        return None
    return next((m for rx in _CREDIT_RES if (m := rx.match(text))), None)


def _credit_language(name: str) -> str | None:
    name = name.lower()
    if name in LANGUAGE_CODES:
        return LANGUAGE_CODES[name]
    for candidate in (name, name.removesuffix("n"), name.removesuffix("en")):
        if candidate in FOREIGN_LANGUAGE_NAMES:
            return FOREIGN_LANGUAGE_NAMES[candidate]
    return None


_BYLINE_RE = re.compile(r"^(?:By|BY|Par|PAR|Por|POR|Von|VON)\s+(?P<names>[^\W\d_].*?)\.?$")
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_CAPS_WORD = rf"[{_UP}][{_UP}'’.-]+"
# "NAIROBI, March 4 (Reuters) - ", "GROSSETO, Italy (AP) -- ", "MAPUTO - ", "BEIRUT/DUBAI —".
_DATELINE_RE = re.compile(
    rf"^(?P<dateline>{_CAPS_WORD}(?:[ /]{_CAPS_WORD})*"
    rf"(?:,\s+[{_UP}][\w.]+(?:\s+[{_UP}][\w.]+)?)?"
    rf"(?:,\s+{_MONTHS}\.?\s+\d{{1,2}})?"
    r"(?:\s+\([^()]{1,40}\))?)"
    r"\s*(?:--?|–|—)\s+\S"
)


_STANDFIRST_RE = re.compile(r"^(?:standfirst|summary|chapeau)\s*:\s*(?P<text>\S.*)$", re.I)


def _take_standfirst(body: list[_Line]) -> tuple[str, list[_Line]]:
    """A "Standfirst: <text>" (or "Summary:", "Chapeau :") line opening the body."""
    match = _STANDFIRST_RE.match(body[0][1]) if body else None
    return (match["text"], body[1:]) if match else ("", body)


def _without_control_characters(lines: list[_Line], warnings: list[WireWarning]) -> list[_Line]:
    """Drop control characters (invisible, and refused by the models), saying where."""
    cleaned = []
    for no, text in lines:
        found = sorted(set(CONTROL_CHARACTERS.findall(text)))
        if found:
            text = " ".join(CONTROL_CHARACTERS.sub("", text).split())
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            warnings.append(WireWarning(no, f"removed the invisible control character(s) {names}"))
        cleaned.append((no, text))
    return cleaned


def _take_byline(body: list[_Line]) -> tuple[str, list[_Line]]:
    """A "By <names>" line opening the body: the byline, out of the text."""
    if not body:
        return "", body
    match = _BYLINE_RE.match(body[0][1])
    if not match:
        return "", body
    names = match["names"].strip()
    parts = re.split(r",\s*|\s+(?:and|et|y|und|&)\s+", names)
    if (
        len(names.split()) > 12
        or len(names) > 150
        or re.search(r"[.!?;:](?:\s|$)", names)
        or not all(p[:1].isupper() for p in parts if p)
    ):
        return "", body
    return names, body[1:]


def _find_dateline(lead: str) -> str:
    """The dateline opening the lead ("NAIROBI, March 4 (Reuters)"), or ""."""
    match = _DATELINE_RE.match(lead[:160])
    if not match or len(re.sub(r"[^\w]", "", match["dateline"].split(",")[0])) < 3:
        return ""
    return match["dateline"]


# --------------------------------------------------------------------------- body


def _split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if text[match.start()] == ".":
            word = re.search(
                r"([\w.]+)\.$", text[max(start, match.start() - 40) : match.start() + 1]
            )
            token = word.group(1).lower() if word else ""
            # "Dr. Hall", "U.S. President", "J. Smith": not the end of a sentence.
            if token in _ABBREVIATIONS or len(token) == 1 or re.fullmatch(r"(?:\w\.)+\w", token):
                continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def _is_heading_like(text: str) -> bool:
    if not text or len(text.split()) > 12 or len(text) > 100:
        return False
    if text[-1] in ".,;:!…" or re.search(r"[.,;:!…][\"”’)]$", text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“‘'"):
        return False
    if _BULLET_RE.match(text):
        return False
    return len(_split_sentences(text)) == 1


def _parse_sections(
    body: list[_Line],
    warnings: list[WireWarning],
    explicit: Collection[_Line] | None = None,
) -> tuple[WireSection, ...]:
    headings: set[int] = set()
    if explicit is not None:
        # The format says which lines are headings: nothing to infer.
        headings = {i for i, line in enumerate(body) if line in explicit}
    for i, (no, t) in enumerate(body):
        if explicit is not None:
            break
        if not _is_heading_like(t):
            continue
        nxt = body[i + 1][1] if i + 1 < len(body) else None
        if nxt is not None and not _is_heading_like(nxt):
            headings.add(i)
        else:
            where = "ends the body" if nxt is None else "is followed by another short line"
            warnings.append(
                WireWarning(
                    no,
                    f"short line without final punctuation {where}; kept as a "
                    f"paragraph: {t!r} (check whether it is a heading)",
                )
            )

    # (heading, heading line, [(paragraph line, text)])
    groups: list[tuple[str, int, list[_Line]]] = [("", 0, [])]
    for i, (no, t) in enumerate(body):
        if i in headings:
            groups.append((t, no, []))
        else:
            groups[-1][2].append((no, t))

    lead_heading, _, lead_paragraphs = groups[0]
    if not lead_paragraphs:
        warnings.append(WireWarning(body[0][0], "no lead paragraph before the first heading"))
    sections = []
    for heading, no, paragraphs in groups:
        line = no or (paragraphs[0][0] if paragraphs else body[0][0])
        sections.append(
            WireSection(
                heading=heading,
                paragraphs=tuple(t for _, t in paragraphs),
                line=line,
                paragraph_lines=tuple(n for n, _ in paragraphs),
            )
        )
    return tuple(sections)


@dataclass
class _Analyst:
    name: str
    role: str
    institution: str
    place: str
    specialty: str
    line: int
    statements: list[WireStatement]
    order: int = 0  # the sentence that introduces them
    last_mention: int = -1  # the last sentence mentioning them so far


def _parse_analysts(
    sections: tuple[WireSection, ...], warnings: list[WireWarning], chooser: Chooser
) -> tuple[WireAnalyst, ...]:
    # (line, sentence, paragraph number), in reading order.
    sentences: list[tuple[int, str, int]] = []
    paragraph_texts: list[str] = []
    for section in sections:
        for no, text in zip(section.paragraph_lines, section.paragraphs, strict=True):
            paragraph_texts.append(text)
            sentences += [
                (no, sentence, len(paragraph_texts) - 1) for sentence in _split_sentences(text)
            ]
    french = chooser.language == "fr"

    found: list[_Analyst] = []
    for order, (no, sentence, _) in enumerate(sentences):
        for analyst in _intros(sentence, no, french):
            if any(_same_person(a.name, analyst.name) for a in found):
                continue
            analyst.order = order
            found.append(analyst)
    if not found:
        return ()

    # Every suffix of a name ("Will Kingston-Cox", "Kingston-Cox") names the analyst;
    # a suffix two analysts share ("Voicu") is resolved sentence by sentence.
    variants: dict[str, list[int]] = {}
    for index, analyst in enumerate(found):
        tokens = analyst.name.split()
        for start in range(len(tokens)):
            if tokens[start].lower() in _PARTICLE_WORDS and start == len(tokens) - 1:
                continue
            variants.setdefault(" ".join(tokens[start:]), []).append(index)
    mention_re = re.compile(
        r"(?<![\w'’-])("
        + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        + r")(?![\w-])"
    )

    resolved: dict[str, int] = {}  # choice key -> analyst index
    for order, (no, sentence, paragraph) in enumerate(sentences):
        mentions: list[tuple[int, int]] = []  # (position, analyst index)
        for match in mention_re.finditer(sentence):
            if _after_capitalised(sentence, match.start()):
                continue
            variant = match.group(1)
            # Only those introduced by now: a surname before the second one's
            # introduction means the first.
            candidates = [i for i in variants[variant] if found[i].order <= order]
            if not candidates:
                continue
            if len(candidates) == 1:
                index = candidates[0]
            else:
                key = f"{_slugify(variant)}@{no}"
                if key not in resolved:
                    context = paragraph_texts[paragraph - 1] if paragraph else ""
                    resolved[key] = _resolve_surname(
                        key, variant, no, sentence, context, found, candidates, chooser, warnings
                    )
                index = resolved[key]
            mentions.append((match.start(), index))
        for index, text in _assign_clauses(sentence, mentions):
            statement = WireStatement(text=text, kind=_classify(text), line=no)
            if statement.text not in {s.text for s in found[index].statements}:
                found[index].statements.append(statement)
        for _, index in mentions:
            found[index].last_mention = order

    result = []
    for analyst in found:
        surname_only = len(analyst.name.split()) == 1
        if surname_only:
            warnings.append(
                WireWarning(
                    analyst.line,
                    f"analyst {analyst.name!r} is known only by a surname; check and "
                    "complete the name",
                )
            )
        result.append(
            WireAnalyst(
                name=analyst.name,
                role=analyst.role,
                institution=analyst.institution,
                place=analyst.place,
                surname_only=surname_only,
                statements=tuple(analyst.statements),
                line=analyst.line,
                specialty=analyst.specialty,
            )
        )
    return tuple(result)


def _resolve_surname(
    key: str,
    variant: str,
    line: int,
    sentence: str,
    context: str,
    found: list[_Analyst],
    candidates: list[int],
    chooser: Chooser,
    warnings: list[WireWarning],
) -> int:
    """Which of the analysts sharing ``variant`` the sentence names: scored, a choice."""
    scored = scoring.surname_scores(
        [
            scoring.Candidate(
                key=str(i),
                role=found[i].role,
                institution=found[i].institution,
                said=" ".join(st.text for st in found[i].statements),
                last_mention=found[i].last_mention,
            )
            for i in candidates
        ],
        sentence=sentence,
        context=context,
    )
    options = [
        WireOption(_slugify(found[int(k)].name), found[int(k)].name, score) for k, score in scored
    ]
    choice = chooser.decide(key, line, f"Who is {variant!r} on line {line}?", options)
    index = next(int(k) for k, _ in scored if _slugify(found[int(k)].name) == choice.chosen)
    others = ", ".join(
        f"{o.label} {o.score:.2f}" for o in choice.options if o.value != choice.chosen
    )
    how = "as chosen" if choice.explicit else f"score {choice.option(choice.chosen).score:.2f}"
    warnings.append(
        WireWarning(
            line,
            f"{variant!r} could be {' or '.join(o.label for o in choice.options)}: took "
            f"{found[index].name} ({how}; other: {others}); check",
            key,
        )
    )
    return index


_PARTICLE_WORDS = frozenset(_PARTICLE.strip("(?:)").split("|"))


def _intros(sentence: str, line: int, french: bool) -> list[_Analyst]:
    """The analysts a sentence introduces, in order."""
    found: list[tuple[int, _Analyst]] = []
    taken: list[tuple[int, int]] = []
    patterns = [_INTRO_RE, _BARE_INTRO_RE] + ([_FRENCH_INTRO_RE] if french else [])
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            if any(a <= match.start() < b for a, b in taken):
                continue
            analyst = _analyst_from_intro(match, line, bare=pattern is _BARE_INTRO_RE)
            if analyst is not None:
                found.append((match.start(), analyst))
                taken.append((match.start(), match.end()))
    return [analyst for _, analyst in sorted(found, key=lambda item: item[0])]


def _analyst_from_intro(match: re.Match[str], line: int, *, bare: bool = False) -> _Analyst | None:
    tokens = match["name"].split()
    while tokens and tokens[0].lower() in _NOT_NAME_WORDS:
        tokens.pop(0)
    if not tokens:
        return None
    role = " ".join(match["role"].split())
    words = role.split()
    if len(words) > 6 or not words:
        return None
    head = words[-1].lower()
    if head in _NON_PERSON_ROLES or (len(tokens) == 1 and head == "member"):
        return None
    groups = match.groupdict()
    if (bare or not groups.get("art")) and not _names_an_expert(words):
        return None
    institution = " ".join((groups.get("inst") or "").split())
    place = groups.get("place") or ""
    based = re.match(rf"^(?P<place>[{_UP}][\w'’-]*)-based\s+(?P<rest>.+)$", institution)
    if based and not place:
        place, institution = based["place"], based["rest"]
    return _Analyst(
        name=" ".join(tokens),
        role=role,
        institution=institution,
        place=place,
        specialty=(groups.get("spec") or "").strip(),
        line=line,
        statements=[],
    )


def _names_an_expert(role_words: list[str]) -> bool:
    """Whether a role ("independent agricultural economist", "director") names an analyst."""
    # The head noun comes before any "of"/"in" complement ("professor of law").
    words = [w.lower() for w in role_words]
    for index, word in enumerate(words):
        if word in {"of", "in", "on", "for", "de", "du", "des", "en"}:
            words = words[:index]
            break
    if not words:
        return False
    head = words[-1]
    if head in _PERSON_ROLES:
        return True
    return head in _FORMER_ROLES and bool({"former", "retired", "ex"} & set(words))


def _same_person(known: str, new: str) -> bool:
    # "Hall" introduced after "Peter Hall" (or the reverse) is the same analyst.
    a, b = known.split(), new.split()
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long[-len(short) :] == short


def _after_capitalised(sentence: str, pos: int) -> bool:
    """True when the mention follows a capitalised word ("City Hall"): not our analyst."""
    # Bounded look-back keeps this linear on pathological 1 MB paragraphs.
    before = re.search(rf"([{_UP}][\w'’.-]*)\s+$", sentence[max(0, pos - 60) : pos])
    if not before:
        return False
    word = before.group(1).lower()
    return word not in _NOT_NAME_WORDS and word not in _HONORIFICS


def _assign_clauses(sentence: str, mentions: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Give each mentioned analyst the sentence, or its own clause when split is possible."""
    order: list[tuple[int, int]] = []  # first mention per analyst, in order
    for pos, index in mentions:
        if index not in {i for _, i in order}:
            order.append((pos, index))
    if len(order) <= 1:
        return [(index, sentence) for _, index in order]

    cuts: list[tuple[int, int]] = []  # (clause end, next clause start)
    for (pos_a, _), (pos_b, _) in zip(order, order[1:], strict=False):
        between = [m for m in _CONNECTOR_RE.finditer(sentence) if pos_a < m.start() < pos_b]
        if not between:
            return [(index, sentence) for _, index in order]
        cuts.append((between[-1].start(), between[-1].end()))

    clauses = []
    start = 0
    for (end, next_start), (_, index) in zip(cuts, order, strict=False):
        clauses.append((index, _tidy_clause(sentence[start:end], sentence)))
        start = next_start
    clauses.append((order[-1][1], _tidy_clause(sentence[start:], sentence)))
    return clauses


def _tidy_clause(clause: str, sentence: str) -> str:
    clause = clause.strip().rstrip(",;:").strip()
    if not re.search(r"[.!?][\"”’)]*$", clause):
        final = re.search(r"[.!?](?=[\"”’)]*$)", sentence)
        clause += final.group(0) if final else "."
    return clause[:1].upper() + clause[1:]


def _classify(text: str) -> str:
    # A quotation is at least three quoted words; "Kyiv regime" is only a phrase.
    quoted = any(len(m.group(1).split()) >= 3 for m in _QUOTED_SPAN_RE.finditer(text))
    if quoted and (_QUOTE_AFTER_RE.search(text) or _QUOTE_BEFORE_RE.search(text)):
        return "quote"
    if _REPORTING_RE.search(text):
        return "paraphrase"
    return "assessment"


# --------------------------------------------------------------------------- enrichment


@dataclass
class _Proposal:
    title: str
    line: int
    proposed_by: tuple[str, ...] | None = None
    categories: list[tuple[str, int, list[_Line]]] | None = None


def _bullet_text(text: str) -> str | None:
    match = _BULLET_RE.match(text)
    if not match:
        return None
    return text[match.end() :].strip()


def _category_label(bullet: str) -> str | None:
    if bullet.endswith(":") and len(bullet.split()) <= 8 and len(bullet) <= 80:
        label = bullet[:-1].strip()
        return label or None
    return None


def _parse_enrichment(
    marker_line: int, lines: list[_Line], warnings: list[WireWarning], chooser: Chooser
) -> WireEnrichment:
    if not lines:
        raise WireError("the 'Enrichment Data:' part is empty", marker_line)

    overview_parts: list[str] = []
    overview_line = 0
    proposals: list[_Proposal] = []
    key_points: list[_Line] = []
    key_points_header = 0
    category: tuple[str, int, list[_Line]] | None = None

    def close_category() -> None:
        if category is not None and not category[2]:
            raise WireError(f"category {category[0]!r} has no terms", category[1])

    def close_proposal() -> None:
        close_category()
        if proposals and not proposals[-1].categories:
            last = proposals[-1]
            raise WireError(
                f"proposal {last.title!r} has no categories ('- <Label>:' lines)", last.line
            )

    for no, t in lines:
        bullet = _bullet_text(t)
        if bullet is None:
            overall = _OVERALL_RE.match(t)
            if overall:
                if overview_line:
                    raise WireError(
                        f"a second 'Overall:' line (the first is on line {overview_line})", no
                    )
                if proposals or key_points or key_points_header:
                    raise WireError("the 'Overall:' line must come before the proposals", no)
                overview_line = no
                if overall["text"].strip():
                    overview_parts.append(overall["text"].strip())
                continue
            if _KEY_POINTS_RE.match(t):
                if key_points_header:
                    raise WireError(
                        f"a second 'Key points:' header (the first is on line {key_points_header})",
                        no,
                    )
                close_proposal()
                category = None
                key_points_header = no
                continue
            proposed = _PROPOSED_BY_RE.match(t)
            if proposed:
                if not proposals or proposals[-1].categories or proposals[-1].proposed_by:
                    raise WireError("'Proposed by:' must follow a proposal title directly", no)
                names = tuple(s.strip() for s in re.split(r"[,;]", proposed["text"]) if s.strip())
                if not names:
                    raise WireError("the 'Proposed by:' line names nobody", no)
                proposals[-1].proposed_by = names
                continue
            if (
                overview_line
                and not (proposals or key_points_header or key_points)
                and (not overview_parts or not _is_heading_like(t.rstrip(":")))
            ):
                # Continuation of the overview (e.g. "Overall:" alone on its line).
                overview_parts.append(t)
                continue
            if key_points_header:
                raise WireError("text after the 'Key points:' header must be '- ' bullets", no)
            if key_points:
                raise WireError("a proposal title after the key points; proposals come first", no)
            title = t.rstrip(":").strip()
            if not _is_heading_like(title):
                raise WireError(
                    "expected a proposal title (a short line without final punctuation) "
                    "or a '- ' bullet",
                    no,
                )
            close_proposal()
            category = None
            proposals.append(_Proposal(title=title, line=no, categories=[]))
            continue

        if not bullet:
            raise WireError("an empty bullet", no)
        label = _category_label(bullet)
        if key_points_header or (not proposals and category is None):
            if label is not None and not key_points_header:
                raise WireError(
                    f"category {label!r} outside a proposal; put a proposal title above it", no
                )
            key_points.append((no, bullet))
            continue
        if label is not None:
            close_category()
            category = (label, no, [])
            assert proposals[-1].categories is not None
            proposals[-1].categories.append(category)
            continue
        if category is None:
            raise WireError(
                f"a bullet under proposal {proposals[-1].title!r} before any category "
                "('- <Label>:' line)",
                no,
            )
        category[2].append((no, bullet))

    close_proposal()

    # Without a header, the key points hide at the end of the last category's bullets.
    split_choice: WireChoice | None = None
    if category is not None and not key_points_header and len(category[2]) > 1:
        split_choice = _split_key_points(proposals, category, chooser)
        terms = category[2]
        split = _split_index(split_choice, terms)
        key_points = terms[split:]
        del terms[split:]
        if key_points:
            warnings.append(
                WireWarning(
                    key_points[0][0],
                    f"assumed the key points start here (no 'Key points:' header; "
                    f"{_choice_note(split_choice)}); check where the terms of "
                    f"{category[0]!r} end",
                    split_choice.key,
                )
            )

    if not overview_line:
        warnings.append(WireWarning(marker_line, "the enrichment has no 'Overall:' overview"))
    if not key_points and split_choice is not None:
        warnings.append(
            WireWarning(
                marker_line,
                f"the enrichment has no key points: took every bullet under {category[0]!r} "
                f"as its terms ({_choice_note(split_choice)})",
                split_choice.key,
            )
        )
    elif not key_points:
        warnings.append(WireWarning(marker_line, "the enrichment has no key points"))

    return WireEnrichment(
        overview=" ".join(overview_parts),
        proposals=tuple(_finish_proposal(p, warnings) for p in proposals),
        key_points=tuple(t for _, t in key_points),
        line=marker_line,
        overview_line=overview_line,
        key_points_line=key_points_header or (key_points[0][0] if key_points else 0),
        key_point_lines=tuple(no for no, _ in key_points),
    )


KEY_POINTS_KEY = "key-points"


def _split_key_points(
    proposals: list[_Proposal], category: tuple[str, int, list[_Line]], chooser: Chooser
) -> WireChoice:
    """Score every place the key points could start among the last category's bullets."""
    bullets = category[2]
    reference = [
        term
        for proposal in proposals
        for _label, _line, terms in proposal.categories or []
        for _no, term in (terms if terms is not bullets else terms[:1])
    ]
    parties: list[str] = []
    for proposal in proposals:
        parties += proposal.proposed_by or _infer_proposed_by(proposal.title)
    likeness = [
        scoring.key_point_likeness(text, reference_terms=reference, parties=parties)
        for _, text in bullets
    ]
    options = []
    for split in scoring.score_splits(likeness):
        if split.index == len(bullets):
            label = f"no key points: all {len(bullets)} bullets are terms of {category[0]!r}"
            options.append(WireOption("none", label, split.score))
        else:
            no, text = bullets[split.index]
            label = f"key points start at line {no}: “{_excerpt(text)}”"
            options.append(WireOption(str(no), label, split.score))
    return chooser.decide(
        KEY_POINTS_KEY,
        bullets[1][0],
        f"Where do the key points start (after {category[0]!r})?",
        options,
    )


def _split_index(choice: WireChoice, bullets: list[_Line]) -> int:
    if choice.chosen == "none":
        return len(bullets)
    return next(i for i, (no, _) in enumerate(bullets) if str(no) == choice.chosen)


def _choice_note(choice: WireChoice) -> str:
    """'score 0.91; runner-up: line 32, 0.74' for a warning's text."""
    chosen = choice.option(choice.chosen)
    other = next((o for o in choice.options if o.value != choice.chosen), None)
    note = "as chosen" if choice.explicit else f"score {chosen.score:.2f}"
    if other is not None:
        what = "no key points" if other.value == "none" else f"line {other.value}"
        note += f"; {'runner-up' if not choice.explicit else 'best'}: {what}, {other.score:.2f}"
    return note


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _finish_proposal(proposal: _Proposal, warnings: list[WireWarning]) -> WireProposal:
    status = next((s for rx, s in _STATUS_RULES if rx.search(proposal.title)), "official")
    proposed_by = proposal.proposed_by
    if proposed_by is None:
        proposed_by = _infer_proposed_by(proposal.title)
        if proposed_by:
            warnings.append(
                WireWarning(
                    proposal.line,
                    f"inferred who proposed {proposal.title!r} from its title: "
                    f"{', '.join(proposed_by)}; check",
                )
            )
        else:
            warnings.append(
                WireWarning(
                    proposal.line,
                    f"could not tell who proposed {proposal.title!r}; add a 'Proposed by:' "
                    "line or set it in the admin",
                )
            )
    categories = tuple(
        WireCategory(label=label, terms=tuple(t for _, t in terms), line=no)
        for label, no, terms in proposal.categories or []
    )
    return WireProposal(
        title=proposal.title,
        proposed_by=proposed_by,
        status=status,
        categories=categories,
        line=proposal.line,
    )


def _infer_proposed_by(title: str) -> tuple[str, ...]:
    tokens = [re.sub(r"(?:'s|’s|'|’)$", "", token) for token in title.split()]
    # "EU Draft Statute", "UN-Backed Proposal for Extended Access": the proposer is
    # what comes before the first generic word ("Draft", "Proposal"), "-backed" dropped.
    cut = next((i for i, t in enumerate(tokens) if t.lower() in _GENERIC_TITLE_WORDS), None)
    # Titles opening with one ("Proposal by the African Union") lose every generic word.
    generic = _GENERIC_TITLE_WORDS
    tokens = tokens[:cut] if cut else [t for t in tokens if t.lower() not in generic]
    tokens = [
        re.sub(r"-(?:backed|brokered|led|sponsored|drafted)$", "", t, flags=re.I) for t in tokens
    ]
    while tokens and tokens[0].lower() in {"by", "from", "of", "the", "a", "an"}:
        tokens.pop(0)
    while tokens and tokens[-1].lower() in {"by", "from", "of", "for", "the", "and", "on"}:
        tokens.pop()
    if not tokens:
        return ()
    if len(tokens) == 1:
        parts = tokens[0].split("-")
        if all(p.lower() in _DEMONYMS for p in parts):
            return tuple(dict.fromkeys(_DEMONYMS[p.lower()] for p in parts))
    phrase = " ".join(tokens)
    names = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|,\s*|/", phrase) if p.strip()]
    return tuple(_DEMONYMS.get(n.lower(), n) if " " not in n else n for n in names)


def _infer_buried_topics(
    enrichment: WireEnrichment, warnings: list[WireWarning]
) -> tuple[WireEnrichment, tuple[str, ...]]:
    last = enrichment.key_points[-1]
    # Only the tail can hold buried topics; bounding it keeps the search linear.
    match = _BURIED_TOPICS_RE.search(last, max(0, len(last) - 300))
    if not match:
        return enrichment, ()
    topics = tuple(dict.fromkeys(_TOPIC_SEP_RE.split(match["chain"])))
    if len(topics) < 2 or not any("-" in t for t in topics):
        return enrichment, ()
    kept = last[: match.start()].rstrip(" ,;") + "."
    warnings.append(
        WireWarning(
            enrichment.key_point_lines[-1],
            f"inferred the topics {', '.join(topics)} from the end of the last key point and "
            "removed them from its text; check the topics and that key point",
        )
    )
    key_points = (*enrichment.key_points[:-1], kept)
    return dataclasses.replace(enrichment, key_points=key_points), topics

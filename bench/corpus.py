"""The words of the generated collection: vocabularies and pools of ready-made text.

Texts are drawn from pools made once per run (fixed seed): generating every paragraph
word by word would cost more than writing them to the database. Titles stay one per
article (the narrow search looks for a word in titles).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "ceasefire negotiations talks delegation kremlin kyiv washington brussels summit "
    "sanctions frontline offensive territory security guarantees envoy minister treaty "
    "referendum occupation withdrawal troops drones artillery energy grid gas pipeline "
    "grain corridor black sea ports shipping insurance markets inflation rouble budget "
    "reconstruction aid package parliament coalition election polls opposition protest "
    "diplomats mediator ankara doha beijing delhi observers monitoring mission nuclear "
    "plant inspectors prisoners exchange humanitarian convoy evacuation refugees border "
    "checkpoint alliance membership neutrality deterrence arms supplies missiles defence "
    "airspace escalation deadline ultimatum leverage concessions demands proposal draft "
    "memorandum framework roadmap phase timeline verification compliance violation "
    "accusations statement spokesman briefing officials sources analysts assessment "
    "region government president chancellor council committee commission agreement"
)
MOTS = _words(
    "cessez-le-feu négociations pourparlers délégation sanctions front offensive "
    "territoire garanties sécurité envoyé ministre traité retrait troupes énergie "
    "gazoduc céréales corridor ports marchés budget reconstruction aide parlement "
    "coalition élection opposition diplomates médiateur observateurs centrale "
    "inspecteurs prisonniers échange humanitaire réfugiés frontière alliance "
    "neutralité dissuasion missiles défense escalade ultimatum concessions exigences "
    "proposition projet calendrier vérification accord gouvernement président conseil"
)
FIRST_NAMES = _words(
    "Anna Boris Chloé Daniel Elena Farid Greta Hugo Irina Jonas Katya Luis Marta Nikolai "
    "Olga Pavel Quentin Rosa Samir Tanya Ugo Vera Wojciech Xenia Yusuf Zofia"
)
LAST_NAMES = _words(
    "Abramova Becker Castillo Dubois Eriksen Fischer Gordon Horvat Ivanova Jansen Kowalski "
    "Laurent Morozov Novak Okafor Petrov Quinn Rossi Schneider Tkachenko Ulrich Volkov "
    "Weber Yilmaz Zhukov"
)
PLACES = _words("Geneva London Paris Berlin Warsaw Kyiv Moscow Washington Brussels Vienna")
CATEGORIES = [
    "Territorial concessions",
    "Security guarantees",
    "Sanctions relief",
    "Military limits",
    "Ceasefire monitoring",
    "Prisoners and civilians",
    "Energy and nuclear safety",
    "Reconstruction",
    "Elections and governance",
    "Language and church",
    "NATO membership",
    "Timeline",
]
ACTORS = ["Russia", "Ukraine", "United States", "European Union", "Turkey", "China", "NATO"]


def sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    text = " ".join(rng.choices(words, k=rng.randint(low, high)))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(sentence(rng, words, 8, 18) for _ in range(rng.randint(3, 5)))


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@dataclass(frozen=True)
class Pools:
    """Ready-made texts in English and French, drawn from by `rng.choice`."""

    paragraphs: list[str]
    headings: list[str]
    standfirsts: list[str]
    statements: list[str]
    items: list[str]
    paragraphes: list[str]
    intertitres: list[str]
    chapeaux: list[str]
    names: list[str]

    @classmethod
    def make(cls, rng: random.Random) -> Pools:
        return cls(
            paragraphs=[paragraph(rng, WORDS) for _ in range(3000)],
            headings=[sentence(rng, WORDS, 2, 5)[:-1] for _ in range(600)],
            standfirsts=[sentence(rng, WORDS, 18, 30) for _ in range(6000)],
            statements=[sentence(rng, WORDS, 15, 35) for _ in range(6000)],
            items=[sentence(rng, WORDS, 6, 12) for _ in range(2000)],
            paragraphes=[paragraph(rng, MOTS) for _ in range(1500)],
            intertitres=[sentence(rng, MOTS, 2, 5)[:-1] for _ in range(300)],
            chapeaux=[sentence(rng, MOTS, 18, 30) for _ in range(2000)],
            names=[person(rng) for _ in range(400)],
        )

"""Content for the readers' site tests, built through the real workflow."""

from __future__ import annotations

import pytest

from articles.site import search
from articles.states import State
from proposals.models import Actor, ProposalTerm, TermCategory
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    InstitutionFactory,
    ProposalFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
)


@pytest.fixture
def story(editor):
    """A published article like the sample: English text translated from French,
    a French version, two analysts, an overview and key points, two proposals."""
    topic = TopicFactory(slug="ukraine", name="Ukraine")
    article = ArticleFactory(
        slug="putin-talks",
        title="Putin says talks with Washington are going nowhere",
        standfirst="Analysts see a stalling tactic as the summer offensive nears.",
        language="en",
        original_language="fr",
        translator_credit="Lara Bullens",
        byline="Marie Dupont",
        sections=[
            ("", "Vladimir Putin said on Friday that the negotiations had stalled."),
            ("What the Kremlin wants", "Moscow demands the four regions.\n\nKyiv refuses."),
        ],
    )
    article.topics.add(topic)
    institute = InstitutionFactory(name="Carnegie Endowment", place="Berlin")
    gabuev = AnalystFactory(
        slug="alexander-gabuev", name="Alexander Gabuev", role="director", institution=institute
    )
    stanovaya = AnalystFactory(slug="tatiana-stanovaya", name="Tatiana Stanovaya")
    moderate(
        AttributionFactory(
            article=article, analyst=gabuev, statement="The Kremlin is buying time.", order=1
        ),
        State.APPROVED,
        editor,
    )
    moderate(
        AttributionFactory(
            article=article,
            analyst=stanovaya,
            kind="quote",
            statement="Putin believes time is on his side.",
            order=2,
        ),
        State.APPROVED,
        editor,
    )
    moderate(
        EnrichmentBlockFactory(
            article=article,
            kind="overview",
            title="Overview",
            body="<p>Talks are stuck.</p>",
            items=[],
        ),
        State.APPROVED,
        editor,
    )
    moderate(
        EnrichmentBlockFactory(
            article=article, kind="key_points", title="Key points", items=["No ceasefire."]
        ),
        State.APPROVED,
        editor,
    )
    territory = TermCategory.for_label("Territorial concessions")
    guarantees = TermCategory.for_label("Security guarantees")
    us_plan = ProposalFactory(slug="us-plan", title="US 28-point plan", status="reported")
    us_plan.proposed_by.add(Actor.objects.create(slug="usa", name="United States"))
    ProposalTerm.objects.create(
        proposal=us_plan, category=territory, text="Donbas ceded to Russia.", sourcing="reported"
    )
    ProposalTerm.objects.create(
        proposal=us_plan, category=guarantees, text="NATO-like article five.", sourcing="confirmed"
    )
    eu_plan = ProposalFactory(slug="eu-plan", title="European counter-proposal")
    ProposalTerm.objects.create(
        proposal=eu_plan, category=guarantees, text="European troops.", sourcing="reported"
    )
    for proposal in (us_plan, eu_plan):
        proposal.articles.add(article)
        moderate(proposal, State.APPROVED, editor)
    moderate(
        TranslationVersionFactory(
            article=article,
            language="fr",
            from_language="fr",
            title="Poutine juge les pourparlers dans l'impasse",
            standfirst="Les analystes y voient une manœuvre dilatoire.",
            credit="",
            version=1,
        ),
        State.APPROVED,
        editor,
    )
    article = moderate(article, State.PUBLISHED, editor)
    search.rebuild_index()
    return article


def en_only_article(editor, **kwargs):
    article = ArticleFactory(**kwargs)
    return moderate(article, State.PUBLISHED, editor)

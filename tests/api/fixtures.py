"""Shared content and clients for the API tests (imported by each test module).

Kept out of a conftest.py so that other test files in tests/api/ stay independent.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.states import State
from proposals.models import Actor, TermCategory
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    InstitutionFactory,
    ProposalFactory,
    ProposalTermFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

ROLES = ["reader", "editor", "translator", "contributor"]


def client_for(user=None) -> APIClient:
    """An API client authenticated with a token (anonymous for None)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture(params=ROLES)
def role_client(request, db) -> tuple[str, APIClient]:
    """Each role in turn: ("reader", anonymous client), ("editor", token client), ..."""
    role = request.param
    if role == "reader":
        return role, APIClient()
    return role, client_for(request.getfixturevalue(role))


class World:
    """Published and unpublished content, enough to see every rule of visibility."""

    def __init__(self, editor):
        self.topic = TopicFactory(slug="ukraine", name="Ukraine")
        self.other_topic = TopicFactory(slug="arctic", name="Arctic")
        self.institution = InstitutionFactory(name="Institute for War Studies", place="London")
        self.analyst = AnalystFactory(
            slug="ana-lyst", name="Ana Lyst", role="Director", institution=self.institution
        )
        self.hidden_analyst = AnalystFactory(slug="hidden-analyst", name="Hidden Analyst")

        self.article = ArticleFactory(
            slug="putin-talks", title="Talks in Istanbul", standfirst="What they mean."
        )
        self.article.topics.add(self.topic)
        self.statement = AttributionFactory(
            article=self.article,
            analyst=self.analyst,
            kind="quote",
            statement="The talks are a ruse.",
        )
        moderate(self.statement, State.APPROVED, editor)
        self.draft_statement = AttributionFactory(
            article=self.article, analyst=self.hidden_analyst, statement="Not yet public."
        )
        self.block = EnrichmentBlockFactory(
            article=self.article, title="Key points", body="<p>Body <b>bold</b></p>"
        )
        moderate(self.block, State.APPROVED, editor)
        self.draft_block = EnrichmentBlockFactory(article=self.article, title="Draft block")
        self.french = TranslationVersionFactory(
            article=self.article,
            language="fr",
            from_language="en",
            version=1,
            title="Pourparlers à Istanbul",
            credit="Jeanne Traductrice",
        )
        moderate(self.french, State.APPROVED, editor)
        self.actor = Actor.objects.create(slug="russia", name="Russia")
        self.proposal = ProposalFactory(slug="russian-plan", title="Russian plan")
        self.proposal.proposed_by.add(self.actor)
        self.proposal.articles.add(self.article)
        ProposalTermFactory(
            proposal=self.proposal,
            category=TermCategory.for_label("Territorial concessions"),
            text="Ukraine cedes Donbas.",
            sourcing="reported",
        )
        ProposalTermFactory(proposal=self.proposal, text="No NATO membership.")
        moderate(self.proposal, State.APPROVED, editor)
        self.other_proposal = ProposalFactory(slug="european-plan", title="European plan")
        self.other_proposal.articles.add(self.article)
        ProposalTermFactory(proposal=self.other_proposal, text="European troops.")
        moderate(self.other_proposal, State.APPROVED, editor)
        self.hidden_proposal = ProposalFactory(slug="secret-plan", title="Secret plan")
        self.hidden_proposal.articles.add(self.article)
        self.article = moderate(self.article, State.PUBLISHED, editor)

        # A base text that is itself a translation (imported): en, from fr.
        self.translated = published_article(
            editor,
            slug="sahel-mediation",
            title="Mediation in the Sahel",
            language="en",
            original_language="fr",
            translator_credit="Lara Bullens",
        )
        self.translated.topics.add(self.other_topic)
        self.draft = ArticleFactory(slug="draft-article", title="Unfinished draft")
        self.archived = moderate(ArticleFactory(slug="old-article"), State.ARCHIVED, editor)


@pytest.fixture
def world(editor) -> World:
    return World(editor)

"""factory_boy factories. Objects are created in `draft`; use `moderate()` to move them."""

import factory
from django.utils import timezone

from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    Institution,
    Section,
    Topic,
    TranslationVersion,
)
from articles.states import State
from articles.workflow import transition
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institute of Studies {n}")
    place = "Geneva"


class AnalystFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Analyst

    name = factory.Sequence(lambda n: f"Analyst Number{n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")
    role = "researcher"
    institution = factory.SubFactory(InstitutionFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article number {n} on the talks")
    standfirst = "What the talks mean for the region."
    language = "en"
    original_language = "en"

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if not create:
            return
        for i, (heading, body) in enumerate(
            extracted or [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]
        ):
            Section.objects.create(article=self, order=i, heading=heading, body=body)


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    article = factory.SubFactory(ArticleFactory)
    analyst = factory.SubFactory(AnalystFactory)
    kind = Attribution.Kind.PARAPHRASE
    statement = factory.Sequence(lambda n: f"The talks are a ruse, claim number {n}.")


class EnrichmentBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnrichmentBlock

    article = factory.SubFactory(ArticleFactory)
    kind = EnrichmentBlock.Kind.KEY_POINTS
    title = "Key points"
    items = factory.LazyFunction(lambda: ["First point.", "Second point."])
    provenance = "test"


class TranslationVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TranslationVersion

    article = factory.SubFactory(ArticleFactory)
    language = "fr"
    from_language = "en"
    version = factory.Sequence(lambda n: n + 1)
    title = "Un article"
    standfirst = "Ce que les pourparlers signifient."
    sections = factory.LazyFunction(
        lambda: [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ]
    )
    credit = "Jeanne Traductrice"
    source_revision = 1


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    slug = factory.Sequence(lambda n: f"proposal-{n}")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    status = Proposal.Status.REPORTED


class ProposalTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalTerm

    proposal = factory.SubFactory(ProposalFactory)
    category = factory.LazyFunction(lambda: TermCategory.for_label("Security guarantees"))
    text = factory.Sequence(lambda n: f"Term {n}.")


PATH_TO = {
    State.DRAFT: [],
    State.IN_REVIEW: ["submit"],
    State.CHANGES_REQUESTED: ["submit", "request_changes"],
    State.REJECTED: ["submit", "reject"],
    State.APPROVED: ["submit", "approve"],
    State.PUBLISHED: ["submit", "approve", "publish"],
    State.ARCHIVED: ["submit", "approve", "publish", "unpublish"],
}


def moderate(obj, state: State, by):
    """Walk `obj` to `state` through the real workflow, acting as editor `by`."""
    for action in PATH_TO[state]:
        if obj.state == state:
            break
        note = "Needs work." if action in {"request_changes", "reject"} else ""
        obj = transition(obj, action, by=by, note=note)
    return obj


def published_article(by, **kwargs) -> Article:
    article = ArticleFactory(**kwargs)
    return moderate(article, State.PUBLISHED, by)


now = timezone.now

from django.apps import AppConfig

from articles import translatable
from articles.control_characters import refuse_control_characters
from articles.story import register_part
from proposals.translatable import KIND as proposal_kind


class ProposalsConfig(AppConfig):
    name = "proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every text field people type into refuses control characters.
        for model in self.get_models():
            refuse_control_characters(model)
        # Proposals linked to an article are parts of its story (published with it).
        register_part("proposals")
        # Their titles, summaries, terms and categories are translated with the story.
        translatable.register(proposal_kind)
        register_references()
        register_glossary_sources()
        # Imported here: the module loads the models, which are ready only now.
        from articles.pending import register_children

        # A published proposal's terms change with it, through its pending changes.
        register_children("proposals.proposal", "terms")


def register_glossary_sources() -> None:
    """Actors' names and term categories are names the glossary renders per language.
    (Imports inside: the models are ready only when `ready()` runs.)"""
    from articles.models import GlossaryEntry
    from articles.translations.glossary import register_entity_source
    from proposals.models import Actor, TermCategory

    register_entity_source(
        GlossaryEntry.Kind.ACTOR, lambda: Actor.objects.values_list("pk", "name")
    )
    register_entity_source(
        GlossaryEntry.Kind.CATEGORY, lambda: TermCategory.objects.values_list("pk", "label")
    )


def register_references() -> None:
    """Changes to proposals, their terms, actors and categories rebuild the snapshots of
    the stories discussing them and invalidate the pages showing them."""
    from articles.publication import Reference, register_reference, register_shared_unit
    from articles.site import tags
    from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

    def proposal_tags(ids) -> list[str]:
        return [*(tags.proposal(pk) for pk in ids), tags.PROPOSALS]

    register_reference(Proposal, Reference("proposals", lambda p: proposal_tags([p.pk])))
    register_reference(
        ProposalTerm, Reference("proposals__terms", lambda t: proposal_tags([t.proposal_id]))
    )
    register_reference(
        Actor,
        Reference(
            "proposals__proposed_by",
            lambda a: proposal_tags(a.proposals.values_list("pk", flat=True)),
        ),
    )
    register_reference(
        TermCategory,
        Reference(
            "proposals__terms__category",
            lambda c: proposal_tags(
                Proposal.objects.filter(terms__category=c).values_list("pk", flat=True).distinct()
            ),
        ),
    )
    # A translation's renderings of a proposal's title, summary, terms (shown with their
    # proposal) and of term categories go live on every page showing them.
    register_shared_unit("proposal", lambda ids: Proposal.objects.filter(pk__in=ids))
    register_shared_unit(
        "term", lambda ids: Proposal.objects.filter(terms__in=ids).distinct().order_by("pk")
    )
    register_shared_unit("category", lambda ids: TermCategory.objects.filter(pk__in=ids))

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

from django.apps import AppConfig

from articles.control_characters import refuse_control_characters
from articles.story import register_part


class ProposalsConfig(AppConfig):
    name = "proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every text field people type into refuses control characters.
        for model in self.get_models():
            refuse_control_characters(model)
        # Proposals linked to an article are parts of its story (published with it).
        register_part("proposals")
        # Imported here: the module loads the models, which are ready only now.
        from articles.pending import register_children

        # A published proposal's terms change with it, through its pending changes.
        register_children("proposals.proposal", "terms")

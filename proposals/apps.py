from django.apps import AppConfig

from articles.story import register_part


class ProposalsConfig(AppConfig):
    name = "proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Proposals linked to an article are parts of its story (published with it).
        register_part("proposals")

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.control_characters import refuse_control_characters

        # Every text field people type into refuses control characters.
        for model in self.get_models():
            refuse_control_characters(model)

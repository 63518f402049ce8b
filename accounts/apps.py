from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: the limit on password guessing (`accounts.signin_limit`)."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

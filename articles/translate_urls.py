"""The translators' workspace at /translate/ (placeholder until translations land)."""

urlpatterns: list = []

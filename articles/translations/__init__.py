"""Translations: the domain rules (`domain`), the translators' workspace, the editors'
side-by-side review, and the translations API."""

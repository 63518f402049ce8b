"""Text refuses C0 control characters other than tab, line feed and carriage return.

They are invisible on screen, cannot be written in XML 1.0 (the RSS feed, the sitemap)
and PostgreSQL refuses NUL outright. One rule for all text people type:

- `no_control_characters`, a model-field validator that the articles and proposals
  apps put on every editable text field of their models (`refuse_control_characters`,
  called from each app's `ready()`), so admin forms refuse them field by field; code
  that writes without model validation (the translation workflow) calls it too;
- `strip_control_characters` for text that arrives from elsewhere (wire copy, with a
  warning) or was stored before the rule existed (the feed).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def control_characters_in(value: Any) -> list[str]:
    """The distinct control characters in `value`: a string, or JSON (lists, dicts)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.update(CONTROL_CHARACTERS.findall(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return sorted(found)


def describe(characters: list[str]) -> str:
    """'U+0001, U+001B': how characters nobody can see are named in messages."""
    return ", ".join(f"U+{ord(c):04X}" for c in characters)


def no_control_characters(value: Any) -> None:
    """Validator: refuse `value` if it holds a control character (tab and newlines pass)."""
    found = control_characters_in(value)
    if found:
        raise ValidationError(
            "Remove the control character %(characters)s: text may not contain control "
            "characters other than tab and line breaks.",
            code="control_characters",
            params={"characters": describe(found)},
        )


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def refuse_control_characters(model: type[models.Model]) -> None:
    """Put `no_control_characters` on every editable text (and JSON) field of `model`.

    Slugs and fields with choices are left alone: their own validation already
    accepts only letters, digits and hyphens, or one of the choices.
    """
    for field in model._meta.fields:
        if not isinstance(field, TEXT_FIELDS) or not field.editable:
            continue
        if field.choices or isinstance(field, models.SlugField):
            continue
        if no_control_characters not in field._validators:
            field._validators.append(no_control_characters)
            field.__dict__.pop("validators", None)  # a cached_property: rebuild it

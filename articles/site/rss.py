"""The RSS generator of the readers' feed.

XML 1.0 cannot carry control characters, and Django's generator raises on them (a
500 for the whole feed). Text fields refuse them now (`articles.control_characters`),
but text stored before that rule may still hold some: they are dropped on the way out.
"""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Rss201rev2Feed

from articles.control_characters import strip_control_characters


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_stripped(v) for v in value)
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    return value


class ControlCharacterSafeRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose channel and items never hold a control character."""

    def add_root_elements(self, handler) -> None:
        self.feed = _stripped(self.feed)
        super().add_root_elements(handler)

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, _stripped(item))

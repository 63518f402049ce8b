"""Template helpers of the translators' workspace."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`mapping[key]`, or None: `{{ helpers|lookup:field.name }}`."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None

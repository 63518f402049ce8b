"""Template helpers of the staff desk: `{% load desk %}`."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from articles import permissions, story
from articles.stories import preview_story

register = template.Library()


@register.simple_tag
def transition_url(obj, action: str) -> str:
    """The admin URL applying workflow `action` to `obj` (its confirmation page on GET)."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, action])


@register.simple_tag
def current_time_zone() -> str:
    return timezone.get_current_timezone_name()


@register.filter
def desk_key(obj) -> str:
    """A page-unique key for `obj` ("article-12"), for element ids."""
    return f"{obj._meta.model_name}-{obj.pk}"


EFFECTS = {
    "submit": "It goes to the editors for review.",
    "withdraw": "It comes back to your drafts: edit it, then submit it again.",
    "approve": "It is approved and waits to be published.",
    "publish": "Readers see it at once.",
    "unpublish": "Readers no longer see it; it is kept, marked “unpublished”.",
    "reopen": "It goes back to draft; any approval and schedule are withdrawn.",
    "cancel_unpublish": "It stays published; the scheduled unpublishing is cancelled.",
}


@register.simple_tag
def transition_effect(action: str) -> str:
    return EFFECTS.get(action, "")


@register.simple_tag(takes_context=True)
def story_plan(context, obj, action: str):
    """What the story action `action` on `obj` (an article, or the pending changes of a
    published one) does to each part of its story (`articles.stories.preview_story`),
    for its dialog; None for anything else."""
    request = context.get("request")
    if request is None or action not in story.STORY_ACTIONS:
        return None
    article = story.story_article(obj)
    if article is None:
        return None
    return preview_story(article, action, by=request.user)


@register.simple_tag
def paragraph_anchor(section_number, paragraph_number) -> str:
    """The anchor of a paragraph in a thread ("2.3"), as `threads.anchor_choices` names it."""
    return f"{section_number}.{paragraph_number}"


@register.filter
def at_anchor(thread, anchor: str) -> list:
    """The thread's comments about paragraph `anchor`, on either side of a translation."""
    return [e for e in thread or [] if e.anchor in {anchor, f"source:{anchor}"}]


@register.filter
def labelled(bound_field):
    """A form field rendered with its label as its accessible name (tabular inlines
    show the label once, in the column header)."""
    label = str(bound_field.label or bound_field.name).capitalize()
    return bound_field.as_widget(attrs={"aria-label": label})


@register.simple_tag(takes_context=True)
def may_recover(context) -> bool:
    request = context.get("request")
    return request is not None and permissions.can_recover(request.user)

"""The serialization format of article and proposal revisions: reverting restores
content, never the workflow.

Revisions of articles and proposals leave out the workflow fields (`WORKFLOW_FIELDS`:
state, author, dates, edit version) and the importer's bookkeeping. django-reversion
reverts (and shows an old revision in the admin) by saving the deserialized copy as it
is, so with Django's JSON format the fields a revision lacks come back at their
defaults: state "draft", no author, `updated_at` NULL (a NOT NULL error: the history
could be neither viewed nor reverted).

This format is Django's JSON, except that a field the serialized object lacks keeps
its stored value (a timestamp kept up to date by `auto_now` is set to now): a revert
changes what the revision holds and nothing else. A deleted object being recovered has
no stored row and comes back with a new object's values (a draft).

Registered as `FORMAT` in `SERIALIZATION_MODULES`; `reversion.register(format=FORMAT)`
on the models; migration `articles.0006` moved older revisions to it.
"""

from __future__ import annotations

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import Serializer  # noqa: F401 - this format's serializer
from django.db import models
from django.utils import timezone

FORMAT = "newsroom-revision"


class Deserializer(JSONDeserializer):
    def _handle_object(self, obj):
        present = set(obj.get("fields", {}))
        for deserialized in super()._handle_object(obj):
            keep_stored_values(deserialized.object, present, using=self.using)
            yield deserialized


def keep_stored_values(instance: models.Model, present: set[str], *, using=None) -> None:
    """Give the fields of `instance` not named in `present` their stored values."""
    model = type(instance)
    missing = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.name not in present
    ]
    if not missing or instance.pk is None:
        return
    stored = (
        model._default_manager.using(using)
        .filter(pk=instance.pk)
        .values(*[f.attname for f in missing])
        .first()
    )
    for field in missing:
        if stored is not None:
            setattr(instance, field.attname, stored[field.attname])
        if getattr(field, "auto_now", False):
            setattr(instance, field.attname, timezone.now())  # a raw save skips auto_now

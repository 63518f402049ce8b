"""The stale-edit rule: a save made from an older copy than the stored one is refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone


def check_not_stale(
    instance: Model, submitted_version: int | None, *, missing_ok: bool = False
) -> None:
    """Raise ValidationError when `instance` changed since the copy the user edited.

    Locks the row (`select_for_update`) so that, inside the caller's transaction, no
    other save can slip in between this check and the save: two people saving at once
    cannot both pass. `submitted_version` is the `edit_version` the user's form was
    built from. None (the form did not say which copy it was built from) is refused
    too, unless the caller's contract lets such clients edit unchecked (`missing_ok`):
    a save that cannot show it is based on the stored copy is not waved through.
    """
    model = type(instance)
    current = (
        model.objects.select_for_update()
        .filter(pk=instance.pk)
        .values("edit_version", "updated_at")
        .first()
    )
    if current is None or (submitted_version is None and missing_ok):
        return
    if submitted_version is None:
        raise ValidationError(
            "This form did not say which copy of the %(name)s it was made from, so saving "
            "it could erase someone else's changes. Your changes were NOT saved and are "
            "still in this form: copy what you need, open the %(name)s again in a new tab, "
            "re-apply them there.",
            code="stale",
            params={"name": model._meta.verbose_name},
        )
    if submitted_version != current["edit_version"]:
        raise ValidationError(
            "This %(name)s was saved again at %(when)s (by someone else, or by you in "
            "another tab) after you opened it. "
            "Your changes were NOT saved and are still in this form: copy what you "
            "need, open the %(name)s again in a new tab, re-apply them there.",
            code="stale",
            params={
                "name": model._meta.verbose_name,
                "when": timezone.localtime(current["updated_at"]).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )

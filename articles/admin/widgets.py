"""Choice fields and widgets that take whatever a request sends.

An id the related field cannot hold (`"abc"`, `"99999999999999999999999"`, 2**63) went
to the database in two places of Django's admin: the autocomplete widgets look the
submitted ids up again to draw a form shown with errors (`AutocompleteMixin.optgroups`:
ValueError), and a many-to-many field checks the ids with one `__in` query, which
SQLite cannot bind beyond 64 bits (OverflowError). Both were 500s. Here such an id is
"Select a valid choice" and is never looked up.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def can_hold(field, value) -> bool:
    """Whether model field `field` can hold `value` (its type and, for integers, the
    database's range: an integer field's validators include it)."""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return "\x00" not in str(value)  # PostgreSQL refuses NUL in any string


class _DrawsOnlyValidIds:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        return super().optgroups(name, [v for v in value if can_hold(target, v)], attr)


class SafeAutocompleteSelect(_DrawsOnlyValidIds, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_DrawsOnlyValidIds, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, list | tuple):
            opts = self.queryset.model._meta
            target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for pk in value:
                if not can_hold(target, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class SafeChoicesMixin:
    """For every ModelAdmin and inline of the project: autocomplete fields use the
    widgets above, many-to-many fields the field above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

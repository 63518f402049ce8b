"""The contract's roles, as Django groups, and how to tell which one a user has."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User


class Role(StrEnum):
    EDITOR = "Editors"
    TRANSLATOR = "Translators"
    CONTRIBUTOR = "Contributors"
    READER = "readers"


def roles_of(user: User | AnonymousUser | None) -> frozenset[Role]:
    """The roles a user holds; superusers count as editors.

    Cached on the user object so a request asks the database once.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({Role.READER})
    cached = getattr(user, "_newsroom_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    roles = {role for role in (Role.EDITOR, Role.TRANSLATOR, Role.CONTRIBUTOR) if role in names}
    if user.is_superuser:
        roles.add(Role.EDITOR)
    roles.add(Role.READER)
    user._newsroom_roles = frozenset(roles)
    return user._newsroom_roles


def is_editor(user) -> bool:
    return Role.EDITOR in roles_of(user)


def is_translator(user) -> bool:
    return Role.TRANSLATOR in roles_of(user)


def is_contributor(user) -> bool:
    return Role.CONTRIBUTOR in roles_of(user)

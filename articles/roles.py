"""The contract's roles, as Django groups with least-privilege model permissions, and
how to tell which one a user has."""

from __future__ import annotations

from enum import StrEnum

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Q


class Role(StrEnum):
    EDITOR = "Editors"
    TRANSLATOR = "Translators"
    CONTRIBUTOR = "Contributors"
    READER = "readers"


CRUD = ("add", "change", "delete", "view")
STORY = ("article", "section", "attribution", "enrichmentblock", "image", "imagetranslation")
REFERENCE = ("topic", "analyst", "institution")
PROPOSAL = ("proposal", "proposalterm", "actorposition")
PROPOSAL_REFERENCE = ("actor", "termcategory")

# The one declaration of each role's model permissions ({app: {model: actions}}). The
# groups get them after every migrate (and every test database flush); the roles'
# finer rules (scope, states, languages) are `articles.permissions`.
ROLE_PERMISSIONS: dict[Role, dict[str, dict[str, tuple[str, ...]]]] = {
    Role.EDITOR: {
        "articles": {m: CRUD for m in (*STORY, *REFERENCE, "translationversion")}
        | {
            "article": (*CRUD, "moderate"),
            "auditentry": ("view",),
            "pendingchange": ("change", "delete", "view"),
            "correction": ("view",),
        },
        "proposals": {m: CRUD for m in (*PROPOSAL, *PROPOSAL_REFERENCE)},
    },
    Role.CONTRIBUTOR: {
        "articles": {m: CRUD for m in ("article", "section", "attribution", "enrichmentblock")}
        | {m: ("add", "change", "view") for m in ("image", "imagetranslation")}
        | {"analyst": ("add", "view"), "institution": ("add", "view"), "topic": ("view",)},
        "proposals": {m: CRUD for m in PROPOSAL}
        | {"actor": ("view",), "termcategory": ("add", "view")},
    },
    Role.TRANSLATOR: {"articles": {"translationversion": ("add", "view")}},
}


def codename(model: str, action: str) -> str:
    return "moderate_article" if action == "moderate" else f"{action}_{model}"


def sync_role_groups(app_config=None, using: str = "default", **kwargs) -> None:
    """Create each role's group and give it at least its declared permissions (a
    `post_migrate` receiver: permissions an administrator added are kept).

    As a receiver it acts once, after the last app's signal, when every app's
    permissions exist.
    """
    if app_config is not None:
        with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
        if app_config is not with_models[-1]:
            return
    for role, by_app in ROLE_PERMISSIONS.items():
        wanted = Q(pk__in=[])
        for app, by_model in by_app.items():
            for model, actions in by_model.items():
                wanted |= Q(
                    content_type__app_label=app,
                    codename__in=[codename(model, action) for action in actions],
                )
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.add(*Permission.objects.using(using).filter(wanted))


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

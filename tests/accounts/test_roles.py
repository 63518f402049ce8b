"""The roles' groups hold exactly the declared permissions, and come back after a flush."""

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal

from articles.roles import ROLE_PERMISSIONS, Role, codename

pytestmark = pytest.mark.django_db


def declared(role: Role) -> set[tuple[str, str]]:
    return {
        (app, codename(model, action))
        for app, by_model in ROLE_PERMISSIONS[role].items()
        for model, actions in by_model.items()
        for action in actions
    }


def held(role: Role) -> set[tuple[str, str]]:
    group = Group.objects.get(name=role.value)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.TRANSLATOR])
def test_after_migrate_each_role_holds_exactly_its_declared_permissions(role):
    assert held(role) == declared(role)


def test_translators_and_contributors_never_hold_an_editors_permission():
    assert ("articles", "moderate_article") not in held(Role.CONTRIBUTOR)
    assert not {c for _app, c in held(Role.TRANSLATOR)} - {
        "add_translationversion",
        "view_translationversion",
    }


def test_groups_removed_by_a_flush_come_back_with_their_permissions():
    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for role in (Role.EDITOR, Role.CONTRIBUTOR, Role.TRANSLATOR):
        assert held(role) == declared(role)

"""The contract's roles as Django groups, with least-privilege model permissions."""

from django.db import migrations

ARTICLE_MODELS = ["article", "section", "attribution", "enrichmentblock", "translationversion"]
REFERENCE_MODELS = ["topic", "analyst", "institution"]
PROPOSAL_MODELS = ["proposal", "proposalterm", "actorposition"]
PROPOSAL_REFERENCE_MODELS = ["actor", "termcategory"]

ROLE_PERMISSIONS = {
    "Editors": {
        "articles": {
            m: ["add", "change", "delete", "view"] for m in ARTICLE_MODELS + REFERENCE_MODELS
        }
        | {"auditentry": ["view"], "article": ["add", "change", "delete", "view", "moderate"]},
        "proposals": {
            m: ["add", "change", "delete", "view"]
            for m in PROPOSAL_MODELS + PROPOSAL_REFERENCE_MODELS
        },
    },
    "Contributors": {
        "articles": {
            "article": ["add", "change", "delete", "view"],
            "section": ["add", "change", "delete", "view"],
            "attribution": ["add", "change", "delete", "view"],
            "enrichmentblock": ["add", "change", "delete", "view"],
            "analyst": ["add", "view"],
            "institution": ["add", "view"],
            "topic": ["view"],
        },
        "proposals": {
            "proposal": ["add", "change", "delete", "view"],
            "proposalterm": ["add", "change", "delete", "view"],
            "actorposition": ["add", "change", "delete", "view"],
            "actor": ["view"],
            "termcategory": ["add", "view"],
        },
    },
    "Translators": {
        "articles": {"translationversion": ["add", "view"]},
    },
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, by_model in by_app.items():
            for model, actions in by_model.items():
                for action in actions:
                    codename = "moderate_article" if action == "moderate" else f"{action}_{model}"
                    group.permissions.add(
                        Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("proposals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

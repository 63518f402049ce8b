"""Older revisions of articles and proposals move to the revision format that keeps the
fields they leave out (state, author, dates...) as stored when reverted (see
articles.revisions). Data only: the stored JSON is the same."""

from django.db import migrations

MODELS = [("articles", "article"), ("proposals", "proposal")]


def _versions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    types = [ct.pk for ct in ContentType.objects.all() if (ct.app_label, ct.model) in MODELS]
    return Version.objects.filter(content_type_id__in=types)


def forwards(apps, schema_editor):
    _versions(apps).filter(format="json").update(format="newsroom-revision")


def backwards(apps, schema_editor):
    _versions(apps).filter(format="newsroom-revision").update(format="json")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_text_refuses_control_characters"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

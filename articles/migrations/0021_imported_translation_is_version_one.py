"""An imported translation (an article whose text is not its original) is version 1 of
its language: record it as a version, so every list of versions starts at 1.

For a published article it is recorded as the live text it already is (or archived
when a later version of its language is live); otherwise it waits for review with the
story. Articles whose language already has a version 1 are left alone.
"""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TranslationVersion = apps.get_model("articles", "TranslationVersion")
    copies = Article.objects.exclude(language=F("original_language"))
    for article in copies.iterator():
        versions = TranslationVersion.objects.filter(article=article, language=article.language)
        if versions.filter(version=1).exists():
            continue
        sections = [
            {
                "heading": s.heading,
                "paragraphs": [
                    p.strip() for p in s.body.replace("\r\n", "\n").split("\n\n") if p.strip()
                ],
            }
            for s in article.sections.order_by("order", "id")
        ]
        published = article.state == "published"
        live_elsewhere = versions.filter(state="published").exists()
        if published:
            state = "archived" if live_elsewhere else "published"
        elif article.state in {"rejected", "archived"}:
            state = "archived"
        else:
            state = "in_review"
        TranslationVersion.objects.create(
            article=article,
            language=article.language,
            from_language=article.original_language,
            version=1,
            title=article.title,
            standfirst=article.standfirst,
            sections=sections,
            credit=article.translator_credit,
            source_revision=article.text_revision,
            source_snapshot={},
            imported=True,
            state=state,
            published_at=article.published_at if published else None,
            submitted_at=article.submitted_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_translation_units"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""An index of the topics' articles by topic, then article: "topics with a published
article" (the home page's list, a topic's page) then reads a topic's first articles
from the index alone and stops at a published one, instead of collecting every article
of the topic first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_search_recency"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX articles_article_topics_by_topic"
            " ON articles_article_topics (topic_id, article_id)",
            reverse_sql="DROP INDEX articles_article_topics_by_topic",
        ),
    ]

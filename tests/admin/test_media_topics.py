"""Topics carry an IPTC Media Topic chosen in the admin from the vocabulary the project
ships (no network); it reaches JSON-LD `about` (ninjs: tests/api/test_ninjs_3.py)."""

import json
import re

import pytest

from articles import mediatopics
from articles.models import Topic
from articles.states import State
from tests.factories import ArticleFactory, TopicFactory, moderate

pytestmark = pytest.mark.django_db


def test_the_vocabulary_ships_with_the_top_level_topics():
    codes = dict(mediatopics.choices())
    assert len([c for c in codes if c.endswith("000000")]) == 17
    assert codes["medtop:16000000"] == "medtop:16000000 — conflict, war and peace"
    assert mediatopics.uri("medtop:11000000") == "http://cv.iptc.org/newscodes/mediatopic/11000000"
    assert mediatopics.label("medtop:04000000", "fr") == "économie, entreprises et finance"


def test_editors_choose_a_media_topic_in_the_admin(client, editor):
    client.force_login(editor)
    html = client.get("/admin/articles/topic/add/").content.decode()
    assert '<option value="medtop:16000000">medtop:16000000 — conflict, war and peace' in html
    response = client.post(
        "/admin/articles/topic/add/",
        {"name": "War in Ukraine", "slug": "war-in-ukraine", "media_topic": "medtop:16000000"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="war-in-ukraine").media_topic == "medtop:16000000"


def test_a_code_outside_the_vocabulary_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/articles/topic/add/",
        {"name": "Invented", "slug": "invented", "media_topic": "medtop:99999999"},
    )
    assert response.status_code == 200
    assert "media_topic" in response.context["adminform"].form.errors
    assert not Topic.objects.filter(slug="invented").exists()


def test_json_ld_about_names_the_media_topic(client, editor):
    topic = TopicFactory(slug="politics", name="Politics", media_topic="medtop:11000000")
    article = ArticleFactory(slug="vote")
    article.topics.add(topic)
    moderate(article, State.PUBLISHED, editor)
    html = client.get("/en/articles/vote/").content.decode()
    ld = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["about"] == [
        {
            "@type": "Thing",
            "name": "Politics",
            "sameAs": "http://cv.iptc.org/newscodes/mediatopic/11000000",
            "identifier": "medtop:11000000",
        }
    ]

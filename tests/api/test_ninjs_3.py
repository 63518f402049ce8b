"""GET /api/v1/articles/<slug>/ninjs/?version=3: ninjs 3.1, valid against IPTC's schema
(a copy in tests/api/data/), with what only ninjs 3 can say; pictures as associations
and Media Topics as subjects in both versions."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator

from articles.models import Article, ImageTranslation, Topic
from articles.publication import public_content_changed
from articles.states import State
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, moderate
from tests.images.pictures import make_image, png_bytes

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
VALIDATORS = {
    version: Draft202012Validator(
        json.loads((DATA / f"ninjs-schema_{version}.json").read_text()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for version in ("2.2", "3.1")
}


def ninjs(client, slug, version="3", **params):
    if version == "3":
        params["version"] = "3"
    response = client.get(f"/api/v1/articles/{slug}/ninjs/", params)
    assert response.status_code == 200, response.content
    item = response.json()
    validator = VALIDATORS["3.1" if version == "3" else "2.2"]
    errors = sorted(validator.iter_errors(item), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return item


@pytest.fixture
def pictured(world):
    lead = make_image(alt_text="Delegates at the table", caption="Istanbul, Monday.")
    ImageTranslation.objects.create(image=lead, language="fr", alt_text="Les délégués")
    chart = make_image(png_bytes(), "chart.png", alt_text="Chart", licence="CC BY 4.0")
    Article.objects.filter(pk=world.article.pk).update(lead_image=lead, dateline="Istanbul")
    section = world.article.sections.order_by("order").last()
    type(section).objects.filter(pk=section.pk).update(image=chart)
    Topic.objects.filter(slug="ukraine").update(media_topic="medtop:16000000")
    return world


def test_ninjs_3_is_valid_and_fills_what_only_it_can_say(pictured, anon):
    item = ninjs(anon, "putin-talks")
    assert item["standard"] == {
        "name": "ninjs",
        "version": "3.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
    }
    assert item["pubStatus"] == "usable" and item["representationType"] == "full"
    assert item["genres"] == [
        {"name": "Analysis", "uri": "http://cv.iptc.org/newscodes/genre/Analysis"}
    ]
    assert item["located"] == "Istanbul"
    assert item["rightsInfo"] == {"linkedRights": "http://testserver/en/about/rights/"}
    assert [t["href"] for t in item["trustIndicators"]] == [
        "http://testserver/en/about/corrections/",
        "http://testserver/en/about/ethics/",
    ]
    assert "embargoedUntil" not in item and "expires" not in item
    assert item["bodies"][0]["contentType"] == "text/html"


def test_media_topics_are_subjects_with_their_uri_in_both_versions(pictured, anon):
    for version in ("2", "3"):
        subjects = ninjs(anon, "putin-talks", version)["subjects"]
        assert {
            "name": "conflict, war and peace",
            "rel": "about",
            "literal": "medtop:16000000",
            "uri": "http://cv.iptc.org/newscodes/mediatopic/16000000",
        } in subjects
    french = ninjs(anon, "putin-talks", language="fr")["subjects"]
    assert "conflit, guerre et paix" in [s["name"] for s in french]


def test_pictures_are_associations_with_their_renditions(pictured, anon):
    for version, size_key in (("2", "sizeinbytes"), ("3", "sizeInBytes")):
        lead, chart = ninjs(anon, "putin-talks", version)["associations"]
        assert lead["name"] == "featureimage" and lead["type"] == "picture"
        assert lead["descriptions"] == [
            {"role": "alt", "value": "Delegates at the table"},
            {"role": "caption", "value": "Istanbul, Monday."},
        ]
        assert lead["by"] == "Jane Lens"
        hrefs = [r["href"] for r in lead["renditions"]]
        assert all(h.startswith("http://testserver/media/images/r/") for h in hrefs)
        assert {r["name"] for r in lead["renditions"]} >= {"full-960-webp", "social-1200-jpeg"}
        assert all(r[size_key] > 0 for r in lead["renditions"])
        assert chart["name"].startswith("image-")
    french = ninjs(anon, "putin-talks", language="fr")["associations"][0]
    assert french["descriptions"][0] == {"role": "alt", "value": "Les délégués"}


def test_a_scheduled_article_is_embargoed_for_editors_only(world, editor, anon):
    article = moderate(ArticleFactory(slug="scheduled"), State.APPROVED, editor)
    at = timezone.now() + datetime.timedelta(days=1)
    transition(article, "publish", by=editor, publish_at=at)
    item = ninjs(client_for(editor), "scheduled")
    assert item["pubStatus"] == "withheld"
    assert item["embargoedUntil"].startswith(at.strftime("%Y-%m-%dT%H:%M"))
    assert anon.get("/api/v1/articles/scheduled/ninjs/?version=3").status_code == 404


def test_an_unknown_version_is_400(world, anon):
    response = anon.get("/api/v1/articles/putin-talks/ninjs/?version=9")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_ninjs_3_runs_a_fixed_number_of_queries(pictured, anon, django_assert_max_num_queries):
    public_content_changed(Article.objects.get(slug="putin-talks"))  # as on publication
    with django_assert_max_num_queries(1):  # the snapshot, pictures and corrections included
        ninjs(anon, "putin-talks", language="fr")

"""GET /api/v1/articles/ and /api/v1/articles/<slug>/: visibility per role, shapes, filters,
cursor pagination and a fixed number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.publication import public_content_changed
from articles.site import search
from articles.states import State
from tests.api.fixtures import World, client_for
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    ProposalTermFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(slug: str) -> str:
    return f"/api/v1/articles/{slug}/"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


# -- visibility per role ----------------------------------------------------------------


def test_readers_and_non_editors_list_only_published_articles_newest_first(world, role_client):
    role, client = role_client
    listed = slugs(client.get(LIST))
    if role == "editor":
        assert set(listed) == {"sahel-mediation", "putin-talks", "draft-article", "old-article"}
    else:
        assert listed == ["sahel-mediation", "putin-talks"]


@pytest.mark.parametrize("slug", ["draft-article", "old-article", "no-such-article"])
def test_unpublished_article_is_404_to_everyone_but_editors(world, role_client, slug):
    role, client = role_client
    response = client.get(detail(slug))
    if role == "editor" and slug != "no-such-article":
        assert response.status_code == 200
        assert response.json()["status"] in {State.DRAFT, State.ARCHIVED}
    else:
        assert response.status_code == 404
        assert response.json() == {
            "status": 404,
            "code": "not_found",
            "detail": "Not found.",
            "errors": {},
        }


def test_editor_filters_by_status(world, editor):
    client = client_for(editor)
    assert slugs(client.get(LIST, {"status": "draft"})) == ["draft-article"]
    assert slugs(client.get(LIST, {"status": "archived"})) == ["old-article"]
    assert client.get(LIST, {"status": "bogus"}).json()["errors"]["status"]


def test_status_filter_is_ignored_for_readers(world, anon, translator):
    assert slugs(anon.get(LIST, {"status": "draft"})) == ["sahel-mediation", "putin-talks"]
    assert slugs(client_for(translator).get(LIST, {"status": "draft"})) == [
        "sahel-mediation",
        "putin-talks",
    ]


# -- the detail shape --------------------------------------------------------------------


def test_article_detail_has_the_contract_shape(world, anon):
    response = anon.get(detail("putin-talks"))
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "putin-talks"
    assert data["title"] == "Talks in Istanbul"
    assert data["standfirst"] == "What they mean."
    assert data["original_language"] == "en"
    assert data["language"] == "en"
    assert data["languages"] == ["en", "fr"]
    assert data["sections"] == [
        {"heading": "", "paragraphs": ["The lead paragraph."]},
        {"heading": "Background", "paragraphs": ["First.", "Second."]},
    ]
    assert data["topics"] == [{"slug": "ukraine", "name": "Ukraine"}]
    assert data["translations"] == [
        {"language": "fr", "from_language": "en", "credit": "Jeanne Traductrice", "version": 1}
    ]
    assert data["attributions"] == [
        {
            "analyst": {
                "slug": "ana-lyst",
                "name": "Ana Lyst",
                "role": "Director",
                "affiliation": {"name": "Institute for War Studies", "place": "London"},
            },
            "kind": "quote",
            "statement": "The talks are a ruse.",
        }
    ]
    assert data["enrichment_blocks"] == [
        {
            "kind": "key_points",
            "title": "Key points",
            "body": "<p>Body <b>bold</b></p>",
            "items": ["First point.", "Second point."],
        }
    ]
    # The secret plan is a draft: not shown.
    assert data["proposals"] == [
        {"slug": "european-plan", "title": "European plan"},
        {"slug": "russian-plan", "title": "Russian plan"},
    ]
    assert data["published_at"].startswith(str(timezone.now().year))
    assert response["Content-Language"] == "en"


def test_unpublished_statements_and_blocks_are_not_shown(world, anon, editor, translator):
    for client in (anon, client_for(translator)):
        data = client.get(detail("putin-talks")).json()
        assert "Not yet public." not in str(data)
        assert "Draft block" not in str(data)
        assert "secret-plan" not in str(data)
    # Editors see the story whole, each part with its status (the contract's "Stories").
    data = client_for(editor).get(detail("putin-talks")).json()
    assert {"statement": "Not yet public.", "status": "draft"}.items() <= next(
        a for a in data["attributions"] if a["statement"] == "Not yet public."
    ).items()


def test_a_translated_base_text_is_credited_as_version_1(world, anon):
    data = anon.get(detail("sahel-mediation")).json()
    assert data["original_language"] == "fr"
    assert data["languages"] == ["en"]
    assert data["translations"] == [
        {"language": "en", "from_language": "fr", "credit": "Lara Bullens", "version": 1}
    ]


# -- language of the text ----------------------------------------------------------------


def test_language_parameter_gives_the_french_text(world, anon):
    response = anon.get(detail("putin-talks"), {"language": "fr"})
    data = response.json()
    assert data["language"] == "fr"
    assert data["title"] == "Pourparlers à Istanbul"
    assert data["sections"][1] == {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]}
    assert response["Content-Language"] == "fr"


def test_accept_language_picks_a_published_language(world, anon):
    data = anon.get(detail("putin-talks"), HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5")
    assert data.json()["language"] == "fr"
    # No French text: the article's own language.
    data = anon.get(detail("sahel-mediation"), HTTP_ACCEPT_LANGUAGE="fr")
    assert data.json()["language"] == "en"


def test_language_without_a_published_text_is_404_and_unknown_language_400(world, anon):
    assert anon.get(detail("sahel-mediation"), {"language": "fr"}).status_code == 404
    response = anon.get(detail("putin-talks"), {"language": "xx"})
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


def test_a_newer_french_version_replaces_the_live_one(world, anon, editor):
    newer = TranslationVersionFactory(
        article=world.article, language="fr", version=2, title="Nouvelle version", credit="Paul"
    )
    moderate(newer, State.APPROVED, editor)  # the article is published: goes live at once
    data = anon.get(detail("putin-talks"), {"language": "fr"}).json()
    assert data["title"] == "Nouvelle version"
    assert {"language": "fr", "from_language": "en", "credit": "Paul", "version": 2} in data[
        "translations"
    ]
    assert len(data["translations"]) == 1


# -- filters -----------------------------------------------------------------------------


def test_filter_by_topic_language_and_analyst(world, anon):
    assert slugs(anon.get(LIST, {"topic": "ukraine"})) == ["putin-talks"]
    assert slugs(anon.get(LIST, {"language": "fr"})) == ["putin-talks"]
    assert slugs(anon.get(LIST, {"analyst": "ana-lyst"})) == ["putin-talks"]
    # The hidden analyst's statement is a draft.
    assert slugs(anon.get(LIST, {"analyst": "hidden-analyst"})) == []


def test_language_filter_counts_only_published_texts(world, anon, editor):
    # A French version waiting for review does not make an English article French.
    oslo = published_article(editor, slug="oslo-talks")
    waiting = TranslationVersionFactory(article=oslo, language="fr", version=1)
    moderate(waiting, State.IN_REVIEW, editor)
    french_original = published_article(
        editor, slug="paris-talks", language="fr", original_language="fr"
    )
    assert french_original.language == "fr"
    assert slugs(anon.get(LIST, {"language": "fr"})) == ["paris-talks", "putin-talks"]
    assert slugs(anon.get(LIST, {"language": "en"})) == [
        "oslo-talks",
        "sahel-mediation",
        "putin-talks",
    ]
    # Readers never see a draft, whatever its language; editors see it in its own.
    ArticleFactory(slug="brouillon", language="fr", original_language="fr")
    assert "brouillon" not in slugs(anon.get(LIST, {"language": "fr"}))
    assert "brouillon" in slugs(client_for(editor).get(LIST, {"language": "fr"}))


def test_list_titles_follow_the_language_filter(world, anon):
    item = anon.get(LIST, {"language": "fr"}).json()["results"][0]
    assert (item["language"], item["title"]) == ("fr", "Pourparlers à Istanbul")


def test_unknown_slugs_give_an_empty_list(world, anon):
    assert slugs(anon.get(LIST, {"topic": "no-such-topic"})) == []
    assert slugs(anon.get(LIST, {"analyst": "nobody"})) == []


def test_filter_by_publication_dates(world, anon):
    today = timezone.now().date()
    tomorrow = today + datetime.timedelta(days=1)
    assert len(slugs(anon.get(LIST, {"published_after": today.isoformat()}))) == 2
    assert slugs(anon.get(LIST, {"published_after": tomorrow.isoformat()})) == []
    assert slugs(anon.get(LIST, {"published_before": "2000-01-01"})) == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"published_after": "yesterday"}, "published_after"),
        ({"published_before": "2024-13-45"}, "published_before"),
        ({"language": "klingon"}, "language"),
        ({"page_size": "many"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_invalid_filter_values_are_400_with_field_errors(world, role_client, params, field):
    _role, client = role_client
    response = client.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert field in body["errors"]


def test_full_text_search(world, anon, editor):
    search.rebuild_index()
    assert slugs(anon.get(LIST, {"q": "Istanbul"})) == ["putin-talks"]
    assert slugs(anon.get(LIST, {"q": "Sahel"})) == ["sahel-mediation"]
    assert slugs(anon.get(LIST, {"q": "Pourparlers", "language": "fr"})) == ["putin-talks"]
    assert slugs(anon.get(LIST, {"q": "Unfinished"})) == []
    # Editors also find unpublished articles by their title.
    assert slugs(client_for(editor).get(LIST, {"q": "Unfinished"})) == ["draft-article"]


# -- pagination --------------------------------------------------------------------------


@pytest.fixture
def many_articles(editor):
    base = timezone.now() - datetime.timedelta(days=1)
    articles = ArticleFactory.create_batch(45, sections=[("", "Lead.")])
    # Several share a publication time: the pk breaks ties.
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(state=State.PUBLISHED)
    for i, article in enumerate(articles):
        Article.objects.filter(pk=article.pk).update(
            published_at=base + datetime.timedelta(minutes=i // 3)
        )
    return list(
        Article.objects.published().order_by("-published_at", "-pk").values_list("slug", flat=True)
    )


def test_cursor_pages_of_20_walk_every_article_once(many_articles, anon):
    seen, url, pages = [], LIST, 0
    while url:
        data = anon.get(url).json()
        assert len(data["results"]) <= 20
        seen += [item["slug"] for item in data["results"]]
        url, pages = data["next"], pages + 1
    assert pages == 3
    assert seen == many_articles


def test_previous_links_walk_back(many_articles, anon):
    first = anon.get(LIST, {"page_size": 7}).json()
    assert first["previous"] is None
    second = anon.get(first["next"]).json()
    third = anon.get(second["next"]).json()
    back = anon.get(third["previous"]).json()
    assert [i["slug"] for i in back["results"]] == [i["slug"] for i in second["results"]]
    back_again = anon.get(back["previous"]).json()
    assert [i["slug"] for i in back_again["results"]] == many_articles[:7]
    assert back_again["previous"] is None


def test_page_size_is_capped_at_100(editor, anon):
    ArticleFactory.create_batch(105, sections=[])
    Article.objects.update(state=State.PUBLISHED, published_at=timezone.now())
    data = anon.get(LIST, {"page_size": 1000}).json()
    assert len(data["results"]) == 100
    assert data["next"]


def test_deep_pages_are_range_queries_not_offsets(many_articles, anon):
    page = anon.get(LIST, {"page_size": 20}).json()
    with CaptureQueriesContext(connection) as queries:
        deeper = anon.get(page["next"])
    assert deeper.status_code == 200
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize(
    "cursor",
    [
        "eyJwIjpbImFiYyIsMV0sInIiOjB9",  # {"p":["abc",1],"r":0}: not a time
        "eyJwIjpbIjIwMjQtMDEtMDFUMDA6MDA6MDArMDA6MDAiLCJ4Il19",  # pk not a number
        "eyJwIjpbIjIwMjQtMDEtMDFUMDA6MDA6MDArMDA6MDAiLDk5OTk5OTk5OTk5OTk5OTk5OTk5OTldfQ",
        "W10",  # []
        "!!!",
    ],
)
def test_tampered_cursors_are_400(many_articles, anon, cursor):
    response = anon.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


# -- a fixed number of queries ------------------------------------------------------------


def _rich_article(editor, slug: str, size: int) -> Article:
    article = ArticleFactory(slug=slug, sections=[(f"H{i}", "P.\n\nQ.") for i in range(size)])
    for _ in range(size):
        moderate(
            AttributionFactory(article=article, analyst=AnalystFactory()), State.APPROVED, editor
        )
        moderate(EnrichmentBlockFactory(article=article), State.APPROVED, editor)
        proposal = ProposalFactory()
        proposal.articles.add(article)
        ProposalTermFactory.create_batch(3, proposal=proposal)
        moderate(proposal, State.APPROVED, editor)
    moderate(
        TranslationVersionFactory(article=article, language="fr", version=1),
        State.APPROVED,
        editor,
    )
    return moderate(article, State.PUBLISHED, editor)


@pytest.mark.parametrize("size", [1, 12])
def test_article_detail_runs_a_fixed_number_of_queries(
    editor, anon, django_assert_max_num_queries, size
):
    article = _rich_article(editor, "rich", size)
    with django_assert_max_num_queries(18):  # no snapshot yet: built on this first read
        response = anon.get(detail("rich"), {"language": "fr"})
    assert len(response.json()["attributions"]) == size
    cache.clear()
    public_content_changed(article)  # what publishing does on commit: the snapshot
    with django_assert_max_num_queries(1):
        response = anon.get(detail("rich"), {"language": "fr"})
    assert response["X-Cache"] == "miss"  # the work, not the cache, was counted
    assert len(response.json()["attributions"]) == size
    client = client_for(editor)
    # The staff view: + the token, the editor's groups and the pending changes of the
    # article and of each kind of part; the same whatever the number of parts.
    with django_assert_max_num_queries(14):
        assert client.get(detail("rich")).status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_article_list_runs_a_fixed_number_of_queries(
    editor, anon, django_assert_max_num_queries, size
):
    for i in range(size):
        article = published_article(editor, slug=f"a-{i}")
        article.topics.add(*[world_topic(i, n) for n in range(3)])
    with django_assert_max_num_queries(4):
        response = anon.get(LIST, {"page_size": 100})
    assert response["X-Cache"] == "miss"  # the work, not the cache, was counted
    assert len(response.json()["results"]) == size


def world_topic(i: int, n: int):
    from tests.factories import TopicFactory

    return TopicFactory(slug=f"topic-{i}-{n}")


def test_world_fixture_is_reusable(editor):
    assert isinstance(World(editor).article, Article)

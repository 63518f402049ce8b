"""`manage.py load_demo` (what `make run` does): demo accounts, samples imported and published."""

from __future__ import annotations

import io

import pytest
import reversion
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article, Attribution, AuditEntry, EnrichmentBlock, Section
from articles.roles import Role, roles_of
from articles.states import State
from proposals.models import Proposal, ProposalTerm

pytestmark = pytest.mark.django_db

PUTIN_SLUG = "is-putins-sudden-openness-to-face-to-face-negotiations-with-ukraine-possibly-a-ruse"
MODELS = [Article, Section, Attribution, EnrichmentBlock, Proposal, ProposalTerm, AuditEntry, User]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_it_creates_the_demo_accounts_with_the_demo_password(settings):
    settings.NEWSROOM_DEMO_PASSWORD = "demo-pass-123"
    out = load_demo()
    for username, role, staff in [
        ("editor", Role.EDITOR, True),
        ("translator", Role.TRANSLATOR, False),
        ("contributor", Role.CONTRIBUTOR, True),
    ]:
        user = authenticate(username=username, password="demo-pass-123")
        assert user is not None, username
        assert role in roles_of(user)
        assert user.is_staff is staff
    admin = authenticate(username="admin", password="demo-pass-123")
    assert admin.is_superuser
    assert "'demo-pass-123'" in out
    assert "editor" in out and "translator" in out and "contributor" in out


def test_it_never_resets_an_existing_accounts_password(settings):
    User.objects.create_user("editor", password="my-own-secret").groups.add(
        Group.objects.get(name=Role.EDITOR.value)
    )
    load_demo()
    assert authenticate(username="editor", password="my-own-secret") is not None
    assert authenticate(username="editor", password=settings.NEWSROOM_DEMO_PASSWORD) is None


def test_it_publishes_the_sample_article_with_everything_attached():
    out = load_demo()
    article = Article.objects.get(slug=PUTIN_SLUG)
    assert article.state == State.PUBLISHED
    assert article.sections.count() == 5
    assert {a.state for a in article.attributions.all()} == {State.PUBLISHED}
    assert {b.kind for b in article.enrichment_blocks.published()} == {"overview", "key_points"}
    assert article.proposals.published().count() == 2
    assert Proposal.objects.public().count() >= 2
    assert "Loaded wire-putin-talks.txt" in out
    # The importer submitted it; the demo editor approved and published it.
    actions = list(
        AuditEntry.objects.filter(object_id=article.pk, content_type__model="article").values_list(
            "action", "actor_name"
        )
    )
    assert actions == [
        ("moderation.submit", "importer"),
        ("moderation.approve", "editor"),
        ("moderation.publish", "editor"),
    ]


def test_it_loads_every_sample_as_a_published_article():
    load_demo()
    assert Article.objects.published().count() == 5
    assert not Article.objects.exclude(state=State.PUBLISHED).exists()


def test_running_it_again_changes_nothing_and_says_so():
    load_demo()
    before = counts()
    out = load_demo()
    assert counts() == before
    assert "Nothing changed" in out


def test_it_shows_its_progress_sample_by_sample():
    out = load_demo()
    assert "Sample content (5 wire copies, imported and published):" in out
    assert (
        "  [1/5] Loaded wire-putin-talks.txt: 1 article, 5 sections, 3 analysts, 4 statements, "
        "2 proposals, 3 topics; 9 items published\n" in out
    )
    assert "  [5/5] Loaded " in out
    assert "Done in " in out
    again = load_demo()
    assert "  [1/5] Unchanged wire-putin-talks.txt\n" in again
    assert "  editor       Editors       already there\n" in again


def test_running_it_again_after_an_editor_edited_a_published_sample_keeps_the_edit():
    # It used to re-import the sample over the edited, published article: a refusal
    # with a traceback, so `make run` failed once anyone had edited demo content.
    load_demo()
    article = Article.objects.get(slug=PUTIN_SLUG)
    with reversion.create_revision():
        article.title = "An editor's headline"
        article.save()
    before = counts()
    out = load_demo()
    assert "  [1/5] Unchanged wire-putin-talks.txt\n" in out
    article.refresh_from_db()
    assert article.title == "An editor's headline"
    assert article.state == State.PUBLISHED
    assert counts() == before


def test_the_demo_articles_get_generated_pictures_once(client):
    from articles.models import Image

    load_demo()
    article = Article.objects.get(slug=PUTIN_SLUG)
    assert article.lead_image is not None
    assert article.lead_image.credit == "Newsroom demo illustration (generated)"
    assert article.lead_image.licence == "CC0 1.0"
    assert article.lead_image.translations.get(language="fr").alt_text
    assert Article.objects.filter(lead_image__isnull=True).count() == 0
    count = Image.objects.count()
    assert count == Article.objects.count() + 1  # and a map in the main story
    load_demo()
    assert Image.objects.count() == count
    html = client.get(f"/en/articles/{PUTIN_SLUG}/").content.decode()
    assert 'property="og:image"' in html and "Newsroom demo illustration (generated)" in html

"""The stale-save guard in the real admin: every change form and inline row carries the
version it was built from, and a save from an older copy (or from a form that does not
say) is refused with the user's text kept in the form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Article, Attribution, EnrichmentBlock
from proposals.models import Proposal
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    ProposalTermFactory,
)
from tests.security.forms import change_form

pytestmark = pytest.mark.django_db

# model, factory, the text field two editors both change
EDITABLE = {
    "article": (Article, ArticleFactory, "title"),
    "attribution": (Attribution, AttributionFactory, "statement"),
    "block": (EnrichmentBlock, EnrichmentBlockFactory, "title"),
    "proposal": (Proposal, lambda: ProposalTermFactory().proposal, "title"),
}


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def hidden_version(html: str, name: str = "edit_version") -> int:
    match = re.search(rf'<input type="hidden" name="{name}" value="(\d+)"', html)
    assert match, f"no hidden {name} in the page"
    return int(match[1])


@pytest.mark.parametrize("kind", EDITABLE)
def test_the_second_of_two_editors_saving_is_refused_and_keeps_their_text(
    client, editor, other_editor, kind
):
    model, factory, field = EDITABLE[kind]
    obj = factory()
    url = change_url(obj)
    client.force_login(editor)
    edith_page = client.get(url).content.decode()
    assert hidden_version(edith_page) == model.objects.get(pk=obj.pk).edit_version
    client.force_login(other_editor)
    eddie = change_form(client.get(url).content.decode())

    eddie[field] = ["Eddie's words"]
    assert client.post(url, eddie).status_code == 302
    client.force_login(editor)
    edith = change_form(edith_page)
    edith[field] = ["Edith's words"]
    response = client.post(url, edith)

    html = response.content.decode()
    assert response.status_code == 200
    assert "was saved again at" in html
    assert "Edith&#x27;s words" in html  # still in the form
    assert getattr(model.objects.get(pk=obj.pk), field) == "Eddie's words"


@pytest.mark.parametrize("kind", EDITABLE)
def test_a_form_that_does_not_say_which_copy_it_was_made_from_is_refused(client, editor, kind):
    model, factory, field = EDITABLE[kind]
    obj = factory()
    before = getattr(obj, field)
    client.force_login(editor)
    data = change_form(client.get(change_url(obj)).content.decode())
    del data["edit_version"]
    data[field] = ["Unchecked words"]

    response = client.post(change_url(obj), data)

    assert response.status_code == 200
    assert "did not say which copy" in response.content.decode()
    assert getattr(model.objects.get(pk=obj.pk), field) == before


def test_an_attribution_edited_on_the_article_page_is_guarded_too(client, editor, other_editor):
    attribution = AttributionFactory(statement="As first written.")
    url = change_url(attribution.article)
    client.force_login(editor)
    edith_page = client.get(url).content.decode()
    assert hidden_version(edith_page, "attributions-0-edit_version") == attribution.edit_version
    client.force_login(other_editor)
    eddie = change_form(client.get(url).content.decode())

    eddie["attributions-0-statement"] = ["Eddie's statement"]
    assert client.post(url, eddie).status_code == 302
    client.force_login(editor)
    edith = change_form(edith_page)
    edith["attributions-0-statement"] = ["Edith's statement"]
    response = client.post(url, edith)

    assert response.status_code == 200
    assert "was saved again at" in response.content.decode()
    assert "Edith&#x27;s statement" in response.content.decode()
    attribution.refresh_from_db()
    assert attribution.statement == "Eddie's statement"


def test_an_inline_row_without_its_version_is_refused(client, editor):
    block = EnrichmentBlockFactory(title="Key points")
    url = change_url(block.article)
    client.force_login(editor)
    data = change_form(client.get(url).content.decode())
    del data["enrichment_blocks-0-edit_version"]
    data["enrichment_blocks-0-title"] = ["Unchecked"]

    assert client.post(url, data).status_code == 200
    block.refresh_from_db()
    assert block.title == "Key points"


def test_the_same_editor_saving_twice_from_fresh_pages_is_fine(client, editor):
    proposal = ProposalFactory(title="Plan")
    url = change_url(proposal)
    client.force_login(editor)
    for title in ("Plan A", "Plan B"):
        data = change_form(client.get(url).content.decode())
        data["title"] = [title]
        assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Plan B"

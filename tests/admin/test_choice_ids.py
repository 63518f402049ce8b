"""A choice field (select, autocomplete, many-to-many) given an id nothing can hold is a
form error, never a 500 (found by the hostile input corpus: the autocomplete widgets
looked the submitted ids up again to draw the form: ValueError, OverflowError)."""

import pytest

from articles.models import Analyst, Article, Attribution
from tests.factories import AnalystFactory, ArticleFactory, AttributionFactory, TopicFactory
from tests.security.forms import change_form

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "²", "99999999999999999999999", str(2**63), "-1"]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Analyst, "institution"),  # a reference model's admin
        (Attribution, "article"),  # a moderated model's admin
        (Attribution, "analyst"),
        (Article, "topics"),  # many-to-many
        (Article, "attributions-0-analyst"),  # an inline
    ],
)
def test_an_id_nothing_can_hold_is_a_form_error(client, editor, model, field, bad):
    article = ArticleFactory(author=editor)
    article.topics.add(TopicFactory())
    statement = AttributionFactory(article=article, author=editor, analyst=AnalystFactory())
    obj = {Analyst: statement.analyst, Attribution: statement, Article: article}[model]
    url = f"/admin/articles/{model._meta.model_name}/{obj.pk}/change/"
    client.force_login(editor)
    form = change_form(client.get(url).content.decode())
    assert field in form
    before = [(o.pk, str(o)) for o in model.objects.all()]
    response = client.post(url, {**form, field: [bad]})
    assert response.status_code == 200  # shown again, with the error
    assert response.context["errors"]
    assert [(o.pk, str(o)) for o in model.objects.all()] == before

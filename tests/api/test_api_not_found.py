import json

import pytest


@pytest.mark.django_db
def test_unknown_api_url_answers_in_the_api_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "errors": {},
    }


@pytest.mark.django_db
def test_unknown_site_url_answers_with_the_styled_page(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<h1" in response.content.decode()


def test_a_refused_host_answers_in_the_api_error_shape(rf):
    # Wired as handler400 in newsroom/urls.py; called directly here, so that the test
    # holds before the wiring too.
    from django.core.exceptions import DisallowedHost

    from articles.api.errors import bad_request

    response = bad_request(rf.get("/api/v1/articles/"), DisallowedHost("evil.example"))
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "status": 400,
        "code": "bad_request",
        "detail": "Bad request.",
        "errors": {},
    }
    site = bad_request(rf.get("/en/"), DisallowedHost("evil.example"))
    assert site.status_code == 400 and site["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_host_not_allowed_answers_400_in_the_api_error_shape(client):
    response = client.get("/api/v1/articles/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"

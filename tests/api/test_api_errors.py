"""One error shape everywhere; token auth; bad input (400), oversized bodies (413),
throttling (429); nothing written on refusal."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from articles.models import TranslationVersion
from tests.api.fixtures import client_for

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ERROR_KEYS = {"status", "code", "detail", "errors"}


def test_token_for_good_credentials_then_token_auth_works(editor):
    client = APIClient()
    response = client.post(TOKEN, {"username": "edith", "password": "pw-edith"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=editor).key == token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/articles/", {"status": "draft"}).status_code == 200


def test_bad_credentials_are_400_with_field_errors(editor):
    response = APIClient().post(TOKEN, {"username": "edith", "password": "nope"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["errors"]["non_field_errors"]
    missing = APIClient().post(TOKEN, {}, format="json").json()
    assert set(missing["errors"]) == {"username", "password"}
    assert not Token.objects.exists()


def test_malformed_json_is_400(editor):
    response = APIClient().post(TOKEN, "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "parse_error"
    assert body["errors"]["non_field_errors"]


def test_unknown_token_is_401_in_the_error_shape(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/articles/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_translations_are_401(world, anon):
    response = anon.get("/api/v1/translations/")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize("url", [TOKEN, "/api/v1/translations/"])
def test_bodies_over_1_mb_are_413_and_write_nothing(world, translator, url):
    client = client_for(translator)
    big = json.dumps({"article": "putin-talks", "language": "fr", "title": "x" * (1024 * 1024)})
    response = client.post(url, big, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "payload_too_large",
        "detail": "The request body is larger than 1 MB.",
        "errors": {},
    }
    assert not TranslationVersion.objects.filter(title__startswith="xxx").exists()


def test_oversized_form_body_is_413_not_500(world):
    response = APIClient().post(TOKEN, {"username": "u" * (1024 * 1024 + 10), "password": "p"})
    assert response.status_code == 413


def test_throttled_callers_get_429_with_retry_after(world, anon, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    assert anon.get("/api/v1/articles/").status_code == 200
    assert anon.get("/api/v1/articles/").status_code == 200
    response = anon.get("/api/v1/articles/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_wrong_method_is_405_in_the_error_shape(world, editor):
    # POST creates an article (the editors' moderation API); DELETE is nowhere allowed.
    response = client_for(editor).delete("/api/v1/articles/putin-talks/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert not response.json()["errors"]


def test_an_accept_header_ruling_out_json_is_406_in_the_error_shape(world, anon):
    response = anon.get("/api/v1/articles/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert set(response.json()) == ERROR_KEYS
    # Browsers accept anything after HTML: they get JSON.
    browser = anon.get("/api/v1/articles/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert browser.status_code == 200


def test_a_stale_token_does_not_stop_getting_a_new_one(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token stale-token-from-last-week")
    response = client.post(TOKEN, {"username": "edith", "password": "pw-edith"}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=editor).key


def test_a_browser_session_without_csrf_token_may_still_get_a_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(TOKEN, {"username": "edith", "password": "pw-edith"}, format="json")
    assert response.status_code == 200

"""The OpenAPI schema at /api/schema/ and the docs at /api/docs/ (local static files only)."""

import re

import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_documents_every_endpoint(schema):
    paths = set(schema["paths"])
    assert {
        "/api/v1/auth/token/",
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/articles/{slug}/ninjs/",
        "/api/v1/analysts/",
        "/api/v1/analysts/{slug}/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{slug}/",
        "/api/v1/proposals/compare/",
    } <= paths


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)


def test_article_list_documents_filters_and_pagination(schema):
    operation = schema["paths"]["/api/v1/articles/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    expected = {"topic", "language", "analyst", "published_after", "published_before", "q"}
    assert expected | {"status", "cursor", "page_size"} <= names
    assert {"200", "400"} <= set(operation["responses"])


def test_token_endpoint_is_documented(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "400" in operation["responses"] and "413" in operation["responses"]
    token = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert token == "#/components/schemas/Token"
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_page_uses_only_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any("swagger-ui" in url for url in urls)
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    assert "cdn" not in html.lower()

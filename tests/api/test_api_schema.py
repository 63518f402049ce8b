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
            assert "429" in responses, (method, path)
            # Every endpoint but the token exchange reads credentials, and refuses bad ones.
            assert ("401" in responses) == (path != "/api/v1/auth/token/"), (method, path)
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
    # Not a bare "cdn" substring: the page's random CSRF token may contain one.
    for host in ("jsdelivr", "unpkg", "cdnjs", "googleapis"):
        assert host not in html.lower()
    assert not re.findall(r"https?://", html)
    # Swagger UI calls validator.swagger.io unless told not to (in its start-up script).
    start = client.get(re.findall(r'<script src="([^"]+)"', html)[-1].replace("&amp;", "&"))
    assert '"validatorUrl": null' in start.content.decode()


def test_docs_static_files_exist(client):
    from django.contrib.staticfiles import finders

    html = client.get("/api/docs/").content.decode()
    urls = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert len(urls) >= 3
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_reference_in_the_schema_resolves(schema):
    # The comparison's terms once pointed at a component that nothing registered.
    components = schema["components"]["schemas"]
    for ref in set(_refs(schema)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in components, ref
    compared = components["ComparedCategory"]["properties"]["terms"]
    term = {"$ref": "#/components/schemas/ComparedTerm"}
    assert compared["additionalProperties"]["items"] == term


def test_parameters_document_what_the_server_refuses(schema):
    def parameters(path):
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    articles = parameters("/api/v1/articles/")
    assert articles["topic"]["schema"]["pattern"] == "^[-a-zA-Z0-9_]*$"
    assert articles["analyst"]["schema"]["pattern"] == "^[-a-zA-Z0-9_]*$"
    assert articles["q"]["schema"]["maxLength"] == 200
    assert articles["cursor"]["schema"]["pattern"] == "^[-A-Za-z0-9_]*$"
    assert set(articles["status"]["schema"]["enum"]) >= {"draft", "published"}
    # `?topic=` is the same as no topic: every optional query parameter says so.
    assert all(p["allowEmptyValue"] for p in articles.values())
    proposals = parameters("/api/v1/proposals/")
    assert {"actor", "article", "category"} <= set(proposals)
    assert proposals["actor"]["schema"]["pattern"] == "^[-a-zA-Z0-9_]*$"
    slugs = parameters("/api/v1/proposals/compare/")["slugs"]
    assert slugs["required"] and "allowEmptyValue" not in slugs
    assert slugs["schema"]["pattern"].startswith("^[-a-zA-Z0-9_]+(,")


def test_success_responses_document_the_cache_and_language_headers(schema):
    detail = schema["paths"]["/api/v1/articles/{slug}/"]["get"]["responses"]["200"]
    assert set(detail["headers"]) == {"X-Cache", "Content-Language"}
    listed = schema["paths"]["/api/v1/proposals/"]["get"]["responses"]["200"]
    assert set(listed["headers"]) == {"X-Cache"}
    assert "headers" not in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["200"]


def test_compare_documents_its_404(schema):
    responses = schema["paths"]["/api/v1/proposals/compare/"]["get"]["responses"]
    assert {"200", "400", "404", "406"} <= set(responses)

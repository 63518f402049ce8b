"""Property-based robustness: schemathesis generates requests from the live OpenAPI schema
and checks every answer: never a 5xx, only documented status codes, content types and
headers, bodies that match the schema, and input the schema rules out refused.
Anonymously and as each role (token auth).

Bounded and reproducible: a fixed number of examples per operation, derandomized
(fixed seed), so the run is the same every time and takes well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.fixtures import World

pytestmark = pytest.mark.django_db

EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    # Negative cases (values the schema rules out) must be refused, not answered 2xx.
    negative_data_rejection,
]
# Path parameters of real, published things, so 200 answers are checked too.
COMPARED = "russian-plan,european-plan"
KNOWN = {"slug": {"articles": "putin-talks", "analysts": "ana-lyst", "proposals": "russian-plan"}}


@pytest.fixture
def api_schema(monkeypatch, editor):
    # Like Django's test client: keep the test's connection (and transaction) open
    # across requests made straight to the WSGI application.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Throttling has its own test; here it would only starve the run of examples.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "100000/minute")
    World(editor)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _known_path_parameters(path: str) -> dict | None:
    if "{slug}" not in path:
        return None
    for prefix, slug in KNOWN["slug"].items():
        if f"/{prefix}/" in path:
            return {"slug": slug}
    return None


def run_every_operation(schema, headers: dict) -> int:
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        strategies = [operation.as_strategy()]
        inputs = (operation.path_parameters, operation.query, operation.headers, operation.body)
        if any(len(parameters) for parameters in inputs):
            # An operation taking no input (GET /api/v1/) has no invalid input either.
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        known = _known_path_parameters(operation.path)
        if known:
            strategies.append(operation.as_strategy(path_parameters=known))
        if operation.path.endswith("/compare/"):
            strategies.append(operation.as_strategy(query={"slugs": COMPARED}))
        for strategy in strategies:

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
        operations += 1
    return operations


@pytest.mark.parametrize("role", ["reader", "editor", "translator", "contributor"])
def test_no_server_error_and_no_answer_outside_the_schema(api_schema, request, role):
    headers = {}
    if role != "reader":
        from rest_framework.authtoken.models import Token

        user = request.getfixturevalue(role)
        token, _created = Token.objects.get_or_create(user=user)
        headers = {"Authorization": f"Token {token.key}"}
    assert run_every_operation(api_schema, headers) >= 9

"""API throttles count per client address: X-Forwarded-For counts only as far as the
configured trusted proxies (NEWSROOM_TRUSTED_PROXIES) vouch for it."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.shared_process import in_another_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_minute(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")


def test_a_changing_x_forwarded_for_does_not_escape_the_throttle(two_per_minute):
    client = APIClient()
    for forwarded in ("203.0.113.1", "203.0.113.2"):
        response = client.get("/api/v1/analysts/", HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 200
    response = client.get("/api/v1/analysts/", HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_behind_a_trusted_proxy_clients_are_counted_apart(two_per_minute, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    # The proxy appends the address it got the request from: the last entry counts,
    # whatever a client wrote before it.
    for spoofed in ("1.1.1.1", "2.2.2.2"):
        forwarded = f"{spoofed}, 198.51.100.7"
        assert client.get("/api/v1/analysts/", HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    assert (
        client.get("/api/v1/analysts/", HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.7").status_code
        == 429
    )
    assert client.get("/api/v1/analysts/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


ANOTHER_WORKER_USES_UP_THE_ANON_RATE = """
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

request = Request(RequestFactory().get("/api/v1/analysts/", REMOTE_ADDR="127.0.0.1"))
served = 0
while AnonRateThrottle().allow_request(request, None):
    served += 1
print(served)
"""


def test_requests_served_by_another_process_count_towards_the_throttle():
    # The throttles count in the default cache, which every process on the machine
    # shares: a client cannot get N times the rate by landing on N server workers.
    assert int(in_another_process(ANOTHER_WORKER_USES_UP_THE_ANON_RATE)) > 0
    response = APIClient().get("/api/v1/analysts/", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"

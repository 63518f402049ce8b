"""Fixtures of the API tests: `anon`, `role_client` (each role in turn) and `world`."""

from tests.api.fixtures import anon, role_client, world  # noqa: F401

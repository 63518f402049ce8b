"""The API tests' fixtures (`anon`, `role_client`, `world`), shared with tests/api/."""

from tests.api.fixtures import anon, role_client, world  # noqa: F401

"""/api/v1/translations/ (placeholder until translations land)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

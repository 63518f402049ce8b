"""/api/v1/proposals/ routes."""

urlpatterns: list = []

"""/api/v1/proposals/ routes: the list, `compare/` (routed before `<slug>/`), one proposal."""

from rest_framework.routers import SimpleRouter

from proposals.api import views

router = SimpleRouter()
router.register("", views.ProposalViewSet, basename="api-proposal")

urlpatterns = router.urls

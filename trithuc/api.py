"""The REST API's one router: every app registers its viewsets here, under /api/."""

from rest_framework.routers import DefaultRouter

from trithuc.core.api.views import JobViewSet
from trithuc.organizations.api.views import AdministrativeUnitViewSet, OrganizationViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("administrative-units", AdministrativeUnitViewSet, basename="administrative-unit")
router.register("jobs", JobViewSet, basename="job")

app_name = "api"
urlpatterns = router.urls

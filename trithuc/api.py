"""The REST API's one router: every app registers its viewsets here, under /api/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from trithuc.core.api.views import JobViewSet
from trithuc.insights import api as insights_api
from trithuc.insights.api_indicators import IndicatorViewSet
from trithuc.insights.api_projection import ProjectionView
from trithuc.organizations.api.views import AdministrativeUnitViewSet, OrganizationViewSet
from trithuc.registry.api.views import (
    RECORD_VIEWSETS,
    DegreeLevelViewSet,
    EthnicGroupViewSet,
    FieldOfScienceViewSet,
    PersonViewSet,
    ProfessorshipCouncilViewSet,
)

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("administrative-units", AdministrativeUnitViewSet, basename="administrative-unit")
router.register("jobs", JobViewSet, basename="job")
router.register("people", PersonViewSet, basename="person")
for prefix, basename, viewset in RECORD_VIEWSETS:
    router.register(prefix, viewset, basename=basename)
router.register("fields-of-science", FieldOfScienceViewSet, basename="field-of-science")
router.register("degree-levels", DegreeLevelViewSet, basename="degree-level")
router.register("ethnic-groups", EthnicGroupViewSet, basename="ethnic-group")
router.register(
    "professorship-councils", ProfessorshipCouncilViewSet, basename="professorship-council"
)
router.register("insights/indicators", IndicatorViewSet, basename="indicator")

app_name = "api"
urlpatterns = [
    path("insights/summary/", insights_api.SummaryView.as_view(), name="insights-summary"),
    path("insights/crosstab/", insights_api.CrossTabView.as_view(), name="insights-crosstab"),
    *router.urls,
]
urlpatterns += [
    path("insights/projections/", ProjectionView.as_view(), name="insights-projection"),
]

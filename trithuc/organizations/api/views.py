from trithuc.core.api.views import RestrictedModelViewSet

from ..filtersets import OrganizationFilterSet
from ..models import Organization
from .serializers import OrganizationSerializer


class OrganizationViewSet(RestrictedModelViewSet):
    """Organisations the caller may see (their roles' subtrees)."""

    queryset = Organization.objects.select_related("parent")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet

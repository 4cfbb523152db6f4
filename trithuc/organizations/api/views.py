import django_filters
from django.db.models import Q, QuerySet

from trithuc.core.api.views import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from trithuc.core.text import fold

from ..filtersets import OrganizationFilterSet
from ..models import AdministrativeUnit, Organization
from .serializers import AdministrativeUnitSerializer, OrganizationSerializer


class OrganizationViewSet(RestrictedModelViewSet):
    """Organisations the caller may see (their roles' subtrees)."""

    queryset = Organization.objects.select_related("parent")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


class AdministrativeUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search")
    province = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = AdministrativeUnit
        fields = ["q", "level", "is_legacy", "province"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = fold(value)
        return queryset.filter(Q(folded_name__contains=key) | Q(code=value.strip()))


class AdministrativeUnitViewSet(RestrictedReadOnlyViewSet):
    """Provinces and communes (2025 structure) and the legacy units mapped to them."""

    queryset = AdministrativeUnit.objects.order_by("code")
    serializer_class = AdministrativeUnitSerializer
    filterset_class = AdministrativeUnitFilterSet

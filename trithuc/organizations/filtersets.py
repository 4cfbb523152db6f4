"""One filterset per model, shared by list pages, the API and exports."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trithuc.core.filtersets import BaseFilterSet, yes_no_widget
from trithuc.core.text import fold

from .choices import OrganizationType
from .fields import OrganizationChoiceField
from .models import Organization


def _in_view_scope(request: Any) -> QuerySet:
    if request is None:
        return Organization.objects.none()
    return Organization.objects.restrict(request.user, "view")


class OrganizationFilter(django_filters.ModelChoiceFilter):
    """An organisation typed as its code or picked from suggestions (not a huge <select>)."""

    field_class = OrganizationChoiceField


class OrganizationFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm kiếm"))
    type = django_filters.MultipleChoiceFilter(
        choices=OrganizationType.choices, label=_("Loại hình")
    )
    within = OrganizationFilter(
        queryset=_in_view_scope,
        method="filter_within",
        label=_("Thuộc đơn vị (kể cả trực thuộc)"),
    )
    is_active = django_filters.BooleanFilter(label=_("Đang hoạt động"), widget=yes_no_widget())

    class Meta:
        model = Organization
        fields = ["q", "type", "within", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = fold(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(folded_name__contains=key)
            | Q(code__iexact=value.strip())
            | Q(short_name__iexact=value.strip())
        )

    def filter_within(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(path__startswith=value.path)

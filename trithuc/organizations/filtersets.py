"""One filterset per model, shared by list pages, the API and exports."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trithuc.core.filtersets import BaseFilterSet, yes_no_widget
from trithuc.core.text import fold

from .choices import OrganizationType
from .models import Organization


class OrganizationFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm kiếm"))
    type = django_filters.MultipleChoiceFilter(
        choices=OrganizationType.choices, label=_("Loại hình")
    )
    within = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            Organization.objects.restrict(request.user, "view")
            if request is not None
            else Organization.objects.none()
        ),
        method="filter_within",
        label=_("Thuộc đơn vị (kể cả trực thuộc)"),
        empty_label=_("Tất cả"),
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

"""The one filterset of people: the list page, the export and /api/people/ all use it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trithuc.core.filtersets import BaseFilterSet, yes_no_widget
from trithuc.core.permissions import paths_for
from trithuc.core.text import fold
from trithuc.organizations.filtersets import OrganizationFilter, _in_view_scope

from . import choices, citizen_id
from .models import SENSITIVE_ROLES, Degree, Expertise, FieldOfScience, Person, Training
from .selectors import degree_groups
from .services import find_by_citizen_id

# Age bands of the statistics (DOMAIN.md ages 24–75): (value, label, lowest age, highest age).
AGE_BANDS = [
    ("lt30", _("Dưới 30"), 0, 29),
    ("30-39", _("30–39"), 30, 39),
    ("40-49", _("40–49"), 40, 49),
    ("50-59", _("50–59"), 50, 59),
    ("60-69", _("60–69"), 60, 69),
    ("ge70", _("Từ 70"), 70, 200),
]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_range(lowest_age: int, highest_age: int, on: date) -> tuple[date, date]:
    """Birth dates of people aged lowest_age..highest_age on `on` (inclusive bounds)."""
    latest = _years_before(on, lowest_age)
    earliest = _years_before(on, highest_age + 1) + timedelta(days=1)
    return earliest, latest


def degree_group_choices() -> list[tuple[str, str]]:
    return list(degree_groups().items())


def field_choices() -> list[tuple[str, str]]:
    return [
        (f.code, f"{f.code} {f.name}")
        for f in FieldOfScience.objects.filter(version="2025", is_active=True, level__lte=2)
    ]


NONE = "none"  # people without a value: no title, no degree, no field recorded


def title_choices() -> list[tuple[str, Any]]:
    return [*choices.AcademicTitleKind.choices, (NONE, _("Chưa có học hàm"))]


def degree_choices() -> list[tuple[str, Any]]:
    return [*degree_group_choices(), (NONE, _("Chưa ghi trình độ"))]


def main_field_choices() -> list[tuple[str, Any]]:
    return [*field_choices(), (NONE, _("Chưa ghi lĩnh vực"))]


class PersonFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Tìm kiếm"),
        help_text=_("Họ tên (có dấu hoặc không), hoặc số định danh đầy đủ."),
    )
    within = OrganizationFilter(
        queryset=_in_view_scope, method="filter_within", label=_("Thuộc đơn vị (kể cả trực thuộc)")
    )
    title = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=title_choices,
        method="filter_title",
        label=_("Học hàm"),
    )
    degree = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=degree_choices,
        method="filter_degree",
        label=_("Trình độ cao nhất"),
    )
    field = django_filters.ChoiceFilter(
        choices=field_choices, method="filter_field", label=_("Lĩnh vực")
    )
    # The field a statistic counts a person in (their main field), for exact drill-down.
    main_field = django_filters.ChoiceFilter(
        choices=main_field_choices, method="filter_main_field", label=_("Lĩnh vực chính")
    )
    # People recorded at the unit itself, not its sub-units (the statistics' "directly at"
    # rows drill down with it).
    at = django_filters.CharFilter(
        method="filter_at",
        label=_("Thuộc trực tiếp đơn vị (mã)"),
        help_text=_("Chỉ người ghi ở chính đơn vị này, không kể đơn vị trực thuộc."),
    )
    admin_unit = django_filters.CharFilter(
        method="filter_admin_unit",
        label=_("Đơn vị hành chính nơi làm việc"),
        help_text=_("Mã tỉnh hoặc xã, phường (ví dụ 01)."),
    )
    age_band = django_filters.MultipleChoiceFilter(
        choices=[(v, label) for v, label, _lo, _hi in AGE_BANDS],
        method="filter_age_band",
        label=_("Độ tuổi"),
    )
    gender = django_filters.ChoiceFilter(choices=choices.Gender.choices, label=_("Giới tính"))
    sector = django_filters.MultipleChoiceFilter(
        distinct=False, choices=choices.Sector.choices, label=_("Khu vực công tác")
    )
    status = django_filters.MultipleChoiceFilter(
        distinct=False, choices=choices.PersonStatus.choices, label=_("Tình trạng")
    )
    is_leader = django_filters.BooleanFilter(
        label=_("Giữ chức vụ lãnh đạo"), widget=yes_no_widget()
    )
    training = django_filters.ChoiceFilter(
        choices=choices.TrainingCategory.choices,
        method="filter_training",
        label=_("Đã bồi dưỡng loại"),
    )
    training_from = django_filters.NumberFilter(
        method="filter_noop", label=_("Bồi dưỡng từ năm"), widget=forms.NumberInput
    )
    training_to = django_filters.NumberFilter(
        method="filter_noop", label=_("Bồi dưỡng đến năm"), widget=forms.NumberInput
    )

    class Meta:
        model = Person
        fields = [
            "q",
            "within",
            "title",
            "degree",
            "field",
            "main_field",
            "at",
            "admin_unit",
            "age_band",
            "gender",
            "sector",
            "status",
            "is_leader",
            "training",
            "training_from",
            "training_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("training_from", "training_to"):
            self.form.fields[name].min_value = 1900
            self.form.fields[name].max_value = 2100

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        number, _fixes = citizen_id.normalize(value)
        if number.isdigit() and len(number) == 12:
            # Looking a number up is reading it: only for the roles granted citizen IDs (a
            # leader must not be able to test whether a number belongs to someone).
            if not self._may_search_citizen_ids():
                return queryset.none()
            return find_by_citizen_id(number, queryset)
        key = fold(value)
        if not key:
            return queryset
        return queryset.filter(folded_name__contains=key)

    def _may_search_citizen_ids(self) -> bool:
        user = getattr(self.request, "user", None)
        if user is None:
            return False
        return user.is_superuser or bool(paths_for(user, SENSITIVE_ROLES))

    def filter_within(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(organization__path__startswith=value.path)

    def filter_field(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """People with a field of expertise, or a degree, within `value` (the code and every
        field under it), so that the field shown as their main one is always found."""
        # Uncorrelated IN subqueries: an EXISTS per person would run for every row counted.
        fields = FieldOfScience.objects.filter(code__startswith=value)
        expertise = Expertise.objects.filter(field__in=fields).values("person_id")
        degrees = Degree.objects.filter(field__in=fields).values("person_id")
        return queryset.filter(Q(pk__in=expertise) | Q(pk__in=degrees))

    def filter_title(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        kinds = [v for v in value if v != NONE]
        q = Q(title__in=kinds)
        if NONE in value:
            q |= ~Q(title__in=choices.AcademicTitleKind.values)
        return queryset.filter(q)

    def filter_degree(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        groups = [v for v in value if v != NONE]
        q = Q(degree_group__in=groups)
        if NONE in value:
            q |= ~Q(degree_group__in=list(degree_groups()))
        return queryset.filter(q)

    def filter_main_field(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NONE:
            return queryset.filter(primary_field__isnull=True)
        fields = FieldOfScience.objects.filter(code__startswith=value).values("pk")
        return queryset.filter(primary_field__in=fields)

    def filter_at(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(organization__code=value.strip().upper())

    def filter_admin_unit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip()
        return queryset.filter(
            Q(organization__administrative_unit__code=code)
            | Q(organization__administrative_unit__parent__code=code)
        )

    def filter_age_band(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        today = timezone.localdate()
        q = Q(pk__in=[])
        for band, _label, lowest, highest in AGE_BANDS:
            if band in value:
                earliest, latest = birth_range(lowest, highest, today)
                q |= Q(birth_date__gte=earliest, birth_date__lte=latest)
        return queryset.filter(q)

    def filter_training(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """People with a course of this category, within the years given (either bound)."""
        courses = Training.objects.filter(category=value)
        start = self.form.cleaned_data.get("training_from")
        end = self.form.cleaned_data.get("training_to")
        if start:
            courses = courses.filter(year__gte=int(start))
        if end:
            courses = courses.filter(year__lte=int(end))
        return queryset.filter(pk__in=courses.values("person_id"))

    def filter_noop(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # The period bounds only qualify the training filter above.
        return queryset

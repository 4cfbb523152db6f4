"""API of the KPI indicators: read-only, scoped like the pages. The list gives each
indicator's current value, target, progress and whether it is on track; one indicator adds its
stored measurements."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trithuc.core.api.views import RestrictedReadOnlyViewSet

from . import indicators
from .models import Indicator, IndicatorValue


class CurrentSerializer(serializers.Serializer):
    """The value computed now; all null when the filters can no longer be counted."""

    date = serializers.DateField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    # Why the filters cannot be counted (one message per parameter); empty when they can.
    filter_errors = serializers.ListField(child=serializers.CharField())


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["measured_on", "numerator", "denominator", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    current = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(
        help_text="Phần trăm chặng đường từ giá trị cơ sở (0 nếu không có) đến mục tiêu."
    )
    planned = serializers.SerializerMethodField(
        help_text="Giá trị cần có hôm nay trên lộ trình đều từ cơ sở đến mục tiêu."
    )
    status = serializers.SerializerMethodField(
        help_text="achieved, on_track, behind hoặc unknown (chưa có giá trị hoặc giá trị cơ sở)."
    )
    on_track = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "organization",
            "code",
            "name",
            "description",
            "kind",
            "numerator",
            "denominator",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "is_public",
            "order",
            "current",
            "progress",
            "planned",
            "status",
            "on_track",
        ]
        read_only_fields = fields

    def _assessment(self, obj: Indicator) -> indicators.Assessment:
        # Computed once per indicator however many fields read it (the list's child serializer
        # is shared by every row).
        cache: dict[int, indicators.Assessment] = self.__dict__.setdefault("_assessments", {})
        if obj.pk not in cache:
            cache[obj.pk] = indicators.assess(obj, timezone.localdate())
        return cache[obj.pk]

    @extend_schema_field(CurrentSerializer)
    def get_current(self, obj: Indicator) -> dict[str, Any]:
        a = self._assessment(obj)
        m = a.measurement
        data = {
            "date": a.on,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "value": m.value,
            "filter_errors": m.errors,
        }
        return CurrentSerializer(data).data

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True))
    def get_progress(self, obj: Indicator) -> str | None:
        p = self._assessment(obj).progress
        return None if p is None else str(p)

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_planned(self, obj: Indicator) -> str | None:
        p = self._assessment(obj).planned
        return None if p is None else str(p)

    @extend_schema_field(serializers.ChoiceField(choices=indicators.STATUSES))
    def get_status(self, obj: Indicator) -> str:
        return self._assessment(obj).status

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_on_track(self, obj: Indicator) -> bool | None:
        return self._assessment(obj).on_track


class IndicatorDetailSerializer(IndicatorSerializer):
    measurements = IndicatorValueSerializer(source="values", many=True, read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "measurements"]
        read_only_fields = fields


class IndicatorViewSet(RestrictedReadOnlyViewSet):
    """KPI indicators in the caller's scope, each computed now for its unit's subtree; one
    indicator with its measurements (the 1st of each month, and when it was created)."""

    queryset = Indicator.objects.select_related("organization").order_by("order", "code", "pk")

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("values")
        return qs

    def get_serializer_class(self) -> Any:
        return IndicatorDetailSerializer if self.action == "retrieve" else IndicatorSerializer

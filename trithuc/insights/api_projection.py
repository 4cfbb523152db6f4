"""/api/insights/projections/?scenario=<id>&to=2045[&from=YEAR]: the projection of a scenario,
the same JSON as `manage.py project_workforce`.

The scenario must be one the caller may view (INSIGHTS_POLICY: readers of its organisation's
subtree); any other is 404, as if it did not exist. The figures count the people at work in
the scenario's subtree, as aggregates only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Scenario
from .projection import MAX_YEAR, MIN_YEAR, AssumptionError, ProjectionError, project_scenario


class YearFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    stock = serializers.FloatField(help_text="Số người đang làm việc cuối năm (kỳ vọng).")
    retirements = serializers.FloatField()
    inflow = serializers.FloatField()
    attrition = serializers.FloatField()


class FieldYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    stock = serializers.FloatField()
    retirements = serializers.FloatField()
    inflow = serializers.FloatField()
    demand = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(
        allow_null=True, help_text="Nhu cầu − dự báo; null nếu năm đó không có nhu cầu."
    )


class FieldProjectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    base_stock = serializers.FloatField()
    years = FieldYearSerializer(many=True)


class ScenarioOrganizationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ScenarioSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization = ScenarioOrganizationSerializer()
    extension_years = serializers.IntegerField()
    extension_share = serializers.FloatField()
    attrition = serializers.DictField(child=serializers.FloatField())


class ProjectionSerializer(serializers.Serializer):
    scenario = ScenarioSummarySerializer(allow_null=True)
    base_date = serializers.DateField()
    base_stock = serializers.FloatField()
    first_year_share = serializers.FloatField()
    years = YearFiguresSerializer(many=True)
    by_field = serializers.DictField(
        child=FieldProjectionSerializer(), help_text="Theo mã lĩnh vực cấp 1: 1…6, none."
    )
    warnings = serializers.ListField(child=serializers.CharField())


def _year(request: Request, name: str, default: int | None) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return default
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Hãy ghi năm bốn chữ số, từ %(first)s đến %(last)s.")
                    % {"first": MIN_YEAR, "last": MAX_YEAR}
                ]
            }
        )
    return year


class ProjectionView(APIView):
    """The projection of one scenario to a year (the command's JSON)."""

    queryset = Scenario.objects.select_related("organization")

    @extend_schema(
        operation_id="insights_projection",
        responses=ProjectionSerializer,
        parameters=[
            OpenApiParameter("scenario", int, required=True, description="Mã số kịch bản."),
            OpenApiParameter("to", int, description="Năm cuối (mặc định 2045, tối đa 2100)."),
            OpenApiParameter(
                "from",
                int,
                description="Năm đầu: từ số liệu ngày 31/12 năm trước (mặc định: từ hôm nay).",
            ),
        ],
        description=(
            "Workforce projection of a scenario the caller may view: stock at the end of each "
            "year, retirements, attrition and inflow; by level-1 field the stock, demand and "
            "gap (demand − stock). Expected values, rounded to four decimals."
        ),
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("scenario", "")
        if not raw.isdigit():
            raise exceptions.ValidationError(
                {"scenario": [_("Hãy ghi mã số kịch bản, ví dụ ?scenario=3&to=2045.")]}
            )
        to_year = _year(request, "to", 2045)
        from_year = _year(request, "from", None)
        try:
            scenario = self.queryset.restrict(request.user, "view").get(pk=int(raw))  # type: ignore[attr-defined]
        except Scenario.DoesNotExist as exc:
            raise exceptions.NotFound(_("Không có kịch bản này trong phạm vi của bạn.")) from exc
        try:
            projection = project_scenario(
                scenario, to_year=int(to_year or 2045), from_year=from_year
            )
        except AssumptionError as exc:
            raise exceptions.ValidationError({"scenario": exc.messages}) from exc
        except ProjectionError as exc:
            raise exceptions.ValidationError([str(exc)]) from exc
        return Response(projection.as_dict(scenario))

"""/api/insights/: the figures of the dashboard for programs.

`summary/` answers everyone: callers who may read the registry get the figures of their
scope (the list filters and `as_of` apply); anyone else — anonymous callers included — gets
the public figures with small cells suppressed (disclosure.py), never filtered or dated, so
that two answers cannot be differenced to single a person out.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trithuc.accounts.middleware import needs_totp
from trithuc.core.permissions import user_can
from trithuc.registry.models import Person

from . import aggregates as agg
from . import selectors
from .dimensions import DIMENSIONS

COUNTS = serializers.DictField(child=serializers.IntegerField(allow_null=True))
SUMMARY = inline_serializer(
    "InsightsSummary",
    {
        "as_of": serializers.DateField(),
        "scope": serializers.CharField(),
        "total": serializers.IntegerField(),
        "by_title": COUNTS,
        "by_degree": COUNTS,
        "by_gender": COUNTS,
        "by_age_band": COUNTS,
        "by_field": COUNTS,
        # Staff only: the public figures publish level 1 alone (disclosure.py).
        "by_field2": serializers.DictField(
            child=serializers.IntegerField(allow_null=True), required=False
        ),
        "by_sector": COUNTS,
    },
)
AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Số liệu tại ngày (YYYY-MM-DD); mặc định hôm nay."
)


def may_read_registry(request: Request) -> bool:
    user = request.user
    return bool(
        user
        and user.is_authenticated
        and not getattr(user, "must_change_password", False)
        and not needs_totp(user)
        and user_can(user, Person, "view")
    )


def _population(request: Request) -> tuple[Any, Any, Any]:
    people, filterset, as_of, error = agg.query_population(
        request.user, request.query_params, request=request
    )
    if error:
        raise exceptions.ValidationError({"as_of": [error]})
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    return people, filterset, as_of


class SummaryView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=SUMMARY,
        parameters=[AS_OF],
        description=(
            "Counts of the intellectual workforce. Staff who may read the registry: their "
            "scope, with the registry list's filters. Everyone else: the public figures, "
            "cells of 1–4 people suppressed (null)."
        ),
    )
    def get(self, request: Request) -> Response:
        if not may_read_registry(request):
            from .disclosure import public_summary

            return Response(public_summary())
        people, _filterset, as_of = _population(request)
        on = as_of or agg.timezone.localdate()
        figures = agg.summary(people, on=on)
        payload: dict[str, Any] = {
            "as_of": on.isoformat(),
            "scope": "staff",
            "total": figures["gender"].total,
        }
        for key, dist in figures.items():
            payload[f"by_{key}"] = dist.as_counts()
        return Response(payload)


class CrossTabView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "InsightsCrossTab",
            {
                "rows": serializers.CharField(),
                "columns": serializers.CharField(),
                "row_keys": serializers.ListField(child=serializers.ListField()),
                "column_keys": serializers.ListField(child=serializers.ListField()),
                "cells": serializers.ListField(child=serializers.ListField()),
                "total": serializers.IntegerField(),
            },
        ),
        parameters=[
            OpenApiParameter("rows", str, enum=list(DIMENSIONS), default="degree"),
            OpenApiParameter("columns", str, enum=list(DIMENSIONS), default="gender"),
            AS_OF,
        ],
        description="Counts by two dimensions over the caller's scope and the list filters.",
    )
    def get(self, request: Request) -> Response:
        if not may_read_registry(request):
            raise exceptions.PermissionDenied
        rows = request.query_params.get("rows", "degree")
        columns = request.query_params.get("columns", "gender")
        errors = {
            name: [_("Hãy chọn một trong: %(list)s.") % {"list": ", ".join(DIMENSIONS)}]
            for name, value in (("rows", rows), ("columns", columns))
            if value not in DIMENSIONS
        }
        if not errors and rows == columns:
            errors = {"columns": [_("Hãy chọn cho cột một tiêu chí khác với hàng.")]}
        if errors:
            raise exceptions.ValidationError(errors)
        people, filterset, as_of = _population(request)
        table = selectors.crosstab_context(
            people, filterset, rows, columns, user=request.user, as_of=as_of
        )
        return Response(
            {
                "rows": rows,
                "columns": columns,
                "row_keys": [list(k) for k in table.row_keys],
                "column_keys": [list(k) for k in table.column_keys],
                "cells": [[r, c, n] for (r, c), n in sorted(table.cells.items())],
                "total": table.total,
            }
        )

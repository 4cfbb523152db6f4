"""The public statistics page: the city's intellectual workforce in aggregates, for anyone
(no sign-in), after small-cell suppression (disclosure.py). No filter, no date, no link to
any list of people: the figures are the same snapshot for every visitor and the API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import disclosure
from .aggregates import NONE
from .disclosure import UNKNOWN

# (table, chart kind), two by two on a wide screen; the chart of titles leaves out the people
# without one, and often has nothing left to draw: it sits last, beside the sectors.
SECTIONS = (
    ("degree", "bar"),
    ("field", "bar"),
    ("age_band", "column"),
    ("gender", "pie"),
    ("sector", "bar"),
    ("title", "bar"),
)


def _headings() -> dict[str, str]:
    return {
        "title": _("Theo học hàm"),
        "degree": _("Theo trình độ cao nhất"),
        "gender": _("Theo giới tính"),
        "age_band": _("Theo độ tuổi"),
        "field": _("Theo lĩnh vực khoa học (cấp 1)"),
        "sector": _("Theo khu vực công tác"),
    }


def _section(key: str, kind: str, rows: list[list[Any]], names: dict[str, str]) -> dict:
    heading = _headings()[key]
    table = [{"key": k, "label": names.get(k, k), "count": n} for k, n in rows]
    charted = [r for r in table if not (key == "title" and r["key"] == NONE)]
    charted = [r for r in charted if r["key"] != UNKNOWN or r["count"] != 0]
    values = [r["count"] for r in charted]
    return {
        "key": key,
        "heading": heading,
        "kind": kind,
        "rows": table,
        # Nothing to draw when every figure is zero or hidden: the table says it.
        "drawn": any(v for v in values),
        "height": max(200, min(26 * len(charted) + 40, 420)) if kind == "bar" else 260,
        "chart_id": f"chart-{key}",
        "chart": {
            "labels": [r["label"] for r in charted],
            "series": [{"name": _("Số người"), "data": values}],
            "missing": _("ẩn"),
        },
    }


def _grid(grid: dict[str, Any], row_names: dict, column_names: dict) -> dict[str, Any]:
    return {
        "columns": [column_names.get(c, c) for c in grid["columns"]],
        "rows": [
            {"label": row_names.get(r, r), "cells": cells, "total": total}
            for r, cells, total in zip(grid["rows"], grid["cells"], grid["row_totals"], strict=True)
        ],
        "column_totals": grid["column_totals"],
    }


def _pyramid_chart(grid: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Known ages and genders only (an "unknown" row or column stays in the table)."""
    rows = [i for i, r in enumerate(grid["rows"]) if r != UNKNOWN]
    series = [
        {"name": names["gender"].get(g, g), "data": [grid["cells"][i][j] for i in rows]}
        for j, g in enumerate(grid["columns"])
        if g != UNKNOWN
    ]
    return {
        "labels": [names["band"].get(grid["rows"][i], grid["rows"][i]) for i in rows],
        "series": series,
        "missing": _("ẩn"),
    }


def _heatmap_chart(grid: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Rows and columns with people only; a hidden cell is left blank."""
    rows = [i for i, t in enumerate(grid["row_totals"]) if t != 0]
    columns = [j for j, t in enumerate(grid["column_totals"]) if t != 0]
    cells = [
        [x, y, grid["cells"][i][j]]
        for y, i in enumerate(rows)
        for x, j in enumerate(columns)
        if grid["cells"][i][j] is not None
    ]
    return {
        "rows": [names["degree"].get(grid["rows"][i], grid["rows"][i]) for i in rows],
        "columns": [names["field"].get(grid["columns"][j], grid["columns"][j]) for j in columns],
        "cells": cells,
    }


class PublicStatisticsView(View):
    """Totals and distributions of the people at work, cells of 1–4 people suppressed."""

    template_name = "insights/public.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        figures = disclosure.published_figures()
        names = disclosure.labels()
        tables = figures["tables"]
        sections = [_section(key, kind, tables[key], names[key]) for key, kind in SECTIONS]
        counts = {dim: dict(rows) for dim, rows in tables.items()}
        generated = timezone.localtime(datetime.fromisoformat(figures["generated_at"]))
        context = {
            "total": figures["total"],
            "cards": [
                (label, counts[dim][key])
                for label, dim, key in (
                    (_("Giáo sư"), "title", "GS"),
                    (_("Phó giáo sư"), "title", "PGS"),
                    (_("Tiến sĩ khoa học"), "degree", "TSKH"),
                    (_("Tiến sĩ"), "degree", "TS"),
                )
                if key in counts[dim]
            ],
            "generated": generated,
            "minutes": max(disclosure.cache_seconds() // 60, 1),
            "min_count": disclosure.MIN_COUNT,
            "largest_hidden": disclosure.MIN_COUNT - 1,
            "sections": sections,
            "pyramid": _grid(figures["pyramid"], names["band"], names["gender"]),
            "pyramid_chart": _pyramid_chart(figures["pyramid"], names),
            "heat": _grid(figures["degree_field"], names["degree"], names["field"]),
            "heat_chart": _heatmap_chart(figures["degree_field"], names),
            "hidden": figures["hidden"],
            "indicators": [
                {
                    **i,
                    "value": None if i["value"] is None else Decimal(i["value"]),
                    "target": Decimal(i["target"]),
                    "target_date": date.fromisoformat(i["target_date"]),
                }
                for i in figures["indicators"]
            ],
        }
        return render(request, self.template_name, context)

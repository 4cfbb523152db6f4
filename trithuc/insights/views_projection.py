"""Pages of the workforce projection: the scenarios, their assumptions, the projection of one
scenario (charts with tables), several side by side, and the projection as .xlsx.

Who sees what follows the scenario (INSIGHTS_POLICY): readers of its organisation's subtree
see its projection, which counts the people at work in that subtree; data stewards add and
change scenarios.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.views import generic

from .forms_projection import ScenarioForm, check_assumptions, demand_formset, inflow_formset
from .models import Scenario
from .projection import (
    MAX_YEAR,
    AssumptionError,
    Projection,
    ProjectionError,
    first_year_of,
    project_scenario,
)

DEFAULT_HORIZON = 2045
HORIZONS = (2030, 2035, 2040, 2045, 2050)
MAX_COMPARED = 6


def horizon(request: HttpRequest) -> tuple[int, str | None]:
    """The last projected year asked for (`?to=`), or 2045 with the reason it was not used."""
    value = request.GET.get("to", "")
    if not value:
        return DEFAULT_HORIZON, None
    first_year = first_year_of(timezone.localdate())[0]
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not first_year <= year <= MAX_YEAR:
        return DEFAULT_HORIZON, _(
            "Năm cuối “%(value)s” không hợp lệ (cần từ %(first)s đến %(max)s); đang hiển thị "
            "đến năm %(default)s."
        ) % {"value": value[:10], "first": first_year, "max": MAX_YEAR, "default": DEFAULT_HORIZON}
    return year, None


def _n(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def milestone_years(projection: Projection) -> list[int]:
    """Years the field table shows: each year with a demand target, 2030, and the last."""
    years = {y for (_code, y) in projection.demand if y in projection.totals}
    years |= {y for y in (2030, projection.to_year) if y in projection.totals}
    return sorted(years)


def comparison_year(projection: Projection) -> int:
    """The year the field chart compares stock with demand: the last year with a target."""
    years = [y for (_code, y) in projection.demand if y in projection.totals]
    return max(years) if years else projection.to_year


def projection_context(projection: Projection) -> dict[str, Any]:
    """Rows for the tables and data for the charts (ECharts, charts.js) of one projection."""
    years = projection.years
    totals = [projection.totals[y] for y in years]
    codes = projection.field_codes()
    names = [projection.names.get(c, c) for c in codes]
    year = comparison_year(projection)
    stock_at = [projection.by_field[c][year].stock for c in codes]
    demand_at = [projection.demand.get((c, year)) for c in codes]
    milestones = milestone_years(projection)
    field_rows: list[dict[str, Any]] = []
    for code, name in zip(codes, names, strict=True):
        cells = []
        for y in milestones:
            cells.append(
                {
                    "stock": projection.by_field[code][y].stock,
                    "demand": projection.demand.get((code, y)),
                    "gap": projection.gap(code, y),
                }
            )
        base = projection.base_by_field.get(code, 0.0)
        field_rows.append({"code": code, "name": name, "base": base, "cells": cells})
    return {
        "projection": projection,
        "year_rows": [{"year": y, "figures": f} for y, f in zip(years, totals, strict=True)],
        "field_rows": field_rows,
        "milestones": milestones,
        "comparison_year": year,
        "stock_chart": {
            "labels": years,
            "series": [
                {"name": _("Số người đang làm việc"), "data": [_n(f.stock) for f in totals]}
            ],
        },
        "retirement_chart": {
            "labels": years,
            "series": [
                {"name": _("Nghỉ hưu"), "data": [_n(f.retirements) for f in totals]},
                {"name": _("Rời bỏ vì lý do khác"), "data": [_n(f.attrition) for f in totals]},
            ],
            "stacked": True,
        },
        "field_chart": {
            "labels": names,
            "series": [
                {
                    "name": _("Dự báo năm %(year)s") % {"year": year},
                    "data": [_n(v) for v in stock_at],
                },
                {
                    "name": _("Nhu cầu năm %(year)s") % {"year": year},
                    "data": [_n(v) for v in demand_at],
                },
            ],
        },
    }


class ScenarioListView(generic.ObjectListView):
    """Scenarios of the user's scope, with a choice of two or more to compare."""

    # ListView declares `queryset` on instances; the generic views read it from the class.
    queryset = Scenario.objects.select_related("organization").order_by("name", "pk")  # type: ignore[misc]
    template_name = "insights/scenario_list.html"


class ScenarioEditView(generic.ObjectEditView):
    """Add or change a scenario: scope, extension, attrition by degree, inflows and demand."""

    queryset = Scenario.objects.select_related("organization")
    form = ScenarioForm
    template_name = "insights/scenario_edit.html"

    def get_formsets(self, obj: Any, data: Any = None, files: Any = None) -> dict[str, Any]:
        return {"inflows": inflow_formset(obj, data), "demand": demand_formset(obj, data)}

    def _save(
        self, form: Any, created: bool, request: HttpRequest, formsets: dict[str, Any] | None = None
    ) -> Any:
        # The rows go on the scenario before its one save (one version in the history).
        for name, formset in (formsets or {}).items():
            setattr(form.instance, name, formset.rows())
        problems = check_assumptions(form.instance)
        if problems:
            raise ValidationError(problems)
        return super()._save(form, created, request, formsets)

    def render_form(
        self, obj: Any, form: Any, formsets: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        formsets = formsets or {}
        errors = []
        if form.is_bound:
            for name, field_errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in field_errors:
                    errors.append(f"{label}: {error}" if label else str(error))
        for formset in formsets.values():
            if formset.is_bound:
                errors.extend(formset.error_summary())
        context = {
            "object": obj,
            "form": form,
            "formsets": formsets,
            "error_summary": errors,
            "meta": self.model_meta,
        }
        return render(self.request, self.template_name, context, status=status)


class ScenarioDetailView(generic.ObjectDetailView):
    """The projection of one scenario: stock, retirements, and stock against demand by field."""

    queryset = Scenario.objects.select_related("organization")
    template_name = "insights/projection.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        to_year, problem = horizon(self.request)
        ctx.update(to_year=to_year, horizon_problem=problem, horizons=HORIZONS)
        try:
            projection = project_scenario(obj, to_year=to_year)
        except AssumptionError as exc:
            ctx["problems"] = exc.messages
            return ctx
        except ProjectionError as exc:
            ctx["problems"] = [str(exc)]
            return ctx
        ctx.update(projection_context(projection))
        ctx["others"] = Scenario.objects.restrict(self.request.user, "view").exclude(pk=obj.pk)[:20]
        return ctx


class ScenarioCompareView(generic.ObjectPermissionMixin, View):
    """Two or more scenarios side by side (`?ids=1&ids=2`): stock and retirements by year,
    and each field's stock and gap in a year with demand targets."""

    queryset = Scenario.objects.select_related("organization")
    template_name = "insights/projection_compare.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        visible = self.get_queryset().order_by("name", "pk")
        wanted = [v for v in request.GET.getlist("ids") if v.isdigit()][: MAX_COMPARED + 1]
        chosen = list(visible.filter(pk__in=wanted)) if wanted else []
        to_year, problem = horizon(request)
        context: dict[str, Any] = {
            "scenarios": visible[:200],
            "chosen_ids": {s.pk for s in chosen},
            "to_year": to_year,
            "horizon_problem": problem,
            "horizons": HORIZONS,
        }
        if len(wanted) > MAX_COMPARED:
            context["notice"] = _("Chỉ so sánh được tối đa %(n)s kịch bản một lần.") % {
                "n": MAX_COMPARED
            }
            chosen = chosen[:MAX_COMPARED]
        if len(chosen) < 2:
            if wanted:
                context["notice"] = _("Hãy chọn ít nhất hai kịch bản để so sánh.")
            return render(request, self.template_name, context)
        runs, problems = [], []
        for scenario in chosen:
            try:
                runs.append((scenario, project_scenario(scenario, to_year=to_year)))
            except (AssumptionError, ProjectionError) as exc:
                detail = "; ".join(getattr(exc, "messages", [str(exc)]))
                problems.append(f"{scenario}: {detail}")
        context["problems"] = problems
        if len(runs) >= 2:
            context.update(compare_context(runs))
        return render(request, self.template_name, context)


def compare_context(runs: list[tuple[Scenario, Projection]]) -> dict[str, Any]:
    first = runs[0][1]
    years = first.years
    codes: list[str] = []
    for _s, p in runs:
        codes += [c for c in p.field_codes() if c not in codes]
    targets = sorted({y for _s, p in runs for (_c, y) in p.demand if y in p.totals})
    year = targets[-1] if targets else first.to_year
    names = first.names
    field_rows: list[dict[str, Any]] = []
    for code in codes:
        cells = []
        for _s, p in runs:
            figures = p.by_field.get(code, {}).get(year)
            cells.append(
                {
                    "stock": figures.stock if figures else 0,
                    "demand": p.demand.get((code, year)),
                    "gap": p.gap(code, year) if figures else None,
                }
            )
        field_rows.append({"name": names.get(code, code), "cells": cells})
    return {
        "runs": runs,
        "years": years,
        "compare_year": year,
        "year_rows": [{"year": y, "cells": [p.totals[y] for _s, p in runs]} for y in years],
        "field_rows": field_rows,
        "stock_chart": {
            "labels": years,
            "series": [
                {"name": str(s), "data": [_n(p.totals[y].stock) for y in years]} for s, p in runs
            ],
        },
        "retirement_chart": {
            "labels": years,
            "series": [
                {"name": str(s), "data": [_n(p.totals[y].retirements) for y in years]}
                for s, p in runs
            ],
        },
        # The gap where some scenario has demand targets that year; else the stock itself.
        "has_demand": bool(targets),
        "gap_chart": {
            "labels": [r["name"] for r in field_rows],
            "series": [
                {
                    "name": str(s),
                    "data": [_n(r["cells"][i]["gap" if targets else "stock"]) for r in field_rows],
                }
                for i, (s, _p) in enumerate(runs)
            ],
        },
    }


class ScenarioExportView(generic.ObjectPermissionMixin, View):
    """The projection of a scenario as .xlsx: years, fields, assumptions; audited."""

    queryset = Scenario.objects.select_related("organization")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        scenario = self.get_restricted_object(pk=pk)
        to_year, _problem = horizon(request)
        try:
            projection = project_scenario(scenario, to_year=to_year)
        except (AssumptionError, ProjectionError) as exc:
            detail = "; ".join(getattr(exc, "messages", [str(exc)]))
            return HttpResponse(
                _("Chưa xuất được dự báo: %(detail)s. Hãy sửa kịch bản rồi xuất lại.")
                % {"detail": detail},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        content = projection_xlsx(scenario, projection)
        audit.record(
            AuditKind.EXPORT,
            obj=scenario,
            request=request,
            details={"what": "insights.projection", "to": to_year, "rows": len(projection.years)},
        )
        from trithuc.core.exports import XLSX_TYPE

        response = HttpResponse(content, content_type=XLSX_TYPE)
        filename = f"du-bao-{scenario.pk}-{projection.first_year}-{to_year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def projection_xlsx(scenario: Scenario, projection: Projection) -> bytes:
    """Three sheets: figures by year, by field and year, and the scenario's assumptions."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    number = book.add_format({"num_format": "#,##0.0"})
    title = book.add_format({"bold": True, "font_size": 13})

    def header(sheet: Any, row: int, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            sheet.write_string(row, col, label, bold)
            sheet.set_column(col, col, max(12, min(40, len(label) + 4)))

    data = projection.as_dict(scenario)
    sheet = book.add_worksheet(_("Theo năm")[:31])
    sheet.write_string(0, 0, _("Dự báo đội ngũ trí thức: %(name)s") % {"name": scenario}, title)
    sheet.write_string(
        1,
        0,
        _("Phạm vi: %(org)s. Số liệu gốc ngày %(date)s: %(n)s người đang công tác.")
        % {
            "org": scenario.organization,
            "date": projection.base_date.strftime("%d/%m/%Y"),
            "n": round(projection.base_stock),
        },
    )
    header(sheet, 3, [_("Năm"), _("Số người cuối năm"), _("Nghỉ hưu"), _("Rời bỏ"), _("Bổ sung")])
    for i, row in enumerate(data["years"], start=4):
        sheet.write_number(i, 0, row["year"])
        for col, key in enumerate(("stock", "retirements", "attrition", "inflow"), start=1):
            sheet.write_number(i, col, row[key], number)
    sheet.freeze_panes(4, 1)

    sheet = book.add_worksheet(_("Theo lĩnh vực")[:31])
    header(
        sheet,
        0,
        [_("Mã lĩnh vực"), _("Lĩnh vực"), _("Năm"), _("Số người cuối năm"), _("Nghỉ hưu"),
         _("Bổ sung"), _("Nhu cầu"), _("Chênh lệch (nhu cầu − dự báo)")],
    )  # fmt: skip
    sheet.set_column(1, 1, 36)
    row_index = 1
    for code, field in data["by_field"].items():
        for row in field["years"]:
            sheet.write_string(row_index, 0, code)
            sheet.write_string(row_index, 1, field["name"])
            sheet.write_number(row_index, 2, row["year"])
            for col, key in enumerate(("stock", "retirements", "inflow", "demand", "gap"), 3):
                if row[key] is not None:
                    sheet.write_number(row_index, col, row[key], number)
            row_index += 1
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(row_index - 1, 1), 7)

    sheet = book.add_worksheet(_("Giả định")[:31])
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 6, 14)
    lines: list[tuple[str, Any]] = [
        (_("Kịch bản"), scenario.name),
        (_("Phạm vi"), str(scenario.organization)),
        (_("Ngày số liệu gốc"), projection.base_date.strftime("%d/%m/%Y")),
        (_("Số năm kéo dài (GS, PGS, TSKH, TS, BSCKII)"), scenario.extension_years),
        (_("Tỷ lệ được kéo dài (%)"), float(scenario.extension_share)),
    ]
    for key, rate in sorted((scenario.attrition or {}).items()):
        label = _("các trình độ khác") if key == "*" else key
        lines.append((_("Tỷ lệ rời bỏ %(degree)s (%%/năm)") % {"degree": label}, rate))
    for i, (label, value) in enumerate(lines):
        sheet.write_string(i, 0, label, bold)
        if isinstance(value, int | float):
            sheet.write_number(i, 1, value)
        else:
            sheet.write_string(i, 1, str(value))
    start = len(lines) + 1
    header(sheet, start, [_("Nguồn bổ sung: năm"), _("Lĩnh vực"), _("Số người"), _("Trình độ"),
                          _("Tuổi khi vào"), _("Tỷ lệ nữ (%)")])  # fmt: skip
    for i, inflow in enumerate(scenario.inflows or [], start=start + 1):
        values = [inflow.get("year"), inflow.get("field"), inflow.get("count"),
                  inflow.get("degree"), inflow.get("age"),
                  round(float(inflow.get("female_share") or 0) * 100, 2)]  # fmt: skip
        for col, value in enumerate(values):
            if isinstance(value, int | float):
                sheet.write_number(i, col, value)
            else:
                sheet.write_string(i, col, str(value or ""))
    start += len(scenario.inflows or []) + 2
    header(sheet, start, [_("Nhu cầu: năm"), _("Lĩnh vực"), _("Số người cần có")])
    for i, demand in enumerate(scenario.demand or [], start=start + 1):
        sheet.write_number(i, 0, int(demand.get("year") or 0))
        sheet.write_string(i, 1, str(demand.get("field", "")))
        sheet.write_number(i, 2, float(demand.get("count") or 0))
    book.close()
    return buffer.getvalue()

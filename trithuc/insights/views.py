"""The statistics dashboard and the cross-tab builder (staff, scoped to what the viewer may
see; the registry list's filters; any figure as of a past date)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.views.generic import ObjectPermissionMixin
from trithuc.registry.models import Person

from . import aggregates as agg
from . import selectors
from .dimensions import DIMENSIONS


class InsightsMixin(ObjectPermissionMixin):
    """Readers of the registry read its figures, over the people they may see."""

    queryset = Person.objects.all()

    def population(self, request: HttpRequest) -> tuple[Any, Any, Any, str]:
        """(people, filterset, as_of, error): a bad date is said on the page, not a 500."""
        return agg.query_population(request.user, request.GET, request=request)


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Số liệu tại ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DashboardView(InsightsMixin, View):
    template_name = "insights/dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        people, filterset, as_of, error = self.population(request)
        extra = AsOfForm(request.GET or None)
        if error:
            extra.is_valid()
            extra.add_error("as_of", error)
        context: dict[str, Any] = {
            "extra_form": extra,
            "filter_form": filterset.form,
            "as_of": request.GET.get("as_of", ""),
            "as_of_error": error,
            **selectors.dashboard(people, filterset, user=request.user, as_of=as_of),
        }
        status = 400 if error or not filterset.is_valid() else 200
        return render(request, self.template_name, context, status=status)


class DashboardTrendsView(InsightsMixin, View):
    """The dashboard's trends panel (htmx): doctorates and titles by year awarded among the
    people the dashboard counts, for today's figures."""

    template_name = "insights/_trends.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        people, filterset, as_of, error = self.population(request)
        if error or as_of is not None or not filterset.is_valid():
            return HttpResponse("")
        from django.utils import timezone

        context = selectors.trends_panel(people, timezone.localdate())
        return render(request, self.template_name, context)


PERCENT_CHOICES = [
    ("", gettext_lazy("Chỉ số người")),
    ("row", gettext_lazy("Tỷ lệ % theo hàng")),
    ("column", gettext_lazy("Tỷ lệ % theo cột")),
    ("total", gettext_lazy("Tỷ lệ % trên tổng")),
]


class CrossTabForm(forms.Form):
    rows = forms.ChoiceField(label=gettext_lazy("Hàng"), initial="degree")
    columns = forms.ChoiceField(label=gettext_lazy("Cột"), initial="gender")
    percent = forms.ChoiceField(
        label=gettext_lazy("Hiển thị"), choices=PERCENT_CHOICES, required=False
    )
    as_of = forms.DateField(
        label=gettext_lazy("Số liệu tại ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Để trống: hôm nay."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dims = [(key, dim.label) for key, dim in DIMENSIONS.items()]
        self.fields["rows"].choices = dims
        self.fields["columns"].choices = dims

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Hãy chọn cho cột một tiêu chí khác với hàng."))
        return data


def _share(n: int, of: int) -> float | None:
    return round(100 * n / of, 1) if of else None


class CrossTabView(InsightsMixin, View):
    """Rows and columns of the user's choice over the registry filters: counts and
    percentages, each cell linking to its people; .xlsx with `format=xlsx`."""

    template_name = "insights/crosstab.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        data = request.GET.copy()
        # Filters or a date without the criteria (the dashboard's "Bảng chéo" button): the
        # default criteria, as an unbound form shows them.
        if data:
            data.setdefault("rows", "degree")
            data.setdefault("columns", "gender")
        form = CrossTabForm(data or None, initial={"rows": "degree", "columns": "gender"})
        people, filterset, as_of, error = self.population(request)
        table = None
        rows_key = request.GET.get("rows", "degree")
        columns_key = request.GET.get("columns", "gender")
        valid = (form.is_valid() or not request.GET) and not error and filterset.is_valid()
        if valid:
            table = selectors.crosstab_context(
                people, filterset, rows_key, columns_key, user=request.user, as_of=as_of
            )
        if table is not None and request.GET.get("format") == "xlsx":
            return self.export(request, table, filterset)
        percent = request.GET.get("percent", "")
        if error and form.is_bound:
            form.add_error("as_of", error)
        context = {
            "extra_form": form,
            "filter_form": filterset.form,
            "as_of_error": error,
            "table": self.layout(table, percent, filterset, links=as_of is None) if table else None,
            "export_query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context, status=200 if valid else 400)

    @staticmethod
    def layout(table: Any, percent: str, filterset: Any, *, links: bool) -> dict[str, Any]:
        base = selectors.base_params(filterset)
        total = table.total
        rows = []
        for r, r_label in table.row_keys:
            cells = []
            for c, _c_label in table.column_keys:
                n = table.cell(r, c)
                of = {"row": table.row_total(r), "column": table.column_total(c), "total": total}
                filters = None
                row_filters, column_filters = (
                    table.rows.filters_for(r),
                    table.columns.filters_for(c),
                )
                if links and n and row_filters and column_filters:
                    filters = {**row_filters, **column_filters}
                    if set(row_filters) & set(column_filters):
                        filters = None  # two values of one filter: no list selects both
                cells.append(
                    {
                        "count": n,
                        "pct": _share(n, of[percent]) if percent in of else None,
                        "url": selectors.people_url(base, filters),
                    }
                )
            rows.append(
                {"label": r_label, "cells": cells, "total": table.row_total(r),
                 "pct": _share(table.row_total(r), total) if percent else None}
            )  # fmt: skip
        return {
            "rows_label": table.rows.label,
            "columns": [label for _c, label in table.column_keys],
            "rows": rows,
            "column_totals": [table.column_total(c) for c, _l in table.column_keys],
            "total": total,
            "percent": percent,
        }

    def export(self, request: HttpRequest, table: Any, filterset: Any) -> HttpResponse:
        from trithuc.core.exports import XLSX_TYPE, xlsx_bytes

        columns = [c for c, _l in table.column_keys]
        headers = [
            f"{table.rows.label} \\ {table.columns.label}",
            *[str(label) for _c, label in table.column_keys],
            _("Tổng"),
        ]
        rows = [
            [label, *[table.cell(r, c) for c in columns], table.row_total(r)]
            for r, label in table.row_keys
        ]
        rows.append([_("Tổng"), *[table.column_total(c) for c in columns], table.total])
        content = xlsx_bytes(_("Bảng chéo"), headers, rows)
        audit.record(
            AuditKind.EXPORT,
            request=request,
            details={
                "what": "insights.crosstab",
                "rows": table.rows.key,
                "columns": table.columns.key,
                "count": table.total,
                "filters": selectors.base_params(filterset),
            },
        )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="bang-cheo-{table.rows.key}-{table.columns.key}.xlsx"'
        )
        return response

"""Pages of the KPI indicators: the list (cards), one indicator with its progress chart, the
edit form for data stewards and its live preview of the counts (htmx)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core.permissions import organizations_for, paths_for, policy_of, user_can
from trithuc.core.views import generic
from trithuc.organizations.fields import OrganizationChoiceField
from trithuc.organizations.models import Organization
from trithuc.registry.models import Person

from . import indicators
from .forms_indicators import IndicatorForm, PreviewForm
from .models import Indicator

STATUS_STYLES = {
    # (Bootstrap badge class, icon): the label says it in words; neither colour nor icon alone.
    indicators.ACHIEVED: ("text-bg-primary", "bi-trophy"),
    indicators.ON_TRACK: ("text-bg-success", "bi-check-circle"),
    indicators.BEHIND: ("text-bg-warning", "bi-exclamation-triangle"),
    indicators.UNKNOWN: ("text-bg-secondary", "bi-question-circle"),
}


def format_value(indicator: Indicator, value: Decimal | None) -> str:
    """A value as people read it: “1.234” people or “45,3 %” (an em dash when there is none)."""
    if value is None or indicator.kind == Indicator.Kind.RATIO:
        return format_percent(value)
    shown = value.quantize(Decimal(1), ROUND_HALF_UP)
    return formats.number_format(shown, 0, force_grouping=True)


def format_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    shown = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{formats.number_format(shown, 1, force_grouping=True)}\u00a0%"


def card(assessment: indicators.Assessment) -> dict[str, Any]:
    """What the list and the detail page show of an assessment."""
    indicator = assessment.indicator
    badge, icon = STATUS_STYLES[assessment.status]
    return {
        "indicator": indicator,
        "assessment": assessment,
        "value": format_value(indicator, assessment.value),
        "target": format_value(indicator, indicator.target_value),
        "baseline": format_value(indicator, indicator.baseline_value),
        "planned": format_value(indicator, assessment.planned),
        "progress": format_percent(assessment.progress),
        "bar": float(assessment.bar),
        "badge": badge,
        "icon": icon,
        "errors": assessment.measurement.errors,
    }


class IndicatorListView(generic.ObjectListView):
    queryset = Indicator.objects.select_related("organization")
    template_name = "insights/indicator_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["today"] = today
        ctx["cards"] = [card(indicators.assess(i, today)) for i in ctx["object_list"]]
        return ctx


class IndicatorDetailView(generic.ObjectDetailView):
    queryset = Indicator.objects.select_related("organization")
    template_name = "insights/indicator_detail.html"

    def get_context(self, obj: Indicator) -> dict[str, Any]:
        ctx = super().get_context(obj)
        today = timezone.localdate()
        assessment = indicators.assess(obj, today)
        stored = list(obj.values.order_by("measured_on"))
        rows = [self.row(obj, v.measured_on, v.numerator, v.denominator, v.value) for v in stored]
        measured_today = bool(stored) and stored[-1].measured_on >= today
        current = assessment.measurement
        if current.numerator is not None and not measured_today:
            rows.append(
                self.row(
                    obj, today, current.numerator, current.denominator, current.value, live=True
                )
            )
        may_list = user_can(self.request.user, Person, "view")
        ctx.update(
            card=card(assessment),
            today=today,
            rows=rows,
            chart=self.chart(obj, rows),
            numerator_filters=indicators.describe_filters(obj.numerator),
            denominator_filters=(
                indicators.describe_filters(obj.denominator)
                if obj.kind == Indicator.Kind.RATIO
                else []
            ),
            numerator_url=indicators.list_url(obj.numerator, obj.organization) if may_list else "",
            denominator_url=indicators.list_url(obj.denominator, obj.organization)
            if may_list and obj.kind == Indicator.Kind.RATIO
            else "",
        )
        return ctx

    @staticmethod
    def row(
        indicator: Indicator,
        on: date,
        numerator: int | None,
        denominator: int | None,
        value: Decimal | None,
        *,
        live: bool = False,
    ) -> dict[str, Any]:
        state = indicators.status(indicator, value, on)
        badge, icon = STATUS_STYLES[state]
        return {
            "on": on,
            "numerator": numerator,
            "denominator": denominator,
            "value": value,
            "shown": format_value(indicator, value),
            "planned": format_value(indicator, indicators.planned(indicator, on)),
            "status": str(indicators.STATUS_LABELS[state]),
            "badge": badge,
            "icon": icon,
            "live": live,
        }

    @staticmethod
    def chart(indicator: Indicator, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The timeline chart: the values measured (from the baseline on), the planned path
        from the baseline to the target, and the target."""

        def point(on: date, value: Decimal | None) -> list[Any]:
            return [on.isoformat(), float(value) if value is not None else None]

        actual = [point(r["on"], r["value"]) for r in rows]
        dates = [indicator.target_date] + [r["on"] for r in rows]
        start = indicator.baseline_date if indicator.baseline_value is not None else None
        if start is not None:
            actual.insert(0, point(start, indicator.baseline_value))
            dates.append(start)
        first = min(dates)
        series: list[dict[str, Any]] = [{"name": _("Giá trị đo được"), "data": actual}]
        if start is not None:
            series.append(
                {
                    "name": _("Lộ trình kế hoạch"),
                    "dashed": True,
                    "data": [
                        point(start, indicator.baseline_value),
                        point(indicator.target_date, indicator.target_value),
                    ],
                }
            )
        series.append(
            {
                "name": _("Mục tiêu"),
                "dashed": True,
                "data": [
                    point(first, indicator.target_value),
                    point(indicator.target_date, indicator.target_value),
                ],
            }
        )
        return {
            "series": series,
            "unit": "%" if indicator.kind == Indicator.Kind.RATIO else "",
            "max": 100 if indicator.kind == Indicator.Kind.RATIO else None,
        }


def default_organization(user: Any) -> Organization | None:
    """The unit a new indicator is for when the steward holds the role in one place only."""
    paths = paths_for(user, policy_of(Indicator).roles_for("add"))
    if len(paths) != 1:
        return None
    return Organization.objects.filter(path=paths[0]).first()


class IndicatorEditView(generic.ObjectEditView):
    queryset = Indicator.objects.select_related("organization")
    form = IndicatorForm
    template_name = "insights/indicator_edit.html"

    def get_object(self, pk: int | None) -> Any:
        if pk is not None:
            return self.get_restricted_object(pk=pk)
        # Filters may come with the link (from the registry list: “?numerator=degree=TS”).
        return Indicator(
            organization=default_organization(self.request.user),
            numerator=self.request.GET.get("numerator", "")[:4000],
            denominator=self.request.GET.get("denominator", "")[:4000],
        )

    def render_form(
        self, obj: Any, form: Any, formsets: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "object": obj,
            "form": form,
            "formsets": {},
            "meta": self.model_meta,
            "filter_reference": filter_reference(),
        }
        return render(self.request, self.template_name, context, status=status)


def filter_reference() -> list[dict[str, Any]]:
    """Each filter an indicator may use, with its label and values: the helper's table."""
    from django.http import QueryDict

    fs_class = indicators._filterset_class()
    form = fs_class(QueryDict(), queryset=Person.objects.none()).form
    rows = []
    for name in indicators.filter_names():
        if name in indicators.REFUSED:
            continue
        form_field = form.fields[name]
        if name == "within":
            values = _("mã đơn vị, ví dụ SNV")
        elif name == "is_leader":
            values = _("true (có), false (không)")
        elif name in ("training_from", "training_to"):
            values = _("năm, ví dụ 2021 (cùng training=…)")
        elif name == "admin_unit":
            values = _("mã tỉnh hoặc xã, phường, ví dụ 01")
        elif hasattr(form_field, "choices"):
            choices = [(str(k), str(v)) for k, v in form_field.choices if k not in ("", None)]
            values = "; ".join(f"{k} ({v})" if k != v else k for k, v in choices[:30])
            if len(choices) > 30:
                values += " …"
        else:
            values = ""
        rows.append({"name": name, "label": form_field.label, "values": values})
    return rows


class IndicatorPreviewView(generic.ObjectPermissionMixin, View):
    """The counts the filters being typed give (an htmx fragment), with their errors."""

    queryset = Indicator.objects.all()
    action = "add"
    template_name = "insights/indicator_preview.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreviewForm(request.GET)
        form.is_valid()
        data = form.cleaned_data
        context: dict[str, Any] = {"parts": [], "organization": None}
        organization, problem = self.organization(data.get("organization") or "")
        context["organization_error"] = problem
        if organization is None:
            return render(request, self.template_name, context)
        context["organization"] = organization
        kind = data.get("kind") or Indicator.Kind.RATIO
        wanted = [("numerator", _("Tử số"))]
        if kind == Indicator.Kind.RATIO:
            wanted.append(("denominator", _("Mẫu số")))
        counts: dict[str, int | None] = {}
        for name, label in wanted:
            text = data.get(name) or ""
            errors = indicators.validate_filters(text, organization=organization)
            count = None if errors else indicators.count_people(text, organization)
            counts[name] = count
            context["parts"].append(
                {
                    "name": name,
                    "label": label,
                    "count": count,
                    "errors": errors,
                    "filters": indicators.normalize_filters(text) if not errors else "",
                    "url": indicators.list_url(text, organization)
                    if not errors and user_can(request.user, Person, "view")
                    else "",
                }
            )
        numerator, denominator = counts.get("numerator"), counts.get("denominator")
        if kind == Indicator.Kind.RATIO and numerator is not None and denominator is not None:
            value = indicators.ratio(numerator, denominator)
            context["value"] = format_percent(value) if value is not None else None
            context["zero_denominator"] = denominator == 0
            context["numerator_exceeds"] = numerator > denominator
        elif kind == Indicator.Kind.COUNT and numerator is not None:
            context["value"] = formats.number_format(numerator, 0, force_grouping=True)
        return render(request, self.template_name, context)

    def organization(self, text: str) -> tuple[Organization | None, str]:
        user = self.request.user
        if not text.strip():
            found = default_organization(user)
            if found is None:
                return None, _("Hãy chọn phạm vi (đơn vị) để xem số liệu.")
            return found, ""
        field = OrganizationChoiceField(organizations_for(user, Indicator, "add"))
        try:
            return field.clean(text), ""
        except Exception as exc:  # a ValidationError whose message says what to type
            return None, " ".join(getattr(exc, "messages", [str(exc)]))

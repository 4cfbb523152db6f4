"""Forms of the projection scenarios: the assumptions as fields, a table of attrition rates by
degree, and inflows and demand as rows (formsets) — never raw JSON. Every error names its
table, row and column in Vietnamese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.registry.models import CURRENT_FIELD_VERSION, FieldOfScience

from .models import Scenario
from .projection import (
    ANY_DEGREE,
    FIELD_CODES,
    MAX_ENTRY_AGE,
    MAX_YEAR,
    MIN_ENTRY_AGE,
    MIN_YEAR,
    AssumptionError,
    Assumptions,
)

MAX_ROWS = 500


def field_choices() -> list[tuple[str, str]]:
    names = dict(
        FieldOfScience.objects.filter(
            level=1, version=CURRENT_FIELD_VERSION, code__in=FIELD_CODES
        ).values_list("code", "name")
    )
    return [("", "—")] + [(code, f"{code}. {names.get(code, code)}") for code in FIELD_CODES]


def degree_choices() -> list[tuple[str, str]]:
    from trithuc.registry.selectors import degree_groups

    return list(degree_groups().items())


def _messages(label: Any, **extra: str) -> dict[str, str]:
    """Vietnamese messages for a number field, naming what to write."""
    return {
        "required": _("Hãy ghi %(label)s.") % {"label": label},
        "invalid": _("%(label)s phải là một số.") % {"label": label},
        **extra,
    }


class ScenarioForm(forms.ModelForm):
    """The scenario: scope, name, extension (Decree 50/2022) and attrition by degree group.

    Attrition is one input per degree group (`attrition_<group>`) plus `attrition_other`;
    an empty input means the rate of "other degrees".
    """

    class Meta:
        model = Scenario
        fields = ["organization", "name", "description", "extension_years", "extension_share"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from trithuc.core.permissions import organizations_for
        from trithuc.organizations.fields import OrganizationChoiceField

        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        self.fields["organization"] = OrganizationChoiceField(
            organizations_for(user, Scenario, action),
            action=action,
            label=_("Phạm vi dự báo (đơn vị, kể cả đơn vị trực thuộc)"),
            help_text=_("Dự báo tính trên những người đang công tác trong đơn vị này."),
        )
        self.fields["extension_years"].widget = forms.NumberInput(attrs={"min": 0, "max": 5})
        self.fields["extension_years"].error_messages.update(
            _messages(self.fields["extension_years"].label)
        )
        self.fields["extension_share"].help_text = _(
            "Phần trăm số GS, PGS, TSKH, TS và BSCKII được kéo dài (cần đơn vị có nhu cầu và "
            "người đó đồng ý)."
        )
        self.fields["extension_share"].error_messages.update(
            _messages(self.fields["extension_share"].label)
        )
        self.degree_groups = degree_choices()
        rates = dict(self.instance.attrition or {})
        self.attrition_names: list[tuple[str, str, str]] = []
        for group, label in [*self.degree_groups, (ANY_DEGREE, _("Các trình độ khác"))]:
            name = "attrition_other" if group == ANY_DEGREE else f"attrition_{group}"
            self.fields[name] = forms.DecimalField(
                label=_("Tỷ lệ rời bỏ: %(degree)s (%%/năm)") % {"degree": label},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=rates.get(group),
                error_messages=_messages(label),
                widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 100}),
            )
            self.attrition_names.append((name, group, str(label)))

    def attrition_fields(self) -> list[tuple[Any, str]]:
        """(bound field, the degree's name) of each attrition input: the table's legend says
        what the rates are, each input shows only its degree."""
        return [(self[name], label) for name, _group, label in self.attrition_names]

    def regular_fields(self) -> list[Any]:
        names = {name for name, _group, _label in self.attrition_names}
        return [f for f in self.visible_fields() if f.name not in names]

    def clean_name(self) -> str:
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise ValidationError(_("Hãy đặt tên cho kịch bản."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attrition = {}
        for name, group, _label in self.attrition_names:
            value = data.get(name)
            if value is not None:
                attrition[group] = float(value)
        self.instance.attrition = attrition
        organization, scenario_name = data.get("organization"), data.get("name")
        if organization and scenario_name:
            clash = Scenario.objects.filter(organization=organization, name=scenario_name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("Đơn vị %(org)s đã có kịch bản “%(name)s”; hãy đặt tên khác.")
                    % {"org": organization.code, "name": scenario_name},
                )
        return data


class InflowForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=[])
    year = forms.IntegerField(label=gettext_lazy("Năm"))
    count = forms.IntegerField(label=gettext_lazy("Số người"))
    degree = forms.ChoiceField(label=gettext_lazy("Trình độ"), choices=[])
    age = forms.IntegerField(label=gettext_lazy("Tuổi khi vào"))
    female_share = forms.DecimalField(
        label=gettext_lazy("Tỷ lệ nữ (%)"), decimal_places=2, required=False
    )

    def __init__(self, *args: Any, fields: Any = None, degrees: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choice_field(self, "field").choices = fields or field_choices()
        _choice_field(self, "degree").choices = [("", "—"), *(degrees or degree_choices())]
        _common_messages(self)
        self.fields["age"].widget.attrs.update(min=MIN_ENTRY_AGE, max=MAX_ENTRY_AGE)
        self.fields["female_share"].widget.attrs.update(min=0, max=100, step=1)
        self.fields["female_share"].error_messages.update(_messages(_("tỷ lệ nữ")))
        self.fields["age"].error_messages.update(_messages(_("tuổi khi vào")))

    def clean_age(self) -> int:
        age = self.cleaned_data["age"]
        if not MIN_ENTRY_AGE <= age <= MAX_ENTRY_AGE:
            raise ValidationError(
                _("Tuổi khi vào phải từ %(min)s đến %(max)s.")
                % {"min": MIN_ENTRY_AGE, "max": MAX_ENTRY_AGE}
            )
        return age

    def clean_female_share(self) -> Decimal:
        share = self.cleaned_data.get("female_share")
        if share is None:
            return Decimal(0)
        if not 0 <= share <= 100:
            raise ValidationError(_("Tỷ lệ nữ phải từ 0 đến 100 (%)."))
        return share

    def clean_year(self) -> int:
        return _clean_year(self.cleaned_data["year"])

    def clean_count(self) -> int:
        return _clean_count(self.cleaned_data["count"])


class DemandForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=[])
    year = forms.IntegerField(label=gettext_lazy("Năm"))
    count = forms.IntegerField(label=gettext_lazy("Số người cần có"))

    def __init__(self, *args: Any, fields: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choice_field(self, "field").choices = fields or field_choices()
        _common_messages(self)

    def clean_year(self) -> int:
        return _clean_year(self.cleaned_data["year"])

    def clean_count(self) -> int:
        return _clean_count(self.cleaned_data["count"])


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _common_messages(form: forms.Form) -> None:
    form.fields["field"].error_messages.update(
        required=_("Hãy chọn lĩnh vực."), invalid_choice=_("Hãy chọn lĩnh vực trong danh sách.")
    )
    if "degree" in form.fields:
        form.fields["degree"].error_messages.update(
            required=_("Hãy chọn trình độ."),
            invalid_choice=_("Hãy chọn trình độ trong danh sách."),
        )
    form.fields["year"].error_messages.update(_messages(_("năm")))
    form.fields["year"].widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
    form.fields["count"].error_messages.update(_messages(_("số người")))
    form.fields["count"].widget.attrs.update(min=0)


def _clean_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("Năm phải từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def _clean_count(count: int) -> int:
    if count < 0:
        raise ValidationError(_("Số người không được âm."))
    return count


class RowFormSet(forms.BaseFormSet):
    """Rows of a scenario's table; a row left blank is ignored, a row ticked "Xóa" removed.

    `rows()` gives the stored JSON; `save()` does nothing because the view puts the rows on the
    scenario before saving it (one save, one version in the history)."""

    title: Any = ""

    def __init__(self, *args: Any, choices: dict[str, Any] | None = None, **kwargs: Any):
        self.choices = choices or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), **self.choices}

    def kept_forms(self) -> list[forms.Form]:
        initial = self.initial_form_count()
        return [
            f
            for i, f in enumerate(self.forms)
            if (i < initial or f.has_changed())
            and not (self.can_delete and getattr(f, "cleaned_data", {}).get("DELETE"))
        ]

    def error_summary(self) -> list[str]:
        """Every error as "table, row N, “column”: message"."""
        lines = [str(e) for e in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                if name == "__all__":
                    for error in errors:
                        lines.append(
                            _("%(table)s, dòng %(row)s: %(error)s")
                            % {"table": self.title, "row": number, "error": error}
                        )
                    continue
                label = form.fields[name].label
                for error in errors:
                    lines.append(
                        _("%(table)s, dòng %(row)s, cột “%(column)s”: %(error)s")
                        % {"table": self.title, "row": number, "column": label, "error": error}
                    )
        return lines

    def save(self) -> None:
        return None


class InflowFormSet(RowFormSet):
    title = gettext_lazy("Nguồn bổ sung")

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.kept_forms():
            d = form.cleaned_data
            rows.append(
                {
                    "field": d["field"],
                    "year": d["year"],
                    "count": d["count"],
                    "degree": d["degree"],
                    "age": d["age"],
                    "female_share": float(d["female_share"]) / 100,
                }
            )
        rows.sort(key=lambda r: (r["year"], r["field"]))
        return rows


class DemandFormSet(RowFormSet):
    title = gettext_lazy("Nhu cầu theo lĩnh vực")

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        seen: dict[tuple[str, int], int] = {}
        kept = self.kept_forms()
        for number, form in enumerate(self.forms, start=1):
            if form not in kept:
                continue
            key = (form.cleaned_data["field"], form.cleaned_data["year"])
            if key in seen:
                raise ValidationError(
                    _(
                        "%(table)s, dòng %(row)s: lĩnh vực %(field)s năm %(year)s đã có ở dòng "
                        "%(first)s; mỗi lĩnh vực mỗi năm chỉ ghi một nhu cầu."
                    )
                    % {"table": self.title, "row": number, "field": key[0], "year": key[1],
                       "first": seen[key]}
                )  # fmt: skip
            seen[key] = number

    def rows(self) -> list[dict[str, Any]]:
        rows = [
            {"field": f.cleaned_data["field"], "year": f.cleaned_data["year"],
             "count": f.cleaned_data["count"]}
            for f in self.kept_forms()
        ]  # fmt: skip
        rows.sort(key=lambda r: (r["field"], r["year"]))
        return rows


def inflow_formset(scenario: Scenario, data: Any = None) -> InflowFormSet:
    cls = cast(
        type[InflowFormSet],
        forms.formset_factory(
            InflowForm, formset=InflowFormSet, extra=1, can_delete=True, max_num=MAX_ROWS,
            validate_max=True,
        ),
    )  # fmt: skip
    initial = [
        {**row, "female_share": round(float(row.get("female_share", 0)) * 100, 2)}
        for row in (scenario.inflows or [])
        if isinstance(row, dict)
    ]
    choices = {"fields": field_choices(), "degrees": degree_choices()}
    return cls(data, prefix="inflows", initial=initial, choices=choices)


def demand_formset(scenario: Scenario, data: Any = None) -> DemandFormSet:
    cls = cast(
        type[DemandFormSet],
        forms.formset_factory(
            DemandForm, formset=DemandFormSet, extra=1, can_delete=True, max_num=MAX_ROWS,
            validate_max=True,
        ),
    )  # fmt: skip
    initial = [row for row in (scenario.demand or []) if isinstance(row, dict)]
    return cls(data, prefix="demand", initial=initial, choices={"fields": field_choices()})


def check_assumptions(scenario: Scenario) -> list[str]:
    """The projection's own check of what the form produced (an empty list when usable)."""
    try:
        Assumptions.from_scenario(scenario)
    except AssumptionError as exc:
        return exc.messages
    return []

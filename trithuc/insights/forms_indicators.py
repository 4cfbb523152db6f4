"""The indicator form: filters written as the registry list's query string, checked
parameter by parameter, and measured again after a change of what is counted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core.permissions import organizations_for
from trithuc.organizations.fields import OrganizationChoiceField

from . import indicators
from .models import Indicator

# A whole address pasted from the list page is longer than the filters kept from it.
PASTE_LENGTH = 4000
FILTER_ATTRS = {
    "rows": 2,
    "spellcheck": "false",
    "autocapitalize": "off",
    "class": "form-control font-monospace",
}
# What is counted: changing one of these measures the indicator again today.
COUNTED = ("organization", "kind", "numerator", "denominator")


class IndicatorForm(forms.ModelForm):
    numerator = forms.CharField(
        label=gettext_lazy("Tử số (bộ lọc)"),
        max_length=PASTE_LENGTH,
        widget=forms.Textarea(attrs=FILTER_ATTRS),
        help_text=gettext_lazy(
            "Những người được đếm, ghi như bộ lọc của danh sách trí thức, ví dụ "
            "is_leader=true&training=international_integration&training_from=2021. Có thể dán "
            "cả địa chỉ của danh sách."
        ),
    )
    denominator = forms.CharField(
        label=gettext_lazy("Mẫu số (bộ lọc)"),
        max_length=PASTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs=FILTER_ATTRS),
        help_text=gettext_lazy(
            "Chỉ với loại tỷ lệ: tổng số người để so sánh, ví dụ is_leader=true. Để trống là "
            "mọi người đang công tác."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
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
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "code": gettext_lazy("Mã ngắn, duy nhất trong đơn vị, ví dụ CT-01."),
            "baseline_value": gettext_lazy(
                "Giá trị tại thời điểm bắt đầu chương trình (số người, hoặc % với tỷ lệ)."
            ),
            "target_value": gettext_lazy("Số người, hoặc % với tỷ lệ."),
            "is_public": gettext_lazy("Hiện trên trang thống kê công khai."),
            "order": gettext_lazy("Chỉ tiêu có số nhỏ hơn đứng trước."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        self.fields["organization"] = OrganizationChoiceField(
            organizations_for(user, Indicator, action),
            action=action,
            label=_("Phạm vi (đơn vị)"),
            help_text=_("Chỉ tiêu đếm người của đơn vị này và các đơn vị trực thuộc."),
        )
        if self.instance.pk:
            self.initial["organization"] = self.instance.organization

    def _clean_filters(self, name: str) -> str:
        text = self.cleaned_data.get(name) or ""
        organization = self.cleaned_data.get("organization")
        errors = indicators.validate_filters(text, organization=organization)
        if errors:
            raise ValidationError(errors)
        normalized = indicators.normalize_filters(text)
        if len(normalized) > indicators.MAX_FILTER_LENGTH:
            raise ValidationError(
                _("Bộ lọc dài %(n)s ký tự; tối đa %(max)s. Hãy bớt giá trị.")
                % {"n": len(normalized), "max": indicators.MAX_FILTER_LENGTH}
            )
        return normalized

    def clean_numerator(self) -> str:
        return self._clean_filters("numerator")

    def clean_denominator(self) -> str:
        if self.cleaned_data.get("kind") == Indicator.Kind.COUNT:
            if (self.cleaned_data.get("denominator") or "").strip():
                raise ValidationError(
                    _(
                        "Chỉ tiêu loại “Số người” không có mẫu số: hãy xóa mẫu số, hoặc chọn loại "
                        "“Tỷ lệ (%)”."
                    )
                )
            return ""
        return self._clean_filters("denominator")

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        kind = data.get("kind")
        baseline_value, baseline_date = data.get("baseline_value"), data.get("baseline_date")
        target_value, target_date = data.get("target_value"), data.get("target_date")
        if (baseline_value is None) != (baseline_date is None):
            self.add_error(
                "baseline_date" if baseline_date is None else "baseline_value",
                _(
                    "Giá trị cơ sở và ngày cơ sở đi cùng nhau (để vẽ lộ trình đến mục tiêu): hãy "
                    "ghi cả hai hoặc để trống cả hai."
                ),
            )
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error("target_date", _("Thời hạn đạt mục tiêu phải sau ngày cơ sở."))
        for name, value in (("baseline_value", baseline_value), ("target_value", target_value)):
            if value is None:
                continue
            if value < 0:
                self.add_error(name, _("Giá trị không được âm."))
            elif kind == Indicator.Kind.RATIO and value > 100:
                self.add_error(name, _("Tỷ lệ là phần trăm: từ 0 đến 100."))
        # Said here with the unit and the code; the code's error then keeps the model's own
        # (organisation, code) constraint from adding a second, vaguer message.
        organization, code = data.get("organization"), data.get("code")
        if organization is not None and code:
            taken = Indicator.objects.filter(organization=organization, code=code)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "code",
                    _("Đơn vị %(org)s đã có chỉ tiêu mã “%(code)s”; hãy chọn mã khác.")
                    % {"org": organization.code, "code": code},
                )
        return data

    def save(self, commit: bool = True) -> Indicator:
        created = self.instance.pk is None
        indicator = super().save(commit=commit)
        if commit and (created or any(name in self.changed_data for name in COUNTED)):
            indicators.measure_after_commit(indicator)
        return indicator


class PreviewForm(forms.Form):
    """The edit form's fields the live preview counts with (sent by htmx as they change)."""

    organization = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=Indicator.Kind.choices, required=False)
    numerator = forms.CharField(required=False, max_length=PASTE_LENGTH)
    denominator = forms.CharField(required=False, max_length=PASTE_LENGTH)

"""The yearly statistical report page: a date, a unit of the viewer's scope, the registry's
filters, the number and the signer; Word, Excel or PDF to download (`?format=docx|xlsx|pdf`).
Readers of the registry only, over the people they may see (as the dashboard)."""

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
from trithuc.core.exports import XLSX_TYPE
from trithuc.core.permissions import organizations_for
from trithuc.organizations.fields import OrganizationChoiceField
from trithuc.registry.models import Person

from . import aggregates as agg
from . import report
from .views import InsightsMixin

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX_TYPE,
    "pdf": "application/pdf",
}
WRITERS = {"docx": report.to_docx, "xlsx": report.to_xlsx, "pdf": report.to_pdf}


class ReportForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Số liệu tính đến ngày"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Để trống: ngày 31/12 năm trước (hôm nay, khi cơ sở dữ liệu chưa có hồ sơ từ "
            "năm trước)."
        ),
    )
    unit = OrganizationChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Đơn vị báo cáo"),
        help_text=gettext_lazy("Để trống: toàn bộ phạm vi bạn được xem."),
    )
    number = forms.CharField(
        label=gettext_lazy("Số văn bản"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Ví dụ: 125/BC-SNV. Để trống: chừa chỗ để văn thư ghi số."),
    )
    signer_capacity = forms.CharField(
        label=gettext_lazy("Thẩm quyền ký"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Ví dụ: KT. GIÁM ĐỐC. Để trống: theo loại hình đơn vị."),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Ví dụ: PHÓ GIÁM ĐỐC."),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Họ và tên người ký"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Để trống: chừa chỗ để ghi sau khi ký."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, OrganizationChoiceField)
        unit.queryset = organizations_for(user, Person, "view")

    def clean_as_of(self) -> Any:
        day = self.cleaned_data.get("as_of")
        if day is None:
            return None
        try:
            return agg.parse_as_of(day.isoformat())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReportView(InsightsMixin, View):
    template_name = "insights/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        default = report.default_as_of()
        form = ReportForm(request.GET or None, user=user, initial={"as_of": default})
        data = report.filter_data(request.GET)
        _people, filterset = agg.population(user, data=data, request=request)
        # The unit is chosen above; the filter form does not offer it a second time.
        filterset.form.fields.pop("within", None)
        chosen = request.GET.get("format", "")
        if not form.is_bound:
            return self.page(request, form, filterset)
        valid = form.is_valid() & filterset.is_valid()
        if chosen and chosen not in report.FORMATS:
            form.add_error(
                None,
                _("Không có định dạng “%(format)s”. Hãy chọn Word, Excel hoặc PDF.")
                % {"format": chosen[:20]},
            )
            valid = False
        if not valid or not chosen:
            return self.page(request, form, filterset, status=200 if valid else 400)
        fields = form.cleaned_data
        try:
            figures = report.yearly_report(
                user,
                as_of=fields["as_of"] or default,
                organization=fields["unit"],
                filters=data,
                number=fields["number"],
                signer={
                    "capacity": fields["signer_capacity"],
                    "title": fields["signer_title"],
                    "name": fields["signer_name"],
                },
                request=request,
            )
            content = WRITERS[chosen](figures)
        except report.FontMissing as exc:
            form.add_error(None, str(exc))
            return self.page(request, form, filterset, status=503)
        except report.ReportError as exc:
            form.add_error(None, str(exc))
            return self.page(request, form, filterset, status=400)
        audit.record(
            AuditKind.EXPORT,
            request=request,
            organization=fields["unit"],
            details={
                "what": "insights.yearly_report",
                "format": chosen,
                "as_of": figures.as_of.isoformat(),
                "unit": fields["unit"].code if fields["unit"] is not None else "",
                "filters": figures.filters,
                "count": figures.total,
            },
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[chosen])
        response["Content-Disposition"] = f'attachment; filename="{figures.filename}.{chosen}"'
        return response

    def page(
        self, request: HttpRequest, form: ReportForm, filterset: Any, *, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "filter_form": filterset.form, "formats": report.FORMATS}
        return render(request, self.template_name, context, status=status)

"""Forms of the intake: the upload, and the mapping of the file's columns to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core.permissions import organizations_for
from trithuc.core.tabular import TabularFileError, thousands
from trithuc.organizations.fields import OrganizationChoiceField
from trithuc.organizations.models import Organization

from . import reading
from .columns import COLUMNS, IGNORE
from .models import ColumnMapping, ImportBatch


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách trí thức"),
        help_text=gettext_lazy(
            "Bảng tính .xlsx hoặc .csv (UTF-8, UTF-16, Windows-1258), tối đa 50 MB và "
            "200.000 dòng; mẫu của cơ quan bạn cũng được."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.txt"}),
        allow_empty_file=True,  # check_upload says it in our words, naming the file
    )
    organization = OrganizationChoiceField(
        Organization.objects.none(),
        action="add",
        label=gettext_lazy("Cơ quan, đơn vị của danh sách"),
        help_text=gettext_lazy(
            "Người trong tệp thuộc cơ quan này (hoặc đơn vị trực thuộc ghi ở cột Mã đơn vị)."
        ),
    )
    mapping = forms.ModelChoiceField(
        ColumnMapping.objects.none(),
        required=False,
        label=gettext_lazy("Cách ghép cột đã lưu"),
        empty_label=gettext_lazy("(tự nhận ra theo tên cột)"),
        help_text=gettext_lazy("Dùng lại cách ghép cột đã lưu cho mẫu riêng của cơ quan."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = organizations_for(user, ImportBatch, "add")
        self.fields["organization"].queryset = allowed
        self.fields["mapping"].queryset = ColumnMapping.objects.restrict(user, "view").order_by(
            "organization__code", "name"
        )
        self.fields["mapping"].label_from_instance = lambda m: f"{m.organization.code} · {m.name}"
        if not self.is_bound:
            first = allowed.order_by("depth", "path").first()
            if first is not None and allowed.count() == 1:
                self.initial["organization"] = first

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        head = uploaded.read(8)
        uploaded.seek(0)
        try:
            reading.check_upload(uploaded.name, uploaded.size, head)
        except TabularFileError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return uploaded


def field_choices() -> list[tuple[str, str]]:
    choices = [(IGNORE, _("— Bỏ qua cột này —"))]
    for column in COLUMNS:
        label = column.label + (" *" if column.required else "")
        choices.append((column.field, label))
    return choices


class MappingForm(forms.Form):
    """One select per column of the file (named by its header key), and a name to save the
    mapping for the agency under."""

    save_as = forms.CharField(
        label=gettext_lazy("Lưu cách ghép cột này cho cơ quan với tên"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Để trống nếu không lưu. Lần sau chọn tên này khi tải lên tệp cùng mẫu."
        ),
    )

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.column_fields: list[tuple[dict[str, Any], str]] = []
        choices = field_choices()
        for position, column in enumerate(batch.layout.get("columns", [])):
            name = f"col_{position}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                initial=batch.mapping.get(column["key"], IGNORE),
                label=column["header"],
            )
            self.column_fields.append((column, name))
        if batch.mapping_name:
            self.initial.setdefault("save_as", batch.mapping_name)

    def rows(self) -> list[tuple[dict[str, Any], Any]]:
        return [(column, self[name]) for column, name in self.column_fields]

    def mapping(self) -> dict[str, str]:
        return {
            column["key"]: self.cleaned_data.get(name) or IGNORE
            for column, name in self.column_fields
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        mapping = self.mapping()
        for sheet in self.batch.layout.get("sheets", []):
            layout = reading.SheetLayout(
                name=sheet["name"],
                index=0,
                header_row=sheet["header_row"],
                data_from=sheet["header_row"] + 1,
                headers=sheet["headers"],
                keys=sheet["keys"],
            )
            try:
                reading.resolve(layout, mapping, self.batch.file_name)
            except TabularFileError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return data


MAX_ROWS_TEXT = thousands(reading.MAX_ROWS)

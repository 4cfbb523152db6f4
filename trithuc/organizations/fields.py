"""Form fields for choosing organisations and administrative units by typing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from trithuc.core.widgets import SuggestionInput

from .models import AdministrativeUnit, Organization, normalize_code
from .selectors import resolve_administrative_unit

SEPARATOR = " · "  # between the code and the name in a suggestion: "SNV · Sở Nội vụ"


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organisation of `queryset`, typed as its code or picked from suggestions.

    `action` is the permission the suggestions are drawn from ("view" for filters, "add"
    for a parent); the queryset still decides what is accepted.
    """

    def __init__(self, queryset: Any, *, action: str = "view", **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            SuggestionInput("organizations:organization_suggestions", extra={"action": action}),
        )
        super().__init__(queryset, **kwargs)

    def _choices_queryset(self) -> Any:
        if self.queryset is None:
            raise ValueError("OrganizationChoiceField needs a queryset")
        return self.queryset

    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.code}{SEPARATOR}{obj.name}"

    def prepare_value(self, value: Any) -> Any:
        # Text the user typed is shown back as typed (a string is never read as a primary
        # key); only an initial value (an instance or its key) is turned into "CODE · name",
        # and only from within the field's queryset.
        if isinstance(value, Organization):
            return self.label_from_instance(value)
        if isinstance(value, int):
            found = self._choices_queryset().filter(pk=value).first()
            return self.label_from_instance(found) if found else ""
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            new = self.to_python(data)
        except forms.ValidationError:
            return True
        old = initial.pk if isinstance(initial, Organization) else initial
        return (new.pk if new else None) != (int(old) if old not in (None, "") else None)

    def to_python(self, value: Any) -> Organization | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organization):
            return value
        if "\x00" in str(value):
            raise forms.ValidationError(
                _("Không được có ký tự rỗng (NUL). Hãy nhập lại giá trị."), code="null_characters"
            )
        code = normalize_code(str(value).split(SEPARATOR, 1)[0])
        found = self._choices_queryset().filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                _(
                    "Không có đơn vị mã “%(code)s” trong phạm vi của bạn. Hãy gõ tên hoặc mã "
                    "rồi chọn trong gợi ý."
                )
                % {"code": code},
                code="invalid_choice",
            )
        return found


class AdministrativeUnitField(forms.CharField):
    """Free text resolved to a unit of the 2025 structure (old names are mapped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", SuggestionInput("organizations:administrative_unit_suggestions")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            value = AdministrativeUnit.objects.filter(pk=value).first()
        if isinstance(value, AdministrativeUnit):
            return f"{value.code}{SEPARATOR}{value}"
        return value

    def clean(self, value: Any) -> AdministrativeUnit | None:
        text = super().clean(value)
        if not text:
            return None
        # A suggestion picked from the list reads "00070 · Phường Hoàn Kiếm, Thành phố Hà Nội".
        text = text.split(SEPARATOR, 1)[0] if SEPARATOR in text else text
        found = resolve_administrative_unit(text)
        if found.current is not None and (found.unit is not None or not found.ambiguous):
            return found.current
        if found.ambiguous:
            names = "; ".join(str(unit) for unit in found.candidates[:5])
            raise forms.ValidationError(
                _("“%(text)s” có ở nhiều nơi (%(names)s). Hãy ghi kèm tỉnh hoặc chọn trong gợi ý.")
                % {"text": text, "names": names}
            )
        raise forms.ValidationError(
            _(
                "Không nhận ra đơn vị hành chính “%(text)s”. Hãy gõ vài chữ của tên xã, phường "
                "hoặc tỉnh rồi chọn trong gợi ý, hoặc ghi mã (ví dụ 01, 00070)."
            )
            % {"text": text}
        )

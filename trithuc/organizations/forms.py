from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AdministrativeUnit, Organization, normalize_code
from .selectors import parent_choices, resolve_administrative_unit


class AdministrativeUnitInput(forms.TextInput):
    """A text box with suggestions fetched as the user types (htmx into a <datalist>).

    A select of all 3,300 communes would weigh hundreds of kilobytes on every form; typing a
    few letters of the name, or a code, or an old name, is faster on a slow office PC.
    """

    template_name = "organizations/widgets/administrative_unit_input.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "list": f"{attrs.get('id', name) if attrs else name}_options"}
        attrs.update(
            {
                "autocomplete": "off",
                "hx-get": str(reverse_lazy("organizations:administrative_unit_suggestions")),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{attrs['list']}",
                "hx-vals": '{"field": "' + name + '"}',
            }
        )
        return super().get_context(name, value, attrs)


class AdministrativeUnitField(forms.CharField):
    """Free text resolved to a unit of the 2025 structure (old names are mapped)."""

    widget = AdministrativeUnitInput

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            value = AdministrativeUnit.objects.filter(pk=value).first()
        if isinstance(value, AdministrativeUnit):
            return f"{value.code} · {value}"
        return value

    def clean(self, value: Any) -> AdministrativeUnit | None:
        text = super().clean(value)
        if not text:
            return None
        # A suggestion picked from the list reads "00070 · Phường Hoàn Kiếm, Thành phố Hà Nội".
        text = text.split(" · ", 1)[0] if " · " in text else text
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


class OrganizationForm(forms.ModelForm):
    administrative_unit = AdministrativeUnitField(
        label=gettext_lazy("Đơn vị hành chính"),
        required=False,
        help_text=gettext_lazy("Gõ tên xã, phường hoặc tỉnh (cả tên trước 1/7/2025) hoặc mã."),
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "name_en",
            "short_name",
            "type",
            "parent",
            "administrative_unit",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_choices(user, self.instance)
        self.user = user

    def clean_code(self) -> str:
        return normalize_code(self.cleaned_data["code"])

    def clean_parent(self) -> Any:
        parent = self.cleaned_data.get("parent")
        # Only a superuser may create a top-level organisation (or move one to the top).
        creating_or_moving_to_top = self.instance.pk is None or self.instance.parent_id is not None
        if parent is None and not self.user.is_superuser and creating_or_moving_to_top:
            raise forms.ValidationError(
                forms.Field.default_error_messages["required"], code="required"
            )
        return parent

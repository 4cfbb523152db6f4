from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from .fields import AdministrativeUnitField, OrganizationChoiceField
from .models import Organization, normalize_code
from .selectors import parent_choices


class OrganizationForm(forms.ModelForm):
    administrative_unit = AdministrativeUnitField(
        label=gettext_lazy("Đơn vị hành chính"),
        required=False,
        help_text=gettext_lazy("Gõ tên xã, phường hoặc tỉnh (cả tên trước 1/7/2025) hoặc mã."),
    )

    parent = OrganizationChoiceField(
        Organization.objects.none(),
        action="add",
        label=gettext_lazy("Đơn vị cấp trên"),
        required=False,
        help_text=gettext_lazy("Gõ mã hoặc tên rồi chọn trong gợi ý."),
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

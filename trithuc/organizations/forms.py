from typing import Any

from django import forms

from .models import AdministrativeUnit, Organization


class OrganizationForm(forms.ModelForm):
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
        # A parent must be an organisation the user may add to.
        self.fields["parent"].queryset = Organization.objects.restrict(user, "add")
        self.fields["administrative_unit"].queryset = AdministrativeUnit.objects.filter(
            is_legacy=False
        ).select_related("parent")
        self.user = user

    def clean_parent(self) -> Any:
        parent = self.cleaned_data.get("parent")
        # Only a superuser may create a top-level organisation (or move one to the top).
        creating_or_moving_to_top = self.instance.pk is None or self.instance.parent_id is not None
        if parent is None and not self.user.is_superuser and creating_or_moving_to_top:
            raise forms.ValidationError(
                forms.Field.default_error_messages["required"], code="required"
            )
        return parent

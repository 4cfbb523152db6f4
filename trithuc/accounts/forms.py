from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.forms import BootstrapFormMixin
from trithuc.core.permissions import organizations_for

from .models import Membership, User


class MembershipForm(BootstrapFormMixin, forms.ModelForm):
    """Grant a role; both the account and the organisation must lie in the admin's scope."""

    audited_by_service = True  # membership_grant records ROLE_GRANTED

    class Meta:
        model = Membership
        fields = ["user", "organization", "role"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = user
        self.fields["organization"].queryset = organizations_for(user, Membership, "add")
        self.fields["user"].queryset = User.objects.restrict(user, "change")
        self.fields["role"].choices = Role.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if Membership.objects.filter(
            user=data.get("user"), organization=data.get("organization"), role=data.get("role")
        ).exists():
            raise forms.ValidationError(_("Tài khoản này đã có vai trò đó tại đơn vị này."))
        return data

    def save(self, commit: bool = True) -> Membership:
        from .services import membership_grant

        return membership_grant(
            user=self.cleaned_data["user"],
            organization=self.cleaned_data["organization"],
            role=self.cleaned_data["role"],
            acting_user=self.acting_user,
            request=getattr(self, "request", None),
        )

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.permissions import organizations_for
from trithuc.organizations.fields import OrganizationChoiceField
from trithuc.organizations.models import Organization

from .models import Membership, User


class MembershipForm(forms.ModelForm):
    """Grant a role; both the account and the organisation must lie in the admin's scope."""

    audited_by_service = True  # membership_grant records ROLE_GRANTED

    organization = OrganizationChoiceField(
        Organization.objects.none(),
        action="manage",
        label=gettext_lazy("Tổ chức"),
        help_text=gettext_lazy("Gõ mã hoặc tên rồi chọn trong gợi ý."),
    )

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


class UserForm(forms.ModelForm):
    """Create or edit an account inside the administrator's scope."""

    audited_by_service = True

    organization = OrganizationChoiceField(
        Organization.objects.none(),
        action="manage",
        label=gettext_lazy("Đơn vị"),
        help_text=gettext_lazy("Gõ mã hoặc tên rồi chọn trong gợi ý."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organization", "is_active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = user
        self.fields["organization"].queryset = organizations_for(user, User, "add")
        self.fields["organization"].required = not user.is_superuser
        self.fields["email"].required = False

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lower()
        clash = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username

    def clean_is_active(self) -> bool:
        active = self.cleaned_data["is_active"]
        if not active and self.instance.pk == self.acting_user.pk:
            raise forms.ValidationError(_("Bạn không thể tự vô hiệu hóa tài khoản của mình."))
        return active

    def save(self, commit: bool = True) -> User:
        from .services import user_create, user_update

        request = getattr(self, "request", None)
        if self.instance.pk is None:
            user, self.temporary_password = user_create(
                username=self.cleaned_data["username"],
                full_name=self.cleaned_data["full_name"],
                email=self.cleaned_data["email"],
                organization=self.cleaned_data["organization"],
                acting_user=self.acting_user,
                request=request,
            )
            self.instance = user
            return user
        return user_update(
            user=self.instance,
            changed=self.changed_data,
            acting_user=self.acting_user,
            request=request,
        )

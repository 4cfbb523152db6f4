from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views import View
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from trithuc.core.choices import Role
from trithuc.core.filtersets import BaseFilterSet
from trithuc.core.views import generic

from . import forms, services
from .models import Membership, User


class MembershipFilterSet(BaseFilterSet):
    role = django_filters.MultipleChoiceFilter(choices=Role.choices, label=gettext_lazy("Vai trò"))
    username = django_filters.CharFilter(
        field_name="user__username", lookup_expr="icontains", label=gettext_lazy("Tên đăng nhập")
    )

    class Meta:
        model = Membership
        fields = ["role", "username"]


class MembershipListView(generic.ObjectListView):
    queryset = Membership.objects.select_related("user", "organization")
    filterset = MembershipFilterSet
    template_name = "accounts/membership_list.html"


class MembershipAddView(generic.ObjectEditView):
    queryset = Membership.objects.all()
    form = forms.MembershipForm


class MembershipDeleteView(generic.ObjectDeleteView):
    """Revoking goes through the service so the audit log keeps the role change."""

    queryset = Membership.objects.all()

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = self.get_restricted_object(pk=pk)
        services.membership_revoke(membership=membership, acting_user=request.user, request=request)
        messages.success(request, _("Đã thu hồi vai trò."))
        return HttpResponseRedirect(reverse("accounts:membership_list"))


class UserListView(generic.ObjectListView):
    queryset = User.objects.select_related("organization")
    template_name = "accounts/user_list.html"


class UserDetailView(generic.ObjectDetailView):
    queryset = User.objects.select_related("organization")
    template_name = "accounts/user_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        ctx["memberships"] = obj.memberships.select_related("organization")
        ctx["has_totp"] = obj.authenticator_set.filter(type="totp").exists()
        return ctx


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own API token: issue (shown once), rotate or revoke."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(user=request.user, request=request)  # type: ignore[arg-type]
            messages.success(request, _("Đã thu hồi mã truy cập API."))
            return HttpResponseRedirect(reverse("accounts:api_token"))
        new_key = services.api_token_issue(user=request.user, request=request)  # type: ignore[arg-type]
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})


class UserEditView(generic.ObjectEditView):
    """Create or edit an account; a new account's temporary password is shown once."""

    queryset = User.objects.all()
    form = forms.UserForm
    template_name = "accounts/user_edit.html"

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        response = super().post(request, pk)
        form = getattr(self, "saved_form", None)
        password = getattr(form, "temporary_password", None)
        if password:
            return render(
                request,
                "accounts/user_password.html",
                {"object": form.instance, "password": password, "created": True},
            )
        return response

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        self.saved_form = super().get_form(obj, data, files)
        return self.saved_form


MFA_RESET_DONE = gettext_noop(
    "Đã gỡ xác thực hai lớp của %(user)s. Lần đăng nhập tới, người dùng sẽ được yêu cầu "
    "thiết lập lại."
)


class UserSecurityActionView(generic.ObjectPermissionMixin, View):
    """Confirm (GET), then reset the password or the two-factor authentication (POST)."""

    queryset = User.objects.all()
    action = "change"
    operation: str = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self.get_restricted_object(pk=pk)
        return render(
            request,
            "accounts/user_security_confirm.html",
            {"object": user, "operation": self.operation},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self.get_restricted_object(pk=pk)
        if self.operation == "password":
            password = services.user_password_reset(
                user=user, acting_user=request.user, request=request
            )
            return render(
                request, "accounts/user_password.html", {"object": user, "password": password}
            )
        services.user_mfa_reset(user=user, acting_user=request.user, request=request)
        messages.success(
            request,
            _(MFA_RESET_DONE) % {"user": user},
        )
        return HttpResponseRedirect(user.get_absolute_url())

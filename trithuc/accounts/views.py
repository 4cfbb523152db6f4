from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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

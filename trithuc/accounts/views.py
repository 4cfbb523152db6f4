from typing import Any

import django_filters
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from trithuc.accounts.models import Membership
from trithuc.core.permissions import organizations_for, user_can
from trithuc.core.text import fold, nfc
from trithuc.core.views import generic

from . import filtersets, forms, importers
from .models import AdministrativeUnit, Organization, normalize_code


class OrganizationListView(generic.ObjectListView):
    """The organisation tree, indented by depth, within the user's scope."""

    queryset = Organization.objects.select_related("parent", "administrative_unit")
    filterset = filtersets.OrganizationFilterSet
    template_name = "organizations/organization_list.html"
    paginate_by = 200


class OrganizationDetailView(generic.ObjectDetailView):
    queryset = Organization.objects.select_related("parent", "administrative_unit__parent")
    template_name = "organizations/organization_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        user = self.request.user
        ctx["ancestors"] = obj.ancestors().restrict(user, "view")
        ctx["children"] = obj.children.restrict(user, "view").order_by("name")
        ctx["subtree_size"] = obj.subtree().count() - 1
        ctx["memberships"] = (
            Membership.objects.restrict(user, "view")
            .filter(organization=obj)
            .select_related("user")
            .order_by("role", "user__username")
        )
        return ctx


class OrganizationEditView(generic.ObjectEditView):
    queryset = Organization.objects.all()
    form = forms.OrganizationForm


class OrganizationDeleteView(generic.ObjectDeleteView):
    queryset = Organization.objects.all()
    success_url = reverse_lazy("organizations:organization_list")


class OrganizationHistoryView(generic.ObjectHistoryView):
    queryset = Organization.objects.all()


# The import template's columns and headers (importers.COLUMNS, always in Vietnamese): an
# export, from either language of the interface, can be edited and imported back.
EXPORT_VALUES = {
    "code": lambda o: o.code,
    "name": lambda o: o.name,
    "name_en": lambda o: o.name_en,
    "short_name": lambda o: o.short_name,
    "type": lambda o: o.get_type_display(),
    "parent_code": lambda o: o.parent.code if o.parent else "",
    "administrative_unit": lambda o: o.administrative_unit.code if o.administrative_unit else "",
}
EXPORT_COLUMNS = [(column.label, EXPORT_VALUES[column.field]) for column in importers.COLUMNS]


class OrganizationExportView(generic.ObjectExportView):
    queryset = Organization.objects.select_related("parent", "administrative_unit")
    filterset = filtersets.OrganizationFilterSet
    export_columns = EXPORT_COLUMNS
    filename = "to-chuc.xlsx"


def _typed_text(request: HttpRequest, default_field: str = "q") -> str:
    """What the user typed in a suggestion box (the code part of a picked suggestion), or ""
    for text the database must not see (NUL characters)."""
    field = request.GET.get("field", default_field)
    text = nfc(request.GET.get(field, "") or request.GET.get("q", ""))[:100]
    if "\x00" in text:
        return ""
    return text.split(" · ", 1)[0]


@login_required
def administrative_unit_suggestions(request: HttpRequest) -> HttpResponse:
    """Up to 20 current units whose name (accent-insensitive) or code starts the text typed."""
    if not user_can(request.user, AdministrativeUnit, "view"):
        raise PermissionDenied
    units: list[AdministrativeUnit] = []
    key = fold(_typed_text(request, "administrative_unit"))
    if len(key) >= 2:
        units = list(
            AdministrativeUnit.objects.filter(is_legacy=False)
            .filter(Q(folded_name__contains=key) | Q(code__startswith=key))
            .select_related("parent")
            .order_by("level", "folded_name")[:20]
        )
    return render(request, "organizations/_administrative_unit_options.html", {"units": units})


@login_required
def organization_suggestions(request: HttpRequest) -> HttpResponse:
    """Up to 20 organisations in the user's scope whose name (accent-insensitive) or code
    contains the text typed; `action=add` limits them to where the user may add."""
    if not user_can(request.user, Organization, "view"):
        raise PermissionDenied
    scopes = {
        "view": lambda: Organization.objects.restrict(request.user, "view"),
        "add": lambda: Organization.objects.restrict(request.user, "add"),
        # Where the user may manage accounts and roles (administrators' subtrees).
        "manage": lambda: organizations_for(request.user, Membership, "add"),
    }
    scope = scopes.get(request.GET.get("action", "view"), scopes["view"])
    text = _typed_text(request)
    key = fold(text)
    organizations: list[Organization] = []
    if len(key) >= 2:
        organizations = list(
            scope()
            .filter(Q(folded_name__contains=key) | Q(code__startswith=normalize_code(text)))
            .order_by("depth", "folded_name")[:20]
        )
    return render(
        request, "organizations/_organization_options.html", {"organizations": organizations}
    )

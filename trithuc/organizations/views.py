from typing import Any

from django.urls import reverse_lazy

from trithuc.core.views import generic

from . import filtersets, forms
from .models import Organization


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
        return ctx


class OrganizationEditView(generic.ObjectEditView):
    queryset = Organization.objects.all()
    form = forms.OrganizationForm


class OrganizationDeleteView(generic.ObjectDeleteView):
    queryset = Organization.objects.all()
    success_url = reverse_lazy("organizations:organization_list")


class OrganizationHistoryView(generic.ObjectHistoryView):
    queryset = Organization.objects.all()

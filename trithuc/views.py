"""The home page: it summarises every app, so it lives above them."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trithuc.core.models import Job
from trithuc.core.permissions import user_can, user_roles
from trithuc.organizations.choices import OrganizationType
from trithuc.organizations.models import Organization
from trithuc.registry.models import Person
from trithuc.registry.selectors import registry_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in user holds and reaches: roles, scope, recent jobs."""
    user = request.user
    scope = Organization.objects.restrict(user, "view")
    labels = dict(OrganizationType.choices)
    by_type = [
        {"type": row["type"], "label": labels.get(row["type"], row["type"]), "n": row["n"]}
        for row in scope.order_by().values("type").annotate(n=Count("id")).order_by("-n", "type")
    ]
    context: dict[str, Any] = {
        "by_type": by_type,
        "roles": sorted(user_roles(user)),
        "memberships": user.memberships.select_related("organization"),  # type: ignore[union-attr]
        "organization_count": sum(row["n"] for row in by_type),
        "recent_jobs": Job.objects.restrict(user, "view").filter(created_by=user)[:5],
        "registry": registry_overview(user) if user_can(user, Person, "view") else None,
    }
    return render(request, "core/home.html", context)

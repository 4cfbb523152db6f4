"""Navigation by role: each entry is shown only to users who may use the page behind it.

It lives at the project level, above the apps, because it names pages of every app.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trithuc.accounts.middleware import needs_totp
from trithuc.accounts.models import Membership, User
from trithuc.core.models import AuditEvent
from trithuc.core.permissions import user_can
from trithuc.insights.models import Indicator
from trithuc.linkage.models import CandidatePair
from trithuc.organizations.models import Organization
from trithuc.plans.models import PlanDocument
from trithuc.registry.models import Person


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if needs_totp(user):
        # Until a staff member enrols in TOTP, every page leads to enrolment: offer none.
        return {"nav_items": []}
    entries = [
        (_("Trang chủ"), "home", None),
        (_("Hồ sơ trí thức"), "registry:person_list", Person),
        (_("Hồ sơ trùng"), "linkage:queue", CandidatePair),
        (_("Tổ chức"), "organizations:organization_list", Organization),
        (_("Thống kê"), "insights:dashboard", Person),
        (_("Kế hoạch"), "plans:document_list", PlanDocument),
        (_("Tài khoản"), "accounts:user_list", User),
        (_("Phân quyền"), "accounts:membership_list", Membership),
        (_("Nhật ký hệ thống"), "core:audit_list", AuditEvent),
        (_("Công việc nền"), "core:job_list", None),
    ]
    if not user_can(user, Person, "view") and user_can(user, Indicator, "view"):
        # Plan coordinators follow the targets and projections, not the people: their
        # "Thống kê" is the indicators.
        entries = [
            (_("Thống kê"), "insights:indicator_list", Indicator)
            if name == "insights:dashboard"
            else (label, name, model)
            for label, name, model in entries
        ]
    items = []
    for label, name, model in entries:
        if model is None or user_can(user, model, "view"):
            url = reverse(name)
            active = request.path == url if name == "home" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}

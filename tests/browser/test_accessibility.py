"""axe-core on the main pages: no serious or critical violation."""

import pytest

from trithuc.core.choices import Role

from .conftest import make_staff_account
from .helpers import axe_violations, describe_violations, sign_in, url

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db, tree):
    return make_staff_account(
        username="lanh.dao",
        full_name="Phạm Minh Đức",
        organization=tree["city"],
        role=Role.LEADER.value,
    )


def test_main_pages_have_no_serious_accessibility_violations(page, leader, tree):
    plan = _plan_with_tasks(tree["city"])
    found = {}
    page.goto(url(page, "/accounts/login/"))
    found["/accounts/login/"] = axe_violations(page, "login")
    sign_in(page, leader)
    for name, path in (
        ("home", "/"),
        ("organizations", "/organizations/"),
        ("people", "/people/"),
        ("taxonomies", "/people/taxonomies/fields/"),
        ("plans", "/plans/"),
        ("plan tasks", "/plans/tasks/"),
        ("plan", plan.get_absolute_url()),
        ("plan task", plan.tasks.first().get_absolute_url()),
    ):
        page.goto(url(page, path))
        found[path] = axe_violations(page, name)

    report = "\n".join(
        f"{path}:\n{describe_violations(violations)}"
        for path, violations in found.items()
        if violations
    )
    assert not report, "axe-core found serious or critical violations:\n" + report


def _plan_with_tasks(organization):
    from datetime import date

    from trithuc.plans.models import PlanDocument, PlanSection, PlanTask

    document = PlanDocument.objects.create(
        kind="plan", number="1/KH", title="Kế hoạch thực hiện", organization=organization
    )
    section = PlanSection.objects.create(document=document, number="I", title="Nhận thức")
    PlanTask.objects.create(
        document=document, section=section, number="1.", content="Tuyên truyền",
        lead=organization, lead_text=organization.name, deadline_kind="quarter",
        due=date(2024, 6, 30), deadline_text="Quý II/2024",
    )  # fmt: skip
    PlanTask.objects.create(
        document=document, section=section, number="2.", content="Quán triệt",
        lead_text="Các Sở, ngành, địa phương", lead_groups=["all_departments"],
        deadline_kind="recurring", recurrence="ongoing", deadline_text="Thường xuyên",
    )  # fmt: skip
    return document


@pytest.fixture
def administrator(transactional_db, tree):
    return make_staff_account(
        username="quan.tri",
        full_name="Nguyễn Thị Thu Hà",
        organization=tree["city"],
        role=Role.ADMIN.value,
    )


def test_administration_pages_have_no_serious_accessibility_violations(page, administrator, tree):
    sign_in(page, administrator)
    org = tree["unit_a1"].pk
    user = administrator.user.pk if hasattr(administrator, "user") else None
    paths = [
        f"/organizations/{org}/",
        f"/organizations/{org}/edit/",
        f"/organizations/{org}/history/",
        "/organizations/add/",
        "/organizations/import/",
        "/audit/",
        "/access/roles/",
        "/access/roles/add/",
        "/access/users/",
        "/access/users/add/",
        "/access/token/",
        "/jobs/",
        "/accounts/2fa/",
        "/accounts/password/change/",
    ]
    if user:
        paths.append(f"/access/users/{user}/")
    found = {}
    for path in paths:
        page.goto(url(page, path))
        found[path] = axe_violations(page, path.strip("/").replace("/", "-") or "home")
    report = "\n".join(
        f"{path}:\n{describe_violations(violations)}"
        for path, violations in found.items()
        if violations
    )
    assert not report, "axe-core found serious or critical violations:\n" + report

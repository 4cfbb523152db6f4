"""Plans, sections and tasks: status from dates and progress, pages by section and agency."""

from datetime import date

import pytest
from django.urls import reverse

from trithuc.plans.models import PlanDocument, PlanSection, PlanTask

pytestmark = pytest.mark.django_db
TODAY = date(2025, 7, 1)


def task(**kwargs) -> PlanTask:
    kwargs.setdefault("content", "Nhiệm vụ")
    kwargs.setdefault("lead_text", "Sở Nội vụ")
    return PlanTask(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "not_started"),
        ({"deadline_kind": "quarter", "due": date(2024, 6, 30)}, "overdue"),
        ({"deadline_kind": "year", "due": date(2025, 12, 31)}, "not_started"),
        ({"deadline_kind": "year", "due": date(2025, 12, 31), "progress": 40}, "in_progress"),
        ({"due": date(2025, 6, 30), "done_on": date(2025, 6, 1)}, "done"),
        ({"due": date(2024, 6, 30), "done_on": date(2024, 9, 1)}, "done_late"),
        ({"deadline_kind": "recurring", "recurrence": "ongoing"}, "in_progress"),
        ({"deadline_kind": "from", "start": date(2024, 4, 1)}, "in_progress"),
        ({"deadline_kind": "from", "start": date(2026, 1, 1)}, "not_started"),
        ({"due": date(2024, 6, 30), "cancelled": True}, "cancelled"),
    ],
)
def test_status_follows_from_dates_and_reports(kwargs, expected):
    assert task(**kwargs).status(TODAY) == expected


@pytest.fixture
def plan(tree):
    document = PlanDocument.objects.create(
        kind="plan",
        number="133/KH-UBND",
        title="Kế hoạch thực hiện Chương trình hành động",
        organization=tree["dept_b"],
    )
    section = PlanSection.objects.create(document=document, number="I", title="Nâng cao nhận thức")
    late = PlanTask.objects.create(
        document=document,
        section=section,
        number="1.",
        order=1,
        content="Xây dựng cơ sở dữ liệu trí thức",
        lead=tree["dept_a"],
        lead_text="Sở Nội vụ",
        deadline_kind="quarter",
        due=date(2024, 6, 30),
        deadline_text="Quý II/2024",
    )
    PlanTask.objects.create(
        document=document,
        section=section,
        number="2.",
        order=2,
        content="Tuyên truyền",
        lead_text="Ban Tuyên giáo",
        deadline_kind="recurring",
        recurrence="ongoing",
        deadline_text="Thường xuyên",
    )
    return document, late


def test_plan_page_by_section_agency_and_overdue(tree, make_staff, client_for, plan):
    document, late = plan
    coordinator = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    response = coordinator.get(document.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Xây dựng cơ sở dữ liệu trí thức" in page and "Quá hạn" in page
    agencies = {str(a["agency"]): a["colour"] for a in response.context["agencies"]}
    assert agencies == {"Sở Nội vụ": "red", "Ban Tuyên giáo": "green"}
    assert [row["task"] for row in response.context["overdue"]] == [late]
    # An unmatched lead is shown as written, marked for review.
    assert "Chưa khớp với tổ chức nào" in page


def test_plans_are_scoped_to_the_monitoring_agency(tree, make_staff, client_for, plan):
    document, _late = plan
    other = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    assert other.get(document.get_absolute_url()).status_code == 404
    assert document.title not in other.get(reverse("plans:document_list")).content.decode()
    leader = client_for(make_staff("leader", tree["city"]))
    assert leader.get(document.get_absolute_url()).status_code == 200


def test_the_lead_agency_sees_its_own_tasks_only(tree, make_staff, client_for, plan):
    document, late = plan
    # dept_a leads one task of a plan monitored by dept_b: its officer sees that task only,
    # not the plan's other tasks nor the plan page.
    from trithuc.plans.models import PlanTask

    lead_user = make_staff("plan_coordinator", tree["dept_a"])
    lead_officer = client_for(lead_user)
    response = lead_officer.get(reverse("plans:task_list"))
    assert [row["task"] for row in response.context["rows"]] == [late]
    assert "Tuyên truyền" not in response.content.decode()
    assert lead_officer.get(document.get_absolute_url()).status_code == 404
    # Seeing is all: the lead agency may not change a task of another agency's plan.
    assert list(PlanTask.objects.restrict(lead_user, "view")) == [late]
    assert not PlanTask.objects.restrict(lead_user, "change").exists()
    monitoring = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    rows = monitoring.get(reverse("plans:task_list")).context["rows"]
    assert len(rows) == 2 and rows[0]["task"] == late  # due first, then no deadline

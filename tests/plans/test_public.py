"""The public progress pages: anyone reads the plans the city publishes and their public
tasks, and nothing else — not a hidden or proposed task, not a report, not a document that
is not published."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from trithuc.plans import views_public
from trithuc.plans.models import (
    PlanDocument,
    PlanSection,
    PlanTask,
    ReportingPeriod,
    TaskReport,
)

from ..factories import UserFactory

TODAY = date(2025, 7, 1)
# Words that only the internal pages may show: each must never reach a public page.
SECRETS = {
    "hidden task": "Rà soát nhân sự nhạy cảm",
    "proposed task": "Nhiệm vụ do máy đề xuất",
    "hidden section": "Mục chỉ có nhiệm vụ ẩn",
    "report": "Đã khảo sát 12 đơn vị nội bộ",
    "difficulties": "Thiếu kinh phí nội bộ",
    "proposals": "Đề nghị bổ sung biên chế",
    "review note": "Ý kiến thẩm định nội bộ",
    "reviewer": "Hoàng Thị Thẩm Định",
    "import warning": "Cảnh báo: không đọc được cột",
    "cancel reason": "Lý do hủy nội bộ",
    "private plan": "Kế hoạch chưa công bố",
    "private plan task": "Nhiệm vụ của kế hoạch chưa công bố",
}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("trithuc.plans.views_public.timezone.localdate", lambda: TODAY)


@pytest.fixture
def plans(tree):
    """One published plan with public, hidden, proposed and cancelled tasks and a report;
    one plan that is not published."""
    public = PlanDocument.objects.create(
        kind="plan", number="133/KH-UBND", title="Kế hoạch thực hiện Nghị quyết 45",
        organization=tree["dept_b"], issued_on=date(2024, 1, 15), is_public=True,
    )  # fmt: skip
    section = PlanSection.objects.create(document=public, number="I", title="Nhận thức", order=1)
    hidden_section = PlanSection.objects.create(
        document=public, number="II", title=SECRETS["hidden section"], order=2
    )
    common = {"document": public, "section": section, "lead_text": "Sở Nội vụ"}
    shown = PlanTask.objects.create(
        **common, order=1, number="1.", content="Xây dựng cơ sở dữ liệu trí thức",
        lead=tree["dept_a"], deadline_kind="quarter", due=date(2024, 6, 30),
        deadline_text="Quý II/2024", progress=40,
        import_warnings=[SECRETS["import warning"]],
    )  # fmt: skip
    done = PlanTask.objects.create(
        **common, order=2, number="2.", content="Ban hành quy chế", lead=tree["dept_b"],
        deadline_kind="year", due=date(2024, 12, 31), done_on=date(2024, 10, 1), progress=90,
    )  # fmt: skip
    PlanTask.objects.create(
        **{**common, "lead_text": "Ban Tuyên giáo"}, order=3, number="3.",
        content="Tuyên truyền trên báo chí", deadline_kind="recurring", recurrence="ongoing",
    )  # fmt: skip
    PlanTask.objects.create(
        **common, order=4, number="4.", content="Khảo sát đã hủy", deadline_kind="date",
        due=date(2025, 3, 1), cancelled=True, cancelled_reason=SECRETS["cancel reason"],
    )  # fmt: skip
    PlanTask.objects.create(
        **common, order=5, content=SECRETS["hidden task"], is_public=False,
        deadline_kind="none",
    )  # fmt: skip
    PlanTask.objects.create(
        **common, order=6, content=SECRETS["proposed task"], proposed=True, deadline_kind="none"
    )
    PlanTask.objects.create(
        **{**common, "section": hidden_section}, order=1, content="Việc ẩn", is_public=False,
        deadline_kind="none",
    )  # fmt: skip
    period = ReportingPeriod.objects.create(
        document=public, kind="year", start=date(2024, 1, 1), end=date(2024, 12, 31),
        due=date(2024, 12, 31),
    )  # fmt: skip
    TaskReport.objects.create(
        task=shown, period=period, organization=tree["dept_a"], progress=40,
        done=SECRETS["report"], difficulties=SECRETS["difficulties"],
        proposals=SECRETS["proposals"], review_note=SECRETS["review note"],
        reviewed_by=UserFactory(full_name=SECRETS["reviewer"]), status="accepted",
        reviewed_at=timezone.now(),
    )  # fmt: skip
    private = PlanDocument.objects.create(
        kind="plan", number="99/KH-UBND", title=SECRETS["private plan"],
        organization=tree["dept_b"], is_public=False,
    )  # fmt: skip
    PlanTask.objects.create(
        document=private, content=SECRETS["private plan task"], lead_text="Sở Nội vụ"
    )
    return {"public": public, "private": private, "shown": shown, "done": done}


def assert_no_secret(page: str) -> None:
    leaked = [what for what, text in SECRETS.items() if text in page]
    assert not leaked, f"the public page shows: {leaked}"


def test_the_public_routes_do_not_collide_with_a_document_number():
    assert resolve("/plans/public/").view_name == "plans:public_list"
    assert resolve("/plans/public/7/").view_name == "plans:public_detail"
    assert resolve("/plans/7/").view_name == "plans:document_detail"
    assert reverse("plans:public_detail", args=[7]) == "/plans/public/7/"


def test_anyone_reads_the_list_of_published_plans(plans):
    response = Client().get(reverse("plans:public_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kế hoạch thực hiện Nghị quyết 45" in page and "133/KH-UBND" in page
    assert_no_secret(page)
    assert "99/KH-UBND" not in page
    [row] = response.context["rows"]
    # Four public tasks: one overdue, one done, one ongoing, one cancelled; the hidden and
    # the proposed ones are not counted.
    assert row["total"] == 4
    counts = {status: n for status, _label, n in row["counts"]}
    assert counts == {
        "not_started": 0,
        "in_progress": 1,
        "done": 1,
        "done_late": 0,
        "overdue": 1,
        "cancelled": 1,
    }
    # Done over the tasks not cancelled: 1 of 3.
    assert row["percent_done"] == 33
    assert "33%" in page


def test_anyone_reads_a_published_plan_by_section(plans):
    response = Client().get(reverse("plans:public_detail", args=[plans["public"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert_no_secret(page)
    groups = response.context["groups"]
    assert [g["section"].number for g in groups] == ["I"]
    rows = {r["task"].content: r for r in groups[0]["rows"]}
    assert list(rows) == [
        "Xây dựng cơ sở dữ liệu trí thức",
        "Ban hành quy chế",
        "Tuyên truyền trên báo chí",
        "Khảo sát đã hủy",
    ]
    shown = rows["Xây dựng cơ sở dữ liệu trí thức"]
    assert (shown["status"], shown["progress"], shown["deadline"]) == ("overdue", 40, "Quý II/2024")
    assert shown["lead_name"] == "Sở Nội vụ"
    # A completed task is 100% done, whatever the last report said; a deadline without its
    # words is told by its kind and date.
    assert rows["Ban hành quy chế"]["progress"] == 100
    assert rows["Ban hành quy chế"]["deadline"] == "Năm 2024"
    assert rows["Khảo sát đã hủy"]["deadline"] == "01/03/2025"
    assert rows["Tuyên truyền trên báo chí"]["deadline"] == "Định kỳ, thường xuyên"
    for text in ("Quá hạn", "Hoàn thành", "Đã hủy", "40%", "Quý II/2024", "Ban Tuyên giáo"):
        assert text in page
    # No way into the internal pages from here.
    assert plans["shown"].get_absolute_url() not in page
    assert plans["public"].get_absolute_url() + '"' not in page


def test_a_plan_not_published_is_not_found_for_everyone(plans, tree, make_staff, client_for):
    url = reverse("plans:public_detail", args=[plans["private"].pk])
    assert Client().get(url).status_code == 404
    # Not even the coordinator who keeps it sees it on the public page.
    keeper = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    response = keeper.get(url)
    assert response.status_code == 404
    assert_no_secret(response.content.decode())
    assert Client().get(reverse("plans:public_detail", args=[999999])).status_code == 404


def test_unpublishing_a_plan_removes_it(plans):
    plans["public"].is_public = False
    plans["public"].save(update_fields=["is_public"])
    client = Client()
    assert client.get(reverse("plans:public_detail", args=[plans["public"].pk])).status_code == 404
    response = client.get(reverse("plans:public_list"))
    assert response.context["rows"] == []
    assert "Chưa có kế hoạch nào được công khai tiến độ." in response.content.decode()


def test_a_published_plan_whose_tasks_are_all_hidden_shows_none(plans):
    PlanTask.objects.filter(document=plans["public"]).update(is_public=False)
    response = Client().get(reverse("plans:public_detail", args=[plans["public"].pk]))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["groups"] == []
    assert "Văn bản này chưa có nhiệm vụ nào được công khai." in page
    assert "Nhận thức" not in page


def test_the_public_pages_read_no_internal_field():
    # Belt and braces: the queryset itself never loads what must not be shown.
    loaded = set(views_public.PUBLIC_TASK_FIELDS)
    assert not loaded & {"import_warnings", "cancelled_reason", "is_public", "proposed"}
    assert "coordinators_text" not in loaded


def test_public_queries_do_not_grow_with_plans_or_tasks(plans, tree):
    client = Client()

    def count(name, *args) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(queries)

    public = plans["public"]
    before = (count("plans:public_list"), count("plans:public_detail", public.pk))
    for n in range(5):
        other = PlanDocument.objects.create(
            kind="plan", title=f"Kế hoạch {n}", organization=tree["dept_b"], is_public=True
        )
        section = PlanSection.objects.create(document=public, number=f"S{n}", title=f"Mục {n}")
        for document, sec in ((other, None), (public, section)):
            PlanTask.objects.create(
                document=document, section=sec, content=f"Việc {n}", lead=tree["unit_a1"],
                lead_text="Trung tâm", deadline_kind="year", due=date(2026, 12, 31),
            )  # fmt: skip
    after = (count("plans:public_list"), count("plans:public_detail", public.pk))
    assert after == before
    assert before[0] <= 3 and before[1] <= 3


def test_the_public_page_is_linked_from_every_page_footer(plans):
    page = Client().get(reverse("account_login")).content.decode()
    assert f'href="{reverse("plans:public_list")}"' in page

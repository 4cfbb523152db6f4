"""The timeline of a plan: the grid of quarters, where each task's bar lies, the filters,
and a page whose number of queries does not grow with the number of tasks."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trithuc.plans.models import PlanDocument, PlanSection, PlanTask
from trithuc.plans.timeline import Axis, Quarter, axis_for, bar_for

TODAY = date(2025, 7, 1)
# 2024 and 2025: eight quarters, each 12.5% of the width.
AXIS = Axis(2024, 2025)
ISSUED = date(2024, 1, 15)


def task(**kwargs) -> PlanTask:
    kwargs.setdefault("content", "Nhiệm vụ")
    kwargs.setdefault("lead_text", "Sở Nội vụ")
    return PlanTask(**kwargs)


def test_quarters_and_their_labels():
    assert [q.label for q in AXIS.quarters[:2]] == ["Quý I/2024", "Quý II/2024"]
    assert len(AXIS.quarters) == 8
    assert Quarter.of(date(2024, 8, 31)) == Quarter(2024, 3)
    assert Quarter(2024, 1).end == date(2024, 3, 31)
    assert Quarter(2024, 4).end == date(2024, 12, 31)


def test_axis_spans_whole_years_from_the_issue_date_to_the_last_deadline():
    tasks = [task(due=date(2026, 6, 30)), task(start=date(2024, 4, 1))]
    assert axis_for(issued_on=date(2023, 11, 2), tasks=tasks, today=TODAY) == Axis(2023, 2026)
    # Nothing dated at all: the current year.
    assert axis_for(issued_on=None, tasks=[task()], today=TODAY) == Axis(2025, 2025)


def test_axis_is_capped_and_says_so():
    tasks = [task(deadline_kind="year", due=date(2045, 12, 31))]
    axis = axis_for(issued_on=date(2024, 1, 1), tasks=tasks, today=TODAY)
    assert axis == Axis(2024, 2031, cut=True)
    assert axis.last_quarter.label == "Quý IV/2031"
    assert bar_for(tasks[0], axis=axis, issued_on=date(2024, 1, 1)).cut_end


def test_position_puts_quarter_ends_on_column_edges():
    assert AXIS.position(date(2024, 1, 1)) == 0
    assert AXIS.position(date(2024, 7, 1)) == pytest.approx(25.0)
    assert AXIS.position(date(2026, 1, 1)) == 100
    # Mid-quarter: day 45 of the 91 days of Q1/2024 (a leap year).
    assert AXIS.position(date(2024, 2, 15)) == pytest.approx(45 / 91 * 12.5)


@pytest.mark.parametrize(
    ("kwargs", "left", "width", "ongoing"),
    [
        # "Quý II/2024": from the issue date (mid-January) to the end of June.
        (
            {"deadline_kind": "quarter", "due": date(2024, 6, 30)},
            14 / 91 * 12.5,
            25.0 - 14 / 91 * 12.5,
            False,
        ),
        # "Năm 2025" with its own start: the whole of 2025.
        (
            {"deadline_kind": "year", "start": date(2025, 1, 1), "due": date(2025, 12, 31)},
            50.0,
            50.0,
            False,
        ),
        # A date: Q2 to Q3 2024 exactly.
        (
            {"deadline_kind": "date", "start": date(2024, 4, 1), "due": date(2024, 9, 30)},
            12.5,
            25.0,
            False,
        ),
        # "Thực hiện từ năm 2025": a band to the end of the grid.
        ({"deadline_kind": "from", "start": date(2025, 1, 1)}, 50.0, 50.0, True),
        # "Thường xuyên": from the issue date to the end of the grid.
        (
            {"deadline_kind": "recurring", "recurrence": "ongoing"},
            14 / 91 * 12.5,
            100 - 14 / 91 * 12.5,
            True,
        ),
        # "Hằng năm, đến hết 2024": a band that ends at its deadline.
        (
            {
                "deadline_kind": "recurring",
                "recurrence": "yearly",
                "start": date(2024, 1, 1),
                "due": date(2024, 12, 31),
            },
            0.0,
            50.0,
            True,
        ),
    ],
)
def test_bar_spans(kwargs, left, width, ongoing):
    bar = bar_for(task(**kwargs), axis=AXIS, issued_on=ISSUED)
    assert bar is not None
    assert bar.left == pytest.approx(left)
    assert bar.width == pytest.approx(width)
    assert bar.ongoing is ongoing
    assert not bar.cut_start and not bar.cut_end


def test_no_bar_without_a_deadline():
    assert bar_for(task(deadline_kind="none"), axis=AXIS, issued_on=ISSUED) is None
    # A dated kind whose date could not be read is not drawn either.
    assert bar_for(task(deadline_kind="quarter"), axis=AXIS, issued_on=ISSUED) is None


def test_bar_without_start_or_issue_date_starts_with_the_grid():
    bar = bar_for(task(deadline_kind="year", due=date(2024, 12, 31)), axis=AXIS, issued_on=None)
    assert (bar.left, bar.width) == (0.0, pytest.approx(50.0))


def test_bar_past_the_grid_is_cut_and_a_start_after_the_deadline_is_ignored():
    late = bar_for(
        task(deadline_kind="year", start=date(2025, 1, 1), due=date(2027, 12, 31)),
        axis=AXIS,
        issued_on=ISSUED,
    )
    assert late.cut_end and late.left == 50.0 and late.width == pytest.approx(50.0)
    slip = bar_for(
        task(deadline_kind="quarter", start=date(2025, 1, 1), due=date(2024, 6, 30)),
        axis=AXIS,
        issued_on=ISSUED,
    )
    assert slip.start == date(2024, 4, 1)
    assert (slip.left, slip.width) == (pytest.approx(12.5), pytest.approx(12.5))
    assert slip.css == "left:12.500%;width:12.500%"


@pytest.fixture
def today(monkeypatch):
    """The pages' today is 1 July 2025."""
    monkeypatch.setattr("trithuc.plans.views_public.timezone.localdate", lambda: TODAY)
    return TODAY


@pytest.fixture
def plan(tree):
    """A plan monitored by dept_b, issued in January 2024, with one task of each kind."""
    document = PlanDocument.objects.create(
        kind="plan",
        number="133/KH-UBND",
        title="Kế hoạch thực hiện Chương trình hành động",
        organization=tree["dept_b"],
        issued_on=ISSUED,
    )
    first = PlanSection.objects.create(document=document, number="I", title="Nhận thức", order=1)
    second = PlanSection.objects.create(document=document, number="II", title="Chính sách", order=2)
    common = {"document": document, "section": first, "lead_text": "Sở Nội vụ"}
    tasks = {
        "overdue": PlanTask.objects.create(
            **common, order=1, number="1.", content="Xây dựng cơ sở dữ liệu",
            lead=tree["dept_a"], deadline_kind="quarter", due=date(2024, 6, 30),
            deadline_text="Quý II/2024",
        ),
        "recurring": PlanTask.objects.create(
            **{**common, "lead_text": "Ban Tuyên giáo"}, order=2, number="2.",
            content="Tuyên truyền", deadline_kind="recurring", recurrence="ongoing",
            deadline_text="Thường xuyên",
        ),
        "none": PlanTask.objects.create(
            **common, order=3, number="3.", content="Tổng kết kinh nghiệm",
            lead=tree["dept_a"], deadline_kind="none",
        ),
        "done": PlanTask.objects.create(
            **{**common, "section": second}, order=1, number="1.", content="Ban hành chính sách",
            lead=tree["dept_b"], deadline_kind="year", due=date(2024, 12, 31),
            done_on=date(2024, 11, 1), progress=100, deadline_text="Năm 2024",
        ),
        "in_progress": PlanTask.objects.create(
            **{**common, "section": second}, order=2, number="2.", content="Thu hút chuyên gia",
            lead=tree["dept_b"], deadline_kind="year", start=date(2025, 1, 1),
            due=date(2025, 12, 31), progress=30,
        ),
        "cancelled": PlanTask.objects.create(
            **{**common, "section": None}, order=9, content="Nhiệm vụ đã bỏ",
            lead=tree["dept_a"], deadline_kind="date", due=date(2025, 3, 31), cancelled=True,
        ),
    }  # fmt: skip
    return document, tasks


def timeline(client, document, **params):
    return client.get(reverse("plans:document_timeline", args=[document.pk]), params)


def bar_of(page: str, pk: int) -> str:
    """The HTML of one task's row, from its <tr> to the end of its bar."""
    match = re.search(rf'<tr id="task-{pk}".*?</tr>', page, re.S)
    assert match, f"no row for task {pk}"
    return match.group(0)


def test_timeline_draws_each_task_by_section(tree, make_staff, client_for, plan, today):
    document, tasks = plan
    response = timeline(client_for(make_staff("plan_coordinator", tree["dept_b"])), document)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["axis"] == Axis(2024, 2025)
    # Sections in order, tasks outside any section last.
    groups = response.context["groups"]
    assert [g["section"].number if g["section"] else None for g in groups] == ["I", "II", None]
    assert [r["task"] for r in groups[0]["rows"]] == [
        tasks["overdue"],
        tasks["recurring"],
        tasks["none"],
    ]
    # Each bar carries its status as a class (colour and pattern) and the row says it in text.
    for status in ("overdue", "done", "in_progress", "cancelled"):
        row = bar_of(page, tasks[status].pk)
        assert f'class="tl-bar tl-{status}"' in row, status
    assert "Quá hạn" in bar_of(page, tasks["overdue"].pk)
    # The recurring task is a hatched band to the end of the grid.
    recurring = bar_of(page, tasks["recurring"].pk)
    assert 'class="tl-bar tl-in_progress tl-ongoing"' in recurring
    assert "thường xuyên" in recurring
    # 2025 drawn whole: Q1 to Q4 2025 is the right half.
    assert 'style="left:50.000%;width:50.000%"' in bar_of(page, tasks["in_progress"].pk)
    # A deadline not worded in the plan is told by its kind and date.
    assert "31/03/2025" in bar_of(page, tasks["cancelled"].pk)
    # No deadline: listed, without a bar.
    undated = bar_of(page, tasks["none"].pk)
    assert "tl-bar" not in undated and "Không có thời hạn để vẽ" in undated
    # Today (1 July 2025) is the start of Q3 2025: three quarters of the way.
    assert "--tl-today: 75.000%" in page
    # The quarters under each year, named in full for screen readers.
    assert page.count('class="tl-year"') == 2 and "Quý III/2025" in page


def test_timeline_filters_by_lead_agency_and_status(tree, make_staff, client_for, plan, today):
    document, tasks = plan
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))

    def shown(**params):
        groups = timeline(client, document, **params).context["groups"]
        return {r["task"] for g in groups for r in g["rows"]}

    dept_a = {tasks["overdue"], tasks["none"], tasks["cancelled"]}
    assert shown(lead=str(tree["dept_a"].pk)) == dept_a
    # An agency only written in the plan (not matched to the tree) is a choice too.
    assert shown(lead="text:Ban Tuyên giáo") == {tasks["recurring"]}
    assert shown(status="overdue") == {tasks["overdue"]}
    assert shown(lead=str(tree["dept_a"].pk), status="cancelled") == {tasks["cancelled"]}
    response = timeline(client, document, status="done", lead=str(tree["dept_a"].pk))
    assert "Không có nhiệm vụ nào khớp bộ lọc." in response.content.decode()
    # A value that is not a choice is ignored rather than an empty page.
    assert len(shown(lead="999999", status="nonsense")) == 6
    # The grid stays the plan's whole span whatever is filtered.
    response = timeline(client, document, status="in_progress")
    assert response.context["axis"] == Axis(2024, 2025)
    assert response.context["shown"] == 2 and response.context["task_count"] == 6


def test_timeline_queries_do_not_grow_with_tasks(tree, make_staff, client_for, plan, today):
    document, _tasks = plan
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    timeline(client, document)  # warm up per-session caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert timeline(client, document).status_code == 200
        return len(queries)

    before = count()
    for n in range(20):
        section = PlanSection.objects.create(
            document=document, number=f"S{n}", title=f"Mục {n}", order=10 + n
        )
        PlanTask.objects.create(
            document=document, section=section, content=f"Nhiệm vụ {n}", order=n,
            lead=tree["unit_a1"] if n % 2 else tree["unit_b1"], lead_text="Đơn vị",
            deadline_kind="quarter", due=date(2025, 9, 30),
        )  # fmt: skip
    assert count() == before
    assert before <= 12


def test_timeline_is_for_those_who_follow_the_plan(tree, make_staff, client_for, plan):
    document, _tasks = plan
    other = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    assert timeline(other, document).status_code == 404
    leader = client_for(make_staff("leader", tree["city"]))
    assert timeline(leader, document).status_code == 200
    from django.test import Client

    anonymous = timeline(Client(), document)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

"""Reminders, overdue notices and escalation of the action-plan tracker."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from trithuc.notifications.models import Notification
from trithuc.plans.models import PlanDocument, PlanTask, ReportingPeriod, TaskReport
from trithuc.plans.reminders import overdue_today, recipients_for, send_plan_reminders
from trithuc.plans.services import period_for

pytestmark = pytest.mark.django_db

# Quarterly reports, due on the quarter's last day: the second quarter of 2025 is due 30/6.
Q2_DUE = date(2025, 6, 30)


@pytest.fixture
def people(tree, make_staff):
    """The lead agency (dept_a) and the monitoring agency (dept_b), with their staff."""
    return {
        "lead": make_staff("plan_coordinator", tree["dept_a"]),
        "lead_leader": make_staff("leader", tree["dept_a"]),
        "monitor": make_staff("plan_coordinator", tree["dept_b"]),
        "monitor_leader": make_staff("leader", tree["dept_b"]),
        "city_leader": make_staff("leader", tree["city"]),
        "hr": make_staff("hr_officer", tree["dept_a"]),
    }


@pytest.fixture
def plan(tree):
    return PlanDocument.objects.create(
        kind="plan",
        number="133/KH-UBND",
        title="Kế hoạch thực hiện Nghị quyết 45-NQ/TW",
        organization=tree["dept_b"],
        report_periods=["quarter"],
        report_due_days=0,
    )


def make_task(plan, lead, content="Xây dựng cơ sở dữ liệu trí thức", **fields):
    fields.setdefault("deadline_kind", "year")
    fields.setdefault("due", date(2099, 12, 31))
    return PlanTask.objects.create(
        document=plan, content=content, lead=lead, lead_text=str(lead), **fields
    )


def inbox(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return list(rows.filter(kind=kind) if kind else rows)


def test_overdue_cadence():
    due = date(2025, 6, 30)
    days = [d for d in range(0, 30) if overdue_today(due, date.fromordinal(due.toordinal() + d))]
    assert days == [1, 8, 15, 22, 29]


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (date(2025, 6, 23), True),  # 7 days before 30/6
        (date(2025, 6, 29), True),  # 1 day before
        (date(2025, 6, 24), False),
        (date(2025, 6, 30), False),  # the due day itself: neither reminder nor overdue
    ],
)
def test_report_reminders_go_out_7_and_1_days_before_the_due_date(
    tree, people, plan, day, reminded
):
    make_task(plan, tree["dept_a"])
    result = send_plan_reminders(day)
    notes = inbox(people["lead"], "reminder")
    assert bool(notes) is reminded
    assert result["reminders"] == (1 if reminded else 0)
    if reminded:
        days = (Q2_DUE - day).days
        assert f"Báo cáo Quý 2/2025, hạn 30/06/2025, còn {days} ngày" in notes[0].body
        assert "Xây dựng cơ sở dữ liệu trí thức" in notes[0].body
    # The monitoring agency and the leaders are not reminded: only escalated when late.
    for other in ("monitor", "lead_leader", "hr", "city_leader"):
        assert inbox(people[other]) == []


def test_reminder_days_come_from_the_settings(tree, people, plan, settings):
    settings.TRITHUC_PLAN_REMINDER_DAYS = [3]
    make_task(plan, tree["dept_a"])
    assert send_plan_reminders(date(2025, 6, 23))["reminders"] == 0
    assert send_plan_reminders(date(2025, 6, 27))["reminders"] == 1


def test_a_sent_or_accepted_report_stops_the_reminder_a_returned_one_does_not(tree, people, plan):
    sent = make_task(plan, tree["dept_a"], content="Nhiệm vụ đã báo cáo")
    returned = make_task(plan, tree["dept_a"], content="Nhiệm vụ bị trả lại báo cáo")
    period = period_for(plan, "quarter", Q2_DUE)
    TaskReport.objects.create(
        task=sent, period=period, organization=tree["dept_a"], done="x", status="submitted"
    )
    TaskReport.objects.create(
        task=returned, period=period, organization=tree["dept_a"], done="x", status="returned"
    )
    send_plan_reminders(date(2025, 6, 29))
    (note,) = inbox(people["lead"], "reminder")
    assert "Nhiệm vụ bị trả lại báo cáo" in note.body
    assert "Nhiệm vụ đã báo cáo" not in note.body


def test_cancelled_proposed_done_and_not_yet_started_tasks_are_skipped(tree, people, plan):
    make_task(plan, tree["dept_a"], content="Đã hủy", cancelled=True)
    make_task(plan, tree["dept_a"], content="Đề xuất", proposed=True)
    make_task(plan, tree["dept_a"], content="Đã xong", done_on=date(2025, 5, 1), progress=100)
    make_task(plan, tree["dept_a"], content="Bắt đầu từ quý sau", start=date(2025, 7, 1))
    result = send_plan_reminders(date(2025, 6, 23))
    assert result["notifications"] == 0
    assert Notification.objects.count() == 0
    # The same tasks, late: still nothing.
    period_for(plan, "quarter", Q2_DUE)
    assert send_plan_reminders(date(2025, 7, 1))["notifications"] == 0


def test_overdue_reports_every_7_days_with_escalation(tree, people, plan):
    task = make_task(plan, tree["dept_a"])
    period_for(plan, "quarter", Q2_DUE)  # the period was current: it is on record
    sent_on = {}
    for day in range(1, 17):
        today = date(2025, 7, day)
        result = send_plan_reminders(today)
        if result["notifications"]:
            sent_on[day] = result
    assert sorted(sent_on) == [1, 8, 15]
    assert sent_on[1] == {
        "date": "2025-07-01",
        "reminders": 0,
        "overdue": 1,
        "escalations": 2,
        "notifications": 3,
        "emails": 3,
    }
    notices = sorted(inbox(people["lead"], "overdue"), key=lambda n: n.pk)
    assert ["đã quá 1 ngày" in notices[0].body, "đã quá 15 ngày" in notices[2].body] == [1, 1]
    late = notices[0]
    assert late.title.startswith("Quá hạn")
    assert late.url == task.get_absolute_url()
    # Escalated to the monitoring agency's coordinators and the lead agency's leaders; not
    # to the monitoring agency's leader, nor to the city's leader (the lead agency has its
    # own), nor to the HR officer.
    escalated = set(
        Notification.objects.filter(kind="escalation").values_list("recipient", flat=True)
    )
    assert escalated == {people["monitor"].pk, people["lead_leader"].pk}
    assert len(inbox(people["monitor"], "escalation")) == 3  # 1, 8 and 15 July
    for other in ("monitor_leader", "city_leader", "hr"):
        assert inbox(people[other]) == []


def test_nobody_is_both_told_and_escalated_to(tree, people, plan):
    # The monitoring agency leads the task itself: its coordinators get the overdue notice,
    # not an escalation about their own task; its leader is escalated to.
    make_task(plan, tree["dept_b"])
    period_for(plan, "quarter", Q2_DUE)
    result = send_plan_reminders(date(2025, 7, 1))
    assert (result["overdue"], result["escalations"]) == (1, 1)
    assert len(inbox(people["monitor"], "overdue")) == 1
    assert inbox(people["monitor"], "escalation") == []
    assert len(inbox(people["monitor_leader"], "escalation")) == 1


def test_a_report_sent_late_stops_the_overdue_notices(tree, people, plan):
    task = make_task(plan, tree["dept_a"])
    period = period_for(plan, "quarter", Q2_DUE)
    assert send_plan_reminders(date(2025, 7, 1))["overdue"] == 1
    TaskReport.objects.create(
        task=task, period=period, organization=tree["dept_a"], done="x", status="submitted"
    )
    assert send_plan_reminders(date(2025, 7, 8))["notifications"] == 0


def test_digests_list_the_tasks_in_one_notification_per_recipient(tree, people, plan):
    other_plan = PlanDocument.objects.create(
        kind="plan", title="Kế hoạch khác", organization=tree["dept_b"],
        report_periods=["quarter"],
    )  # fmt: skip
    make_task(plan, tree["dept_a"], content="Nhiệm vụ thứ nhất")
    make_task(plan, tree["dept_a"], content="Nhiệm vụ thứ hai")
    make_task(other_plan, tree["dept_a"], content="Nhiệm vụ của kế hoạch khác")
    period_for(plan, "quarter", Q2_DUE)
    period_for(other_plan, "quarter", Q2_DUE)
    result = send_plan_reminders(date(2025, 7, 1))
    assert (result["overdue"], result["escalations"]) == (1, 2)
    for user, kind in ((people["lead"], "overdue"), (people["monitor"], "escalation")):
        (digest,) = inbox(user, kind)
        assert "3 việc" in digest.title
        for content in ("Nhiệm vụ thứ nhất", "Nhiệm vụ thứ hai", "Nhiệm vụ của kế hoạch khác"):
            assert content in digest.body
        assert digest.url == reverse("plans:task_list")


def test_running_twice_sends_nothing_new(tree, people, plan, django_capture_on_commit_callbacks):
    make_task(plan, tree["dept_a"])
    period_for(plan, "quarter", Q2_DUE)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_plan_reminders(date(2025, 7, 1))
    count, mails = Notification.objects.count(), len(mail.outbox)
    assert first["notifications"] == count == 3 and mails == 3
    with django_capture_on_commit_callbacks(execute=True):
        second = send_plan_reminders(date(2025, 7, 1))
    assert second["notifications"] == second["emails"] == 0
    assert Notification.objects.count() == count and len(mail.outbox) == mails


def test_task_deadlines_30_and_7_days_before_then_overdue(tree, people, plan):
    plan.report_periods = ["year"]  # reports due 31/12: out of the way
    plan.save()
    task = make_task(plan, tree["dept_a"], deadline_kind="date", due=date(2025, 9, 30))
    make_task(
        plan, tree["dept_a"], content="Thường xuyên", deadline_kind="recurring",
        due=date(2025, 9, 30),
    )  # fmt: skip
    make_task(
        plan, tree["dept_a"], content="Hằng năm", deadline_kind="year", recurrence="yearly",
        due=date(2025, 9, 30),
    )  # fmt: skip
    counts = {
        day: send_plan_reminders(day)
        for day in (date(2025, 8, 31), date(2025, 9, 1), date(2025, 9, 23), date(2025, 10, 1))
    }
    assert [c["reminders"] for c in counts.values()] == [1, 0, 1, 0]
    assert counts[date(2025, 10, 1)]["overdue"] == 1
    assert counts[date(2025, 10, 1)]["escalations"] == 2
    reminders = inbox(people["lead"], "reminder")
    assert {("còn 30 ngày" in n.body, "còn 7 ngày" in n.body) for n in reminders} == {
        (True, False),
        (False, True),
    }
    for n in reminders:
        assert "Thường xuyên" not in n.body and "Hằng năm" not in n.body
        assert n.url == task.get_absolute_url()
    (late,) = inbox(people["lead"], "overdue")
    assert "hạn hoàn thành 30/09/2025, đã quá 1 ngày" in late.body
    assert {n.recipient for n in Notification.objects.filter(kind="escalation")} == {
        people["monitor"],
        people["lead_leader"],
    }
    # Done: no more notices.
    task.done_on = date(2025, 10, 5)
    task.save()
    assert send_plan_reminders(date(2025, 10, 8))["notifications"] == 0


def test_recipients_are_found_at_the_nearest_ancestor(tree, make_staff):
    city_coordinator = make_staff("plan_coordinator", tree["city"])
    inactive = make_staff("plan_coordinator", tree["unit_a1"], is_active=False)
    # Nobody (active) at unit_a1 or dept_a: the city's coordinator.
    assert recipients_for(tree["unit_a1"], "plan_coordinator") == [city_coordinator]
    dept = make_staff("plan_coordinator", tree["dept_a"])
    assert recipients_for(tree["unit_a1"], "plan_coordinator") == [dept]
    unit = make_staff("plan_coordinator", tree["unit_a1"])
    assert recipients_for(tree["unit_a1"], "plan_coordinator") == [unit]
    assert inactive not in recipients_for(tree["unit_a1"], "plan_coordinator")
    # A role is looked up by itself: an HR officer at the unit is nobody's coordinator.
    assert recipients_for(tree["unit_b1"], "plan_coordinator") == [city_coordinator]
    assert recipients_for(tree["unit_b1"], "leader") == []


def test_a_unit_without_its_own_coordinator_is_reminded_through_its_parent(tree, people, plan):
    make_task(plan, tree["unit_a1"])
    send_plan_reminders(date(2025, 6, 23))
    assert len(inbox(people["lead"], "reminder")) == 1


def test_coordinating_agencies_are_reminded_for_their_part(tree, people, plan, make_staff):
    part = make_staff("plan_coordinator", tree["unit_b1"])
    task = make_task(plan, tree["dept_a"])
    task.coordinators.add(tree["unit_b1"])
    period = period_for(plan, "quarter", Q2_DUE)
    TaskReport.objects.create(
        task=task, period=period, organization=tree["dept_a"], done="x", status="submitted"
    )
    send_plan_reminders(date(2025, 6, 29))
    assert inbox(people["lead"]) == []  # the lead agency has sent its report
    (note,) = inbox(part, "reminder")
    assert "(phối hợp)" in note.body
    # Late: the coordinating agency is told, and the escalation reaches the monitoring
    # agency's coordinators, the leaders of the lead agency and those of the coordinating
    # agency (unit_b1 has none: dept_b's).
    send_plan_reminders(date(2025, 7, 1))
    assert len(inbox(part, "overdue")) == 1
    assert {n.recipient for n in Notification.objects.filter(kind="escalation")} == {
        people["monitor"],
        people["lead_leader"],
        people["monitor_leader"],
    }
    assert people["city_leader"] not in {n.recipient for n in Notification.objects.all()}


def test_reports_due_after_the_period_end_are_followed(tree, people, plan):
    plan.report_due_days = 15  # the quarter's report is due 15 days after it ends
    plan.save()
    make_task(plan, tree["dept_a"])
    send_plan_reminders(date(2025, 7, 8))  # 7 days before 15/7, in the next quarter
    (note,) = inbox(people["lead"], "reminder")
    assert "Báo cáo Quý 2/2025, hạn 15/07/2025, còn 7 ngày" in note.body
    assert ReportingPeriod.objects.filter(document=plan, kind="quarter").count() == 2


def test_periods_before_the_plan_was_issued_are_not_asked_for(tree, people, plan):
    plan.issued_on = date(2025, 7, 10)
    plan.save()
    make_task(plan, tree["dept_a"])
    period_for(plan, "quarter", Q2_DUE)
    assert send_plan_reminders(date(2025, 7, 15))["notifications"] == 0


def test_emails_go_to_each_recipient_in_vietnamese_with_the_link(
    tree, people, plan, settings, django_capture_on_commit_callbacks
):
    settings.TRITHUC_SITE_URL = "https://trithuc.example.vn/"
    people["lead_leader"].email = ""
    people["lead_leader"].save()
    task = make_task(plan, tree["dept_a"])
    period_for(plan, "quarter", Q2_DUE)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_plan_reminders(date(2025, 7, 1))
    assert result["emails"] == 2  # the leader without an address gets no e-mail
    by_address = {m.to[0]: m for m in mail.outbox}
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert set(by_address) == {people["lead"].email, people["monitor"].email}
    late = by_address[people["lead"].email]
    assert late.subject.startswith("[Trí Thức] Quá hạn: 1 việc")
    assert f"https://trithuc.example.vn{task.get_absolute_url()}" in late.body
    assert "Kính gửi" in late.body and "Xây dựng cơ sở dữ liệu trí thức" in late.body
    assert by_address[people["monitor"].email].subject.startswith("[Trí Thức] Đôn đốc")
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert set(emailed.values_list("recipient", flat=True)) == {
        people["lead"].pk,
        people["monitor"].pk,
    }
    assert Notification.objects.get(recipient=people["lead_leader"]).emailed_at is None


def test_the_command_prints_the_counts(tree, people, plan):
    make_task(plan, tree["dept_a"])
    out = StringIO()
    call_command("send_plan_reminders", "--date", "2025-06-23", stdout=out)
    assert json.loads(out.getvalue()) == {
        "date": "2025-06-23",
        "reminders": 1,
        "overdue": 0,
        "escalations": 0,
        "notifications": 1,
        "emails": 1,
        "dry_run": False,
    }
    out = StringIO()
    call_command("send_plan_reminders", "--date", "2025-06-23", stdout=out)
    assert json.loads(out.getvalue())["notifications"] == 0


def test_a_dry_run_counts_and_writes_nothing(tree, people, plan):
    make_task(plan, tree["dept_a"])
    out = StringIO()
    call_command("send_plan_reminders", "--date", "2025-06-29", "--dry-run", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["reminders"], result["dry_run"]) == (1, True)
    assert not Notification.objects.exists()
    assert not ReportingPeriod.objects.exists()


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_plan_reminders", "--date", "30/06/2025")


# ---- the reporting workflow's notifications ----------------------------------------------------


def test_monitoring_agency_hears_of_a_report_and_the_lead_agency_of_its_review(
    tree, people, plan, client_for, django_capture_on_commit_callbacks
):
    task = make_task(plan, tree["dept_a"])
    lead, monitor = client_for(people["lead"]), client_for(people["monitor"])
    url = reverse("plans:task_report", args=[task.pk]) + "?period=quarter"
    data = {"progress": "40", "done": "Đã khảo sát.", "action": "submit"}
    with django_capture_on_commit_callbacks(execute=True):
        assert lead.post(url, data).status_code == 302
    (submitted,) = inbox(people["monitor"], "report_submitted")
    assert "Sở Nội vụ đã gửi báo cáo" in submitted.title
    assert submitted.url == task.get_absolute_url()
    assert inbox(people["lead"]) == []
    assert [m.to for m in mail.outbox] == [[people["monitor"].email]]

    report = TaskReport.objects.get()
    review = reverse("plans:report_review", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        monitor.post(review, {"action": "return", "note": "Bổ sung số liệu khảo sát."})
    (returned,) = inbox(people["lead"], "report_returned")
    assert "bị trả lại" in returned.title and "Bổ sung số liệu khảo sát." in returned.body

    with django_capture_on_commit_callbacks(execute=True):
        lead.post(url, {**data, "progress": "50"})
    with django_capture_on_commit_callbacks(execute=True):
        monitor.post(review, {"action": "accept"})
    assert len(inbox(people["monitor"], "report_submitted")) == 2  # sent again: told again
    (accepted,) = inbox(people["lead"], "report_accepted")
    assert "đã được chấp nhận" in accepted.title

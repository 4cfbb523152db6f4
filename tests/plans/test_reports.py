"""Periodic reporting: the lead agency reports, the monitoring agency accepts or returns."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trithuc.core.models import AuditEvent
from trithuc.plans.models import PlanDocument, PlanTask, TaskReport
from trithuc.plans.services import period_bounds

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("quarter", date(2025, 5, 17), (date(2025, 4, 1), date(2025, 6, 30))),
        ("quarter", date(2025, 12, 31), (date(2025, 10, 1), date(2025, 12, 31))),
        ("half", date(2025, 6, 30), (date(2025, 1, 1), date(2025, 6, 30))),
        ("half", date(2025, 7, 1), (date(2025, 7, 1), date(2025, 12, 31))),
        ("year", date(2024, 2, 29), (date(2024, 1, 1), date(2024, 12, 31))),
    ],
)
def test_period_bounds(kind, day, expected):
    assert period_bounds(kind, day) == expected


@pytest.fixture
def task(tree):
    document = PlanDocument.objects.create(
        kind="plan", number="133/KH-UBND", title="Kế hoạch", organization=tree["dept_b"]
    )
    return PlanTask.objects.create(
        document=document,
        content="Xây dựng cơ sở dữ liệu trí thức",
        lead=tree["dept_a"],
        lead_text="Sở Nội vụ",
        deadline_kind="year",
        due=date(2099, 12, 31),
    )


def test_lead_agency_reports_and_monitoring_agency_accepts(tree, make_staff, client_for, task):
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=quarter"
    assert lead.get(url).status_code == 200
    data = {"progress": "100", "done": "Đã đưa cơ sở dữ liệu vào vận hành.", "action": "submit"}
    assert lead.post(url, data).status_code == 302
    report = TaskReport.objects.get()
    assert report.status == "submitted" and report.organization == tree["dept_a"]
    # Sent: no more changes by the agency.
    lead.post(url, {**data, "done": "Sửa sau khi gửi"})
    report.refresh_from_db()
    assert report.done == "Đã đưa cơ sở dữ liệu vào vận hành."

    review = reverse("plans:report_review", args=[report.pk])
    assert lead.post(review, {"action": "accept"}).status_code == 403  # not the monitor
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    page = monitor.get(task.get_absolute_url()).content.decode()
    assert "Đã đưa cơ sở dữ liệu vào vận hành." in page and "Chấp nhận" in page
    assert monitor.post(review, {"action": "accept"}).status_code == 302
    task.refresh_from_db()
    report.refresh_from_db()
    assert report.status == "accepted" and task.progress == 100 and task.done_on is not None
    assert task.status() == "done"
    assert AuditEvent.objects.filter(kind="object_changed", object_id=str(report.pk)).count() == 2


def test_a_returned_report_needs_a_reason_and_can_be_sent_again(tree, make_staff, client_for, task):
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=year"
    lead.post(url, {"progress": "30", "done": "Đang khảo sát.", "action": "submit"})
    report = TaskReport.objects.get()
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    review = reverse("plans:report_review", args=[report.pk])
    monitor.post(review, {"action": "return", "note": ""})
    report.refresh_from_db()
    assert report.status == "submitted"  # refused: no reason given
    monitor.post(review, {"action": "return", "note": "Bổ sung số liệu khảo sát."})
    report.refresh_from_db()
    assert report.status == "returned"
    assert "Bổ sung số liệu khảo sát." in lead.get(url).content.decode()
    lead.post(url, {"progress": "40", "done": "Đã bổ sung số liệu.", "action": "submit"})
    report.refresh_from_db()
    assert (report.status, report.progress) == ("submitted", 40)
    task.refresh_from_db()
    assert task.progress == 0  # only an accepted report moves the task


def test_bad_report_input_is_refused_on_the_field(tree, make_staff, client_for, task):
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=quarter"
    response = lead.post(url, {"progress": "150", "done": "", "action": "submit"})
    assert response.status_code == 400
    assert not TaskReport.objects.exists()
    assert (
        lead.get(reverse("plans:task_report", args=[task.pk]) + "?period=week").status_code == 404
    )


def test_other_agencies_cannot_report(tree, make_staff, client_for, task):
    other = client_for(make_staff("plan_coordinator", tree["unit_b1"]))
    assert other.get(reverse("plans:task_report", args=[task.pk])).status_code == 404
    hr = client_for(make_staff("hr_officer", tree["dept_a"]))
    assert hr.get(reverse("plans:task_report", args=[task.pk])).status_code == 403


def test_evidence_files_are_downloaded_by_those_who_see_the_report(
    tree, make_staff, client_for, task, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=year"
    files = [
        SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", "application/pdf"),
        SimpleUploadedFile("anh-hop.jpg", b"\xff\xd8\xff anh", "image/jpeg"),
    ]
    data = {"progress": "50", "done": "Đã họp.", "evidence_files": files, "action": "draft"}
    assert lead.post(url, data).status_code == 302
    report = TaskReport.objects.get()
    assert sorted(report.evidence.values_list("name", flat=True)) == ["anh-hop.jpg", "bien-ban.pdf"]
    pdf = report.evidence.get(name="bien-ban.pdf")
    download = reverse("plans:report_evidence", args=[pdf.pk])
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    assert lead.get(download).status_code == 200
    assert monitor.get(download).status_code == 404  # a draft's files are its agency's own
    # The draft is corrected: one file removed (from the disk too), then sent.
    jpg = report.evidence.get(name="anh-hop.jpg")
    jpg_path = Path(jpg.file.path)
    assert jpg_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(url, {"progress": "60", "done": "Đã họp.", "remove_evidence": [jpg.pk],
                        "action": "submit"})  # fmt: skip
    assert not jpg_path.exists()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert list(report.evidence.values_list("name", flat=True)) == ["bien-ban.pdf"]
    for client in (lead, monitor):
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
    assert "bien-ban.pdf" in monitor.get(task.get_absolute_url()).content.decode()
    stranger = client_for(make_staff("plan_coordinator", tree["unit_b1"]))
    assert stranger.get(download).status_code == 404


def test_evidence_of_the_wrong_type_or_size_is_refused_by_name(
    tree, make_staff, client_for, task, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=year"
    big = SimpleUploadedFile("so-lieu.xlsx", b"0" * (10 * 1024 * 1024 + 1))
    exe = SimpleUploadedFile("cai-dat.exe", b"MZ")
    response = lead.post(url, {"progress": "10", "done": "x", "evidence_files": [big, exe]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp “so-lieu.xlsx” nặng 10.0 MB" in page and "Tệp “cai-dat.exe”" in page
    assert not TaskReport.objects.exists()


def test_coordinating_agency_adds_its_part(tree, make_staff, client_for, task):
    task.coordinators.add(tree["unit_b1"])
    part_author = make_staff("plan_coordinator", tree["unit_b1"])
    coordinator = client_for(part_author)
    # The coordinating agency sees the task (it is not in its subtree otherwise).
    page = coordinator.get(task.get_absolute_url())
    assert page.status_code == 200
    assert f"org={tree['unit_b1'].pk}" in page.content.decode()
    url = reverse("plans:task_report", args=[task.pk]) + f"?period=year&org={tree['unit_b1'].pk}"
    form = coordinator.get(url).content.decode()
    assert "phần phối hợp" in form and 'name="progress"' not in form
    coordinator.post(url, {"done": "Đã cung cấp số liệu.", "action": "submit"})
    part = TaskReport.objects.get()
    assert part.organization == tree["unit_b1"] and not part.is_lead_report
    # Accepting a part does not move the task.
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    monitor.post(reverse("plans:report_review", args=[part.pk]), {"action": "accept"})
    part.refresh_from_db()
    task.refresh_from_db()
    assert part.status == "accepted" and task.progress == 0
    # The lead agency reads the part; an agency outside both does not see the task.
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    assert "Đã cung cấp số liệu." in lead.get(task.get_absolute_url()).content.decode()
    assert (
        client_for(make_staff("leader", tree["unit_a1"])).get(task.get_absolute_url()).status_code
        == 404
    )


def test_tasks_seen_through_several_coordinators_are_listed_once(tree, make_staff, task):
    task.coordinators.add(tree["unit_a1"], tree["unit_b1"], tree["dept_b"])
    user = make_staff("leader", tree["city"])
    assert list(PlanTask.objects.restrict(user, "view")) == [task]
    staff_b1 = make_staff("leader", tree["unit_b1"])
    assert PlanTask.objects.restrict(staff_b1, "view").count() == 1


def test_report_due_date_and_periods_follow_the_plan(tree, make_staff, client_for, task):
    from trithuc.plans.services import period_for

    document = task.document
    document.report_periods = ["half"]
    document.report_due_days = -15
    document.save()
    period = period_for(document, "half", date(2025, 5, 1))
    assert (period.start, period.end, period.due) == (
        date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 15)
    )  # fmt: skip
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    base = reverse("plans:task_report", args=[task.pk])
    assert lead.get(base + "?period=quarter").status_code == 404
    assert lead.get(base).status_code == 200  # the plan's first kind: half-year


def test_cancel_restore_and_confirm_a_task(tree, make_staff, client_for, task):
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    cancel = reverse("plans:task_cancel", args=[task.pk])
    monitor.post(cancel, {"reason": ""})
    task.refresh_from_db()
    assert not task.cancelled  # a reason is required
    monitor.post(cancel, {"reason": "Thay bằng nhiệm vụ 3 của Kế hoạch 200/KH-UBND."})
    task.refresh_from_db()
    assert task.cancelled and task.status() == "cancelled"
    assert "Kế hoạch 200/KH-UBND" in monitor.get(task.get_absolute_url()).content.decode()
    # A cancelled task takes no reports.
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    assert lead.get(reverse("plans:task_report", args=[task.pk])).status_code == 403
    monitor.post(reverse("plans:task_restore", args=[task.pk]))
    task.refresh_from_db()
    assert not task.cancelled and task.cancelled_reason == ""
    # Only the monitoring agency may do this; the lead agency may not.
    assert lead.post(cancel, {"reason": "x"}).status_code == 404
    task.proposed = True
    task.save()
    monitor.post(reverse("plans:task_confirm", args=[task.pk]))
    task.refresh_from_db()
    assert not task.proposed
    kinds = list(
        AuditEvent.objects.filter(object_id=str(task.pk)).values_list("details", flat=True)
    )
    assert {"cancelled", "restored", "confirmed"} <= {d.get("source") for d in kinds}


def test_last_period_is_reported_after_it_ends_until_it_is_sent(tree, make_staff, client_for, task):
    from unittest import mock

    document = task.document
    document.report_periods = ["quarter"]
    document.report_due_days = 15
    document.save()
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    july = date(2026, 7, 10)
    with mock.patch("django.utils.timezone.localdate", return_value=july):
        page = lead.get(task.get_absolute_url()).content.decode()
        assert "Báo cáo Quý 2/2026 (chưa gửi)" in page
        url = reverse("plans:task_report", args=[task.pk])
        second = url + f"?period=quarter&start=2026-04-01&org={tree['dept_a'].pk}"
        form = lead.get(second)
        assert form.status_code == 200 and "15/07/2026" in form.content.decode()
        lead.post(second, {"progress": "40", "done": "Đã khảo sát.", "action": "submit"})
        report = TaskReport.objects.get()
        assert (report.period.start, report.period.due) == (date(2026, 4, 1), date(2026, 7, 15))
        # Sent: the closed period is no longer offered nor opened.
        assert "Quý 2/2026 (chưa gửi)" not in lead.get(task.get_absolute_url()).content.decode()
        assert lead.get(second).status_code == 404
        # A period further back is never open.
        assert lead.get(url + "?period=quarter&start=2026-01-01").status_code == 404


def test_a_draft_is_seen_only_by_its_agency(tree, make_staff, client_for, task):
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=year"
    lead.post(url, {"progress": "10", "done": "Bản nháp nội bộ.", "action": "draft"})
    assert "Bản nháp nội bộ." in lead.get(task.get_absolute_url()).content.decode()
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    assert "Bản nháp nội bộ." not in monitor.get(task.get_absolute_url()).content.decode()


def test_changing_the_due_days_moves_open_periods(tree, make_staff, client_for, task):
    from trithuc.plans.services import period_for

    period = period_for(task.document, "year", date(2026, 3, 1))
    assert period.due == date(2026, 12, 31)
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    response = client.post(
        reverse("plans:document_edit", args=[task.document.pk]),
        {"kind": "plan", "number": "133/KH-UBND", "title": "Kế hoạch", "organization": "DEPT_B",
         "report_periods": ["year"], "report_due_days": "-10"},
    )  # fmt: skip
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due == date(2026, 12, 21)


def test_an_older_unsent_period_stays_open_while_reminders_ask_for_it(
    tree, make_staff, client_for, task
):
    from unittest import mock

    from trithuc.plans.services import period_for

    document = task.document
    document.report_periods = ["quarter"]
    document.save()
    period_for(document, "quarter", date(2026, 1, 15))  # opened back then by the reminders
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 7, 10)):
        page = lead.get(task.get_absolute_url()).content.decode()
        assert "Báo cáo Quý 1/2026 (chưa gửi)" in page
        assert "Báo cáo Quý 2/2026 (chưa gửi)" in page
        url = reverse("plans:task_report", args=[task.pk]) + "?period=quarter&start=2026-01-01"
        assert lead.get(url).status_code == 200
        # A quarter never opened and not the last one is not offered.
        assert "Quý 4/2025" not in page


def test_task_page_queries_do_not_grow_with_the_reporting_agencies(
    tree, make_staff, client_for, task
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task.document.report_periods = ["quarter", "half", "year"]
    task.document.save()
    client = client_for(make_staff("plan_coordinator", tree["city"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(task.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    alone = queries()
    task.coordinators.add(tree["unit_a1"], tree["dept_b"], tree["unit_b1"])
    page = client.get(task.get_absolute_url()).content.decode()
    assert all(f"org={tree[k].pk}" in page for k in ("dept_a", "unit_a1", "dept_b", "unit_b1"))
    # The coordinators' names are one more query (prefetch); the periods are not per agency.
    assert queries() <= alone + 1


def test_looking_at_a_report_form_opens_no_period(tree, make_staff, client_for, task):
    from trithuc.plans.models import ReportingPeriod

    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    form = lead.get(reverse("plans:task_report", args=[task.pk]) + "?period=year")
    assert form.status_code == 200 and "31/12/" in form.content.decode()
    assert not ReportingPeriod.objects.exists()

"""Periodic reporting: the lead agency reports, the monitoring agency accepts or returns."""

from datetime import date

import pytest
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


def test_evidence_is_downloaded_by_those_who_see_the_report(
    tree, make_staff, client_for, task, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    url = reverse("plans:task_report", args=[task.pk]) + "?period=year"
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", "application/pdf")
    lead.post(url, {"progress": "50", "done": "Đã họp.", "evidence": evidence, "action": "submit"})
    report = TaskReport.objects.get()
    download = reverse("plans:report_evidence", args=[report.pk])
    monitor = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    for client in (lead, monitor):
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
    assert "Tải tài liệu minh chứng" in monitor.get(task.get_absolute_url()).content.decode()
    stranger = client_for(make_staff("plan_coordinator", tree["unit_b1"]))
    assert stranger.get(download).status_code == 404

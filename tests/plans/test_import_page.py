"""Importing a plan through the web: upload, read (a job), review the agency names, write."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trithuc.core.models import Job
from trithuc.plans import importing
from trithuc.plans.models import PlanDocument, PlanTask

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "corpus" / "seeds" / "001_29bde5dc7e6a600c.txt"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _run_jobs(monkeypatch):
    """Jobs are queued once the request's transaction commits: run them there and then."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def upload(client, tree, name="ke-hoach.txt", content=None, **extra):
    data = {
        "file": SimpleUploadedFile(name, SEED.read_bytes() if content is None else content),
        "organization": "DEPT_B",
        "kind": "plan",
        "number": "133/KH-UBND",
        "title": "Kế hoạch thực hiện Chương trình 25-CTr/TU",
        "issued_on": "2024-04-15",
        **extra,
    }
    return client.post(reverse("plans:import"), data)


def test_upload_review_choose_and_write(tree, make_staff, client_for):
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    assert client.get(reverse("plans:import")).status_code == 200
    response = upload(client, tree)
    assert response.status_code == 302
    job = Job.objects.get(kind="plans.import_check")
    assert job.status == "succeeded", job.message
    assert job.result["tasks"] == 30
    assert not PlanDocument.objects.exists()  # nothing written before the review
    review_url = job.result["next_url"]
    page = client.get(review_url).content.decode()
    assert "30" in page and "Xem lại kế hoạch trước khi ghi" in page
    upload_id = review_url.rstrip("/").rsplit("/", 1)[-1]
    meta = importing.UPLOADS.get(upload_id)[1]
    names = [entry["text"] for entry in meta["report"]["agencies_to_review"]]
    assert names, "the small test tree leaves agency names to choose"
    # The coordinator settles the first name as Trung tâm Lưu trữ; the rest stay as written.
    response = client.post(review_url, {"agency_0": "UNIT_A1", "action": "commit"})
    assert response.status_code == 302
    commit_job = Job.objects.get(kind="plans.import_commit")
    assert commit_job.status == "succeeded", commit_job.message
    document = PlanDocument.objects.get()
    assert (document.number, document.organization, str(document.issued_on)) == (
        "133/KH-UBND", tree["dept_b"], "2024-04-15"
    )  # fmt: skip
    assert document.tasks.count() == 30 and document.sections.count() == 5
    chosen = PlanTask.objects.filter(document=document, lead=tree["unit_a1"])
    assert chosen.exists()
    assert all(names[0] in (t.lead_text, t.coordinators_text) or t.lead_id for t in chosen)
    assert importing.UPLOADS.get(upload_id) is None  # removed once written
    # Importing the same document again is refused, nothing doubled.
    upload(client, tree)
    check = Job.objects.filter(kind="plans.import_check").latest("pk")
    again = check.result["next_url"]
    client.post(again, {"action": "commit"})
    failed = Job.objects.filter(kind="plans.import_commit").latest("pk")
    assert failed.status == "failed" and "đã được nhập" in failed.message
    assert PlanTask.objects.count() == 30


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0", "lưu lại thành .docx"),
        ("ke-hoach.txt", b"", "rỗng"),
        ("ke-hoach.pdf", b"%PDF-1.4", "không phải loại chương trình đọc được"),
    ],
)
def test_files_the_importer_cannot_take_are_refused_on_the_form(
    tree, make_staff, client_for, name, content, message
):
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    response = upload(client, tree, name=name, content=content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_an_unreadable_file_fails_the_job_with_a_message(tree, make_staff, client_for):
    client = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    upload(client, tree, name="ke-hoach.docx", content=b"PK\x03\x04 not really a zip")
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.message and "Lỗi hệ thống" not in job.message
    assert not PlanDocument.objects.exists()


def test_only_plan_coordinators_import_and_only_the_uploader_reviews(tree, make_staff, client_for):
    hr = client_for(make_staff("hr_officer", tree["dept_b"]))
    assert hr.get(reverse("plans:import")).status_code == 403
    owner = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    upload(owner, tree)
    review_url = Job.objects.get().result["next_url"]
    other = client_for(make_staff("plan_coordinator", tree["dept_b"]))
    assert other.get(review_url).status_code == 404
    assert owner.get(reverse("plans:import_review", args=["x" * 32])).status_code == 404
    # A monitoring agency outside the user's scope is refused on the field.
    response = upload(owner, tree, organization="DEPT_A")
    assert response.status_code == 400


def test_document_and_task_editing(tree, make_staff, client_for):
    coordinator = make_staff("plan_coordinator", tree["dept_b"])
    client = client_for(coordinator)
    response = client.post(
        reverse("plans:document_add"),
        {"kind": "plan", "number": "12/KH-UBND", "title": "Kế hoạch thử", "issuing_body": "UBND",
         "issued_on": "2025-02-01", "organization": "DEPT_B", "report_periods": ["half", "year"],
         "report_due_days": "-10"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    document = PlanDocument.objects.get()
    assert document.report_periods == ["half", "year"] and document.report_due_days == -10
    add = reverse("plans:task_add", args=[document.pk])
    bad = client.post(
        add,
        {"content": "Điều tra", "lead": "DEPT_A", "deadline_kind": "date",
         "coordinator_list": "UNIT_B1\nBan Không Có Thật", "is_public": "on"},
    )  # fmt: skip
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Mục 2 “Ban Không Có Thật”" in page and "cần ngày hoàn thành" in page
    good = client.post(
        add,
        {"content": "Điều tra", "lead": "DEPT_A", "deadline_kind": "recurring",
         "recurrence": "yearly", "yearly_month": "12", "yearly_day": "15",
         "coordinator_list": "UNIT_B1\nCác sở, ban, ngành", "is_public": "on"},
    )  # fmt: skip
    assert good.status_code == 302, good.content.decode()[:3000]
    task = PlanTask.objects.get()
    assert task.lead == tree["dept_a"] and list(task.coordinators.all()) == [tree["unit_b1"]]
    assert task.coordinator_groups == ["all_departments"]
    assert (task.yearly_month, task.yearly_day) == (12, 15)
    edit = client.get(reverse("plans:task_edit", args=[task.pk])).content.decode()
    assert "UNIT_B1 · Trung tâm Thông tin KH&amp;CN" in edit
    bad_day = client.post(
        reverse("plans:task_edit", args=[task.pk]),
        {"content": "Điều tra", "lead": "DEPT_A", "deadline_kind": "recurring",
         "recurrence": "yearly", "yearly_month": "2", "yearly_day": "30"},
    )  # fmt: skip
    assert bad_day.status_code == 400 and "30/2" in bad_day.content.decode()
    # A document cannot implement itself.
    response = client.post(
        reverse("plans:document_edit", args=[document.pk]),
        {"kind": "plan", "title": "Kế hoạch thử", "organization": "DEPT_B",
         "report_periods": ["year"], "report_due_days": "0", "parent": document.pk},
    )  # fmt: skip
    assert response.status_code == 400
    # The lead agency cannot edit the monitoring agency's plan.
    lead = client_for(make_staff("plan_coordinator", tree["dept_a"]))
    assert lead.get(reverse("plans:task_edit", args=[task.pk])).status_code == 404
    assert lead.get(reverse("plans:document_edit", args=[document.pk])).status_code == 404

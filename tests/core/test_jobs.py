"""Jobs: a Job row with progress and result, run by the task backend, shown on a polled page."""

from django.urls import reverse

from trithuc.core.choices import JobStatus
from trithuc.core.jobs import JobError, job_enqueue, job_progress, job_task
from trithuc.core.models import Job


@job_task
def count_to(job, *, n):
    for i in range(1, n + 1):
        job_progress(job, done=i, total=n)
    return {"summary": f"Đã đếm đến {n}."}


@job_task
def refuse(job):
    raise JobError("Tệp không đọc được: hãy lưu lại dưới dạng .xlsx rồi tải lên lại.")


@job_task
def crash(job):
    raise RuntimeError("boom")


def test_job_runs_after_commit_and_records_progress_and_result(
    tree, make_staff, client_for, django_capture_on_commit_callbacks
):
    user = make_staff("hr_officer", tree["dept_a"])
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(count_to, acting_user=user, title="Đếm", n=5)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"summary": "Đã đếm đến 5."}
    assert job.task_id
    page = client_for(user).get(reverse("core:job_detail", args=[job.pk]))
    html = page.content.decode()
    assert "Đã đếm đến 5." in html
    assert "hx-trigger" not in html  # finished: the page stops polling


def test_running_job_page_polls(tree, make_staff, client_for):
    user = make_staff("hr_officer", tree["dept_a"])
    job = Job.objects.create(
        kind="x", title="Đang chạy", created_by=user, status=JobStatus.RUNNING, done=2, total=8
    )
    client = client_for(user)
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="25"' in html
    fragment = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content
    assert b"job-progress" in fragment.content


def test_user_facing_failure_keeps_its_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(refuse, acting_user=None, title="Nhập")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "hãy lưu lại" in job.message


def test_unexpected_failure_gives_a_vietnamese_message_without_internals(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(crash, acting_user=None, title="Nhập")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "boom" not in job.message
    assert str(job.pk) in job.message


def test_another_users_job_is_404(tree, make_staff, client_for):
    owner = make_staff("hr_officer", tree["dept_a"])
    other = make_staff("hr_officer", tree["dept_a"])
    job = Job.objects.create(kind="x", title="Của người khác", created_by=owner)
    assert client_for(other).get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_a_job_is_polled_through_the_api(tree, make_staff):
    from rest_framework.test import APIClient

    user = make_staff("hr_officer", tree["dept_a"])
    job = Job.objects.create(
        kind="x", title="Nhập", created_by=user, done=3, total=4, status=JobStatus.RUNNING
    )
    api = APIClient()
    api.force_authenticate(user)
    data = api.get(f"/api/jobs/{job.pk}/").json()
    assert (data["status"], data["percent"]) == ("running", 75)
    assert [j["id"] for j in api.get("/api/jobs/").json()["results"]] == [job.pk]


def test_administrative_units_api_searches_accent_insensitively(tree, make_staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_staff("leader", tree["dept_a"]))
    data = api.get("/api/administrative-units/", {"q": "hoan kiem", "level": "commune"}).json()
    assert [u["code"] for u in data["results"]] == ["00070"]


def test_a_job_queued_for_long_says_the_worker_may_be_down(tree, make_staff, client_for):
    from datetime import timedelta

    from django.utils import timezone

    user = make_staff("hr_officer", tree["dept_a"])
    job = Job.objects.create(kind="x", title="Chờ", created_by=user)
    page = client_for(user).get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "tiến trình xử lý nền" not in page
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = client_for(user).get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "tiến trình xử lý nền chưa chạy" in page

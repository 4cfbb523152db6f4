"""Background jobs: a Job row the page polls, run by a Django task.

@job_task
def organizations_import(job, *, path):
    job_progress(job, done=10, total=100)
    return {"created": 3}

job = job_enqueue(organizations_import, acting_user=user, title="...", path=...)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from .choices import JobStatus
from .models import Job

logger = logging.getLogger(__name__)


SYSTEM_ERROR = gettext_noop(
    "Lỗi hệ thống khi chạy công việc. Hãy báo quản trị hệ thống (mã công việc %(id)s)."
)


class JobError(Exception):
    """A failure whose message is meant for the user (Vietnamese, says what to do)."""


def job_task(fn: Callable[..., dict[str, Any]]) -> Any:
    """Turn `fn(job, **kwargs) -> result` into a task that keeps its Job row up to date."""

    @functools.wraps(fn)
    def runner(job_id: int, **kwargs: Any) -> None:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
        )
        job = Job.objects.get(pk=job_id)
        try:
            result = fn(job, **kwargs)
        except JobError as exc:
            _finish(job_id, JobStatus.FAILED, str(exc), {})
            return
        except Exception:
            logger.exception("Job %s failed", job_id)
            _finish(
                job_id,
                JobStatus.FAILED,
                _(SYSTEM_ERROR) % {"id": job_id},
                {},
            )
            return
        _finish(job_id, JobStatus.SUCCEEDED, "", result or {})

    return task()(runner)


def _finish(job_id: int, status: str, message: str, result: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if message:
        fields["message"] = message[:500]
    if result:
        fields["result"] = result
    Job.objects.filter(pk=job_id).update(**fields)


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Record progress without touching history (an UPDATE, not a save)."""
    fields: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
        job.total = total
    if message:
        fields["message"] = message[:500]
        job.message = message
    job.done = done
    Job.objects.filter(pk=job.pk).update(**fields)


def job_enqueue(
    task_obj: Any,
    *,
    acting_user: Any,
    title: str,
    kind: str = "",
    organization: Any = None,
    **kwargs: Any,
) -> Job:
    """Create the Job row and queue its task once the surrounding transaction commits."""
    job = Job.objects.create(
        kind=kind or task_obj.name,
        title=Truncator(title).chars(255),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        organization=organization,
        params={k: v for k, v in kwargs.items() if isinstance(v, str | int | float | bool)},
    )

    def _queue() -> None:
        result = task_obj.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(_queue)
    return job

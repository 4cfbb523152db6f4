"""Background work of the linkage: the search for duplicates, started from the review page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from trithuc.core.jobs import Job, JobError, job_progress, job_task
from trithuc.core.tabular import thousands

from . import services


@job_task
def link_people_job(job: Job, *, threshold: float) -> dict[str, Any]:
    """Run the linkage over the whole registry; the job's page shows its steps."""
    user = get_user_model().objects.filter(pk=job.created_by_id).first()
    steps = iter(range(1, 4))

    def progress(message: str) -> None:
        job_progress(job, done=next(steps, 3), total=4, message=message)

    try:
        run = services.run_linkage(threshold=threshold, acting_user=user, progress=progress)
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from exc
    return {
        "summary": _(
            "Đã so sánh %(records)s hồ sơ: %(pairs)s cặp nghi trùng (%(new)s cặp mới) trong "
            "%(clusters)s nhóm, gồm %(people)s người."
        )
        % {
            "records": thousands(run.records),
            "pairs": run.pairs,
            "new": run.new_pairs,
            "clusters": run.clusters,
            "people": run.people_in_clusters,
        },
        "run": run.pk,
        "next_url": reverse("linkage:queue"),
        "next_label": _("Xem danh sách hồ sơ trùng"),
    }

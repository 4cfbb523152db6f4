"""Pages of the action-plan tracker: the plans, one plan by section and by agency."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import F, Prefetch
from django.utils import timezone

from trithuc.core.views import generic

from .choices import TaskStatus
from .models import PlanDocument, PlanTask

# Red/amber/green of an agency: red with any overdue task, amber with tasks due within this
# many days and not done, green otherwise.
AMBER_DAYS = 30


class DocumentListView(generic.ObjectListView):
    queryset = PlanDocument.objects.select_related("organization", "parent")
    template_name = "plans/document_list.html"


class DocumentDetailView(generic.ObjectDetailView):
    queryset = PlanDocument.objects.select_related("organization", "parent")
    template_name = "plans/document_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        today = timezone.localdate()
        tasks = list(
            PlanTask.objects.filter(document=obj)
            .select_related("section", "lead")
            .prefetch_related(Prefetch("coordinators"))
            .order_by("order")
        )
        sections: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        by_agency: dict[str, Counter] = defaultdict(Counter)
        agency_rows: dict[str, Any] = {}
        for task in tasks:
            status = task.status(today)
            row = {"task": task, "status": status, "label": TaskStatus(status).label}
            sections[task.section].append(row)
            key = str(task.lead_id or task.lead_text)
            agency_rows[key] = task.lead or task.lead_text
            by_agency[key][status] += 1
            soon = task.due is not None and 0 <= (task.due - today).days <= AMBER_DAYS
            if soon and status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS):
                by_agency[key]["due_soon"] += 1
        agencies = []
        for key, counts in by_agency.items():
            colour = (
                "red" if counts[TaskStatus.OVERDUE] else "amber" if counts["due_soon"] else "green"
            )
            agencies.append(
                {
                    "agency": agency_rows[key],
                    "counts": counts,
                    "colour": colour,
                    "total": sum(v for k, v in counts.items() if k != "due_soon"),
                }
            )
        agencies.sort(
            key=lambda a: ({"red": 0, "amber": 1, "green": 2}[a["colour"]], str(a["agency"]))
        )
        ctx.update(
            today=today,
            sections=list(sections.items()),
            agencies=agencies,
            overdue=[
                r for rows in sections.values() for r in rows if r["status"] == TaskStatus.OVERDUE
            ],
            task_count=len(tasks),
        )
        return ctx


class TaskListView(generic.ObjectListView):
    """The tasks the user follows or leads, soonest deadline first: an agency's own list."""

    queryset = PlanTask.objects.select_related("document", "section", "lead").order_by(
        F("due").asc(nulls_last=True), "document_id", "order"
    )
    template_name = "plans/task_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["rows"] = [
            {"task": t, "status": (status := t.status(today)), "label": TaskStatus(status).label}
            for t in ctx["object_list"]
        ]
        return ctx

"""Two views of a plan's progress: the timeline for those who follow the plan, and the
public progress pages for anyone (the documents the city publishes, their public tasks)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core.views import generic

from .choices import DeadlineKind, TaskStatus
from .models import PlanDocument, PlanTask
from .timeline import Quarter, axis_for, bar_for

DONE_STATUSES = (TaskStatus.DONE, TaskStatus.DONE_LATE)


def _in_order(tasks: list[PlanTask]) -> list[PlanTask]:
    """By section (in the document's order; tasks outside any section last), then task."""
    return sorted(
        tasks,
        key=lambda t: (
            t.section is None,
            t.section.order if t.section else 0,
            t.section_id or 0,
            t.order,
            t.pk,
        ),
    )


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive rows of one section as one group (rows come in section order)."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        section = row["task"].section
        if not groups or groups[-1]["section"] != section:
            groups.append({"section": section, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _lead_key(task: PlanTask) -> str:
    # An agency matched to the tree by its id; one only written in the plan by its text.
    return str(task.lead_id) if task.lead_id else f"text:{task.lead_text}"


def _lead_name(task: PlanTask) -> str:
    if task.lead is not None:
        return task.lead.short_name or task.lead.name
    return task.lead_text or _("(không ghi cơ quan chủ trì)")


class DocumentTimelineView(generic.ObjectPermissionMixin, View):
    """A plan's tasks on a grid of quarters, by section, filtered by lead agency or status."""

    queryset = PlanDocument.objects.all()
    template_name = "plans/timeline.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_restricted_object(pk=pk)
        today = timezone.localdate()
        tasks = _in_order(
            list(PlanTask.objects.filter(document=document).select_related("section", "lead"))
        )
        axis = axis_for(issued_on=document.issued_on, tasks=tasks, today=today)
        leads: dict[str, str] = {}
        for task in tasks:
            leads.setdefault(_lead_key(task), _lead_name(task))
        lead = request.GET.get("lead", "")
        status = request.GET.get("status", "")
        lead = lead if lead in leads else ""
        status = status if status in TaskStatus.values else ""
        rows: list[dict[str, Any]] = []
        for task in tasks:
            task_status = task.status(today)
            if (lead and _lead_key(task) != lead) or (status and task_status != status):
                continue
            rows.append(
                {
                    "task": task,
                    "status": task_status,
                    "label": TaskStatus(task_status).label,
                    "lead_name": _lead_name(task),
                    "deadline": _deadline_text(task),
                    "bar": bar_for(task, axis=axis, issued_on=document.issued_on),
                }
            )
        context = {
            "object": document,
            "today": today,
            "axis": axis,
            "today_css": f"{axis.position(today):.3f}%" if axis.contains(today) else "",
            "groups": _grouped(rows),
            "shown": len(rows),
            "task_count": len(tasks),
            "lead_options": sorted(leads.items(), key=lambda item: item[1].lower()),
            "status_options": TaskStatus.choices,
            "lead": lead,
            "status": status,
            "lead_label": leads.get(lead, ""),
            "status_label": TaskStatus(status).label if status else "",
            "legend": [(s, TaskStatus(s).label) for s in TaskStatus.values],
            "column_count": 3 + 4 * len(axis.years),
        }
        return render(request, self.template_name, context)


# The public pages read only these fields: whatever else a task holds (import warnings,
# the reason for cancelling, the reports) never reaches them.
PUBLIC_TASK_FIELDS = (
    "id",
    "document",
    "section",
    "number",
    "order",
    "content",
    "lead",
    "lead_text",
    "deadline_kind",
    "due",
    "start",
    "deadline_text",
    "progress",
    "done_on",
    "cancelled",
)


def public_tasks() -> Any:
    """The tasks the public sees: those the coordinator has not hidden, confirmed (not
    proposed by the importer), of published documents."""
    return PlanTask.objects.filter(document__is_public=True, is_public=True, proposed=False).only(
        *PUBLIC_TASK_FIELDS
    )


def _summary(statuses: list[str]) -> dict[str, Any]:
    counts = Counter(statuses)
    counted = len(statuses) - counts[TaskStatus.CANCELLED]
    done = sum(counts[s] for s in DONE_STATUSES)
    return {
        "total": len(statuses),
        "counts": [(s, TaskStatus(s).label, counts[s]) for s in TaskStatus.values],
        "done": done,
        # Cancelled tasks are not work left to do: they count neither way.
        "percent_done": round(100 * done / counted) if counted else None,
    }


def _public_documents() -> Any:
    return PlanDocument.objects.filter(is_public=True).only(
        "id", "kind", "number", "title", "issuing_body", "issued_on"
    )


class PublicDocumentListView(View):
    """The plans the city publishes, each with its tasks counted by status: no sign-in."""

    template_name = "plans/public_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        documents = list(_public_documents())
        statuses: dict[int, list[str]] = {d.pk: [] for d in documents}
        for task in public_tasks().filter(document__in=documents):
            statuses[task.document_id].append(task.status(today))
        rows = [{"document": d, **_summary(statuses[d.pk])} for d in documents]
        context = {
            "rows": rows,
            "today": today,
            "status_columns": TaskStatus.choices,
        }
        return render(request, self.template_name, context)


class PublicDocumentDetailView(View):
    """One published plan: per section its public tasks with lead, deadline, status and
    progress; a document not published is "not found", whoever asks."""

    template_name = "plans/public_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            document = _public_documents().get(pk=pk)
        except PlanDocument.DoesNotExist as exc:
            raise Http404 from exc
        today = timezone.localdate()
        tasks = _in_order(
            list(
                public_tasks()
                .filter(document=document)
                .select_related("section", "lead")
                .only(
                    *PUBLIC_TASK_FIELDS,
                    "section__number",
                    "section__title",
                    "section__order",
                    "lead__name",
                )
            )
        )
        rows: list[dict[str, Any]] = []
        for task in tasks:
            status = task.status(today)
            rows.append(
                {
                    "task": task,
                    "status": status,
                    "label": TaskStatus(status).label,
                    "lead_name": task.lead.name if task.lead else task.lead_text,
                    "deadline": _deadline_text(task),
                    "progress": 100 if status in DONE_STATUSES else min(task.progress, 100),
                }
            )
        context = {
            "object": document,
            "today": today,
            "groups": _grouped(rows),
            **_summary([r["status"] for r in rows]),
        }
        return render(request, self.template_name, context)


def _deadline_text(task: PlanTask) -> str:
    """The deadline as the plan words it, else as its kind and date say, else the kind."""
    if task.deadline_text:
        return task.deadline_text
    if task.due is not None:
        if task.deadline_kind == DeadlineKind.QUARTER:
            return Quarter.of(task.due).label
        if task.deadline_kind == DeadlineKind.YEAR:
            return _("Năm %(year)s") % {"year": task.due.year}
        return task.due.strftime("%d/%m/%Y")
    return str(DeadlineKind(task.deadline_kind).label)

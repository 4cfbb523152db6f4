"""Pages of the action-plan tracker: the plans, one plan by section and by agency."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core.views import generic

from . import services
from .choices import PeriodKind, ReportStatus, TaskStatus
from .forms import TaskReportForm
from .models import PlanDocument, PlanTask, TaskReport

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


class TaskDetailView(generic.ObjectDetailView):
    """One task: its deadline and status, and the reports filed on it, period by period."""

    queryset = PlanTask.objects.select_related("document", "section", "lead")
    template_name = "plans/task_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        user = self.request.user
        status = obj.status()
        ctx.update(
            status={"status": status, "label": TaskStatus(status).label},
            reports=TaskReport.objects.restrict(user, "view")
            .filter(task=obj)
            .select_related("period", "organization", "reviewed_by"),
            may_report=services.may_report(user, obj),
            may_review=services.may_review(user, obj),
            period_kinds=PeriodKind.choices,
        )
        return ctx


class TaskReportView(generic.ObjectPermissionMixin, View):
    """The lead agency's report on a task for the current quarter, half-year or year:
    saved as a draft, then sent; a returned report is corrected and sent again."""

    queryset = PlanTask.objects.select_related("document", "lead")
    template_name = "plans/task_report.html"

    def setup_report(self, request: HttpRequest, pk: int) -> tuple[PlanTask, TaskReport]:
        task = self.get_restricted_object(pk=pk)
        if not services.may_report(request.user, task):
            raise PermissionDenied
        kind = request.GET.get("period", PeriodKind.QUARTER)
        if kind not in PeriodKind.values:
            raise Http404
        period = services.period_for(task.document, kind, timezone.localdate())
        report = TaskReport.objects.filter(task=task, period=period, organization=task.lead).first()
        return task, report or TaskReport(task=task, period=period, organization=task.lead)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task, report = self.setup_report(request, pk)
        return self.render_form(task, report, TaskReportForm(instance=report))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task, report = self.setup_report(request, pk)
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            messages.error(request, _("Báo cáo kỳ này đã gửi; không sửa được nữa."))
            return HttpResponseRedirect(task.get_absolute_url())
        form = TaskReportForm(request.POST, request.FILES, instance=report)
        if not form.is_valid():
            return self.render_form(task, report, form, status=400)
        report = form.save()
        if request.POST.get("action") == "submit":
            services.submit_report(report, user=request.user, request=request)
            messages.success(request, _("Đã gửi báo cáo %(period)s.") % {"period": report.period})
        else:
            messages.success(request, _("Đã lưu nháp báo cáo."))
        return HttpResponseRedirect(task.get_absolute_url())

    def render_form(self, task: Any, report: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"task": task, "report": report, "form": form}
        return render(self.request, self.template_name, context, status=status)


class ReportReviewView(generic.ObjectPermissionMixin, View):
    """POST: the monitoring agency accepts a report or returns it with a note."""

    queryset = TaskReport.objects.select_related("task", "period")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_restricted_object(pk=pk)
        if not services.may_review(request.user, report.task):
            raise PermissionDenied
        accept = request.POST.get("action") == "accept"
        try:
            services.review_report(
                report,
                accept=accept,
                note=request.POST.get("note", "")[:2000],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Đã chấp nhận báo cáo.") if accept else _("Đã trả lại báo cáo.")
            )
        return HttpResponseRedirect(report.task.get_absolute_url())


class ReportEvidenceView(generic.ObjectPermissionMixin, View):
    """A report's evidence file, for those who may see the report (never served as media)."""

    queryset = TaskReport.objects.all()

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_restricted_object(pk=pk)
        if not report.evidence:
            raise Http404
        try:
            handle = report.evidence.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        name = report.evidence.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)

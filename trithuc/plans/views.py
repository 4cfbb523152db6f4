"""Pages of the action-plan tracker: the plans, one plan by section and by agency."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core.views import generic

from . import services
from .choices import PeriodKind, ReportStatus, TaskStatus
from .forms import PlanDocumentForm, PlanTaskForm, TaskReportForm
from .models import PlanDocument, PlanTask, ReportEvidence, TaskReport

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
            proposed_count=sum(1 for t in tasks if t.proposed),
            unmatched_count=sum(1 for t in tasks if not t.lead_id and not t.lead_groups),
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

    queryset = PlanTask.objects.select_related("document", "section", "lead").prefetch_related(
        "coordinators"
    )
    template_name = "plans/task_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        user = self.request.user
        status = obj.status()
        reporting = services.reporting_organizations(user, obj)
        today = timezone.localdate()
        periods = services.open_periods_by_organization(obj, reporting, today)
        reporting_rows = [{"organization": org, "periods": periods[org.pk]} for org in reporting]
        reporting_ids = {org.pk for org in reporting}
        ctx.update(
            status={"status": status, "label": TaskStatus(status).label},
            # A draft is the reporting agency's own until it is sent.
            reports=TaskReport.objects.restrict(user, "view")
            .filter(task=obj)
            .filter(~Q(status=ReportStatus.DRAFT) | Q(organization__in=reporting_ids))
            .select_related("period", "organization", "reviewed_by")
            .prefetch_related("evidence"),
            reporting=reporting,
            reporting_rows=reporting_rows,
            may_report=bool(reporting),
            may_review=services.may_review(user, obj),
            period_kinds=[
                (kind, PeriodKind(kind).label) for kind in services.report_kinds(obj.document)
            ],
        )
        return ctx


class TaskReportView(generic.ObjectPermissionMixin, View):
    """An agency's report on a task for the current quarter, half-year or year: the lead
    agency's report, or a coordinating agency's part (`?org=`). Saved as a draft, then sent;
    a returned report is corrected and sent again."""

    queryset = PlanTask.objects.select_related("document", "lead")
    template_name = "plans/task_report.html"

    def setup_report(self, request: HttpRequest, pk: int) -> tuple[PlanTask, TaskReport]:
        task = self.get_restricted_object(pk=pk)
        reporting = services.reporting_organizations(request.user, task)
        if not reporting:
            raise PermissionDenied
        wanted = request.GET.get("org", "")
        organization = next((o for o in reporting if str(o.pk) == wanted), reporting[0])
        kinds = services.report_kinds(task.document)
        kind = request.GET.get("period", kinds[0])
        if kind not in kinds:
            raise Http404
        allowed = {
            row["start"].isoformat(): row["start"]
            for row in services.open_periods(task, organization, timezone.localdate())
            if row["kind"] == kind
        }
        wanted_start = request.GET.get("start", "")
        if wanted_start and wanted_start not in allowed:
            raise Http404  # a period closed (sent) or not open for reports
        day = allowed[wanted_start] if wanted_start else timezone.localdate()
        # Only writing a report opens a period (reminders then follow it), not looking.
        period = services.period_for(task.document, kind, day, create=request.method == "POST")
        report = (
            TaskReport.objects.filter(task=task, period=period, organization=organization).first()
            if period.pk
            else None
        )
        return task, report or TaskReport(task=task, period=period, organization=organization)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task, report = self.setup_report(request, pk)
        form = TaskReportForm(instance=report, lead=report.is_lead_report)
        return self.render_form(task, report, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task, report = self.setup_report(request, pk)
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            messages.error(request, _("Báo cáo kỳ này đã gửi; không sửa được nữa."))
            return HttpResponseRedirect(task.get_absolute_url())
        form = TaskReportForm(
            request.POST, request.FILES, instance=report, lead=report.is_lead_report
        )
        if not form.is_valid():
            return self.render_form(task, report, form, status=400)
        with transaction.atomic():
            report = form.save()
            services.save_evidence(report, form.cleaned_data.get("evidence_files") or [])
            removed = request.POST.getlist("remove_evidence")
            for evidence in report.evidence.filter(pk__in=[v for v in removed if v.isdigit()]):
                storage, stored = evidence.file.storage, evidence.file.name
                evidence.delete()
                # The file goes once the row is gone for good (never before a rollback).
                transaction.on_commit(lambda s=storage, name=stored: s.delete(name))
            if request.POST.get("action") == "submit":
                services.submit_report(report, user=request.user, request=request)
        if report.status == ReportStatus.SUBMITTED:
            messages.success(request, _("Đã gửi báo cáo %(period)s.") % {"period": report.period})
        else:
            messages.success(request, _("Đã lưu nháp báo cáo."))
        return HttpResponseRedirect(task.get_absolute_url())

    def render_form(self, task: Any, report: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "task": task,
            "report": report,
            "form": form,
            "evidence": list(report.evidence.all()) if report.pk else [],
        }
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
    """An evidence file, for those who may see its report (never served as media)."""

    queryset = ReportEvidence.objects.select_related("report__task", "report__organization")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = self.get_restricted_object(pk=pk)
        report = evidence.report
        if report.status == ReportStatus.DRAFT and report.organization not in (
            services.reporting_organizations(request.user, report.task)
        ):
            raise Http404  # a draft is its agency's own until it is sent
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.name)


class TaskActionView(generic.ObjectPermissionMixin, View):
    """POST: the monitoring agency cancels a task (with a reason), restores it, or confirms a
    task the importer proposed."""

    queryset = PlanTask.objects.all()
    action = "change"

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        task = self.get_restricted_object(pk=pk)
        try:
            if verb == "cancel":
                services.cancel_task(
                    task, reason=request.POST.get("reason", ""), user=request.user, request=request
                )
                messages.success(request, _("Đã hủy nhiệm vụ."))
            elif verb == "restore":
                services.restore_task(task, user=request.user, request=request)
                messages.success(request, _("Đã khôi phục nhiệm vụ."))
            elif verb == "confirm":
                services.confirm_task(task, user=request.user, request=request)
                messages.success(request, _("Đã xác nhận nhiệm vụ."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(task.get_absolute_url())


class DocumentEditView(generic.ObjectEditView):
    """Create a document by hand or correct an imported one (kind, issuing body, number,
    date, the document it implements, reporting periods and due dates, publication)."""

    queryset = PlanDocument.objects.all()
    form = PlanDocumentForm


class TaskEditView(generic.ObjectEditView):
    """Add a task to a plan or correct one: lead and coordinating agencies (names the
    importer could not match are settled here), deadline, publication."""

    queryset = PlanTask.objects.select_related("document", "lead")
    form = PlanTaskForm

    def get_object(self, pk: int | None) -> Any:
        if pk is not None:
            return self.get_restricted_object(pk=pk)
        documents = PlanDocument.objects.restrict(self.request.user, "change")
        try:
            document = documents.get(pk=self.kwargs["document_pk"])
        except PlanDocument.DoesNotExist as exc:
            raise Http404 from exc
        order = (document.tasks.order_by("-order").values_list("order", flat=True).first()) or 0
        return PlanTask(document=document, order=order + 1)

    def get(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> HttpResponse:
        return super().get(request, pk)

    def post(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> HttpResponse:
        return super().post(request, pk)

"""Writing plans: a parsed plan (parsing.py) becomes a document with sections and tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trithuc.core import audit
from trithuc.core.choices import AuditKind

from .agencies import GROUP, MATCHED, AgencyMatcher
from .models import PlanDocument, PlanSection, PlanTask


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def commit_plan(
    parsed: Any,
    *,
    organization: Any,
    title: str,
    kind: str = "plan",
    number: str = "",
    issuing_body: str = "",
    issued_on: date | None = None,
    parent: PlanDocument | None = None,
    source_file: str = "",
    user: Any = None,
    matcher: AgencyMatcher | None = None,
) -> PlanDocument:
    """Create the document, its sections and tasks in one transaction.

    Agency names are matched to organisations; a name that matches none is kept as written
    (the page marks it for review); groups ("các Sở, ngành") are kept as groups. A document
    with the same number already monitored by the same agency is refused: importing twice
    must not double the tasks (the same number, or the same title when there is none).
    """
    same = PlanDocument.objects.filter(organization=organization)
    same = same.filter(number=number) if number else same.filter(number="", title=title)
    if same.exists():
        raise ValidationError(
            _(
                "Văn bản “%(document)s” đã được nhập cho %(organization)s; nhập lại sẽ nhân đôi "
                "các nhiệm vụ. Hãy mở văn bản đã có."
            )
            % {"document": number or title, "organization": organization}
        )
    matcher = matcher or AgencyMatcher.from_database()
    with transaction.atomic():
        document = PlanDocument.objects.create(
            kind=kind,
            number=number,
            title=title,
            issuing_body=issuing_body,
            issued_on=issued_on,
            parent=parent,
            organization=organization,
            source_file=source_file[:255],
        )
        sections: dict[str, PlanSection] = {}
        for order, task in enumerate(parsed.tasks, start=1):
            section = None
            key = getattr(task, "section", "") or ""
            if key:
                section = sections.get(key)
                if section is None:
                    section = PlanSection.objects.create(
                        document=document,
                        number=key,
                        title=getattr(task, "section_title", "") or "",
                        order=len(sections) + 1,
                    )
                    sections[key] = section
            lead_text = getattr(task, "lead", "") or ""
            lead = matcher.match(lead_text) if lead_text else None
            coordinator_ids: list[int] = []
            groups: list[str] = []
            for name in getattr(task, "coordinators", []) or []:
                found = matcher.match(name)
                org_id = found.organization_id
                if org_id is not None and _settled(found) and org_id not in coordinator_ids:
                    coordinator_ids.append(org_id)
                elif found.status == GROUP:
                    groups.extend(g for g in found.groups if g not in groups)
            deadline = task.deadline
            month_day = getattr(deadline, "month_day", None)
            created = PlanTask.objects.create(
                document=document,
                section=section,
                number=str(getattr(task, "number", "") or "")[:16],
                order=order,
                content=task.content,
                # A match flagged for review (a merged agency's successor, a spelling that
                # scores below the matcher's threshold) waits for the coordinator: the name
                # stays as written, marked for review.
                lead_id=lead.organization_id if lead is not None and _settled(lead) else None,
                lead_text=lead_text[:500],
                lead_groups=list(lead.groups) if lead is not None and lead.status == GROUP else [],
                directed_by=", ".join(_as_list(getattr(task, "directed_by", "")))[:255],
                coordinator_groups=groups,
                coordinators_text=", ".join(getattr(task, "coordinators", []) or []),
                deadline_kind=deadline.kind,
                due=_as_date(deadline.due),
                start=_as_date(deadline.start),
                recurrence=deadline.recurrence or "",
                deadline_text=(deadline.text or "")[:255],
                yearly_month=month_day[0] if month_day else None,
                yearly_day=month_day[1] if month_day else None,
                proposed=bool(getattr(task, "proposed", False)),
                import_warnings=list(getattr(task, "warnings", []) or []),
            )
            if coordinator_ids:
                created.coordinators.set(coordinator_ids)
        audit.record(
            AuditKind.IMPORT,
            actor=user,
            obj=document,
            details={
                "what": "plans.PlanTask",
                "file": source_file,
                "created": len(parsed.tasks),
            },
        )
    return document


def _settled(match: Any) -> bool:
    """A match the importer may apply without asking: matched, and not flagged for review."""
    return bool(match.status == MATCHED and match.organization_id and not match.needs_review)


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


# ---- periodic reporting ---------------------------------------------------------------------


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The quarter, half-year or year containing `day`."""
    import calendar

    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
    elif kind == "half":
        first, last = (1, 6) if day.month <= 6 else (7, 12)
    else:
        first, last = 1, 12
    end_day = calendar.monthrange(day.year, last)[1]
    return date(day.year, first, 1), date(day.year, last, end_day)


def period_for(document: PlanDocument, kind: str, day: date, *, create: bool = True) -> Any:
    """The document's reporting period of `kind` containing `day` (created on first use; the
    report is due `report_due_days` after the period's last day). With `create=False` a
    period not yet recorded is returned unsaved: looking at a report form must not open a
    period the reminders would then ask reports for."""
    from datetime import timedelta

    from .models import ReportingPeriod

    start, end = period_bounds(kind, day)
    values = {"end": end, "due": end + timedelta(days=document.report_due_days)}
    if not create:
        found = ReportingPeriod.objects.filter(document=document, kind=kind, start=start).first()
        return found or ReportingPeriod(document=document, kind=kind, start=start, **values)
    period, _created = ReportingPeriod.objects.get_or_create(
        document=document, kind=kind, start=start, defaults=values
    )
    return period


def open_periods(task: PlanTask, organization: Any, today: date) -> list[dict[str, Any]]:
    """The periods `organization` may report on for the task today (see
    :func:`open_periods_by_organization`)."""
    return open_periods_by_organization(task, [organization], today)[organization.pk]


def open_periods_by_organization(
    task: PlanTask, organizations: list[Any], today: date
) -> dict[int, list[dict[str, Any]]]:
    """The periods each of `organizations` may report on for the task today, by kind: the
    period containing today, and every earlier one whose report has not been sent — the one
    just ended, and any older period already opened for the plan (the daily reminders open
    the current period, and keep asking for its report once overdue). Periods that ended
    before the plan was issued are not asked for. Two queries, however many agencies."""
    from datetime import timedelta

    from .choices import PeriodKind, ReportStatus
    from .models import ReportingPeriod, TaskReport

    sent: dict[int, set[tuple[str, date]]] = {org.pk: set() for org in organizations}
    for org_id, kind, start in TaskReport.objects.filter(
        task=task,
        organization__in=[org.pk for org in organizations],
        status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
    ).values_list("organization_id", "period__kind", "period__start"):
        sent[org_id].add((kind, start))
    kinds = report_kinds(task.document)
    opened: dict[str, set[date]] = {kind: set() for kind in kinds}
    for kind, start in ReportingPeriod.objects.filter(
        document=task.document, kind__in=kinds
    ).values_list("kind", "start"):
        opened[kind].add(start)
    issued = task.document.issued_on
    result: dict[int, list[dict[str, Any]]] = {}
    for org in organizations:
        rows: list[dict[str, Any]] = []
        for kind in kinds:
            start, _end = period_bounds(kind, today)
            previous_start, _previous_end = period_bounds(kind, start - timedelta(days=1))
            earlier = {s for s in opened[kind] if s < start} | {previous_start}
            for past in sorted(earlier):
                _s, past_end = period_bounds(kind, past)
                if (kind, past) in sent[org.pk] or (issued is not None and past_end < issued):
                    continue
                rows.append({"kind": kind, "start": past, "current": False,
                             "label": period_label(kind, past)})  # fmt: skip
            rows.append({"kind": kind, "start": start, "current": True,
                         "label": PeriodKind(kind).label})  # fmt: skip
        result[org.pk] = rows
    return result


def period_label(kind: str, start: date) -> str:
    from .models import ReportingPeriod

    return str(ReportingPeriod(kind=kind, start=start))


def report_kinds(document: PlanDocument) -> list[str]:
    """The period kinds the plan is reported on, in the order quarter, half-year, year."""
    from .choices import PeriodKind

    chosen = set(document.report_periods or [])
    return [kind for kind in PeriodKind.values if kind in chosen] or [PeriodKind.YEAR.value]


def reporting_organizations(user: Any, task: PlanTask) -> list[Any]:
    """The agencies of the task `user` may report for: the lead agency (its report) and the
    coordinating agencies (their parts), each only for plan coordinators of its subtree."""
    from trithuc.core.permissions import organizations_for

    from .models import TaskReport

    if task.cancelled or task.proposed:
        return []
    candidates = ([task.lead_id] if task.lead_id else []) + [
        org.pk for org in task.coordinators.all()
    ]
    if not candidates:
        return []
    allowed = {
        org.pk: org for org in organizations_for(user, TaskReport, "add").filter(pk__in=candidates)
    }
    return [allowed[pk] for pk in dict.fromkeys(candidates) if pk in allowed]


def may_report(user: Any, task: PlanTask) -> bool:
    """Plan coordinators of the lead agency's subtree file the lead agency's report."""
    return any(org.pk == task.lead_id for org in reporting_organizations(user, task))


def may_review(user: Any, task: PlanTask) -> bool:
    """The monitoring agency's plan coordinators accept or return reports."""
    return PlanTask.objects.restrict(user, "change").filter(pk=task.pk).exists()


def save_evidence(report: Any, files: list[Any]) -> None:
    from .models import ReportEvidence

    for upload in files:
        name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
        ReportEvidence.objects.create(
            report=report, file=upload, name=name, size=getattr(upload, "size", 0) or 0
        )


def cancel_task(task: PlanTask, *, reason: str, user: Any, request: Any = None) -> PlanTask:
    """The monitoring agency cancels a task (a later document replaced it, it was merged into
    another): kept, with the reason, out of the late and pending counts."""
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do hủy nhiệm vụ (ví dụ: văn bản nào thay thế)."))
    task.cancelled, task.cancelled_reason = True, reason.strip()[:2000]
    task.save(update_fields=["cancelled", "cancelled_reason", "updated_at"])
    # The reason stays in the audit log (and the task's history) after a restore.
    audit.record(AuditKind.OBJECT_CHANGED, actor=user, obj=task, request=request,
                 details={"fields": ["cancelled"], "source": "cancelled",
                          "reason": task.cancelled_reason})  # fmt: skip
    return task


def restore_task(task: PlanTask, *, user: Any, request: Any = None) -> PlanTask:
    task.cancelled, task.cancelled_reason = False, ""
    task.save(update_fields=["cancelled", "cancelled_reason", "updated_at"])
    audit.record(AuditKind.OBJECT_CHANGED, actor=user, obj=task, request=request,
                 details={"fields": ["cancelled"], "source": "restored"})  # fmt: skip
    return task


def confirm_task(task: PlanTask, *, user: Any, request: Any = None) -> PlanTask:
    """A task the importer proposed from prose becomes a task of the plan."""
    task.proposed = False
    task.save(update_fields=["proposed", "updated_at"])
    audit.record(AuditKind.OBJECT_CHANGED, actor=user, obj=task, request=request,
                 details={"fields": ["proposed"], "source": "confirmed"})  # fmt: skip
    return task


def submit_report(report: Any, *, user: Any, request: Any = None) -> Any:
    from django.utils import timezone

    from .choices import ReportStatus

    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    audit.record(AuditKind.OBJECT_CHANGED, actor=user, obj=report, request=request,
                 details={"fields": ["status"], "source": "submitted"})  # fmt: skip
    from .reminders import report_submitted

    report_submitted(report)  # the monitoring agency hears of it, after commit
    return report


def review_report(report: Any, *, accept: bool, note: str, user: Any, request: Any = None) -> Any:
    """Accept (the task takes the reported progress; 100% completes it on the day it was
    submitted) or return with a note saying what to add."""
    from django.utils import timezone

    from .choices import ReportStatus

    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ xem xét được báo cáo đã gửi."))
    if not accept and not note.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại để cơ quan báo cáo biết cần bổ sung gì."))
    with transaction.atomic():
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.reviewed_by, report.reviewed_at, report.review_note = user, timezone.now(), note
        report.save()
        # A coordinating agency's part is accepted as a contribution: only the lead agency's
        # report moves the task.
        if accept and report.is_lead_report:
            task = report.task
            task.progress = report.progress
            if report.progress >= 100 and task.done_on is None:
                task.done_on = timezone.localtime(report.submitted_at).date()
            task.save()
        audit.record(AuditKind.OBJECT_CHANGED, actor=user, obj=report, request=request,
                     details={"fields": ["status"], "source": report.status})  # fmt: skip
        from .reminders import report_reviewed

        report_reviewed(report)  # the reporting agency hears of it, after commit
    return report

"""The yearly review of a plan: "BÁO CÁO Kết quả thực hiện <văn bản> năm <năm>" as a Word
document in the layout of Decree 30/2020/NĐ-CP, issued by the monitoring agency.

`collect_review()` reads everything in a fixed number of queries, whatever the number of tasks;
`render_review()` writes the document; `yearly_review()` does both.

What "as of" means: the review counts each task's status on 31 December of the year (on today
for the current year). A task completed after that day counts as not completed then; its
progress is what the lead agency last reported up to that day (accepted reports), or, for the
current year, the task's progress. A cancelled task counts as cancelled in every year: the
tracker does not keep the day it was cancelled.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.core.docx_layout import (
    AdministrativeDocument,
    GroupRow,
    Row,
    abbreviation,
    place_name,
    trim,
    vietnamese_date,
)
from trithuc.core.text import fold, vietnamese_text_key
from trithuc.organizations.choices import AdministrativeLevel, OrganizationType
from trithuc.organizations.models import Organization

from .choices import DocumentKind, ReportStatus, TaskStatus
from .models import PlanDocument, PlanTask, TaskReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Oldest year a review may be asked for.
FIRST_YEAR = 2000
# How much of a report's text the tables and lists keep.
RESULT_CHARS = 400
CONTENT_CHARS = 800
ISSUE_CHARS = 600

# The order of the status columns and counts.
STATUS_ORDER = [
    TaskStatus.DONE,
    TaskStatus.DONE_LATE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.OVERDUE,
    TaskStatus.NOT_STARTED,
    TaskStatus.CANCELLED,
]


@dataclass
class TaskLine:
    """One task as the review shows it."""

    task: PlanTask
    label: str
    status: str
    progress: int
    result: str


@dataclass
class AgencyLine:
    """The tasks of one lead agency, counted by status."""

    name: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Issue:
    """A difficulty or a proposal an agency reported, with the tasks it was reported on."""

    agency: str
    text: str
    tasks: list[str] = field(default_factory=list)


@dataclass
class Review:
    document: PlanDocument
    organization: Organization
    year: int
    as_of: date
    issued_on: date
    # (section or None, its tasks) in the order of the plan.
    sections: list[tuple[Any, list[TaskLine]]]
    agencies: list[AgencyLine]
    difficulties: list[Issue]
    proposals: list[Issue]

    @property
    def lines(self) -> list[TaskLine]:
        return [line for _section, lines in self.sections for line in lines]

    @property
    def counts(self) -> Counter:
        return Counter(line.status for line in self.lines)


def parse_year(value: str | None, today: date) -> int | None:
    """The year of `?year=`: today's year when absent; None when it is not a year from
    FIRST_YEAR to this year."""
    if value is None or value.strip() == "":
        return today.year
    value = value.strip()
    if not re.fullmatch(r"\d{4}", value):
        return None
    year = int(value)
    return year if FIRST_YEAR <= year <= today.year else None


def yearly_review(
    document: PlanDocument,
    year: int,
    *,
    today: date | None = None,
    stream: IO[bytes] | None = None,
) -> bytes | None:
    """The review of `document` for `year` as .docx: its bytes, or written to `stream`."""
    return render_review(collect_review(document, year, today=today), stream=stream)


# ---- reading ----------------------------------------------------------------------------------


def collect_review(document: PlanDocument, year: int, *, today: date | None = None) -> Review:
    """Everything the review shows, in four queries whatever the number of tasks."""
    today = today or timezone.localdate()
    if year > today.year:
        raise ValueError(f"no review of a year to come ({year})")
    as_of = today if year == today.year else date(year, 12, 31)
    current = as_of == today
    organization = Organization.objects.select_related(
        "parent", "administrative_unit__parent", "parent__administrative_unit__parent"
    ).get(pk=document.organization_id)
    tasks = list(
        PlanTask.objects.filter(document=document, proposed=False)
        .select_related("section", "lead")
        .order_by("order", "id")
    )
    # The accepted reports on the year's periods: results, difficulties, proposals.
    year_reports = list(
        TaskReport.objects.filter(
            task__document=document,
            status=ReportStatus.ACCEPTED,
            period__start__range=(date(year, 1, 1), as_of),
        )
        .select_related("period", "organization")
        .only(
            "task",
            "organization__name",
            "period__start",
            "period__end",
            "progress",
            "done",
            "difficulties",
            "proposals",
        )
    )
    year_reports.sort(key=_report_order)
    # Progress reported before the year, for tasks not reported on during a past year: by
    # (task, reporting agency), the latest last.
    earlier: dict[tuple[int, int], int] = {}
    if not current:
        rows = (
            TaskReport.objects.filter(
                task__document=document,
                status=ReportStatus.ACCEPTED,
                period__start__lt=date(year, 1, 1),
            )
            .order_by("period__end", "period__start", "id")
            .values_list("task_id", "organization_id", "progress")
        )
        for task_id, organization_id, progress in rows:
            earlier[(task_id, organization_id)] = progress
            # A task without a matched lead agency: whoever reported last.
            earlier[(task_id, 0)] = progress

    by_task: dict[int, list[TaskReport]] = {}
    for report in year_reports:
        by_task.setdefault(report.task_id, []).append(report)

    sections: dict[Any, list[TaskLine]] = {}
    section_objects: dict[Any, Any] = {}
    agencies: dict[Any, AgencyLine] = {}
    for task in tasks:
        lead_reports = [
            r
            for r in by_task.get(task.pk, [])
            if task.lead_id is None or r.organization_id == task.lead_id
        ]
        latest = lead_reports[-1] if lead_reports else None
        status, progress = _status_on(task, as_of, current, latest, earlier)
        line = TaskLine(
            task=task,
            label=_task_label(task),
            status=status,
            progress=progress,
            result=_result(task, latest),
        )
        sections.setdefault(task.section_id, []).append(line)
        section_objects[task.section_id] = task.section
        key = task.lead_id or ("text", fold(task.lead_text))
        if key not in agencies:
            name = task.lead.name if task.lead else task.lead_text.strip()
            agencies[key] = AgencyLine(name=name or _("Chưa xác định cơ quan chủ trì"))
        agencies[key].counts[status] += 1

    labels = {task.pk: _task_label(task) for task in tasks}
    return Review(
        document=document,
        organization=organization,
        year=year,
        as_of=as_of,
        issued_on=today,
        sections=[(section_objects[key], lines) for key, lines in sections.items()],
        agencies=sorted(agencies.values(), key=lambda a: vietnamese_text_key(a.name)),
        difficulties=_issues(year_reports, "difficulties", labels),
        proposals=_issues(year_reports, "proposals", labels),
    )


def _report_order(report: TaskReport) -> tuple:
    """Oldest first; of two periods ending on the same day, the longer (the year) is later."""
    period = report.period
    return (period.end, period.end - period.start, report.pk)


def _status_on(
    task: PlanTask,
    as_of: date,
    current: bool,
    latest: TaskReport | None,
    earlier: dict[tuple[int, int], int],
) -> tuple[str, int]:
    """The task's status and progress on `as_of` (see the module's docstring)."""
    snapshot = copy.copy(task)
    if task.done_on is not None and task.done_on > as_of:
        snapshot.done_on = None
    if current:
        progress = task.progress
    elif latest is not None:
        progress = latest.progress
    else:
        progress = earlier.get((task.pk, task.lead_id or 0), 0)
    snapshot.progress = min(progress, 100)
    status = snapshot.status(on=as_of)
    if status in (TaskStatus.DONE, TaskStatus.DONE_LATE):
        return status, 100
    return status, snapshot.progress


def _task_label(task: PlanTask) -> str:
    if task.section is not None and task.number:
        return f"{task.section.number}.{task.number}"
    return task.number or "—"


def _result(task: PlanTask, latest: TaskReport | None) -> str:
    if task.cancelled:
        reason = trim(task.cancelled_reason, RESULT_CHARS)
        return _("Đã hủy: %(reason)s") % {"reason": reason} if reason else _("Đã hủy.")
    if latest is None:
        return _("(Chưa có báo cáo được chấp nhận trong năm)")
    return trim(latest.done, RESULT_CHARS)


def _issues(reports: Iterable[TaskReport], attribute: str, labels: dict[int, str]) -> list[Issue]:
    """The agencies' texts, each once per agency (the same text sent every quarter, or on
    several tasks, is listed once with the tasks it was sent on), by agency."""
    found: dict[tuple[int, str], Issue] = {}
    for report in reports:
        text = trim(getattr(report, attribute), ISSUE_CHARS)
        if not text:
            continue
        key = (report.organization_id, fold(text))
        issue = found.get(key)
        if issue is None:
            issue = found[key] = Issue(agency=report.organization.name, text=text)
        label = labels.get(report.task_id, "")
        if label and label not in issue.tasks:
            issue.tasks.append(label)
    return sorted(found.values(), key=lambda i: vietnamese_text_key(i.agency))


# ---- writing ----------------------------------------------------------------------------------


def render_review(review: Review, *, stream: IO[bytes] | None = None) -> bytes | None:
    """The review as an administrative document (report, "BC")."""
    document, organization, year = review.document, review.organization, review.year
    initials = _initials(organization)
    number = _("%(blank)s/BC-%(initials)s") % {"blank": " " * 8, "initials": initials}
    doc = AdministrativeDocument(
        issuing_body=organization.name,
        superior=organization.parent.name if organization.parent else "",
        number=number,
        place=_place(organization),
        date=review.issued_on,
        kind=_("Báo cáo"),
        title=_("Kết quả thực hiện %(document)s năm %(year)s")
        % {"document": document_phrase(document), "year": year},
    )
    doc.paragraph(
        _(
            "%(organization)s, cơ quan thường trực theo dõi việc thực hiện %(document)s "
            "(“%(title)s”), báo cáo kết quả thực hiện năm %(year)s như sau:"
        )
        % {
            "organization": organization.name,
            "document": document_phrase(document),
            "title": document.title,
            "year": year,
        }
    )
    doc.heading(_("I. KẾT QUẢ THỰC HIỆN"))
    doc.heading(_("1. Tình hình chung"), level=2)
    doc.paragraph(summary_text(review))
    doc.heading(_("2. Kết quả theo cơ quan chủ trì"), level=2)
    _agency_table(doc, review)
    doc.heading(_("3. Kết quả thực hiện từng nhiệm vụ"), level=2)
    doc.paragraph(
        _("Tình trạng, tiến độ và kết quả thực hiện từng nhiệm vụ tại Phụ lục kèm theo.")
        if review.lines
        else _("Văn bản chưa có nhiệm vụ nào được xác nhận.")
    )
    doc.heading(_("II. KHÓ KHĂN, VƯỚNG MẮC"))
    _issue_paragraphs(doc, review.difficulties, _("Các cơ quan không báo cáo khó khăn, vướng mắc."))
    doc.heading(_("III. ĐỀ XUẤT, KIẾN NGHỊ"))
    _issue_paragraphs(doc, review.proposals, _("Các cơ quan không có đề xuất, kiến nghị."))
    doc.paragraph(
        _("Trên đây là báo cáo kết quả thực hiện %(document)s năm %(year)s của %(organization)s./.")
        % {
            "document": document_phrase(document),
            "year": year,
            "organization": organization.name,
        }
    )
    capacity, title = _signer(organization)
    doc.signature(capacity=capacity, title=title)
    doc.recipients(_recipients(review, initials))
    if review.lines:
        doc.appendix(
            _("Kết quả thực hiện các nhiệm vụ năm %(year)s") % {"year": year},
            reference=_("Kèm theo Báo cáo số %(number)s %(date)s của %(organization)s")
            % {
                "number": number,
                "date": vietnamese_date(review.issued_on),
                "organization": organization.name,
            },
            landscape=True,
        )
        _task_table(doc, review)
    return doc.save(stream)


def document_phrase(document: PlanDocument) -> str:
    """ "Kế hoạch số 133/KH-UBND ngày 20/5/2025 của UBND Thành phố"."""
    kind = _("Văn bản") if document.kind == DocumentKind.OTHER else document.get_kind_display()
    parts = [str(kind)]
    if document.number:
        parts.append(_("số %(number)s") % {"number": document.number})
    if document.issued_on:
        parts.append(_("ngày %(date)s") % {"date": _short_date(document.issued_on)})
    if document.issuing_body:
        parts.append(_("của %(body)s") % {"body": document.issuing_body})
    if not document.number and not document.issued_on:
        parts.append(f"“{trim(document.title, 120)}”")
    return " ".join(parts)


def summary_text(review: Review) -> str:
    counts = review.counts
    total = sum(counts.values())
    done = counts[TaskStatus.DONE] + counts[TaskStatus.DONE_LATE]
    counted = total - counts[TaskStatus.CANCELLED]
    rate = f"{100 * done / counted:.1f}".replace(".", ",") if counted else "0"
    kind = review.document.get_kind_display()
    return _(
        "Tính đến ngày %(date)s, %(kind)s có %(total)s nhiệm vụ, trong đó: đã hoàn thành "
        "%(done)s nhiệm vụ (%(on_time)s nhiệm vụ đúng hạn, %(late)s nhiệm vụ hoàn thành muộn); "
        "đang thực hiện %(in_progress)s nhiệm vụ; quá hạn chưa hoàn thành %(overdue)s nhiệm vụ; "
        "chưa thực hiện %(not_started)s nhiệm vụ; đã hủy %(cancelled)s nhiệm vụ. Tỷ lệ hoàn "
        "thành đạt %(rate)s%% số nhiệm vụ (không tính nhiệm vụ đã hủy)."
    ) % {
        "date": _short_date(review.as_of, padded=True),
        "kind": kind,
        "total": total,
        "done": done,
        "on_time": counts[TaskStatus.DONE],
        "late": counts[TaskStatus.DONE_LATE],
        "in_progress": counts[TaskStatus.IN_PROGRESS],
        "overdue": counts[TaskStatus.OVERDUE],
        "not_started": counts[TaskStatus.NOT_STARTED],
        "cancelled": counts[TaskStatus.CANCELLED],
        "rate": rate,
    }


def _agency_table(doc: AdministrativeDocument, review: Review) -> None:
    headers = [
        _("STT"),
        _("Cơ quan chủ trì"),
        _("Số nhiệm vụ"),
        _("Hoàn thành đúng hạn"),
        _("Hoàn thành muộn"),
        _("Đang thực hiện"),
        _("Quá hạn"),
        _("Chưa thực hiện"),
        _("Đã hủy"),
    ]
    rows: list[Any] = []
    for index, agency in enumerate(review.agencies, start=1):
        rows.append([index, agency.name, agency.total, *(agency.counts[s] for s in STATUS_ORDER)])
    counts = review.counts
    rows.append(
        Row(["", _("Tổng cộng"), sum(counts.values()), *(counts[s] for s in STATUS_ORDER)], True)
    )
    doc.table(
        headers,
        rows,
        widths=[8, 23, 9, 10, 10, 10, 8, 9, 8],
        align=["center", "left", *["center"] * 7],
        font_size=11,
    )


def _task_table(doc: AdministrativeDocument, review: Review) -> None:
    headers = [
        _("STT"),
        _("Nội dung nhiệm vụ"),
        _("Cơ quan chủ trì"),
        _("Thời hạn"),
        _("Tình trạng"),
        _("Tiến độ (%)"),
        _("Kết quả thực hiện"),
    ]
    grouped = len(review.sections) > 1 or review.sections[0][0] is not None
    rows: list[Any] = []
    for section, lines in review.sections:
        if grouped:
            title = f"{section.number}. {section.title}" if section else _("Nhiệm vụ khác")
            rows.append(GroupRow(title))
        for line in lines:
            task = line.task
            rows.append(
                [
                    line.label,
                    trim(task.content, CONTENT_CHARS),
                    _lead_name(task),
                    _deadline(task),
                    _status_text(line),
                    line.progress,
                    line.result,
                ]
            )
    doc.table(
        headers,
        rows,
        widths=[15, 74, 30, 25, 26, 18, 69],
        align=["center", "left", "left", "left", "left", "center", "left"],
    )


def _issue_paragraphs(doc: AdministrativeDocument, issues: list[Issue], empty: str) -> None:
    if not issues:
        doc.paragraph(empty)
        return
    for issue in issues:
        tasks = ", ".join(issue.tasks)
        about = _(" (nhiệm vụ %(tasks)s)") % {"tasks": tasks} if tasks else ""
        doc.paragraph(f"- {issue.agency}{about}: {issue.text}")


def _status_text(line: TaskLine) -> str:
    label = str(TaskStatus(line.status).label)
    task = line.task
    if line.status in (TaskStatus.DONE, TaskStatus.DONE_LATE) and task.done_on:
        return f"{label} ({task.done_on:%d/%m/%Y})"
    return label


def _lead_name(task: PlanTask) -> str:
    if task.lead is not None:
        return task.lead.short_name or task.lead.name
    return task.lead_text or "—"


def _deadline(task: PlanTask) -> str:
    if task.deadline_text:
        return task.deadline_text
    return f"{task.due:%d/%m/%Y}" if task.due else "—"


def _short_date(day: date, *, padded: bool = False) -> str:
    return f"{day:%d/%m/%Y}" if padded else f"{day.day}/{day.month}/{day.year}"


def _initials(organization: Organization) -> str:
    """The initials of the document number: the short name when it is one (SKHCN),
    otherwise the initials of the name."""
    short = (organization.short_name or "").strip()
    if re.fullmatch(r"[A-ZĐ0-9]{2,12}", short):
        return short
    return abbreviation(organization.name)


def _place(organization: Organization) -> str:
    """The province or city of the agency (or of its parent), else the installation's."""
    for org in (organization, organization.parent):
        unit = getattr(org, "administrative_unit", None) if org is not None else None
        while unit is not None and unit.level != AdministrativeLevel.PROVINCE:
            unit = unit.parent if unit.parent_id else None
        if unit is not None:
            return place_name(unit.name)
    return str(getattr(settings, "TRITHUC_PLACE_NAME", ""))


def _signer(organization: Organization) -> tuple[str, str]:
    """The capacity and title the head of the agency signs with."""
    kind = organization.type
    if kind in (OrganizationType.PEOPLES_COMMITTEE, OrganizationType.COMMUNE_COMMITTEE):
        return _("TM. Ủy ban nhân dân"), _("Chủ tịch")
    titles: dict[str, str] = {
        OrganizationType.DEPARTMENT: _("Giám đốc"),
        OrganizationType.HOSPITAL: _("Giám đốc"),
        OrganizationType.RESEARCH_INSTITUTE: _("Viện trưởng"),
        OrganizationType.PUBLIC_UNIVERSITY: _("Hiệu trưởng"),
    }
    return "", titles.get(kind, _("Thủ trưởng cơ quan"))


def _recipients(review: Review, initials: str) -> list[str]:
    document, organization = review.document, review.organization
    superior = document.issuing_body or (organization.parent.name if organization.parent else "")
    entries = []
    if superior:
        entries.append(_("%(body)s (để báo cáo)") % {"body": superior})
    if review.agencies:
        entries.append(_("Các cơ quan chủ trì, phối hợp thực hiện"))
    entries.append(_("Lưu: VT, %(initials)s") % {"initials": initials})
    return entries

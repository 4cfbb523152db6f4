"""Reminders and escalation of the action-plan tracker.

`send_plan_reminders(today)` runs once a day (the scheduler queues `daily_plan_reminders`;
`manage.py send_plan_reminders` runs it by hand). It sends digests, one notification per
recipient, kind and day, listing the tasks concerned:

- reminder: TRITHUC_PLAN_REMINDER_DAYS days before a reporting period's due date, to the plan
  coordinators of each agency (the lead agency, and each coordinating agency for its part)
  whose report for the period is not yet sent or accepted; TRITHUC_TASK_REMINDER_DAYS days
  before a task's deadline, to the lead agency's plan coordinators;
- overdue: the day after a due date, then every OVERDUE_EVERY days while the report is still
  missing or the task not done, to the same people;
- escalation: with each overdue notice, to the monitoring agency's plan coordinators and the
  leaders of the lead agency (and of the coordinating agency whose part is missing).

An agency's plan coordinators (or leaders) are the active users holding the role at that
organisation; where nobody does, those of the nearest ancestor where somebody does.
Running again on the same day sends nothing new (each notification has a key per day).

The hooks `report_submitted` and `report_reviewed` tell the monitoring agency a report came in
and the reporting agency how it was reviewed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task as background_task

from trithuc.core.choices import Role
from trithuc.notifications.choices import NotificationKind
from trithuc.notifications.services import notify

from .choices import DeadlineKind, ReportStatus
from .models import PlanDocument, PlanTask, ReportingPeriod, TaskReport
from .services import period_for, report_kinds

logger = logging.getLogger(__name__)

# An overdue report or task is brought up again every this many days while it stays late.
OVERDUE_EVERY = 7
# A report counts as given once sent (the monitoring agency may still return it).
GIVEN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# Deadlines of recurring work ("thường xuyên", "hằng năm", "từ năm 2026") are not one date.
RECURRING_KINDS = (DeadlineKind.RECURRING, DeadlineKind.FROM)


def report_days() -> list[int]:
    return [int(d) for d in getattr(settings, "TRITHUC_PLAN_REMINDER_DAYS", [7, 1])]


def task_days() -> list[int]:
    return [int(d) for d in getattr(settings, "TRITHUC_TASK_REMINDER_DAYS", [30, 7])]


def overdue_today(due: date, today: date) -> int:
    """Days late when today is an overdue-notice day (the day after `due`, then every
    OVERDUE_EVERY days); 0 otherwise."""
    late = (today - due).days
    return late if late >= 1 and (late - 1) % OVERDUE_EVERY == 0 else 0


def _ancestor_paths(path: str) -> list[str]:
    """The organisation's own path and each ancestor's, nearest last."""
    return [path[: i + 1] for i, char in enumerate(path) if char == "/"]


def recipients_for(
    organization: Any, role: str, cache: dict[tuple[int, str], list[Any]] | None = None
) -> list[Any]:
    """Active users holding `role` at `organization`; where nobody does, at the nearest
    ancestor where somebody does (a unit without its own coordinator is followed by its
    parent's). One query per organisation and role; `cache` keeps the answers of a run."""
    from trithuc.accounts.models import Membership

    if organization is None:
        return []
    key = (organization.pk, str(role))
    if cache is not None and key in cache:
        return cache[key]
    paths = _ancestor_paths(organization.path or "")
    rows = (
        Membership.objects.filter(role=role, user__is_active=True)
        .filter(organization__path__in=paths)
        .annotate(org_path=F("organization__path"))
        .select_related("user")
        .order_by("user_id")
    )
    by_path: dict[str, dict[int, Any]] = defaultdict(dict)
    for membership in rows:
        by_path[membership.org_path][membership.user_id] = membership.user
    found: list[Any] = []
    for path in reversed(paths):
        if by_path.get(path):
            found = list(by_path[path].values())
            break
    if cache is not None:
        cache[key] = found
    return found


def _task_label(task: PlanTask) -> str:
    document = task.document
    return f"{task} ({document.number or document.title[:60]})"


def _agency_label(task: PlanTask, agency: Any) -> str:
    if agency.pk == task.lead_id:
        return str(agency)
    return _("%(agency)s (phối hợp)") % {"agency": agency}


@dataclass(frozen=True)
class Item:
    """One line of a digest: what is due or late, on which task, for which agency."""

    key: tuple[Any, ...]
    task: PlanTask
    line: str


def _title(kind: str, n: int) -> str:
    if kind == NotificationKind.REMINDER:
        return _("Nhắc hạn: %(n)s việc của kế hoạch hành động sắp đến hạn") % {"n": n}
    if kind == NotificationKind.OVERDUE:
        return _("Quá hạn: %(n)s việc của kế hoạch hành động chưa hoàn thành") % {"n": n}
    return _("Đôn đốc: %(n)s việc quá hạn của kế hoạch hành động") % {"n": n}


def _intro(kind: str) -> str:
    if kind == NotificationKind.REMINDER:
        return _("Các việc sau sắp đến hạn; đề nghị hoàn thành và gửi báo cáo đúng hạn:")
    if kind == NotificationKind.OVERDUE:
        return _("Các việc sau đã quá hạn; đề nghị khẩn trương hoàn thành, gửi báo cáo:")
    return _(
        "Các việc sau đã quá hạn mà cơ quan chịu trách nhiệm chưa hoàn thành, chưa báo cáo; "
        "đề nghị chỉ đạo, đôn đốc:"
    )


class _Run:
    """One day's pass over every plan: collects digest lines per kind and recipient."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.cache: dict[tuple[int, str], list[Any]] = {}
        self.users: dict[int, Any] = {}
        self.lines: dict[tuple[str, int], dict[tuple[Any, ...], Item]] = defaultdict(dict)

    def coordinators(self, organization: Any) -> list[Any]:
        return recipients_for(organization, Role.PLAN_COORDINATOR, self.cache)

    def leaders(self, organization: Any) -> list[Any]:
        return recipients_for(organization, Role.LEADER, self.cache)

    def add(self, kind: str, users: list[Any], item: Item) -> None:
        for user in users:
            self.users[user.pk] = user
            self.lines[(kind, user.pk)].setdefault(item.key, item)

    def late(self, task: PlanTask, agency: Any, item: Item) -> None:
        """An overdue notice to the agency's coordinators, and the escalation above them."""
        direct = self.coordinators(agency)
        self.add(NotificationKind.OVERDUE, direct, item)
        above = self.coordinators(task.document.organization) + self.leaders(task.lead)
        if agency.pk != task.lead_id:
            above += self.leaders(agency)
        told = {user.pk for user in direct}
        self.add(NotificationKind.ESCALATION, [u for u in above if u.pk not in told], item)

    # ---- what is due or late ------------------------------------------------------------

    def collect(self) -> None:
        for document in PlanDocument.objects.select_related("organization").order_by("pk"):
            tasks = list(
                PlanTask.objects.filter(
                    document=document, cancelled=False, proposed=False, done_on__isnull=True
                )
                .select_related("document", "section", "lead")
                .prefetch_related("coordinators")
                .order_by("order", "pk")
            )
            if tasks:
                self.collect_reports(document, tasks)
                self.collect_deadlines(tasks)

    def periods(self, document: PlanDocument, kind: str) -> list[ReportingPeriod]:
        """The period now running, the one whose report is still to come (when reports are
        due after the period's end), and the past periods that are on record."""
        today = self.today
        found = {p.pk: p for p in [period_for(document, kind, today)]}
        if document.report_due_days > 0:
            previous = period_for(document, kind, today - timedelta(days=document.report_due_days))
            found[previous.pk] = previous
        for period in ReportingPeriod.objects.filter(document=document, kind=kind, due__lt=today):
            found.setdefault(period.pk, period)
        return sorted(found.values(), key=lambda p: p.start)

    def collect_reports(self, document: PlanDocument, tasks: list[PlanTask]) -> None:
        reminder_days = report_days()
        for kind in report_kinds(document):
            for period in self.periods(document, kind):
                if document.issued_on and period.end < document.issued_on:
                    continue  # the plan did not exist yet
                before = (period.due - self.today).days
                late = overdue_today(period.due, self.today)
                if before not in reminder_days and not late:
                    continue
                given = set(
                    TaskReport.objects.filter(period=period, status__in=GIVEN).values_list(
                        "task_id", "organization_id"
                    )
                )
                for task in tasks:
                    if task.start is not None and task.start > period.end:
                        continue  # not started in this period
                    agencies = ([task.lead] if task.lead is not None else []) + [
                        org for org in task.coordinators.all() if org.pk != task.lead_id
                    ]
                    for agency in agencies:
                        if (task.pk, agency.pk) in given:
                            continue
                        values = {
                            "period": period,
                            "due": f"{period.due:%d/%m/%Y}",
                            "agency": _agency_label(task, agency),
                            "task": _task_label(task),
                        }
                        key = ("report", period.pk, task.pk, agency.pk)
                        if late:
                            line = _(
                                "Báo cáo %(period)s, hạn %(due)s, đã quá %(days)s ngày — "
                                "%(agency)s — nhiệm vụ %(task)s"
                            ) % {**values, "days": late}
                            self.late(task, agency, Item(key, task, line))
                        else:
                            line = _(
                                "Báo cáo %(period)s, hạn %(due)s, còn %(days)s ngày — "
                                "%(agency)s — nhiệm vụ %(task)s"
                            ) % {**values, "days": before}
                            self.add(
                                NotificationKind.REMINDER,
                                self.coordinators(agency),
                                Item(key, task, line),
                            )

    def collect_deadlines(self, tasks: list[PlanTask]) -> None:
        reminder_days = task_days()
        for task in tasks:
            if task.due is None or task.lead is None:
                continue
            if task.deadline_kind in RECURRING_KINDS or task.recurrence:
                continue
            before = (task.due - self.today).days
            late = overdue_today(task.due, self.today)
            values = {
                "task": _task_label(task),
                "agency": task.lead,
                "due": f"{task.due:%d/%m/%Y}",
            }
            key = ("task", task.pk)
            if late:
                line = _(
                    "Nhiệm vụ %(task)s — %(agency)s — hạn hoàn thành %(due)s, đã quá %(days)s ngày"
                ) % {**values, "days": late}
                self.late(task, task.lead, Item(key, task, line))
            elif before in reminder_days:
                line = _(
                    "Nhiệm vụ %(task)s — %(agency)s — hạn hoàn thành %(due)s, còn %(days)s ngày"
                ) % {**values, "days": before}
                self.add(
                    NotificationKind.REMINDER, self.coordinators(task.lead), Item(key, task, line)
                )

    # ---- sending ----------------------------------------------------------------------------

    def send(self) -> dict[str, Any]:
        counts: dict[str, int] = {
            NotificationKind.REMINDER: 0,
            NotificationKind.OVERDUE: 0,
            NotificationKind.ESCALATION: 0,
        }
        emails = 0
        # Recipients whose digest reads the same get one notify() call (one e-mail task).
        groups: dict[tuple[str, str, str, str], list[Any]] = defaultdict(list)
        for (kind, user_pk), items in sorted(self.lines.items(), key=lambda kv: kv[0]):
            rows = sorted(
                items.values(), key=lambda i: (i.task.document_id, i.task.order, i.task.pk, i.key)
            )
            body = "\n".join([_intro(kind), *(f"• {item.line}" for item in rows)])
            tasks = {item.task.pk: item.task for item in rows}
            if len(tasks) == 1:
                url = next(iter(tasks.values())).get_absolute_url()
            else:
                url = reverse("plans:task_list")
            groups[(kind, _title(kind, len(rows)), body, url)].append(self.users[user_pk])
        for (kind, title, body, url), users in groups.items():
            created = notify(
                users,
                kind=kind,
                title=title,
                body=body,
                url=url,
                key=f"plans:{kind}:{self.today.isoformat()}",
            )
            counts[kind] += len(created)
            emails += sum(1 for n in created if n.recipient.email)
        return {
            "date": self.today.isoformat(),
            "reminders": counts[NotificationKind.REMINDER],
            "overdue": counts[NotificationKind.OVERDUE],
            "escalations": counts[NotificationKind.ESCALATION],
            "notifications": sum(counts.values()),
            "emails": emails,
        }


def send_plan_reminders(today: date) -> dict[str, Any]:
    """Send the day's reminders, overdue notices and escalations; returns the counts of
    notifications created (and e-mails queued). Idempotent per day."""
    with translation.override(settings.LANGUAGE_CODE):
        run = _Run(today)
        run.collect()
        return run.send()


@background_task()
def daily_plan_reminders() -> dict[str, Any]:
    """The scheduler's daily task: today's plan reminders."""
    return send_plan_reminders(timezone.localdate())


# ---- hooks of the reporting workflow (plans.services) ----------------------------------------


def report_submitted(report: TaskReport) -> None:
    """After commit: the monitoring agency's plan coordinators hear that a report came in."""
    transaction.on_commit(partial(_notify_submitted, report.pk), robust=True)


def report_reviewed(report: TaskReport) -> None:
    """After commit: the reporting agency's plan coordinators hear it was accepted or
    returned (with the note saying what to add)."""
    transaction.on_commit(partial(_notify_reviewed, report.pk), robust=True)


def _report(report_id: int) -> TaskReport | None:
    return (
        TaskReport.objects.select_related(
            "task__document__organization", "task__section", "period", "organization"
        )
        .filter(pk=report_id)
        .first()
    )


def _notify_submitted(report_id: int) -> None:
    report = _report(report_id)
    if report is None or report.submitted_at is None:
        return
    task_obj = report.task
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "agency": _agency_label(task_obj, report.organization),
            "period": report.period,
            "task": _task_label(task_obj),
            "progress": report.progress,
        }
        notify(
            recipients_for(task_obj.document.organization, Role.PLAN_COORDINATOR),
            kind=NotificationKind.REPORT_SUBMITTED,
            title=_("%(agency)s đã gửi báo cáo %(period)s") % values,
            body=_(
                "Nhiệm vụ %(task)s. Tiến độ báo cáo: %(progress)s%%. "
                "Đề nghị xem xét, chấp nhận hoặc trả lại báo cáo."
            )
            % values,
            url=task_obj.get_absolute_url(),
            key=f"plans:report:{report.pk}:submitted:{report.submitted_at.isoformat()}",
        )


def _notify_reviewed(report_id: int) -> None:
    report = _report(report_id)
    if report is None or report.reviewed_at is None:
        return
    if report.status not in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
        return
    task_obj = report.task
    accepted = report.status == ReportStatus.ACCEPTED
    with translation.override(settings.LANGUAGE_CODE):
        values = {"period": report.period, "task": _task_label(task_obj)}
        if accepted:
            title = _("Báo cáo %(period)s đã được chấp nhận") % values
            body = _("Nhiệm vụ %(task)s.") % values
        else:
            title = _("Báo cáo %(period)s bị trả lại, cần bổ sung") % values
            body = _("Nhiệm vụ %(task)s. Ý kiến: %(note)s") % {**values, "note": report.review_note}
        recipients = [
            user
            for user in recipients_for(report.organization, Role.PLAN_COORDINATOR)
            if user.pk != report.reviewed_by_id
        ]
        notify(
            recipients,
            kind=NotificationKind.REPORT_ACCEPTED if accepted else NotificationKind.REPORT_RETURNED,
            title=title,
            body=body,
            url=task_obj.get_absolute_url(),
            key=f"plans:report:{report.pk}:{report.status}:{report.reviewed_at.isoformat()}",
        )

"""Action plans: documents in a chain, their sections and tasks with lead and coordinating
agencies and a deadline as the document words it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import ALL_ROLES, PermissionPolicy, roles

from . import choices

# Everyone with a staff role in the monitoring agency's subtree (or above it) follows the
# plan; plan coordinators keep it.
PLAN_POLICY = PermissionPolicy(
    view=ALL_ROLES,
    add=roles(Role.PLAN_COORDINATOR),
    change=roles(Role.PLAN_COORDINATOR),
    delete=roles(Role.PLAN_COORDINATOR),
    org_lookup="organization",
)


def default_report_periods() -> list[str]:
    return [choices.PeriodKind.QUARTER.value, choices.PeriodKind.YEAR.value]


class PlanDocument(BaseModel):
    """A resolution, programme or plan; a plan points to the document it implements."""

    kind = models.CharField(_("loại văn bản"), max_length=16, choices=choices.DocumentKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan thường trực theo dõi"),
        on_delete=models.PROTECT,
        related_name="plan_documents",
    )
    is_public = models.BooleanField(
        _("công khai tiến độ"),
        default=False,
        help_text=_("Trang tiến độ công khai hiển thị các nhiệm vụ của văn bản này."),
    )
    # The periods agencies report on, and when the report is due relative to the period's
    # last day (a negative number: before it; "báo cáo trước ngày 15 của tháng cuối quý" is
    # about -15).
    report_periods = models.JSONField(_("kỳ báo cáo"), default=default_report_periods, blank=True)
    report_due_days = models.SmallIntegerField(
        _("hạn báo cáo (số ngày sau khi hết kỳ)"),
        default=0,
        help_text=_("Số âm: trước ngày cuối kỳ. Ví dụ −15 là trước ngày cuối kỳ 15 ngày."),
    )
    source_file = models.CharField(_("tệp nguồn"), max_length=255, blank=True)

    permission_policy = PLAN_POLICY

    class Meta:
        verbose_name = _("văn bản kế hoạch")
        verbose_name_plural = _("kế hoạch hành động")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:document_detail", args=[self.pk])


class PlanSection(BaseModel):
    document = models.ForeignKey(
        PlanDocument, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.CharField(_("số mục"), max_length=16)
    title = models.CharField(_("tên mục"), max_length=500)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    permission_policy = PLAN_POLICY.via("document__organization")

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = _("các mục")
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanTask(BaseModel):
    document = models.ForeignKey(
        PlanDocument, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        PlanSection,
        verbose_name=_("mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    number = models.CharField(_("số thứ tự"), max_length=16, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung nhiệm vụ"))
    expected_output = models.CharField(
        _("sản phẩm"), max_length=16, choices=choices.ExpectedOutput.choices, blank=True
    )
    lead = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    lead_text = models.CharField(_("cơ quan chủ trì (như văn bản ghi)"), max_length=500)
    # A task led by a group ("Các Sở, ngành, địa phương"): every agency of the group leads.
    lead_groups = models.JSONField(_("nhóm cơ quan chủ trì"), default=list, blank=True)
    directed_by = models.CharField(_("cơ quan chỉ đạo"), max_length=255, blank=True)
    coordinators = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("cơ quan phối hợp"),
        blank=True,
        related_name="coordinated_tasks",
    )
    coordinator_groups = models.JSONField(_("nhóm cơ quan phối hợp"), default=list, blank=True)
    coordinators_text = models.TextField(_("cơ quan phối hợp (như văn bản ghi)"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"),
        max_length=16,
        choices=choices.DeadlineKind.choices,
        default=choices.DeadlineKind.NONE,
    )
    due = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    start = models.DateField(_("bắt đầu từ"), null=True, blank=True)
    recurrence = models.CharField(
        _("định kỳ"), max_length=16, choices=choices.Recurrence.choices, blank=True
    )
    deadline_text = models.CharField(_("thời hạn (như văn bản ghi)"), max_length=255, blank=True)
    # The day of a yearly deadline ("trước ngày 15/12 hằng năm").
    yearly_month = models.PositiveSmallIntegerField(
        _("tháng (hạn hằng năm)"), null=True, blank=True
    )
    yearly_day = models.PositiveSmallIntegerField(_("ngày (hạn hằng năm)"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    cancelled_reason = models.TextField(_("lý do hủy"), blank=True)
    is_public = models.BooleanField(
        _("công khai"),
        default=True,
        help_text=_("Bỏ chọn để không đưa nhiệm vụ này lên trang tiến độ công khai."),
    )
    # Proposed by the importer from a plan written as prose: the coordinator confirms it.
    proposed = models.BooleanField(_("đề xuất, chờ xác nhận"), default=False)
    import_warnings = models.JSONField(_("cảnh báo khi nhập"), default=list, blank=True)

    # The lead and coordinating agencies see their tasks, whoever monitors the plan.
    permission_policy = PLAN_POLICY.via(
        "document__organization", also_view_via=("lead", "coordinators")
    )

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["document", "order"]
        indexes = [models.Index(fields=["document", "due"], name="task_due")]

    def __str__(self) -> str:
        label = f"{self.section.number}.{self.number}" if self.section else self.number
        return f"{label} {self.content[:80]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.pk])

    def status(self, on: date | None = None) -> str:
        """Follows from the dates and what has been reported (progress, completion)."""
        today = on or timezone.localdate()
        if self.cancelled:
            return choices.TaskStatus.CANCELLED
        if self.done_on:
            late = self.due is not None and self.done_on > self.due
            return choices.TaskStatus.DONE_LATE if late else choices.TaskStatus.DONE
        recurring = self.deadline_kind in (
            choices.DeadlineKind.RECURRING,
            choices.DeadlineKind.FROM,
        )
        if self.due is not None and self.due < today and not recurring:
            return choices.TaskStatus.OVERDUE
        started = self.progress > 0 or (recurring and (self.start is None or self.start <= today))
        return choices.TaskStatus.IN_PROGRESS if started else choices.TaskStatus.NOT_STARTED

    def status_label(self) -> Any:
        return choices.TaskStatus(self.status()).label


class ReportingPeriod(BaseModel):
    """A period agencies report on (a quarter, a half-year, a year) with its due date."""

    document = models.ForeignKey(
        PlanDocument, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=choices.PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    due = models.DateField(_("hạn gửi báo cáo"))

    permission_policy = PLAN_POLICY.via("document__organization")

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["document", "start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["document", "kind", "start"], name="period_unique")
        ]

    def __str__(self) -> str:
        if self.kind == choices.PeriodKind.QUARTER:
            return _("Quý %(n)s/%(year)s") % {
                "n": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == choices.PeriodKind.HALF:
            half = _("6 tháng đầu năm") if self.start.month == 1 else _("6 tháng cuối năm")
            return f"{half} {self.start.year}"
        return _("Năm %(year)s") % {"year": self.start.year}


class TaskReport(BaseModel):
    """What the lead agency reports on one task for one period; the monitoring agency's
    plan coordinator accepts it (its progress becomes the task's) or returns it."""

    task = models.ForeignKey(
        PlanTask, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan báo cáo"),
        on_delete=models.PROTECT,
        related_name="task_reports",
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    done = models.TextField(_("kết quả đã thực hiện"))
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=choices.ReportStatus.choices,
        default=choices.ReportStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến khi xem xét"), blank=True)

    # The reporting agency writes; the monitoring agency reads (and reviews, see services);
    # the lead and coordinating agencies of the task read each other's parts.
    permission_policy = PermissionPolicy(
        view=ALL_ROLES,
        add=roles(Role.PLAN_COORDINATOR),
        change=roles(Role.PLAN_COORDINATOR),
        org_lookup="organization",
        also_view_via=("task__document__organization", "task__lead", "task__coordinators"),
    )

    class Meta:
        verbose_name = _("báo cáo nhiệm vụ")
        verbose_name_plural = _("báo cáo nhiệm vụ")
        ordering = ["-period__start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "organization"], name="report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.task}"

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.task_id])

    @property
    def is_lead_report(self) -> bool:
        """The lead agency's report (its progress becomes the task's); otherwise a
        coordinating agency's part."""
        return self.organization_id == self.task.lead_id

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.progress > 100:
            raise ValidationError({"progress": _("Tiến độ từ 0 đến 100%.")})


class ReportEvidence(BaseModel):
    """One evidence file of a report (a decision, minutes, a photo, a spreadsheet)."""

    report = models.ForeignKey(
        TaskReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp"), upload_to="plans/evidence/%Y/")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)

    permission_policy = PermissionPolicy(
        view=ALL_ROLES,
        add=roles(Role.PLAN_COORDINATOR),
        change=roles(Role.PLAN_COORDINATOR),
        delete=roles(Role.PLAN_COORDINATOR),
        org_lookup="report__organization",
        also_view_via=(
            "report__task__document__organization",
            "report__task__lead",
            "report__task__coordinators",
        ),
    )

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:report_evidence", args=[self.pk])

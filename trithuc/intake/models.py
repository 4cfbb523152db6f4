"""Import batches of people, the rows of their report, and agencies' saved column mappings.

A batch is one uploaded file for one agency: staged (read and checked, nothing written to
the registry), then committed. Only rows with an issue are kept (ImportRow), so the report of
a clean 100,000-row file is a few rows, not 100,000; the commit reads the file again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import PermissionPolicy, roles

from .choices import BatchStatus

# The registry's writers import: HR officers for their unit's subtree, data stewards for
# theirs. Leaders read the registry but do not import.
INTAKE_POLICY = PermissionPolicy(
    view=roles(Role.HR_OFFICER, Role.DATA_STEWARD),
    add=roles(Role.HR_OFFICER, Role.DATA_STEWARD),
    change=roles(Role.HR_OFFICER, Role.DATA_STEWARD),
    delete=roles(Role.DATA_STEWARD),
    org_lookup="organization",
)


class ColumnMapping(BaseModel):
    """An agency's columns, saved by name: header key → field ("" leaves a column out)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("tên cách ghép cột"), max_length=100)
    mapping = models.JSONField(_("ghép cột"), default=dict)

    permission_policy = INTAKE_POLICY

    class Meta:
        verbose_name = _("cách ghép cột")
        verbose_name_plural = _("cách ghép cột")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(BaseModel):
    """One file of people from one agency, staged then committed."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    upload_id = models.CharField(max_length=64, blank=True, editable=False)
    layout = models.JSONField(default=dict, blank=True, editable=False)
    mapping = models.JSONField(_("ghép cột"), default=dict, blank=True)
    mapping_name = models.CharField(_("cách ghép cột đã lưu"), max_length=100, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    valid = models.PositiveIntegerField(_("dòng hợp lệ"), default=0)
    errors = models.PositiveIntegerField(_("lỗi"), default=0)
    warnings = models.PositiveIntegerField(_("lưu ý"), default=0)
    new = models.PositiveIntegerField(_("tạo mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("giữ nguyên"), default=0)
    # File-level problems and notes (no header, missing columns, mixed encodings).
    file_issues = models.JSONField(default=list, blank=True, editable=False)
    staged_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    committed_at = models.DateTimeField(_("ghi lúc"), null=True, blank=True)
    annotated_id = models.CharField(max_length=64, blank=True, editable=False)

    permission_policy = INTAKE_POLICY

    class Meta:
        verbose_name = _("đợt nhập")
        verbose_name_plural = _("các đợt nhập")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Đợt nhập %(n)s: %(file)s") % {"n": self.pk, "file": self.file_name}

    def get_absolute_url(self) -> str:
        return reverse("intake:batch_detail", args=[self.pk])

    @property
    def committable(self) -> int:
        """Rows a commit would write (new or changed)."""
        return self.new + self.updated


class ImportRow(models.Model):
    """A row of a batch that has an error or a warning: its cells and its issues."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issue_rows")
    sheet = models.CharField(_("trang"), max_length=100, blank=True)
    row = models.PositiveIntegerField(_("dòng"))
    has_error = models.BooleanField(default=False)
    has_warning = models.BooleanField(default=False)
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    issues = models.JSONField(default=list)

    class Meta:
        verbose_name = _("dòng có vấn đề")
        verbose_name_plural = _("các dòng có vấn đề")
        ordering = ["batch", "sheet", "row"]
        indexes = [models.Index(fields=["batch", "has_error", "sheet", "row"])]

    def __str__(self) -> str:
        return f"{self.sheet} {self.row}"

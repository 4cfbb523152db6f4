"""The base every model stands on, the semantic audit log and background jobs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import AuditKind, JobStatus, Role
from .permissions import PermissionPolicy, roles
from .querysets import RestrictedQuerySet


class BaseModel(models.Model):
    """Timestamps, field-level history and the restricting manager (`objects.restrict`)."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(inherit=True)
    objects = RestrictedQuerySet.as_manager()

    permission_policy: ClassVar[PermissionPolicy]

    class Meta:
        abstract = True

    def delete_blockers(self) -> list[str]:
        """Vietnamese sentences naming what still depends on this object (empty: deletable)."""
        return []


class AuditEventQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> AuditEventQuerySet:
        """Events of the administrator's subtrees. Events tied to no organisation (failed
        sign-ins under unknown names, a superuser's own actions, events of a deleted
        organisation) belong to no tree, so only superusers see them."""
        return super().restrict(user, action)


class AuditEvent(models.Model):
    """One meaningful event: who did what to which object, when and from where."""

    kind = models.CharField(_("loại sự kiện"), max_length=32, choices=AuditKind.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name as typed or as it was then: failed logins have no user, users get renamed.
    actor_name = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    permission_policy = PermissionPolicy(view=roles(Role.ADMIN))

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.actor_name} · {self.at:%d/%m/%Y %H:%M}"


class Job(BaseModel):
    """A long piece of work run by the job worker, with progress a page can poll."""

    kind = models.CharField(_("loại công việc"), max_length=64)
    title = models.CharField(_("tiêu đề"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    # A job's report may describe data of the whole city (an import by a city steward): only
    # the person who started it sees it, not the administrators of their unit.
    permission_policy = PermissionPolicy(owner_lookup="created_by", org_lookup=None)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def stalled(self) -> bool:
        """Queued for over a minute: no worker seems to be running."""
        waited = timezone.now() - self.created_at
        return self.status == JobStatus.QUEUED and waited.total_seconds() > 60

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

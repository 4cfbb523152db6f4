"""Notifications to one user (in the app, and by e-mail), and the record of daily runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trithuc.core.permissions import PermissionPolicy
from trithuc.core.querysets import RestrictedQuerySet

from .choices import NotificationKind


class NotificationQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> NotificationQuerySet:
        """The user's own notifications, whoever they are: a reminder may name another
        agency's late tasks, and a superuser has no business in someone else's inbox."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return super().restrict(user, action).filter(recipient=user)


# Not a BaseModel: a notification has no field history worth keeping (each one marked read
# would add a history row), and it belongs to a user rather than an organisation.
class Notification(models.Model):
    """Something one user should know about: a deadline, a late report, a review."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại thông báo"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # What the notification is about, e.g. "plans:overdue:2025-04-02": the same key is never
    # sent twice to the same person, so a job that runs again sends nothing new.
    key = models.CharField(_("khóa"), max_length=200)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    # Only the recipient sees (and marks) their notifications.
    permission_policy = PermissionPolicy(
        org_lookup=None, owner_lookup="recipient", owner_actions=frozenset({"view", "change"})
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url or reverse("notifications:notification_list")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ScheduledRun(models.Model):
    """A daily task queued by the scheduler on a given day (at most once: a unique row)."""

    name = models.CharField(_("công việc"), max_length=255)
    day = models.DateField(_("ngày"))
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lần chạy hằng ngày")
        verbose_name_plural = _("lần chạy hằng ngày")
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.name} · {self.day:%d/%m/%Y}"

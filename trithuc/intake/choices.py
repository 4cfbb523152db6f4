"""Choice lists of the intake."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Đã tải lên, chờ ghép cột")
    STAGING = "staging", _("Đang kiểm tra")
    STAGED = "staged", _("Đã kiểm tra, chờ ghi")
    FAILED = "failed", _("Không đọc được tệp")
    COMMITTING = "committing", _("Đang ghi")
    COMMITTED = "committed", _("Đã ghi vào hệ thống")

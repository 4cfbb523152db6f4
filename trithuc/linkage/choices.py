"""Choice lists of the linkage app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Thất bại")


class PairStatus(models.TextChoices):
    OPEN = "open", _("Chờ xem xét")
    NOT_SAME = "not_same", _("Không phải cùng một người")


class Method(models.TextChoices):
    CITIZEN_ID = "citizen_id", _("Trùng số định danh cá nhân")
    PROBABILISTIC = "probabilistic", _("Mô hình xác suất")

"""Choice lists of notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Nhắc hạn")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATION = "escalation", _("Đôn đốc")
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo mới gửi")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được chấp nhận")

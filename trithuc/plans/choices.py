"""Choice lists of the action-plan tracker."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Nghị quyết")
    PROGRAMME = "programme", _("Chương trình hành động")
    PLAN = "plan", _("Kế hoạch")
    OTHER = "other", _("Văn bản khác")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    RECURRING = "recurring", _("Định kỳ, thường xuyên")
    FROM = "from", _("Thực hiện từ")
    NONE = "none", _("Không ghi thời hạn")


class Recurrence(models.TextChoices):
    ONGOING = "ongoing", _("Thường xuyên")
    YEARLY = "yearly", _("Hằng năm")
    QUARTERLY = "quarterly", _("Hằng quý")


class ExpectedOutput(models.TextChoices):
    SCHEME = "scheme", _("Đề án")
    PLAN = "plan", _("Kế hoạch")
    REPORT = "report", _("Báo cáo")
    DATABASE = "database", _("Cơ sở dữ liệu")
    POLICY = "policy", _("Cơ chế, chính sách")
    OTHER = "other", _("Khác")


class AgencyGroup(models.TextChoices):
    """Coordinating agencies named as a group rather than one by one."""

    ALL_DEPARTMENTS = "all_departments", _("Các sở, ban, ngành")
    ALL_LOCALITIES = "all_localities", _("UBND các xã, phường (địa phương)")
    ALL_RELATED = "all_related", _("Các đơn vị liên quan")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    DONE_LATE = "done_late", _("Hoàn thành muộn")
    OVERDUE = "overdue", _("Quá hạn")
    CANCELLED = "cancelled", _("Đã hủy")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")

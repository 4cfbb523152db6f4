"""Choice lists shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is held in an organisation and applies to that organisation's whole subtree."""

    ADMIN = "admin", _("Quản trị hệ thống")
    DATA_STEWARD = "data_steward", _("Quản lý dữ liệu")
    HR_OFFICER = "hr_officer", _("Cán bộ tổ chức - nhân sự")
    PLAN_COORDINATOR = "plan_coordinator", _("Điều phối kế hoạch")
    LEADER = "leader", _("Lãnh đạo")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng")


# Every role above is a staff role: TOTP is required before any page is served.
STAFF_ROLES = frozenset(Role.values)


class Action(models.TextChoices):
    VIEW = "view", _("Xem")
    ADD = "add", _("Thêm")
    CHANGE = "change", _("Sửa")
    DELETE = "delete", _("Xóa")


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOCKOUT = "lockout", _("Khóa tài khoản tạm thời")
    MFA_ENABLED = "mfa_enabled", _("Bật xác thực hai lớp")
    MFA_FAILED = "mfa_failed", _("Nhập sai mã xác thực hai lớp")
    MFA_REMOVED = "mfa_removed", _("Gỡ phương thức xác thực hai lớp")
    EXPORT = "export", _("Xuất dữ liệu")
    SENSITIVE_READ = "sensitive_read", _("Đọc trường nhạy cảm")
    ROLE_GRANTED = "role_granted", _("Cấp vai trò")
    ROLE_REVOKED = "role_revoked", _("Thu hồi vai trò")
    OBJECT_CREATED = "object_created", _("Tạo đối tượng")
    OBJECT_CHANGED = "object_changed", _("Sửa đối tượng")
    OBJECT_DELETED = "object_deleted", _("Xóa đối tượng")
    IMPORT = "import", _("Nhập dữ liệu")
    ACCOUNT_CREATED = "account_created", _("Tạo tài khoản")
    ACCOUNT_CHANGED = "account_changed", _("Sửa tài khoản")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    MFA_RESET = "mfa_reset", _("Đặt lại xác thực hai lớp")
    TOKEN_ISSUED = "token_issued", _("Cấp mã truy cập API")
    TOKEN_REVOKED = "token_revoked", _("Thu hồi mã truy cập API")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Thất bại")

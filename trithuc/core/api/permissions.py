from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from trithuc.accounts.middleware import needs_totp
from trithuc.core.permissions import user_can

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RestrictedPermission(BasePermission):
    """Signed in, and holding a role that allows the method's action on this model somewhere.

    Object scope is applied by the viewset's restricted queryset (outside it: 404).
    """

    message = _("Bạn không có quyền thực hiện thao tác này.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        # Checked here, after DRF has authenticated a token: the middleware runs before that
        # and sees token callers as anonymous.
        if getattr(request.user, "must_change_password", False):
            self.message = _("Hãy đổi mật khẩu tạm thời trước khi dùng API.")
            return False
        if needs_totp(request.user):
            self.message = _(
                "Tài khoản cán bộ phải bật xác thực hai lớp (TOTP) trước khi dùng API."
            )
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        return user_can(request.user, queryset.model, ACTION_FOR_METHOD.get(request.method, "view"))

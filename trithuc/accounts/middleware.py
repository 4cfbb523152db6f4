"""Staff must use TOTP: until they enrol, every page sends them to the enrolment page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from trithuc.core.permissions import role_paths

# Pages reachable before enrolment: sign-in/out, the MFA pages themselves, static files,
# the language switch.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


def needs_totp(user: Any) -> bool:
    """A staff member (any role, or a superuser) without a TOTP authenticator.

    Checked on every request, not remembered in the session: a role granted, or an
    authenticator reset by an administrator, takes effect at the user's next click. The
    roles come from the per-request cache that permission checks share.
    """
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_trithuc_needs_totp", None)
    if cached is not None:
        return cached
    result = bool(user.is_superuser or role_paths(user)) and not (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
    user._trithuc_needs_totp = result  # per request: the user object is the request's
    return result


class RequireStaffMFAMiddleware:
    """Gate every page: first a temporary password must be changed, then staff enrol TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        gated = (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
        )
        if gated and getattr(user, "must_change_password", False):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    _("Hãy đổi mật khẩu tạm thời trước khi dùng API."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            messages.info(request, _("Hãy đặt mật khẩu mới thay cho mật khẩu tạm thời."))
            return HttpResponseRedirect(reverse("account_change_password"))
        if gated and needs_totp(user):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    _("Tài khoản cán bộ phải bật xác thực hai lớp (TOTP) trước khi dùng API."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

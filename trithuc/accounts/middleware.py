"""Staff must use TOTP: until they enrol, every page sends them to the enrolment page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Pages reachable before enrolment: sign-in/out, the MFA pages themselves, static files,
# the language switch.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")
SESSION_KEY = "trithuc_mfa_ok"


def needs_totp(user) -> bool:  # type: ignore[no-untyped-def]
    from allauth.mfa.models import Authenticator

    if not (user.is_superuser or user.memberships.exists()):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.session.get(SESSION_KEY)
        ):
            if needs_totp(user):
                if request.path.startswith("/api/"):
                    return HttpResponse(
                        "Tài khoản cán bộ phải bật xác thực hai lớp (TOTP) trước khi dùng API.",
                        status=403,
                        content_type="text/plain; charset=utf-8",
                    )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            request.session[SESSION_KEY] = True
        return self.get_response(request)

"""Authentication events go to the audit log."""

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from trithuc.core import audit
from trithuc.core.choices import AuditKind

from .models import User


def _unit_of_account(name: str) -> Any:
    """The unit of the account a sign-in attempt named, if it exists.

    Failures and lockouts on an existing account belong to its unit, whose administrators
    should see attacks on their staff; what the client is shown does not depend on it.
    """
    account = (
        User.objects.filter(username__iexact=name.strip()).select_related("organization").first()
    )
    return account.organization if account else None


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(AuditKind.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditKind.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    name = str(credentials.get("username") or credentials.get("login") or "")
    audit.record(
        AuditKind.LOGIN_FAILED,
        actor_name=name,
        request=request,
        organization=_unit_of_account(name),
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str = "", **kwargs: Any) -> None:
    audit.record(
        AuditKind.LOCKOUT,
        actor_name=username or "",
        request=request,
        organization=_unit_of_account(username or ""),
    )


@receiver(authenticator_added)
def on_mfa_added(sender: Any, request: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(
        AuditKind.MFA_ENABLED,
        actor=authenticator.user,
        request=request,
        details={"type": authenticator.type},
    )


@receiver(authentication_failed)
def on_mfa_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(
        AuditKind.MFA_FAILED,
        actor=user,
        request=request,
        details={"reauthentication": bool(kwargs.get("reauthentication"))},
    )


@receiver(authenticator_removed)
def on_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(
        AuditKind.MFA_REMOVED, actor=user, request=request, details={"type": authenticator.type}
    )


@receiver(password_changed)
@receiver(password_reset)
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # The temporary password an administrator saw is gone: the account is the user's again.
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])

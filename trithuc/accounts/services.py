"""Granting and revoking roles, each an audit event."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.permissions import forget_role_paths

from .models import Membership, User


@transaction.atomic
def membership_grant(
    *, user: User, organization: Any, role: str, acting_user: Any, request: Any = None
) -> Membership:
    """Give `user` the `role` over `organization`'s subtree (idempotent)."""
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role, defaults={"granted_by": acting_user}
    )
    if created:
        audit.record(
            AuditKind.ROLE_GRANTED,
            actor=acting_user,
            obj=membership,
            request=request,
            details={"user": user.username, "role": role, "organization": organization.code},
        )
    forget_role_paths(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, acting_user: Any, request: Any = None) -> None:
    """Take a role away; the event keeps who held it where."""
    audit.record(
        AuditKind.ROLE_REVOKED,
        actor=acting_user,
        obj=membership,
        request=request,
        details={
            "user": membership.user.username,
            "role": membership.role,
            "organization": membership.organization.code,
        },
    )
    membership.delete()
    forget_role_paths(membership.user)


def totp_enrol(*, user: User, secret: str | None = None) -> str:
    """Enrol `user` in TOTP with `secret` (generated when not given); returns the secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = secret or generate_totp_secret()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    return secret


def totp_secret(*, user: User) -> str | None:
    """The user's TOTP secret in clear (stored encrypted), or None when not enrolled."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    return get_adapter().decrypt(authenticator.data["secret"])


def totp_current_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (demo and browser tests)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@transaction.atomic
def api_token_issue(*, user: User, request: Any = None) -> str:
    """Issue a new API token for `user`, replacing any previous one; returns the key."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(AuditKind.TOKEN_ISSUED, actor=user, request=request)
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User, request: Any = None) -> None:
    """Delete the user's API token; calls made with it fail from now on."""
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(user=user).delete()[0]:
        audit.record(AuditKind.TOKEN_REVOKED, actor=user, request=request)


def _end_api_access(user: User, *, acting_user: Any = None, request: Any = None) -> None:
    """Delete the account's API token (after a reset or deactivation), as an audit event."""
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(user=user).delete()[0]:
        audit.record(
            AuditKind.TOKEN_REVOKED,
            actor=acting_user,
            obj=user,
            request=request,
            details={"user": user.get_username()},
        )


def _temporary_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    email: str,
    organization: Any,
    acting_user: Any,
    request: Any = None,
) -> tuple[User, str]:
    """Create an account with a temporary password, returned once for the administrator."""
    password = _temporary_password()
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        organization=organization,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    audit.record(
        AuditKind.ACCOUNT_CREATED,
        actor=acting_user,
        obj=user,
        request=request,
        details={"username": username},
    )
    return user, password


@transaction.atomic
def user_update(*, user: User, changed: list[str], acting_user: Any, request: Any = None) -> User:
    """Save an edited account; deactivating it also ends its API token."""
    user.save()
    if not user.is_active:
        _end_api_access(user, acting_user=acting_user, request=request)
    audit.record(
        AuditKind.ACCOUNT_CHANGED,
        actor=acting_user,
        obj=user,
        request=request,
        details={"fields": sorted(changed)},
    )
    return user


@transaction.atomic
def user_password_reset(*, user: User, acting_user: Any, request: Any = None) -> str:
    """Give the account a new temporary password (returned once) and unlock it."""
    from axes.utils import reset as axes_reset

    password = _temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _end_api_access(user, acting_user=acting_user, request=request)
    axes_reset(username=user.get_username().lower())
    if request is not None:
        # allauth keeps its own per-name failure count (in the cache); allauth itself clears
        # it this way after a password reset by e-mail.
        from allauth.account.adapter import get_adapter as get_account_adapter

        get_account_adapter()._delete_login_attempts_cached_email(
            request, username=user.get_username()
        )
    audit.record(AuditKind.PASSWORD_RESET, actor=acting_user, obj=user, request=request)
    return password


@transaction.atomic
def user_mfa_reset(*, user: User, acting_user: Any, request: Any = None) -> None:
    """Remove the account's authenticators (lost phone); a staff member re-enrols at sign-in."""
    from allauth.mfa.models import Authenticator

    removed = Authenticator.objects.filter(user=user).delete()[0]
    _end_api_access(user, acting_user=acting_user, request=request)
    if request is not None:
        # allauth counts wrong codes per account (in the cache); start the new enrolment clean.
        from allauth.core import ratelimit

        ratelimit.clear(request, action="login_failed", key=f"mfa-auth-user-{user.pk}")
    audit.record(
        AuditKind.MFA_RESET,
        actor=acting_user,
        obj=user,
        request=request,
        details={"authenticators_removed": removed},
    )

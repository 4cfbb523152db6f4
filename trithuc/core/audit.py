"""The semantic event log: `audit.record(AuditKind.EXPORT, actor=user, obj=..., request=...)`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditKind
from .models import AuditEvent

# How the keys of AuditEvent.details read on the audit page.
DETAIL_LABELS = {
    "fields": _("Trường đã sửa"),
    "read_fields": _("Trường đã xem"),
    "version": _("Phiên bản được khôi phục"),
    "what": _("Dữ liệu"),
    "rows": _("Số dòng"),
    "filters": _("Bộ lọc"),
    "type": _("Phương thức"),
    "user": _("Tài khoản"),
    "username": _("Tài khoản"),
    "role": _("Vai trò"),
    "organization": _("Tổ chức"),
    "source": _("Nguồn"),
    "file": _("Tệp"),
    "created": _("Tạo mới"),
    "updated": _("Cập nhật"),
    "unchanged": _("Không đổi"),
    "reauthentication": _("Khi xác nhận lại"),
    "authenticators_removed": _("Số phương thức đã gỡ"),
}


def client_ip(request: Any) -> str | None:
    """The client's address as the outermost trusted proxy saw it.

    With TRITHUC_TRUSTED_PROXIES = 0 (direct connections) that is REMOTE_ADDR. Behind N
    proxies that each append to X-Forwarded-For, it is the N-th address from the right: the
    addresses to its left were written by the client and can be forged.
    """
    if request is None:
        return None
    proxies = getattr(settings, "TRITHUC_TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _organization_of(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    if obj._meta.label == "organizations.Organization":
        return obj
    policy = getattr(obj, "permission_policy", None)
    lookup = getattr(policy, "org_lookup", None)
    if not lookup:
        return None
    target: Any = obj
    for part in lookup.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def record(
    kind: AuditKind | str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: Any = None,
    actor_name: str = "",
    organization: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event; the actor defaults to the request's user."""
    request_user = getattr(request, "user", None)
    if actor is None and request_user is not None and request_user.is_authenticated:
        actor = request_user
    if actor is not None and not actor_name:
        actor_name = actor.get_username()
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=actor_name[:150],
        ip=client_ip(request),
        # Events about no organisation's object (sign-ins, exports) belong to the actor's
        # unit, so that the administrators of that unit see them.
        organization=organization or _organization_of(obj) or getattr(actor, "organization", None),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        details=details or {},
    )


__all__ = ["AuditKind", "client_ip", "record"]

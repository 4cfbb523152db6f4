"""Writes and guarded reads of the registry: citizen IDs, sensitive fields, revert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.crypto import decrypt, encrypt, keyed_hash
from trithuc.core.permissions import scope_q

from . import citizen_id
from .models import REVERT_POLICY, SENSITIVE_POLICY, Person


@dataclass(frozen=True)
class CitizenIdCheck:
    """The outcome of checking a typed citizen ID for a person."""

    number: str = ""
    error: str = ""
    # The person who already has this number, when the caller may see them.
    existing: Person | None = None


def check_citizen_id(
    raw: str, *, gender: str | None, birth_year: int | None, person_pk: int | None, user: Any
) -> CitizenIdCheck:
    """Structure, consistency with gender and birth year, and uniqueness (by keyed hash).

    A number already held by someone else is refused; the message links to that record
    when the caller may view it, and otherwise tells them who can resolve it, without
    naming anyone.
    """
    parsed = citizen_id.parse(raw, gender=gender, birth_year=birth_year)
    if isinstance(parsed, citizen_id.CitizenIdProblem):
        return CitizenIdCheck(error=parsed.message)
    holders = Person.objects.filter(citizen_id_hash=keyed_hash(parsed.number))
    if person_pk is not None:
        holders = holders.exclude(pk=person_pk)
    holder = holders.first()
    if holder is None:
        return CitizenIdCheck(number=parsed.number)
    visible = Person.objects.restrict(user, "view").filter(pk=holder.pk).exists()
    if visible:
        return CitizenIdCheck(
            error=_("Số định danh này đã có trong hồ sơ của %(name)s (mã hồ sơ %(pk)s).")
            % {"name": holder.full_name, "pk": holder.pk},
            existing=holder,
        )
    return CitizenIdCheck(
        error=_(
            "Số định danh này đã có trong một hồ sơ ở đơn vị khác. Hãy kiểm tra lại số, hoặc "
            "đề nghị cán bộ quản lý dữ liệu của thành phố chuyển hồ sơ đó về đơn vị bạn."
        )
    )


def existing_link(check: CitizenIdCheck) -> str:
    """The refusal as HTML with a link to the existing record (for the page)."""
    if check.existing is None:
        return check.error
    return format_html(
        '{} <a href="{}">{}</a>',
        check.error,
        reverse("registry:person_detail", args=[check.existing.pk]),
        _("Mở hồ sơ đó"),
    )


def set_citizen_id(person: Person, number: str) -> None:
    """Store a checked number: encrypted, a keyed hash for lookup, the last digits for the
    masked form. An empty number clears it."""
    if not number:
        person.citizen_id_encrypted, person.citizen_id_hash, person.citizen_id_last = "", None, ""
        return
    person.citizen_id_encrypted = encrypt(number)
    person.citizen_id_hash = keyed_hash(number)
    person.citizen_id_last = number[-3:]


def find_by_citizen_id(raw: str, queryset: Any) -> Any:
    """The people of `queryset` holding the number typed (exact match on the keyed hash)."""
    number, _fixes = citizen_id.normalize(raw)
    if len(number) != 12 or not number.isdigit():
        return queryset.none()
    return queryset.filter(citizen_id_hash=keyed_hash(number))


def may_read_sensitive(user: Any, person: Person) -> bool:
    q = scope_q(user, Person, "view", SENSITIVE_POLICY)
    if q is None:
        return True
    return Person.objects.filter(q, pk=person.pk).exists()


def may_revert(user: Any, person: Person) -> bool:
    q = scope_q(user, Person, "view", REVERT_POLICY)
    if q is None:
        return True
    return Person.objects.filter(q, pk=person.pk).exists()


def read_sensitive(person: Person, *, user: Any, request: Any = None, purpose: str) -> dict:
    """The sensitive fields in clear, for a caller allowed them; the read is an audit event."""
    if not may_read_sensitive(user, person):
        raise PermissionError("not allowed to read sensitive fields")
    try:
        number = decrypt(person.citizen_id_encrypted) if person.citizen_id_encrypted else ""
    except ValueError:
        number = _(
            "(không giải mã được: khóa mã hóa TRITHUC_ENCRYPTION_KEY đã bị thay đổi? Hãy báo "
            "quản trị hệ thống)"
        )
    values = {
        "citizen_id": number,
        "ethnicity": person.ethnicity,
        "religion": person.religion,
    }
    audit.record(
        AuditKind.SENSITIVE_READ,
        actor=user,
        obj=person,
        request=request,
        details={"read_fields": list(Person.SENSITIVE_FIELDS), "source": purpose},
    )
    return values


# Fields a revert restores: what people typed, not the summary computed from sub-records.
REVERTIBLE_EXCLUDE = {
    "id",
    "created_at",
    "updated_at",
    "highest_degree",
    "degree_group",
    "title",
    "primary_field",
    "is_leader",
    "retirement_date",
}


def revert_person(person: Person, history_id: int, *, user: Any, request: Any = None) -> Person:
    """Restore the person's own fields to an earlier version; the revert is itself a new
    version (nothing is lost) and an audit event. A citizen ID held since by someone else is
    refused rather than duplicated."""
    if not may_revert(user, person):
        raise PermissionError("not allowed to revert")
    record = person.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError(_("Không tìm thấy phiên bản này của hồ sơ."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        changed = []
        for field in Person._meta.concrete_fields:
            # Derived columns (the summary, the search and sort keys) follow on save.
            keep = {"citizen_id_encrypted", "citizen_id_hash", "citizen_id_last"}
            if field.name in REVERTIBLE_EXCLUDE or (not field.editable and field.name not in keep):
                continue
            old = getattr(record, field.attname)
            if getattr(locked, field.attname) != old:
                setattr(locked, field.attname, old)
                changed.append(field.name)
        if locked.citizen_id_hash:
            taken = (
                Person.objects.filter(citizen_id_hash=locked.citizen_id_hash)
                .exclude(pk=locked.pk)
                .exists()
            )
            if taken:
                raise ValidationError(
                    _(
                        "Không khôi phục được: số định danh của phiên bản đó nay đã thuộc một "
                        "hồ sơ khác."
                    )
                )
        if not changed:
            return locked
        locked.save()
        update_change_reason(
            locked,
            _("Khôi phục phiên bản ngày %(date)s")
            % {"date": timezone.localtime(record.history_date).strftime("%d/%m/%Y %H:%M")},
        )
        locked.refresh_summary()
        audit.record(
            AuditKind.OBJECT_CHANGED,
            actor=user,
            obj=locked,
            request=request,
            details={"fields": sorted(changed), "source": "revert", "version": history_id},
        )
    return locked


def revert_record(
    person: Person, model: Any, history_id: int, *, user: Any, request: Any = None
) -> Any:
    """Bring one sub-record of the person back to a version: its values then, or the record
    itself when that version is its deletion. The restore is a new version of the record."""
    if not may_revert(user, person):
        raise PermissionError("not allowed to revert")
    record = model.history.filter(history_id=history_id, person_id=person.pk).first()
    if record is None:
        raise ValidationError(_("Không tìm thấy phiên bản này của hồ sơ."))
    restored = record.instance
    try:
        with transaction.atomic():
            restored.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Không khôi phục được: mục này nay trùng với một mục đang có của hồ sơ.")
        ) from exc
    update_change_reason(
        restored,
        _("Khôi phục phiên bản ngày %(date)s")
        % {"date": timezone.localtime(record.history_date).strftime("%d/%m/%Y %H:%M")},
    )
    audit.record(
        AuditKind.OBJECT_CHANGED,
        actor=user,
        obj=person,
        request=request,
        details={
            "fields": [str(model._meta.verbose_name_plural)],
            "source": "revert",
            "version": history_id,
        },
    )
    return restored

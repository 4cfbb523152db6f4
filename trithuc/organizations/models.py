"""Organisations as a tree with materialised paths, and administrative units."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import ALL_ROLES, PermissionPolicy, roles
from trithuc.core.querysets import RestrictedQuerySet
from trithuc.core.text import fold

from .choices import AdministrativeLevel, OrganizationType

# One path segment per level: the primary key, zero-padded so that string order is tree order
# within a level and a prefix never matches a sibling ("000012/" is not a prefix of "000123/").
SEGMENT_WIDTH = 10
# 255 characters of path at 11 per level hold 23 levels; 20 leaves room and is far more than
# any administration needs.
MAX_DEPTH = 20
# Key of the PostgreSQL advisory lock that serialises changes to the organisation tree.
TREE_LOCK_KEY = 4_513_001


CODE_PATTERN = r"^[A-Z0-9][A-Z0-9._\-]*$"
code_validator = RegexValidator(
    CODE_PATTERN,
    message=_(
        "Mã chỉ gồm chữ cái không dấu, chữ số và các dấu . _ -, viết liền, ví dụ SNV hoặc "
        "BV-XANHPON."
    ),
)


def normalize_code(value: str) -> str:
    """Codes are compared and stored in capitals, without surrounding spaces."""
    return (value or "").strip().upper()


def subtree_height(path: str) -> int:
    """How many levels the subtree at `path` reaches below its root (0 for a leaf or no path)."""
    if not path:
        return 0
    deepest = Organization.objects.filter(path__startswith=path).aggregate(m=Max("depth"))["m"]
    return max(0, (deepest or 0) - (path.count("/") - 1))


def lock_tree() -> None:
    """Serialise tree changes until the end of the current transaction.

    PostgreSQL: a transaction-level advisory lock. SQLite: nothing to do, every write
    transaction already starts with BEGIN IMMEDIATE (see settings), one at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])


class AdministrativeUnit(models.Model):
    """A province or commune (2025 structure), or a legacy province/district mapped to it."""

    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    folded_name = models.CharField(max_length=150, db_index=True, editable=False)
    level = models.CharField(_("cấp"), max_length=16, choices=AdministrativeLevel.choices)
    division_type = models.CharField(_("loại"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    is_legacy = models.BooleanField(_("đơn vị cũ (trước 1/7/2025)"), default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("thuộc đơn vị mới"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    objects = RestrictedQuerySet.as_manager()

    # Public reference data: every staff role reads all of it; changes come by migration.
    permission_policy = PermissionPolicy(view=ALL_ROLES, org_lookup=None, unscoped=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "is_legacy"])]

    def __str__(self) -> str:
        if self.level != AdministrativeLevel.PROVINCE and self.parent is not None:
            return f"{self.name}, {self.parent.name}"
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def current(self) -> AdministrativeUnit:
        """The unit of the 2025 structure this one is now part of (itself if current)."""
        if self.is_legacy and self.successor is not None:
            return self.successor
        return self


class Organization(BaseModel):
    """An agency or unit; a role held here applies to its whole subtree."""

    code = models.CharField(
        _("mã"),
        max_length=32,
        unique=True,
        validators=[code_validator],
        help_text=_("Mã duy nhất, ví dụ SNV cho Sở Nội vụ."),
    )
    name = models.CharField(_("tên (tiếng Việt)"), max_length=255)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=255, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    folded_name = models.CharField(max_length=255, db_index=True, editable=False)
    type = models.CharField(_("loại hình"), max_length=32, choices=OrganizationType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Materialised path: "0000000001/0000000007/" — the subtree is `path__startswith`.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    permission_policy = PermissionPolicy(
        view=ALL_ROLES,
        add=roles(Role.DATA_STEWARD),
        change=roles(Role.DATA_STEWARD),
        delete=roles(Role.DATA_STEWARD),
        org_lookup="",
    )

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])

    # The path is an invariant of the tree, whoever saves (form, import, shell), so it is
    # maintained here rather than in a service that a caller could bypass. Every change runs
    # under one tree-wide lock and re-checks the tree as it is at that moment: two moves
    # validated at the same time must not make a cycle, and a child added while its
    # parent moves must land under the parent's new path.
    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.folded_name = fold(self.name)
        self.code = normalize_code(self.code)
        with transaction.atomic():
            lock_tree()
            creating = self.pk is None
            old_path = ""
            if not creating:
                old_path = (
                    Organization.objects.filter(pk=self.pk).values_list("path", flat=True).first()
                    or ""
                )
            parent_path = self._parent_path()
            self._check_tree(parent_path, old_path)
            if not creating:
                self._set_path(parent_path)
                if kwargs.get("update_fields") is not None:
                    # The path is computed from this object's parent: write both, or a stale
                    # instance could leave path and parent disagreeing.
                    kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth", "parent"}
            super().save(*args, **kwargs)
            if creating:
                # The path needs the primary key, known only after the INSERT.
                self._set_path(parent_path)
                Organization.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            elif old_path and old_path != self.path:
                self._move_descendants(old_path)

    def _parent_path(self) -> str:
        if not self.parent_id:
            return ""
        return Organization.objects.values_list("path", flat=True).get(pk=self.parent_id)

    def _check_tree(self, parent_path: str, old_path: str) -> None:
        """Refuse a cycle or a tree deeper than the path column holds (under the lock)."""
        if old_path and parent_path.startswith(old_path):
            raise ValidationError({"parent": self._cycle_message()})
        deepest = parent_path.count("/") + subtree_height(old_path)
        if deepest >= MAX_DEPTH:
            raise ValidationError({"parent": self._depth_message()})

    def _set_path(self, parent_path: str) -> None:
        self.path = f"{parent_path}{self.pk:0{SEGMENT_WIDTH}d}/"
        self.depth = self.path.count("/") - 1

    @staticmethod
    def _cycle_message() -> str:
        return gettext(
            "Không thể chọn đơn vị cấp trên là chính đơn vị này hoặc một đơn vị "
            "trực thuộc nó (sẽ tạo vòng lặp). Hãy chọn một đơn vị khác."
        )

    @staticmethod
    def _depth_message() -> str:
        return gettext(
            "Cây tổ chức chỉ có tối đa %(n)s cấp; chọn đơn vị cấp trên này sẽ vượt quá. "
            "Hãy chọn một đơn vị cấp trên ở cấp cao hơn."
        ) % {"n": MAX_DEPTH}

    def parent_error(self, parent: Organization | None) -> str | None:
        """Why `parent` cannot be this organisation's parent, or None if it can (form and API
        check; save() checks again under the tree lock)."""
        if parent is None:
            return None
        if self.pk and self.path and parent.path.startswith(self.path):
            return self._cycle_message()
        below = subtree_height(self.path) if self.pk else 0
        if parent.depth + 1 + below >= MAX_DEPTH:
            return self._depth_message()
        return None

    def clean(self) -> None:
        super().clean()
        error = self.parent_error(self.parent) if self.parent_id else None
        if error:
            raise ValidationError({"parent": error})

    def _move_descendants(self, old_path: str) -> None:
        # One UPDATE for the whole subtree: swap the old prefix for the new one.
        shift = self.depth - (old_path.count("/") - 1)
        Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(self.path), Substr(F("path"), len(old_path) + 1)),
            depth=F("depth") + shift,
        )

    def subtree(self) -> models.QuerySet[Organization]:
        return Organization.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organization]:
        ids = [int(seg) for seg in self.path.strip("/").split("/")[:-1] if seg]
        return Organization.objects.filter(pk__in=ids).order_by("depth")

    def is_descendant_of(self, other: Organization) -> bool:
        return bool(other.path) and self.path.startswith(other.path)

    def delete_blockers(self) -> list[str]:
        blockers = []
        children = self.children.count()
        if children:
            blockers.append(
                gettext("Còn %(n)s đơn vị trực thuộc: hãy chuyển hoặc xóa các đơn vị đó trước.")
                % {"n": children}
            )
        # Later apps (the registry) hang people and other records on organisations; every
        # protected reverse relation is counted so no app has to register itself here.
        for rel in self._meta.related_objects:
            if rel.on_delete is not models.PROTECT or rel.related_model is Organization:
                continue
            count = rel.related_model._default_manager.filter(**{rel.field.name: self}).count()
            if count:
                blockers.append(
                    gettext("Còn %(n)s %(what)s gắn với đơn vị này: hãy chuyển hoặc xóa trước.")
                    % {"n": count, "what": rel.related_model._meta.verbose_name_plural}
                )
        return blockers

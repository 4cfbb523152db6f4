"""Linkage runs, the pairs they propose, the stewards' decisions and merges.

Merging deletes the absorbed person's row after moving everything that hangs on it to the
survivor; the Merge keeps a full copy of that row (and of anything the move had to drop), so
that undoing it brings the person back with the same id, and the absorbed person's history
stays in the history table under that id.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import PermissionPolicy, roles, scope_q
from trithuc.core.querysets import RestrictedQuerySet

from . import choices as c

STEWARDS = roles(Role.DATA_STEWARD)


class BothSidesQuerySet(RestrictedQuerySet):
    """Restricts to rows whose two people (or organisations) both lie in the user's scope:
    a steward of one agency never sees a pair half outside it."""

    second_lookup: str

    def restrict(self, user: Any, action: str = "view") -> Any:
        policy = self.model.permission_policy  # type: ignore[attr-defined]
        first = scope_q(user, self.model, action)
        second = scope_q(user, self.model, action, policy.via(self.second_lookup))
        qs = self
        for q in (first, second):
            if q is not None:
                qs = qs.filter(q)
        return qs


class PairQuerySet(BothSidesQuerySet):
    second_lookup = "person_b__organization"


class MergeQuerySet(BothSidesQuerySet):
    second_lookup = "absorbed_organization"


class LinkRun(BaseModel):
    """One search for duplicates over the whole registry."""

    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=c.RunStatus.choices,
        default=c.RunStatus.RUNNING,
    )
    threshold = models.FloatField(_("ngưỡng xác suất"))
    records = models.PositiveIntegerField(_("số hồ sơ"), default=0)
    comparisons = models.PositiveBigIntegerField(_("số cặp đã so sánh"), default=0)
    pairs = models.PositiveIntegerField(_("số cặp nghi trùng"), default=0)
    clusters = models.PositiveIntegerField(_("số nhóm"), default=0)
    people_in_clusters = models.PositiveIntegerField(_("số người trong các nhóm"), default=0)
    new_pairs = models.PositiveIntegerField(_("số cặp mới"), default=0)
    timings = models.JSONField(_("thời gian"), default=dict, blank=True)
    parameters = models.JSONField(_("tham số mô hình"), default=dict, blank=True)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chạy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    # A run covers the whole registry and shows only counts: every data steward reads them;
    # starting one is for stewards of the whole city (a top-level organisation).
    permission_policy = PermissionPolicy(
        view=STEWARDS, add=STEWARDS, org_lookup=None, unscoped=True
    )

    class Meta:
        verbose_name = _("lần tìm hồ sơ trùng")
        verbose_name_plural = _("các lần tìm hồ sơ trùng")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        at = timezone.localtime(self.created_at)
        return str(_("Tìm hồ sơ trùng lúc %(at)s")) % {"at": f"{at:%d/%m/%Y %H:%M}"}


class CandidatePair(BaseModel):
    """Two people the linkage takes to be possibly the same, with why (the agreements)."""

    run = models.ForeignKey(
        LinkRun, verbose_name=_("lần tìm"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_a = models.ForeignKey(
        "registry.Person", verbose_name=_("hồ sơ A"), on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        "registry.Person", verbose_name=_("hồ sơ B"), on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField(_("xác suất trùng"))
    method = models.CharField(_("cách tìm"), max_length=16, choices=c.Method.choices)
    # {comparison: {"level": code, "status": agree|partial|disagree|missing}}
    agreements = models.JSONField(_("mức khớp từng trường"), default=dict)
    # The smallest person id of the cluster the pair belongs to, at the run.
    cluster = models.BigIntegerField(_("nhóm"), db_index=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=c.PairStatus.choices,
        default=c.PairStatus.OPEN,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)

    objects = PairQuerySet.as_manager()  # type: ignore[misc]
    # Deciding about two people is for data stewards of both (REGISTRY_POLICY's delete role).
    permission_policy = PermissionPolicy(
        view=STEWARDS, change=STEWARDS, org_lookup="person_a__organization"
    )

    class Meta:
        verbose_name = _("cặp hồ sơ nghi trùng")
        verbose_name_plural = _("cặp hồ sơ nghi trùng")
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="pair_queue")]

    def __str__(self) -> str:
        return f"#{self.person_a_id} – #{self.person_b_id}"

    def get_absolute_url(self) -> str:
        return reverse("linkage:pair_detail", args=[self.pk])


class NotSamePerson(BaseModel):
    """A steward's decision that two people are different: never proposed again.

    Kept by id, not as foreign keys, so that it outlives merges and their undoing."""

    person_low = models.BigIntegerField(_("hồ sơ (mã nhỏ hơn)"))
    person_high = models.BigIntegerField(_("hồ sơ (mã lớn hơn)"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the decision was copied to a survivor by a merge (removed if it is undone).
    from_merge = models.ForeignKey(
        "Merge", null=True, blank=True, on_delete=models.CASCADE, related_name="copied_decisions"
    )

    permission_policy = PermissionPolicy(view=STEWARDS, org_lookup=None, unscoped=True)

    class Meta:
        verbose_name = _("quyết định không phải cùng một người")
        verbose_name_plural = _("quyết định không phải cùng một người")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="not_same_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.person_low} ≠ #{self.person_high}"


class Merge(BaseModel):
    """Two records of one person made one: what was chosen, moved and kept, and its undoing."""

    survivor = models.ForeignKey(
        "registry.Person",
        verbose_name=_("hồ sơ giữ lại"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="merges",
    )
    absorbed_pk = models.BigIntegerField(_("mã hồ sơ được hợp nhất"), db_index=True)
    absorbed_name = models.CharField(_("họ và tên hồ sơ được hợp nhất"), max_length=150)
    absorbed_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("đơn vị của hồ sơ được hợp nhất"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The absorbed person's row as Django serialises it (restored with the same id).
    absorbed_snapshot = models.JSONField(default=list)
    # {field: "survivor" | "absorbed"} as the steward chose.
    choices = models.JSONField(_("lựa chọn từng trường"), default=dict)
    # The survivor's values of the fields the merge changed, before and after.
    survivor_before = models.JSONField(default=dict)
    survivor_after = models.JSONField(default=dict)
    # {"registry.degree": [pk, …]}: sub-records moved to the survivor.
    moved = models.JSONField(default=dict)
    # Sub-records the move could not keep as they were (a field of expertise both had; a
    # second "main" field): serialised, to be put back by an undo.
    adjusted = models.JSONField(default=dict)
    moved_account = models.BooleanField(default=False)
    # Where each record came from (source, detail, agency, verification), both kept.
    provenances = models.JSONField(_("nguồn của hai hồ sơ"), default=list)
    probability = models.FloatField(_("xác suất trùng"), null=True)
    agreements = models.JSONField(default=dict)
    method = models.CharField(max_length=16, choices=c.Method.choices, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hợp nhất"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("hoàn tác lúc"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hoàn tác"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MergeQuerySet.as_manager()  # type: ignore[misc]
    permission_policy = PermissionPolicy(
        view=STEWARDS, change=STEWARDS, org_lookup="survivor__organization"
    )

    class Meta:
        verbose_name = _("hợp nhất hồ sơ")
        verbose_name_plural = _("hợp nhất hồ sơ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Hợp nhất #%(absorbed)s vào #%(survivor)s")) % {
            "absorbed": self.absorbed_pk,
            "survivor": self.survivor_id,
        }

    def get_absolute_url(self) -> str:
        return reverse("linkage:merge_detail", args=[self.pk])

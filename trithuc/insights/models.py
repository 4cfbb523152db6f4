"""Saved work of the insights module: projection scenarios and KPI indicators."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import PermissionPolicy, roles

# Figures are read by the registry's readers; data stewards keep scenarios and indicators.
READERS = roles(Role.DATA_STEWARD, Role.HR_OFFICER, Role.LEADER, Role.PLAN_COORDINATOR)
INSIGHTS_POLICY = PermissionPolicy(
    view=READERS,
    add=roles(Role.DATA_STEWARD),
    change=roles(Role.DATA_STEWARD),
    delete=roles(Role.DATA_STEWARD),
    org_lookup="organization",
)


class Scenario(BaseModel):
    """Assumptions of a workforce projection for the people of an organisation's subtree.

    `inflows`: [{"field": "1", "year": 2027, "count": 40, "degree": "TS", "age": 32,
    "female_share": 0.45}, …] — new graduates, recruitment and attraction targets.
    `demand`: [{"field": "1", "year": 2030, "count": 900}, …] — the stock each field needs.
    `attrition`: {"TS": 1.5, "*": 2.0} — percent a year leaving for reasons other than
    retirement, by degree group ("*" for any other).
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("phạm vi (đơn vị)"),
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    name = models.CharField(_("tên kịch bản"), max_length=120)
    description = models.TextField(_("mô tả"), blank=True)
    extension_years = models.PositiveSmallIntegerField(
        _("số năm kéo dài thời gian làm việc (GS, PGS, TS)"),
        default=0,
        validators=[MaxValueValidator(5)],
        help_text=_("Nghị định 50/2022/NĐ-CP: tối đa 5 năm; 0 là không kéo dài."),
    )
    extension_share = models.DecimalField(
        _("tỷ lệ được kéo dài (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attrition = models.JSONField(_("tỷ lệ rời bỏ hằng năm (%)"), default=dict, blank=True)
    inflows = models.JSONField(_("nguồn bổ sung"), default=list, blank=True)
    demand = models.JSONField(_("nhu cầu theo lĩnh vực"), default=list, blank=True)

    permission_policy = INSIGHTS_POLICY

    class Meta:
        verbose_name = _("kịch bản dự báo")
        verbose_name_plural = _("kịch bản dự báo")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="scenario_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("insights:scenario_detail", args=[self.pk])


class Indicator(BaseModel):
    """A target of the action programme measured on the registry: a count, or a ratio of two
    counts, each given as registry list filters (a query string such as
    `is_leader=true&training=international&training_from=2021`)."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Số người")
        RATIO = "ratio", _("Tỷ lệ (%)")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("phạm vi (đơn vị)"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    description = models.TextField(_("mô tả, căn cứ"), blank=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.RATIO)
    numerator = models.CharField(_("tử số (bộ lọc)"), max_length=1000)
    denominator = models.CharField(_("mẫu số (bộ lọc)"), max_length=1000, blank=True)
    baseline_value = models.DecimalField(
        _("giá trị cơ sở"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("ngày cơ sở"), null=True, blank=True)
    target_value = models.DecimalField(_("giá trị mục tiêu"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("thời hạn đạt mục tiêu"))
    is_public = models.BooleanField(_("công khai"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    permission_policy = INSIGHTS_POLICY

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("insights:indicator_detail", args=[self.pk])


class IndicatorValue(models.Model):
    """A measurement of an indicator on a date (taken by the daily job, or by hand)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField(_("ngày đo"))
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    # Empty when a ratio's denominator counted nobody: no value, rather than a made-up 0.
    value = models.DecimalField(
        _("giá trị"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="indicator_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.measured_on}: {self.value}"

"""Typical indicators of the action programmes on the intellectual workforce, as examples.

Their targets are examples to adjust, not figures taken from a document: the baseline is the
value measured when the examples are loaded (dated that day), and each target is an assumed
change by the end of 2030. Data stewards correct name, filters, baseline and target to their
own programme on the indicator's edit page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.organizations.models import Organization

from . import indicators
from .models import Indicator

TARGET_DATE = date(2030, 12, 31)
EXAMPLE_NOTE = gettext_lazy(
    "VÍ DỤ — cần điều chỉnh: giá trị cơ sở là số đo ngày nạp ví dụ; mục tiêu là giả định "
    "(%(change)s đến 31/12/2030), không lấy từ văn bản nào. Hãy sửa theo chương trình hành "
    "động của địa phương."
)


@dataclass(frozen=True)
class Example:
    code: str
    name: Any
    basis: Any  # what the indicator follows, before the example note
    kind: str
    numerator: str
    denominator: str
    # The assumed target: the baseline times `factor` (counts) or plus `points` (ratios).
    factor: Decimal | None = None
    points: Decimal | None = None
    change: Any = ""


def five_years_back(today: date) -> int:
    """The first year of “the last 5 years” counted from `today` (today's year included)."""
    return today.year - 4


def examples(today: date) -> list[Example]:
    since = five_years_back(today)
    return [
        Example(
            code="VD-HNQT",
            name=gettext_lazy(
                "Tỷ lệ cán bộ lãnh đạo, quản lý được bồi dưỡng kiến thức hội nhập quốc tế "
                "trong 5 năm gần đây"
            ),
            basis=_(
                "Người đang giữ chức vụ lãnh đạo có khóa bồi dưỡng loại “Hội nhập quốc tế” từ năm "
                "%(year)s, trên tổng số người giữ chức vụ lãnh đạo. Năm bắt đầu cố định: khi "
                "sang năm mới, sửa training_from nếu muốn giữ khoảng 5 năm."
            )
            % {"year": since},
            kind=Indicator.Kind.RATIO,
            numerator=(
                f"is_leader=true&training=international_integration&training_from={since}"
                "&status=working"
            ),
            denominator="is_leader=true&status=working",
            points=Decimal(30),
            change=gettext_lazy("tăng 30 điểm phần trăm, tối đa 100%"),
        ),
        Example(
            code="VD-TS",
            name=gettext_lazy("Số tiến sĩ, tiến sĩ khoa học đang công tác"),
            basis=_("Người đang công tác có trình độ cao nhất là tiến sĩ hoặc tiến sĩ khoa học."),
            kind=Indicator.Kind.COUNT,
            numerator="degree=TSKH&degree=TS&status=working",
            denominator="",
            factor=Decimal("1.2"),
            change=gettext_lazy("tăng 20%"),
        ),
        Example(
            code="VD-GSPGS",
            name=gettext_lazy("Số giáo sư, phó giáo sư đang công tác"),
            basis=_("Người đang công tác có học hàm giáo sư hoặc phó giáo sư."),
            kind=Indicator.Kind.COUNT,
            numerator="title=GS&title=PGS&status=working",
            denominator="",
            factor=Decimal("1.2"),
            change=gettext_lazy("tăng 20%"),
        ),
        Example(
            code="VD-NU-GSPGS",
            name=gettext_lazy("Tỷ lệ nữ trong số giáo sư, phó giáo sư"),
            basis=_("Nữ giáo sư, phó giáo sư đang công tác trên tổng số giáo sư, phó giáo sư."),
            kind=Indicator.Kind.RATIO,
            numerator="title=GS&title=PGS&gender=female&status=working",
            denominator="title=GS&title=PGS&status=working",
            points=Decimal(5),
            change=gettext_lazy("tăng 5 điểm phần trăm"),
        ),
        Example(
            code="VD-TS-DUOI40",
            name=gettext_lazy("Tỷ lệ tiến sĩ dưới 40 tuổi"),
            basis=_(
                "Tiến sĩ, tiến sĩ khoa học đang công tác dưới 40 tuổi (tuổi tính vào ngày đo) "
                "trên tổng số tiến sĩ, tiến sĩ khoa học đang công tác."
            ),
            kind=Indicator.Kind.RATIO,
            numerator="degree=TSKH&degree=TS&age_band=lt30&age_band=30-39&status=working",
            denominator="degree=TSKH&degree=TS&status=working",
            points=Decimal(5),
            change=gettext_lazy("tăng 5 điểm phần trăm"),
        ),
    ]


def _target(example: Example, baseline: Decimal | None) -> Decimal:
    start = baseline or Decimal(0)
    if example.factor is not None:
        # At least one more person than today, so that the target is never the baseline.
        return max((start * example.factor).quantize(Decimal(1)), start + 1)
    return min(start + (example.points or Decimal(0)), Decimal(100))


@transaction.atomic
def load_examples(
    *, organization: Organization, today: date | None = None, acting_user: Any = None
) -> dict[str, list[str]]:
    """Create the example indicators for the organisation's subtree that it lacks (an
    indicator of the same code is left as it is), each with its first measurement as the
    baseline. Returns the codes created and skipped."""
    today = today or timezone.localdate()
    created: list[str] = []
    skipped: list[str] = []
    order = (
        Indicator.objects.filter(organization=organization)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
        or 0
    )
    for example in examples(today):
        if Indicator.objects.filter(organization=organization, code=example.code).exists():
            skipped.append(example.code)
            continue
        order += 10
        indicator = Indicator(
            organization=organization,
            code=example.code,
            name=str(example.name),
            description=f"{example.basis}\n\n{EXAMPLE_NOTE % {'change': example.change}}",
            kind=example.kind,
            numerator=indicators.normalize_filters(example.numerator),
            denominator=(
                indicators.normalize_filters(example.denominator)
                if example.kind == Indicator.Kind.RATIO
                else ""
            ),
            target_value=Decimal(0),
            target_date=TARGET_DATE,
            order=order,
        )
        baseline = indicators.compute(indicator).value
        indicator.baseline_value = baseline
        indicator.baseline_date = today if baseline is not None else None
        indicator.target_value = _target(example, baseline)
        indicator.save()
        indicators.measure(indicator, today)
        audit.record(
            AuditKind.OBJECT_CREATED,
            obj=indicator,
            actor=acting_user,
            details={"source": "load_example_indicators"},
        )
        created.append(example.code)
    return {"created": created, "skipped": skipped}

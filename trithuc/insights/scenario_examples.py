"""The demo's example projection scenario, "Kịch bản cơ sở", sized on the people there are.

Illustrative figures, to be adjusted on the scenario page: attrition 2%/year (1% for
doctors), yearly inflows per field of about 3% of its current stock (from 2026 to 2035), and
demand targets of +10% by 2030 and +20% by 2045. No extension (Decree 50/2022 is a choice).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count

from .models import Scenario
from .projection import FIELD_CODES, field_level1_codes, people_at_work

EXAMPLE_NAME = "Kịch bản cơ sở"
# (degree, age at entry, female share) of the entrants of each field.
ENTRANTS = {
    "1": ("THS", 27, 0.45),
    "2": ("DH", 23, 0.25),
    "3": ("BSCKI", 28, 0.6),
    "4": ("DH", 23, 0.4),
    "5": ("THS", 26, 0.58),
    "6": ("DH", 23, 0.6),
}


def ensure_example_scenario(organization: Any) -> tuple[Scenario, bool]:
    """The example scenario of `organization` (created once; never overwritten)."""
    existing = Scenario.objects.filter(organization=organization, name=EXAMPLE_NAME).first()
    if existing is not None:
        return existing, False
    codes = field_level1_codes()
    stock: Counter[str] = Counter()
    rows = (
        people_at_work(organization=organization)
        .values_list("primary_field_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for field_id, n in rows:
        stock[codes.get(field_id, "")] += n
    inflows, demand = [], []
    for code in FIELD_CODES:
        degree, age, female = ENTRANTS[code]
        yearly = round(stock[code] * 0.03)
        if yearly:
            inflows += [
                {"field": code, "year": year, "count": yearly, "degree": degree, "age": age,
                 "female_share": female}
                for year in range(2026, 2036)
            ]  # fmt: skip
        if stock[code]:
            demand += [
                {"field": code, "year": 2030, "count": round(stock[code] * 1.1)},
                {"field": code, "year": 2045, "count": round(stock[code] * 1.2)},
            ]
    scenario = Scenario.objects.create(
        organization=organization,
        name=EXAMPLE_NAME,
        description=(
            "Ví dụ: rời bỏ 2%/năm (tiến sĩ 1%), mỗi năm bổ sung khoảng 3% số người của từng "
            "lĩnh vực đến 2035, nhu cầu tăng 10% đến 2030 và 20% đến 2045. Hãy điều chỉnh theo "
            "kế hoạch của đơn vị."
        ),
        attrition={"TS": 1.0, "TSKH": 1.0, "*": 2.0},
        inflows=inflows,
        demand=demand,
    )
    return scenario, True

"""Values derived from a person's record, one implementation used by pages, the API,
exports, statistics and the demo data: age, highest degree, title, whether a leader, the
unit, the normal retirement date."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import retirement
from .retirement import age_on

__all__ = ["age_on", "position_is_current", "retirement_date", "summary", "summary_of"]

TITLE_ORDER = {"GS": 2, "PGS": 1}


def retirement_date(gender: str, birth_date: date | None, extension_months: int = 0) -> date | None:
    """End of the month in which the person reaches the age required that year (DOMAIN.md);
    a person known by birth year only is taken as born on 1 January."""
    if not birth_date or gender not in retirement.SCHEDULES:
        return None
    return retirement.retirement_date(
        gender=gender, birth_date=birth_date, extension_months=extension_months
    )


def position_is_current(position: Any, on: date) -> bool:
    return position.start <= on and (position.end is None or position.end >= on)


def summary_of(
    *,
    degrees: list[Any],
    titles: list[Any],
    positions: list[Any],
    expertise: list[Any],
    on: date,
) -> dict[str, Any]:
    """The summary columns from the sub-records (plain objects: also used by the seeder)."""
    highest = max((d.level for d in degrees), key=lambda level: level.rank, default=None)
    # A title counts once recognised (pending appointment) or appointed; not when the
    # institution did not appoint, nor once revoked.
    held = [t.kind for t in titles if not t.revoked and t.appointment != "not_appointed"]
    title = max(held, key=lambda kind: TITLE_ORDER.get(kind, 0), default="")
    current = [p for p in positions if position_is_current(p, on)]
    primary_field = next((e.field for e in expertise if e.is_primary), None)
    if primary_field is None and expertise:
        primary_field = expertise[0].field
    if primary_field is None:
        ranked = sorted(
            (d for d in degrees if d.field_id), key=lambda d: (d.level.rank, d.year), reverse=True
        )
        primary_field = ranked[0].field if ranked else None
    result: dict[str, Any] = {
        "highest_degree": highest,
        "degree_group": highest.group if highest else "",
        "title": title,
        "primary_field": primary_field,
        "is_leader": any(p.leadership for p in current),
    }
    primary = [p for p in current if p.is_primary and p.organization_id]
    if primary:
        result["organization_id"] = max(primary, key=lambda p: p.start).organization_id
    return result


def summary(person: Any, on: date | None = None) -> dict[str, Any]:
    from django.utils import timezone

    return summary_of(
        degrees=list(person.degrees.select_related("level", "field")),
        titles=list(person.titles.all()),
        positions=list(person.positions.all()),
        expertise=list(person.expertise.select_related("field")),
        on=on or timezone.localdate(),
    )

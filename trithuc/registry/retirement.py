"""Normal retirement dates by the legal schedule (Labour Code 2019 Art. 169, Decree 135/2020).

The required age rises each year from 2021: men 60 years 3 months in 2021, +3 months a year,
62 from 2028; women 55 years 4 months in 2021, +4 months a year, 60 from 2035. Before 2021:
60 and 55. A person retires at the end of the month in which they reach the age required
*for that calendar year*; with only a birth year, 1 January is taken. Decree 50/2022 lets
some public employees (GS, PGS, TS, BSCKII) work up to 5 more years: a parameter here, never
a fixed rule, because it needs the unit's need and the person's consent.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

MALE, FEMALE = "male", "female"


@dataclass(frozen=True)
class Schedule:
    """One gender's schedule: the age before the reform, its first step, yearly rise, cap."""

    before_months: int
    first_year: int
    first_months: int
    step_months: int
    cap_months: int

    def required_months(self, year: int) -> int:
        if year < self.first_year:
            return self.before_months
        rise = self.first_months + self.step_months * (year - self.first_year)
        return min(rise, self.cap_months)


SCHEDULES = {
    MALE: Schedule(before_months=60 * 12, first_year=2021, first_months=60 * 12 + 3,
                   step_months=3, cap_months=62 * 12),
    FEMALE: Schedule(before_months=55 * 12, first_year=2021, first_months=55 * 12 + 4,
                     step_months=4, cap_months=60 * 12),
}  # fmt: skip
MAX_EXTENSION_MONTHS = 5 * 12


def required_age_months(gender: str, year: int) -> int:
    """The normal retirement age, in months, for people reaching it in `year`."""
    return SCHEDULES[gender].required_months(year)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def retirement_date(
    *,
    gender: str,
    birth_date: date | None = None,
    birth_year: int | None = None,
    extension_months: int = 0,
) -> date:
    """The last day of the month in which the person reaches the age required that year.

    `extension_months` (0 to 60) adds Decree 50/2022's extension when a scenario grants it.
    """
    if gender not in SCHEDULES:
        raise ValueError(f"Unknown gender {gender!r}")
    if birth_date is None:
        if birth_year is None:
            raise ValueError("A birth date or a birth year is needed.")
        birth_date = date(birth_year, 1, 1)
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError("The extension is between 0 and 60 months.")
    schedule = SCHEDULES[gender]
    # The first year whose required age is reached within that same year. The required age
    # rises by less than a year each year, so walking forward from the pre-reform age finds it.
    year = birth_date.year + schedule.before_months // 12
    while True:
        reached = _add_months(birth_date, schedule.required_months(year))
        if reached.year <= year:
            break
        year += 1
    return _end_of_month(_add_months(reached, extension_months))


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on a date."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)

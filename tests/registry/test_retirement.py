"""Retirement dates against the legal schedule (DOMAIN.md) and hand-computed cases."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trithuc.registry.retirement import age_on, required_age_months, retirement_date

# DOMAIN.md's table: year -> (men, women) as (years, months).
TABLE = {
    2024: ((61, 0), (56, 4)),
    2025: ((61, 3), (56, 8)),
    2026: ((61, 6), (57, 0)),
    2027: ((61, 9), (57, 4)),
    2028: ((62, 0), (57, 8)),
    2030: ((62, 0), (58, 4)),
    2032: ((62, 0), (59, 0)),
    2035: ((62, 0), (60, 0)),
    2040: ((62, 0), (60, 0)),
}


@pytest.mark.parametrize("year", sorted(TABLE))
def test_required_ages_match_the_legal_table(year):
    (men_y, men_m), (women_y, women_m) = TABLE[year]
    assert required_age_months("male", year) == men_y * 12 + men_m
    assert required_age_months("female", year) == women_y * 12 + women_m


@pytest.mark.parametrize(
    ("gender", "birth", "expected"),
    [
        # 1964-05-10 + 61y0m (2024's age) = 2025-05-10: not in 2024. 2025 asks 61y3m:
        # 2025-08-10, in 2025 -> end of August 2025.
        ("male", date(1964, 5, 10), date(2025, 8, 31)),
        # 1963-12-20 + 61y0m = 2024-12-20, in 2024 -> 2024-12-31.
        ("male", date(1963, 12, 20), date(2024, 12, 31)),
        # 1969-01-15 + 56y8m (2025) = 2025-09-15 -> 2025-09-30.
        ("female", date(1969, 1, 15), date(2025, 9, 30)),
        # 1970-06-01 + 62y (from 2028 on) = 2032-06-01 -> 2032-06-30.
        ("male", date(1970, 6, 1), date(2032, 6, 30)),
        # 1980-03-03 + 60y (from 2035 on) = 2040-03-03 -> 2040-03-31.
        ("female", date(1980, 3, 3), date(2040, 3, 31)),
        # 1958-02-28 + 60y (before the reform) = 2018-02-28 -> 2018-02-28.
        ("male", date(1958, 2, 28), date(2018, 2, 28)),
        # 1970-08-31 + 57y4m (2027) = 2027-12-31 -> 2027-12-31 (month ends carry over).
        ("female", date(1970, 8, 31), date(2027, 12, 31)),
    ],
)
def test_hand_computed_cases(gender, birth, expected):
    assert retirement_date(gender=gender, birth_date=birth) == expected


def test_birth_year_only_counts_from_the_first_of_january():
    # 1965-01-01: 2025's 61y3m is reached on 2026-04-01, not in 2025; 2026's 61y6m on
    # 2026-07-01, in 2026 -> 2026-07-31.
    assert retirement_date(gender="male", birth_year=1965) == date(2026, 7, 31)


def test_decree_50_extension_is_a_parameter():
    base = retirement_date(gender="female", birth_date=date(1975, 5, 5))
    extended = retirement_date(gender="female", birth_date=date(1975, 5, 5), extension_months=60)
    assert (extended.year - base.year, extended.month) == (5, base.month)
    with pytest.raises(ValueError):
        retirement_date(gender="female", birth_date=date(1975, 5, 5), extension_months=61)


@given(
    st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31)),
    st.sampled_from(["male", "female"]),
)
def test_retirement_is_a_month_end_at_the_age_required_that_year(birth, gender):
    retired = retirement_date(gender=gender, birth_date=birth)
    assert (retired + timedelta(days=1)).day == 1  # the last day of a month
    months = (retired.year - birth.year) * 12 + retired.month - birth.month
    assert months == required_age_months(gender, retired.year)


def test_age_on_a_date():
    assert age_on(date(1980, 6, 15), date(2026, 6, 14)) == 45
    assert age_on(date(1980, 6, 15), date(2026, 6, 15)) == 46

"""Citizen ID structure and consistency (DOMAIN.md), with the forms spreadsheets use."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trithuc.registry.citizen_id import (
    PROVINCE_CODES,
    CitizenId,
    CitizenIdProblem,
    normalize,
    parse,
)


def test_a_valid_number_says_province_gender_and_birth_year():
    result = parse("001203004567")
    assert isinstance(result, CitizenId)
    assert (result.province_code, result.gender, result.birth_year) == ("001", "male", 2003)
    female_1985 = parse("079185123456")
    assert (female_1985.gender, female_1985.birth_year) == ("female", 1985)
    assert female_1985.masked == "•••••••••456"


@pytest.mark.parametrize(
    ("raw", "expected", "fixes"),
    [
        ("001 203 004 567", "001203004567", ["separators_removed"]),
        ("001.203.004.567", "001203004567", ["separators_removed"]),
        (1203004567, "1203004567", []),  # 10 digits: left for the length check to refuse
        (11203004567, "011203004567", ["leading_zero_restored"]),
        ("11203004567.0", "011203004567", ["leading_zero_restored"]),
    ],
)
def test_normalize_repairs_what_spreadsheets_do(raw, expected, fixes):
    assert normalize(raw) == (expected, fixes)


@pytest.mark.parametrize(
    ("raw", "kwargs", "code"),
    [
        ("", {}, "empty"),
        ("00120300456A", {}, "not_digits"),
        ("0012030045", {}, "length"),
        ("0012030045678", {}, "length"),
        ("003203004567", {}, "province"),  # 003 is not a province code
        ("001203004567", {"gender": "female"}, "gender_mismatch"),
        ("001203004567", {"birth_year": 1903}, "birth_year_mismatch"),
    ],
)
def test_problems_have_codes_and_vietnamese_messages(raw, kwargs, code):
    result = parse(raw, **kwargs)
    assert isinstance(result, CitizenIdProblem)
    assert result.code == code
    assert result.message and result.message[0].isupper()


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(min_value=1900, max_value=2025),
    st.sampled_from(["male", "female"]),
    st.integers(min_value=0, max_value=999_999),
)
def test_any_consistent_number_round_trips(province, year, gender, serial):
    marker = 2 * ((year - 1900) // 100) + (1 if gender == "female" else 0)
    number = f"{province}{marker}{year % 100:02d}{serial:06d}"
    result = parse(number, gender=gender, birth_year=year)
    assert isinstance(result, CitizenId)
    assert (result.gender, result.birth_year, result.number) == (gender, year, number)
    assert isinstance(parse(number, birth_year=year + 1), CitizenIdProblem)


@pytest.mark.parametrize("digit", ["4", "5", "9"])
def test_a_century_digit_for_people_not_born_yet_is_refused(digit):
    problem = parse(f"001{digit}80123456")
    assert isinstance(problem, CitizenIdProblem)
    assert problem.code == "century"
    assert "Chữ số thứ 4" in problem.message


def test_a_birth_year_not_reached_yet_in_this_century_is_refused():
    problem = parse("001299123456")  # born 2099
    assert isinstance(problem, CitizenIdProblem) and problem.code == "future"

"""The workforce projection against small cases computed by hand.

Retirement dates by the schedule of docs/DOMAIN.md (the end of the month in which the age
required *that year* is reached):

- A, man born 15/03/1964: in 2024 the age is 61y0m (reached 15/03/2025, too late for 2024);
  in 2025 it is 61y3m, reached 15/06/2025 → retires 30/06/2025.
- B, woman born 10/10/1969: 2024 56y4m → 02/2026, 2025 56y8m → 06/2026, both too late;
  2026 57y0m → 10/10/2026 → retires 31/10/2026.
- C, man born 01/02/1966, TS: 2026 61y6m → 08/2027 too late; 2027 61y9m → 01/11/2027 →
  retires 30/11/2027; with a 5-year extension, 30/11/2032.
"""

from datetime import UTC, date, datetime

import pytest

from trithuc.insights.projection import (
    AssumptionError,
    Assumptions,
    Inflow,
    ProjectionError,
    first_year_of,
    grouped_people,
    people_at_work,
    project,
    project_scenario,
    retirement_year,
    run,
)
from trithuc.registry.models import CURRENT_FIELD_VERSION, FieldOfScience, Person

from ..factories import OrganizationFactory

BASE = date(2024, 12, 31)  # the projection starts on 1 January 2025: whole years
GROUPS = {"TSKH", "TS", "BSCKII", "THS", "BSCKI", "DH", "CD", "TC"}


def field(code):
    return FieldOfScience.objects.get(version=CURRENT_FIELD_VERSION, code=code)


def person(org, birth, gender, *, degree="THS", title="", code="101", status="working"):
    p = Person(
        full_name="Nguyễn Văn Thử",
        birth_date=birth,
        gender=gender,
        sector="public_service",
        organization=org,
        status=status,
        degree_group=degree,
        title=title,
        primary_field=field(code) if code else None,
    )
    p.save()
    return p


def assumptions(**kw):
    return Assumptions.parse(degree_groups=GROUPS, **kw)


def by_year(projection, what="stock"):
    return {y: getattr(projection.totals[y], what) for y in projection.years}


@pytest.fixture
def three(tree):
    org = tree["unit_a1"]
    return {
        "A": person(org, date(1964, 3, 15), "male", code="101"),
        "B": person(org, date(1969, 10, 10), "female", code="301"),
        "C": person(org, date(1966, 2, 1), "male", degree="TS", code="101"),
    }


def test_retirement_dates_follow_the_schedule(three):
    assert three["A"].retirement_date == date(2025, 6, 30)
    assert three["B"].retirement_date == date(2026, 10, 31)
    assert three["C"].retirement_date == date(2027, 11, 30)


def test_the_retirement_year_from_birth_month_is_the_year_of_the_derived_date():
    from trithuc.registry import derived

    for gender in ("male", "female"):
        for year in range(1955, 2006):
            for month in range(1, 13):
                for day in (1, 15, 28):
                    born = date(year, month, day)
                    expected = derived.retirement_date(gender, born).year
                    assert retirement_year(gender, year, month) == expected, born
    assert (
        retirement_year("female", 1968, 2)
        == derived.retirement_date("female", date(1968, 2, 29)).year
    )


def test_each_person_retires_in_the_year_of_their_retirement_date(three):
    result = project(Person.objects.all(), to_year=2028, base_date=BASE)
    assert result.years == [2025, 2026, 2027, 2028]
    assert by_year(result, "retirements") == {2025: 1, 2026: 1, 2027: 1, 2028: 0}
    assert by_year(result) == {2025: 2, 2026: 1, 2027: 0, 2028: 0}
    assert result.base_stock == 3
    # By field: A and C in field 1 (101), B in field 3 (301).
    assert result.by_field["1"][2025].retirements == 1
    assert result.by_field["3"][2026].retirements == 1
    assert result.by_field["1"][2027].retirements == 1
    assert result.by_field["1"][2026].stock == 1 and result.by_field["3"][2026].stock == 0


def test_extension_keeps_only_doctors_and_professors(three, tree):
    # D: PGS with a master's degree, born like A: eligible through the title.
    person(tree["unit_a1"], date(1964, 3, 15), "male", degree="THS", title="PGS")
    full = assumptions(extension_years=5, extension_share=100)
    result = project(Person.objects.all(), to_year=2033, base_date=BASE, assumptions=full)
    retirements = by_year(result, "retirements")
    # A (THS) 2025, B (THS) 2026; C (TS) 2027 + 5 = 2032; D (PGS) 2025 + 5 = 2030.
    assert retirements == {
        2025: 1, 2026: 1, 2027: 0, 2028: 0, 2029: 0, 2030: 1, 2031: 0, 2032: 1, 2033: 0,
    }  # fmt: skip
    half = assumptions(extension_years=2, extension_share=50)
    result = project(Person.objects.all(), to_year=2030, base_date=BASE, assumptions=half)
    retirements = by_year(result, "retirements")
    # Half of D leaves in 2025, half in 2027; half of C in 2027, half in 2029.
    assert retirements == {2025: 1.5, 2026: 1, 2027: 1.0, 2028: 0, 2029: 0.5, 2030: 0}
    # No extension when the years are 0, whatever the share.
    none = assumptions(extension_years=0, extension_share=100)
    result = project(Person.objects.all(), to_year=2027, base_date=BASE, assumptions=none)
    assert by_year(result, "retirements") == {2025: 2, 2026: 1, 2027: 1}


def test_attrition_of_ten_percent_over_two_years_leaves_0_81(tree):
    person(tree["unit_a1"], date(1990, 1, 1), "male")
    result = project(
        Person.objects.all(), to_year=2026, base_date=BASE, assumptions=assumptions(
            attrition={"*": 10})
    )  # fmt: skip
    assert by_year(result) == pytest.approx({2025: 0.9, 2026: 0.81})
    assert by_year(result, "attrition") == pytest.approx({2025: 0.1, 2026: 0.09})
    assert result.as_dict()["years"][1]["stock"] == 0.81


def test_attrition_by_degree_and_retirement_before_attrition(three, tree):
    person(tree["unit_a1"], date(1990, 1, 1), "male", degree="TS")
    rates = assumptions(attrition={"TS": 5, "*": 10})
    result = project(Person.objects.all(), to_year=2025, base_date=BASE, assumptions=rates)
    # A retires in 2025 (no attrition for him); B loses 10%, C and the young TS 5% each.
    assert result.totals[2025].retirements == 1
    assert result.totals[2025].attrition == pytest.approx(0.1 + 0.05 + 0.05)
    assert result.totals[2025].stock == pytest.approx(0.9 + 0.95 + 0.95)


def test_an_inflow_at_60_retires_later_and_a_woman_past_the_age_at_once(tree):
    # Men entering in 2027 at 60 are born 1967: 62 is required from 2028, reached on
    # 01/01/2029 (birth year only: 1 January) → they retire in 2029.
    men = assumptions(
        inflows=[{"field": "2", "year": 2027, "count": 10, "degree": "DH", "age": 60,
                  "female_share": 0}]
    )  # fmt: skip
    result = project(Person.objects.none(), to_year=2030, base_date=BASE, assumptions=men)
    assert by_year(result, "inflow") == {2025: 0, 2026: 0, 2027: 10, 2028: 0, 2029: 0, 2030: 0}
    assert by_year(result) == {2025: 0, 2026: 0, 2027: 10, 2028: 10, 2029: 0, 2030: 0}
    assert by_year(result, "retirements")[2029] == 10
    assert result.by_field["2"][2028].stock == 10
    # Half women: born 1967 they reached their age in 2022, so they leave on entering.
    mixed = assumptions(
        inflows=[{"field": "2", "year": 2027, "count": 10, "degree": "DH", "age": 60,
                  "female_share": 0.5}]
    )  # fmt: skip
    result = project(Person.objects.none(), to_year=2030, base_date=BASE, assumptions=mixed)
    assert result.totals[2027].inflow == 10
    assert result.totals[2027].retirements == 5
    assert by_year(result) == {2025: 0, 2026: 0, 2027: 5, 2028: 5, 2029: 0, 2030: 0}
    assert result.warnings


def test_entrants_age_and_take_attrition_from_the_next_year(tree):
    flows = assumptions(
        attrition={"*": 10},
        inflows=[{"field": "1", "year": 2025, "count": 100, "degree": "THS", "age": 30,
                  "female_share": 0.5}],
    )  # fmt: skip
    result = project(Person.objects.none(), to_year=2027, base_date=BASE, assumptions=flows)
    assert by_year(result) == pytest.approx({2025: 100, 2026: 90, 2027: 81})


def test_gap_is_demand_minus_stock_in_the_years_with_a_target(tree):
    org = tree["unit_a1"]
    person(org, date(1990, 1, 1), "male", code="102")
    person(org, date(1991, 1, 1), "female", code="101")
    person(org, date(1985, 1, 1), "female", code="503")
    plan = assumptions(
        inflows=[{"field": "1", "year": 2026, "count": 5, "degree": "TS", "age": 30,
                  "female_share": 0.4}],
        demand=[{"field": "1", "year": 2027, "count": 10}, {"field": "5", "year": 2027,
                                                             "count": 1}],
    )  # fmt: skip
    result = project(Person.objects.all(), to_year=2028, base_date=BASE, assumptions=plan)
    data = result.as_dict()
    field1 = {row["year"]: row for row in data["by_field"]["1"]["years"]}
    assert field1[2027]["stock"] == 7
    assert field1[2027]["demand"] == 10
    assert field1[2027]["gap"] == 3
    assert field1[2026]["demand"] is None and field1[2026]["gap"] is None
    field5 = {row["year"]: row for row in data["by_field"]["5"]["years"]}
    assert field5[2027]["gap"] == 0
    assert data["by_field"]["1"]["name"] == "Khoa học tự nhiên"


def test_a_partial_first_year_prorates_attrition_and_inflow(tree):
    person(tree["unit_a1"], date(1990, 1, 1), "male")
    year, share = first_year_of(date(2025, 7, 1))
    assert (year, share) == (2025, 183 / 365)
    flows = assumptions(
        attrition={"*": 10},
        inflows=[{"field": "1", "year": 2025, "count": 10, "degree": "THS", "age": 30,
                  "female_share": 0}],
    )  # fmt: skip
    result = project(Person.objects.all(), to_year=2026, base_date=date(2025, 7, 1),
                     assumptions=flows)  # fmt: skip
    kept = 0.9 ** (183 / 365)
    assert result.totals[2025].stock == pytest.approx(kept + 10 * 183 / 365)
    assert result.totals[2026].stock == pytest.approx((kept + 10 * 183 / 365) * 0.9)


def test_people_past_their_date_still_at_work_leave_in_the_first_year(tree):
    person(tree["unit_a1"], date(1955, 5, 5), "male")  # retirement date 2015
    result = project(Person.objects.all(), to_year=2026, base_date=BASE)
    assert by_year(result, "retirements") == {2025: 1, 2026: 0}


def test_scope_is_the_subtree_and_people_at_work_only(tree):
    person(tree["unit_a1"], date(1990, 1, 1), "male")
    person(tree["dept_a"], date(1990, 1, 1), "female")
    person(tree["unit_b1"], date(1990, 1, 1), "male")
    person(tree["unit_a1"], date(1950, 1, 1), "male", status="retired")
    assert people_at_work(organization=tree["dept_a"]).count() == 2
    assert people_at_work().count() == 3
    # The only root's subtree is everyone; beside a second root it is filtered again.
    assert people_at_work(organization=tree["city"]).count() == 3
    other = OrganizationFactory(code="PARTY", name="Thành ủy", parent=None)
    person(other, date(1990, 1, 1), "male")
    assert people_at_work(organization=tree["city"]).count() == 3
    assert people_at_work().count() == 4
    result = project(people_at_work(organization=tree["unit_a1"]), to_year=2026, base_date=BASE)
    assert result.base_stock == 1


def test_one_group_by_query_whatever_the_number_of_people(tree, django_assert_num_queries):
    for year in range(1970, 1990):
        person(tree["unit_a1"], date(year, 1, 1), "male")
    with django_assert_num_queries(1):
        rows = grouped_people(people_at_work())
    assert sum(r[-1] for r in rows) == 20
    # The grouping, the field codes and the field names: three queries in all.
    with django_assert_num_queries(3):
        project(people_at_work(), to_year=2045, base_date=BASE)


def test_people_without_a_field_are_counted_under_none(tree):
    person(tree["unit_a1"], date(1990, 1, 1), "male", code=None)
    data = project(Person.objects.all(), to_year=2025, base_date=BASE).as_dict()
    assert data["by_field"]["none"]["years"][0]["stock"] == 1
    assert data["years"][0]["stock"] == 1


def test_run_on_hand_made_cohorts_is_deterministic():
    cohorts = {("1", "TS", "male", 1970, 2032): 3.0, ("6", "DH", "female", 1980, 2040): 2.0}
    rates = Assumptions(attrition={"TS": 50})
    first = run(cohorts, assumptions=rates, base_date=BASE, to_year=2033)
    second = run(cohorts, assumptions=rates, base_date=BASE, to_year=2033)
    assert first.as_dict() == second.as_dict()
    # 3 × 0.5^7 of the TS cohort is left at the start of 2032, when it retires.
    assert first.totals[2032].retirements == pytest.approx(3 * 0.5**7)
    assert first.totals[2033].stock == 2


def test_years_out_of_range_are_refused():
    with pytest.raises(ProjectionError, match="trước năm gốc 2025"):
        run({}, assumptions=Assumptions(), base_date=BASE, to_year=2024)
    with pytest.raises(ProjectionError, match="2100"):
        run({}, assumptions=Assumptions(), base_date=BASE, to_year=2101)


def test_bad_assumptions_name_the_row_and_the_field():
    with pytest.raises(AssumptionError) as caught:
        assumptions(
            extension_years=7,
            attrition={"TS": 120, "XYZ": 1},
            inflows=[
                {"field": "1", "year": 2027, "count": 10, "degree": "TS", "age": 30},
                {"field": "9", "year": "năm sau", "count": -1, "degree": "??", "age": 5,
                 "female_share": 2},
            ],
            demand=[{"field": "1", "year": 2030, "count": 5},
                    {"field": "1", "year": 2030, "count": 6}],
        )  # fmt: skip
    text = "\n".join(caught.value.messages)
    assert "Số năm kéo dài" in text
    assert "Tỷ lệ rời bỏ của TS" in text and "“XYZ”" in text
    assert "Nguồn bổ sung, dòng 2, “Lĩnh vực”" in text
    assert "Nguồn bổ sung, dòng 2, “Năm”" in text
    assert "Nguồn bổ sung, dòng 2, “Số người”" in text
    assert "Nguồn bổ sung, dòng 2, “Trình độ”" in text
    assert "Nguồn bổ sung, dòng 2, “Tuổi khi vào”" in text
    assert "Nguồn bổ sung, dòng 2, “Tỷ lệ nữ”" in text
    assert "dòng 1" not in text.split("Nhu cầu")[0]  # the first inflow row is fine
    assert "Nhu cầu, dòng 2" in text


def test_an_inflow_parsed_from_json(db):
    parsed = Assumptions.parse(
        inflows=[{"field": "3", "year": 2030, "count": "12.5", "degree": "BSCKII", "age": 35,
                  "female_share": 0.6}]
    )  # fmt: skip
    assert parsed.inflows == (Inflow("3", 2030, 12.5, "BSCKII", 35, 0.6),)


def test_from_year_starts_from_the_history(tree):
    a = person(tree["unit_a1"], date(1990, 1, 1), "male", degree="TS")
    person(tree["unit_a1"], date(1991, 1, 1), "female")
    # A existed at the end of 2020 (his first version is back-dated); the other did not.
    a.history.update(history_date=datetime(2020, 6, 1, tzinfo=UTC))
    result = project_scenario(None, to_year=2030, from_year=2021, today=date(2026, 5, 1))
    assert result.base_date == date(2020, 12, 31)
    assert result.first_year == 2021
    assert result.base_stock == 1
    with pytest.raises(ProjectionError):
        project_scenario(None, to_year=2030, from_year=2027, today=date(2026, 5, 1))

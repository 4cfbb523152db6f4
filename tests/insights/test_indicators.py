"""KPI indicators: values against counts made by hand from the people the test creates, the
filter checks the form shows, stored measurements, progress and on-track arithmetic worked
out by hand, scope and who may edit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from trithuc.core.choices import Role
from trithuc.insights import indicators
from trithuc.insights.models import Indicator, IndicatorValue
from trithuc.registry.models import DegreeLevel

from ..registry.factories import (
    AcademicTitleFactory,
    PersonFactory,
    PositionFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class Spec:
    """One person the test creates, and what the counts by hand read from."""

    unit: str
    gender: str = "male"
    degree: str = ""
    title: str = ""
    leader: bool = False
    integration_year: int | None = None  # a course on international integration
    status: str = "working"
    born: int = 1975


SPECS = [
    Spec("unit_a1", degree="TS", title="GS", leader=True, integration_year=2022),
    Spec("unit_a1", "female", degree="TS", title="PGS", leader=True, integration_year=2019),
    Spec("unit_a1", "female", degree="TSKH", title="PGS", born=1990),
    Spec("unit_a1", degree="THS", leader=True),
    Spec("dept_a", "female", degree="TS", leader=True, integration_year=2023, born=1992),
    Spec("dept_a", degree="TS", status="retired", born=1950),
    Spec("dept_a", degree="THS"),
    Spec("unit_b1", "female", degree="TS", title="GS", leader=True, integration_year=2024),
    Spec("unit_b1", degree="CN", leader=True),
    Spec("city", degree="TS", born=1995),
]


def people_by_hand(tree, scope, **wanted):
    """The specs in `scope`'s subtree matching `wanted` (plain Python, not the filters)."""
    paths = {key: org.path for key, org in tree.items()}
    out = []
    for s in SPECS:
        if not paths[s.unit].startswith(tree[scope].path):
            continue
        if s.status not in wanted.get("status", ["working"]):
            continue
        if "degrees" in wanted and s.degree not in wanted["degrees"]:
            continue
        if "titles" in wanted and s.title not in wanted["titles"]:
            continue
        if "gender" in wanted and s.gender != wanted["gender"]:
            continue
        if wanted.get("leader") and not s.leader:
            continue
        since = wanted.get("integration_since")
        if since and not (s.integration_year and s.integration_year >= since):
            continue
        if "under" in wanted and TODAY.year - s.born >= wanted["under"] + 1:
            continue  # born on 1 January: the age this year, whatever today's date
        out.append(s)
    return out


@pytest.fixture
def people(tree):
    made = []
    for s in SPECS:
        person = PersonFactory(
            organization=tree[s.unit],
            gender=s.gender,
            status=s.status,
            birth_date=date(s.born, 1, 1),
            sector="public_service" if s.status == "working" else "independent",
        )
        if s.degree:
            person.degrees.create(level=DegreeLevel.objects.get(code=s.degree), year=s.born + 28)
        if s.title:
            AcademicTitleFactory(person=person, kind=s.title, year=min(s.born + 40, 2024))
        if s.leader:
            PositionFactory(
                person=person,
                job_title="Trưởng phòng",
                leadership="head_division",
                start=date(2015, 1, 1),
            )
        if s.integration_year:
            TrainingFactory(
                person=person,
                category="international_integration",
                name="Kiến thức, kỹ năng hội nhập quốc tế",
                year=s.integration_year,
            )
        TrainingFactory(person=person, category="digital_skills", name="Kỹ năng số", year=2023)
        made.append(person)
    return made


def make_indicator(organization, **kwargs):
    kwargs.setdefault("code", "CT-01")
    kwargs.setdefault("name", "Chỉ tiêu thử")
    kwargs.setdefault("kind", Indicator.Kind.RATIO)
    kwargs.setdefault("target_value", Decimal(50))
    kwargs.setdefault("target_date", date(2030, 12, 31))
    return Indicator.objects.create(organization=organization, **kwargs)


# ---- values ---------------------------------------------------------------------------------


def test_a_count_is_the_number_of_people_at_work_in_the_subtree(tree, people):
    indicator = make_indicator(
        tree["city"], kind=Indicator.Kind.COUNT, numerator="degree=TS&degree=TSKH"
    )
    expected = len(people_by_hand(tree, "city", degrees={"TS", "TSKH"}))
    assert expected == 6  # the retired doctor is not counted
    found = indicators.compute(indicator)
    assert (found.numerator, found.denominator, found.value) == (expected, None, Decimal(expected))


def test_statuses_named_in_the_filters_are_counted(tree, people):
    indicator = make_indicator(
        tree["dept_a"],
        kind=Indicator.Kind.COUNT,
        numerator="degree=TS&status=working&status=retired",
    )
    expected = len(people_by_hand(tree, "dept_a", degrees={"TS"}, status=["working", "retired"]))
    assert expected == 4  # three at work, one retired
    assert indicators.compute(indicator).numerator == expected


def test_the_share_of_leaders_trained_in_international_integration(tree, people):
    indicator = make_indicator(
        tree["dept_a"],
        numerator="is_leader=true&training=international_integration&training_from=2021",
        denominator="is_leader=true",
    )
    trained = len(people_by_hand(tree, "dept_a", leader=True, integration_since=2021))
    leaders = len(people_by_hand(tree, "dept_a", leader=True))
    assert (trained, leaders) == (2, 4)
    found = indicators.compute(indicator)
    assert (found.numerator, found.denominator) == (trained, leaders)
    assert found.value == Decimal("50.00")


def test_a_ratio_is_rounded_to_hundredths(tree, people):
    indicator = make_indicator(
        tree["city"],
        numerator="title=GS&title=PGS&gender=female",
        denominator="title=GS&title=PGS",
    )
    women = len(people_by_hand(tree, "city", titles={"GS", "PGS"}, gender="female"))
    titled = len(people_by_hand(tree, "city", titles={"GS", "PGS"}))
    assert (women, titled) == (3, 4)
    assert indicators.compute(indicator).value == Decimal("75.00")
    assert indicators.ratio(1, 3) == Decimal("33.33")
    assert indicators.ratio(2, 3) == Decimal("66.67")


def test_the_share_of_doctors_under_40(tree, people):
    indicator = make_indicator(
        tree["city"],
        numerator="degree=TS&degree=TSKH&age_band=lt30&age_band=30-39",
        denominator="degree=TS&degree=TSKH",
    )
    young = len(people_by_hand(tree, "city", degrees={"TS", "TSKH"}, under=39))
    doctors = len(people_by_hand(tree, "city", degrees={"TS", "TSKH"}))
    found = indicators.compute(indicator)
    assert (found.numerator, found.denominator) == (young, doctors)
    assert young >= 2


def test_a_zero_denominator_gives_no_value(tree, people):
    indicator = make_indicator(
        tree["unit_a1"], numerator="title=GS&gender=female", denominator="title=GS&gender=female"
    )
    found = indicators.compute(indicator)
    assert (found.numerator, found.denominator, found.value) == (0, 0, None)
    stored = indicators.measure(indicator, TODAY)
    assert stored is not None and stored.value is None and stored.denominator == 0
    assessed = indicators.assess(indicator, TODAY)
    assert assessed.status == indicators.UNKNOWN and assessed.on_track is None
    assert assessed.progress is None


def test_the_unit_of_the_indicator_bounds_what_is_counted(tree, people):
    city = make_indicator(tree["city"], kind="count", numerator="is_leader=true")
    dept_b = make_indicator(tree["dept_b"], code="CT-B", kind="count", numerator="is_leader=true")
    within = make_indicator(
        tree["city"], code="CT-W", kind="count", numerator="is_leader=true&within=UNIT_A1"
    )
    assert indicators.compute(city).numerator == len(people_by_hand(tree, "city", leader=True))
    assert indicators.compute(dept_b).numerator == len(people_by_hand(tree, "dept_b", leader=True))
    assert indicators.compute(within).numerator == len(people_by_hand(tree, "unit_a1", leader=True))


def test_the_list_link_shows_the_same_people(tree, people, make_staff, client_for):
    """The registry API with the link's filters, as the steward, counts what the indicator
    counted: the link leads to exactly the people behind the figure."""
    indicator = make_indicator(
        tree["dept_a"],
        numerator="is_leader=true&training=international_integration&training_from=2021",
        denominator="is_leader=true",
    )
    client = client_for(make_staff(Role.DATA_STEWARD, tree["city"]))
    found = indicators.compute(indicator)
    for text, expected in ((indicator.numerator, found.numerator), (indicator.denominator, 4)):
        url = indicators.list_url(text, tree["dept_a"])
        assert url.startswith("/people/?") and "within=DEPT_A" in url and "status=working" in url
        query = url.split("?", 1)[1]
        assert client.get(f"/api/people/?{query}").json()["count"] == expected


# ---- filters --------------------------------------------------------------------------------


def test_valid_filters_have_no_errors(tree):
    for text in (
        "is_leader=true&training=international_integration&training_from=2021",
        "title=GS&title=PGS&gender=female",
        "degree=TS&degree=TSKH&age_band=lt30&status=working&status=retired",
        "https://trithuc.example/people/?q=&degree=TS&within=&gender=&page=3",
        "?main_field=1&sector=public_service",
        "",
    ):
        assert indicators.validate_filters(text, organization=tree["city"]) == [], text


@pytest.mark.parametrize(
    ("text", "names", "says"),
    [
        ("degre=TS", "“degre”", "không phải là bộ lọc"),
        ("title=GS&title=Giao-su", "“title”", "“Giao-su”"),
        ("gender=male&gender=female", "“gender”", "chỉ nhận một giá trị"),
        ("is_leader=co", "“is_leader”", "true (có) hoặc false (không)"),
        ("training_from=2021", "“training_from”", "cùng bộ lọc “training”"),
        ("training=international_integration&training_from=hai", "“training_from”", "hai"),
        ("q=Nguyễn", "“q”", "không dùng cho chỉ tiêu"),
        ("within=KHONG_CO", "“within”", "KHONG_CO"),
        ("within=UNIT_B1", "“within”", "không thuộc phạm vi"),
        ("admin_unit=999", "“admin_unit”", "999"),
        ("status=dead", "“status”", "working"),
    ],
)
def test_each_error_names_the_parameter(tree, text, names, says):
    errors = indicators.validate_filters(text, organization=tree["dept_a"])
    assert len(errors) == 1, errors
    assert names in errors[0] and says in errors[0], errors[0]


def test_filters_that_cannot_be_counted_give_errors_not_a_number(tree, people):
    indicator = make_indicator(tree["city"], kind="count", numerator="degree=XYZ")
    found = indicators.compute(indicator)
    assert found.numerator is None and found.value is None
    assert "“degree”" in found.errors[0]
    assert indicators.measure(indicator, TODAY) is None
    assert not IndicatorValue.objects.exists()


def test_filters_are_stored_in_one_form_with_the_status_said(tree):
    pasted = "https://x/people/?q=&within=DEPT_A+%C2%B7+S%E1%BB%9F&degree=TS&is_leader=True&page=2"
    assert indicators.normalize_filters(pasted) == (
        "within=DEPT_A&degree=TS&status=working&is_leader=true"
    )
    assert indicators.normalize_filters("status=retired") == "status=retired"
    described = dict(indicators.describe_filters("title=GS&title=PGS&is_leader=true"))
    assert described["Học hàm"] == "Giáo sư, Phó giáo sư"
    assert described["Giữ chức vụ lãnh đạo"] == "Có"
    assert described["Tình trạng"] == "Đang công tác (mặc định)"


# ---- measurements ---------------------------------------------------------------------------


def test_measuring_twice_on_a_date_keeps_one_value(tree, people):
    indicator = make_indicator(tree["unit_a1"], kind="count", numerator="is_leader=true")
    first = indicators.measure(indicator, date(2025, 3, 1))
    again = indicators.measure(indicator, date(2025, 3, 1))
    assert first.pk == again.pk and again.numerator == 3
    PositionFactory(
        person=people[2], job_title="Phó trưởng phòng", leadership="deputy_division",
        start=date(2020, 1, 1),
    )  # fmt: skip
    updated = indicators.measure(indicator, date(2025, 3, 1))
    assert updated.pk == first.pk and updated.numerator == 4 and updated.value == Decimal(4)
    indicators.measure(indicator, date(2025, 4, 1))
    assert list(indicator.values.values_list("measured_on", "numerator")) == [
        (date(2025, 3, 1), 4),
        (date(2025, 4, 1), 4),
    ]


def test_the_monthly_measurement(tree, people):
    measured = make_indicator(tree["city"], code="A", kind="count", numerator="degree=TS")
    fresh = make_indicator(tree["city"], code="B", kind="count", numerator="title=GS")
    broken = make_indicator(tree["city"], code="C", kind="count", numerator="degree=ZZ")
    indicators.measure(measured, date(2025, 6, 10))
    # On an ordinary day only what has no value this month is measured.
    result = indicators.measure_indicators(date(2025, 6, 15))
    assert result == {"date": "2025-06-15", "measured": 1, "failed": ["C"]}
    assert set(IndicatorValue.objects.values_list("indicator__code", "measured_on")) == {
        ("A", date(2025, 6, 10)),
        ("B", date(2025, 6, 15)),
    }
    # On the 1st every indicator is measured; running it again changes nothing.
    for _run in range(2):
        result = indicators.measure_indicators(date(2025, 7, 1))
        assert result == {"date": "2025-07-01", "measured": 2, "failed": ["C"]}
    assert IndicatorValue.objects.filter(measured_on=date(2025, 7, 1)).count() == 2
    assert not broken.values.exists() and fresh.values.count() == 2


def test_the_scheduler_task_measures_today(tree, people):
    from trithuc.notifications.scheduler import DAILY_TASKS

    assert "trithuc.insights.indicators.daily_indicator_measurements" in DAILY_TASKS
    indicator = make_indicator(tree["city"], kind="count", numerator="degree=TS")
    indicators.daily_indicator_measurements.enqueue()  # the immediate backend in tests
    assert indicator.values.get().measured_on == TODAY


# ---- progress -------------------------------------------------------------------------------


def plan(**kwargs):
    """An unsaved indicator: baseline 20 on 1/1/2024, target 60 on 1/1/2028 (1461 days)."""
    kwargs.setdefault("baseline_value", Decimal(20))
    kwargs.setdefault("baseline_date", date(2024, 1, 1))
    kwargs.setdefault("target_value", Decimal(60))
    kwargs.setdefault("target_date", date(2028, 1, 1))
    return Indicator(kind="ratio", **kwargs)


def test_progress_runs_from_the_baseline_to_the_target():
    i = plan()
    assert indicators.progress(i, Decimal(20)) == Decimal("0.0")
    assert indicators.progress(i, Decimal(30)) == Decimal("25.0")  # 10 of 40
    assert indicators.progress(i, Decimal(60)) == Decimal("100.0")
    assert indicators.progress(i, Decimal(70)) == Decimal("125.0")
    assert indicators.progress(i, Decimal(10)) == Decimal("-25.0")
    assert indicators.progress(i, None) is None
    # Without a baseline the count starts from 0: 45 of 60.
    assert indicators.progress(plan(baseline_value=None, baseline_date=None), Decimal(45)) == (
        Decimal("75.0")
    )
    # A target below the baseline (fewer is better): 50 → 30, now 40 is half way.
    lower = plan(baseline_value=Decimal(50), target_value=Decimal(30))
    assert indicators.progress(lower, Decimal(40)) == Decimal("50.0")


def test_the_planned_value_lies_on_the_straight_line():
    i = plan()
    assert indicators.planned(i, date(2023, 6, 1)) == Decimal(20)  # before the baseline
    assert indicators.planned(i, date(2024, 1, 1)) == Decimal(20)
    # 1/1/2026 is 731 of 1461 days on: 20 + 40 × 731 / 1461 = 40.0137 → 40.01.
    assert indicators.planned(i, date(2026, 1, 1)) == Decimal("40.01")
    # 1/7/2024 is 182 days on: 20 + 40 × 182 / 1461 = 24.983 → 24.98.
    assert indicators.planned(i, date(2024, 7, 1)) == Decimal("24.98")
    assert indicators.planned(i, date(2028, 1, 1)) == Decimal(60)
    assert indicators.planned(i, date(2031, 1, 1)) == Decimal(60)
    assert indicators.planned(plan(baseline_date=None), date(2026, 1, 1)) is None


def test_on_track_compares_with_the_planned_value():
    i, on = plan(), date(2026, 1, 1)  # planned 40.01
    assert indicators.status(i, Decimal("40.00"), on) == indicators.BEHIND
    assert indicators.status(i, Decimal("40.01"), on) == indicators.ON_TRACK
    assert indicators.status(i, Decimal("59.99"), on) == indicators.ON_TRACK
    assert indicators.status(i, Decimal(60), on) == indicators.ACHIEVED
    assert indicators.status(i, None, on) == indicators.UNKNOWN
    # After the target date only the target itself is on track.
    assert indicators.status(i, Decimal("59.99"), date(2028, 6, 1)) == indicators.BEHIND
    # Fewer is better: planned 40 half way, 39 is ahead, 41 behind, 30 reached.
    lower = plan(baseline_value=Decimal(50), target_value=Decimal(30))
    assert indicators.status(lower, Decimal(39), date(2026, 1, 1)) == indicators.ON_TRACK
    assert indicators.status(lower, Decimal(41), date(2026, 1, 1)) == indicators.BEHIND
    assert indicators.status(lower, Decimal(30), date(2026, 1, 1)) == indicators.ACHIEVED
    # No baseline: nothing to compare with until the target is reached.
    loose = plan(baseline_value=None, baseline_date=None)
    assert indicators.status(loose, Decimal(59), on) == indicators.UNKNOWN
    assert indicators.status(loose, Decimal(61), on) == indicators.ACHIEVED


def test_an_assessment_says_on_track_and_holds_the_bar_within_0_100():
    m = indicators.Measurement(3, 4, Decimal("75.00"))
    a = indicators.assess(plan(), date(2026, 1, 1), measurement=m)
    assert (a.status, a.on_track, a.progress, a.bar) == (
        indicators.ACHIEVED, True, Decimal("137.5"), Decimal(100),
    )  # fmt: skip
    m = indicators.Measurement(1, 10, Decimal("10.00"))
    a = indicators.assess(plan(), date(2026, 1, 1), measurement=m)
    assert (a.status, a.on_track, a.progress, a.bar) == (
        indicators.BEHIND, False, Decimal("-25.0"), Decimal(0),
    )  # fmt: skip


# ---- pages and API --------------------------------------------------------------------------


def test_the_list_and_the_detail_show_value_target_progress_and_status(
    tree, people, make_staff, client_for
):
    indicator = make_indicator(
        tree["dept_a"],
        name="Tỷ lệ lãnh đạo được bồi dưỡng hội nhập quốc tế",
        numerator="is_leader=true&training=international_integration&training_from=2021",
        denominator="is_leader=true",
        baseline_value=Decimal(20),
        baseline_date=date(2024, 1, 1),
        target_value=Decimal(80),
        target_date=date(2030, 12, 31),
    )
    indicators.measure(indicator, date(2025, 1, 1))
    client = client_for(make_staff(Role.LEADER, tree["city"]))
    page = client.get(reverse("insights:indicator_list")).content.decode()
    assert "Tỷ lệ lãnh đạo được bồi dưỡng hội nhập quốc tế" in page
    # 2 of 4 leaders, the target; a no-break space keeps “%” with its number.
    assert "50,0\u00a0%" in page and "80,0\u00a0%" in page
    assert "Đạt 50,0\u00a0% chặng đường" in page  # (50 − 20) / (80 − 20)
    assert "Đúng tiến độ" in page or "Chậm tiến độ" in page
    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert 'id="indicator-chart"' in detail and "01/01/2025" in detail
    assert detail.count("Xem danh sách") == 2
    assert indicators.list_url(indicator.numerator, tree["dept_a"]).replace("&", "&amp;") in detail


def test_the_list_costs_one_query_per_count_and_no_more(tree, people, make_staff, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(make_staff(Role.LEADER, tree["city"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("insights:indicator_list")).status_code == 200
        return len(ctx.captured_queries)

    make_indicator(tree["city"], code="A", kind="count", numerator="is_leader=true")
    one = queries()
    for code in ("B", "C", "D"):
        make_indicator(tree["dept_a"], code=code, kind="count", numerator="is_leader=true")
    assert queries() == one + 3
    make_indicator(tree["dept_b"], code="E", numerator="is_leader=true", denominator="")
    assert queries() == one + 5  # a ratio: its numerator and its denominator


def test_another_subtree_sees_no_indicator(tree, people, make_staff, client_for):
    indicator = make_indicator(tree["dept_a"], kind="count", numerator="degree=TS")
    outsider = client_for(make_staff(Role.HR_OFFICER, tree["dept_b"]))
    assert (
        "Chưa có chỉ tiêu nào" in outsider.get(reverse("insights:indicator_list")).content.decode()
    )
    assert outsider.get(indicator.get_absolute_url()).status_code == 404
    assert outsider.get("/api/insights/indicators/").json()["count"] == 0
    assert outsider.get(f"/api/insights/indicators/{indicator.pk}/").status_code == 404
    insider = client_for(make_staff(Role.HR_OFFICER, tree["unit_a1"]))
    # A unit below the indicator's sees none of its parent's indicators either.
    assert insider.get(indicator.get_absolute_url()).status_code == 404


def test_the_api_gives_value_target_progress_and_measurements(tree, people, make_staff, client_for):
    indicator = make_indicator(
        tree["city"],
        kind="count",
        numerator="degree=TS&degree=TSKH",
        baseline_value=Decimal(4),
        baseline_date=date(2024, 1, 1),
        target_value=Decimal(8),
        target_date=date(2030, 1, 1),
    )
    indicators.measure(indicator, date(2025, 1, 1))
    client = client_for(make_staff(Role.LEADER, tree["city"]))
    row = client.get("/api/insights/indicators/").json()["results"][0]
    assert row["code"] == "CT-01" and row["organization"] == "CITY"
    assert row["current"]["numerator"] == 6 and row["current"]["value"] == "6.00"
    assert row["target_value"] == "8.00" and row["progress"] == "50.0"  # (6 − 4) / (8 − 4)
    assert row["status"] in ("on_track", "behind") and row["on_track"] == (
        row["status"] == "on_track"
    )
    assert "measurements" not in row
    detail = client.get(f"/api/insights/indicators/{indicator.pk}/").json()
    assert detail["measurements"] == [
        {"measured_on": "2025-01-01", "numerator": 6, "denominator": None, "value": "6.00"}
    ]
    assert client.post("/api/insights/indicators/", {}).status_code in (403, 405)


# ---- editing --------------------------------------------------------------------------------


def form_data(tree, **overrides):
    data = {
        "organization": "DEPT_A",
        "code": "CT-HNQT",
        "name": "Tỷ lệ lãnh đạo được bồi dưỡng hội nhập quốc tế",
        "description": "",
        "kind": "ratio",
        "numerator": (
            "/people/?q=&is_leader=true&training=international_integration&training_from=2021"
        ),
        "denominator": "is_leader=true",
        "baseline_value": "20",
        "baseline_date": "2024-01-01",
        "target_value": "80",
        "target_date": "2030-12-31",
        "order": "1",
    }
    data.update(overrides)
    return data


def test_only_data_stewards_edit_indicators(tree, make_staff, client_for):
    indicator = make_indicator(tree["dept_a"], kind="count", numerator="degree=TS")
    for role, where in (
        (Role.LEADER, "city"),
        (Role.HR_OFFICER, "dept_a"),
        (Role.PLAN_COORDINATOR, "dept_a"),
    ):
        client = client_for(make_staff(role, tree[where]))
        assert client.get(reverse("insights:indicator_add")).status_code == 403
        assert client.post(reverse("insights:indicator_add"), form_data(tree)).status_code == 403
        edit = reverse("insights:indicator_edit", args=[indicator.pk])
        assert client.post(edit, form_data(tree)).status_code == 403
        assert client.get(reverse("insights:indicator_preview")).status_code == 403
    assert Indicator.objects.count() == 1


def test_a_steward_creates_an_indicator_and_it_is_measured(
    tree, people, make_staff, client_for, django_capture_on_commit_callbacks
):
    client = client_for(make_staff(Role.DATA_STEWARD, tree["dept_a"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:indicator_add"), form_data(tree))
    assert response.status_code == 302, response.content.decode()
    indicator = Indicator.objects.get()
    assert indicator.organization == tree["dept_a"]
    assert indicator.numerator == (
        "status=working&is_leader=true&training=international_integration&training_from=2021"
    )
    assert indicator.denominator == "status=working&is_leader=true"
    value = indicator.values.get()
    assert (value.measured_on, value.numerator, value.denominator, value.value) == (
        TODAY, 2, 4, Decimal("50.00"),
    )  # fmt: skip


def test_form_errors_name_the_parameter(tree, make_staff, client_for):
    client = client_for(make_staff(Role.DATA_STEWARD, tree["dept_a"]))
    response = client.post(
        reverse("insights:indicator_add"),
        form_data(tree, numerator="is_leader=yes&degre=TS", denominator="title=GS&title=X"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    for text in ("“is_leader”", "“degre”", "không phải là bộ lọc", "“title”", "“X”"):
        assert text in page
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"kind": "count"}, "denominator", "không có mẫu số"),
        ({"baseline_date": ""}, "baseline_date", "đi cùng nhau"),
        ({"target_date": "2023-01-01"}, "target_date", "sau ngày cơ sở"),
        ({"target_value": "120"}, "target_value", "từ 0 đến 100"),
        ({"organization": "DEPT_B"}, "organization", "DEPT_B"),
        ({"numerator": "within=UNIT_B1"}, "numerator", "không thuộc phạm vi"),
    ],
)
def test_form_rules(tree, make_staff, client_for, overrides, field, says):
    client = client_for(make_staff(Role.DATA_STEWARD, tree["dept_a"]))
    response = client.post(reverse("insights:indicator_add"), form_data(tree, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and says in " ".join(errors[field]), errors


def test_a_code_is_unique_within_its_unit(tree, make_staff, client_for):
    make_indicator(tree["dept_a"], code="CT-HNQT", kind="count", numerator="degree=TS")
    client = client_for(make_staff(Role.DATA_STEWARD, tree["city"]))
    response = client.post(reverse("insights:indicator_add"), form_data(tree))
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "Đơn vị DEPT_A đã có chỉ tiêu mã “CT-HNQT”; hãy chọn mã khác."
    ]
    other_unit = form_data(tree, organization="DEPT_B")
    assert client.post(reverse("insights:indicator_add"), other_unit).status_code == 302


def test_changing_what_is_counted_measures_again(
    tree, people, make_staff, client_for, django_capture_on_commit_callbacks
):
    indicator = make_indicator(tree["dept_a"], kind="count", numerator="degree=TS")
    indicators.measure(indicator, TODAY)
    client = client_for(make_staff(Role.DATA_STEWARD, tree["city"]))
    edit = reverse("insights:indicator_edit", args=[indicator.pk])
    data = form_data(tree, code="CT-01", kind="count", numerator="is_leader=true", denominator="")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, data).status_code == 302
    assert indicator.values.get(measured_on=TODAY).numerator == len(
        people_by_hand(tree, "dept_a", leader=True)
    )


def test_the_preview_counts_and_names_bad_parameters(tree, people, make_staff, client_for):
    client = client_for(make_staff(Role.DATA_STEWARD, tree["city"]))
    url = reverse("insights:indicator_preview")
    response = client.get(
        url,
        {
            "organization": "DEPT_A",
            "kind": "ratio",
            "numerator": "is_leader=true&training=international_integration&training_from=2021",
            "denominator": "is_leader=true",
        },
    )
    assert response.status_code == 200
    assert response.context["parts"][0]["count"] == 2
    assert response.context["parts"][1]["count"] == 4
    assert response.context["value"] == "50,0\u00a0%"
    response = client.get(url, {"organization": "DEPT_A", "kind": "ratio", "numerator": "sex=f"})
    page = response.content.decode()
    assert "“sex”" in page and response.context["parts"][0]["count"] is None
    assert "value" not in response.context
    # No unit chosen: a steward of several places is asked for one.
    response = client.get(url, {"kind": "count", "numerator": "degree=TS"})
    assert response.context["organization"] is not None  # one place only: the city
    response = client.get(url, {"organization": "NOWHERE", "numerator": "degree=TS"})
    assert "NOWHERE" in response.context["organization_error"]


# ---- examples -------------------------------------------------------------------------------


def test_the_example_indicators(tree, people):
    out = StringIO()
    call_command("load_example_indicators", organization="city", stdout=out)
    codes = list(Indicator.objects.values_list("code", flat=True))
    assert codes == ["VD-HNQT", "VD-TS", "VD-GSPGS", "VD-NU-GSPGS", "VD-TS-DUOI40"]
    doctors = Indicator.objects.get(code="VD-TS")
    assert doctors.baseline_value == len(people_by_hand(tree, "city", degrees={"TS", "TSKH"}))
    assert doctors.baseline_date == TODAY and doctors.target_value > doctors.baseline_value
    women = Indicator.objects.get(code="VD-NU-GSPGS")
    assert women.baseline_value == Decimal("75.00") and women.target_value == Decimal("80.00")
    for indicator in Indicator.objects.all():
        assert "VÍ DỤ" in indicator.description
        assert indicators.validate_filters(indicator.numerator, organization=tree["city"]) == []
        assert indicator.values.get().measured_on == TODAY
    # Again: nothing changes, a steward's correction stays.
    Indicator.objects.filter(code="VD-TS").update(target_value=99)
    call_command("load_example_indicators", organization="CITY", stdout=out)
    assert Indicator.objects.count() == 5
    assert Indicator.objects.get(code="VD-TS").target_value == 99
    with pytest.raises(CommandError, match="KHONG"):
        call_command("load_example_indicators", organization="KHONG")

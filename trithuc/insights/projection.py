"""Workforce projection: a cohort model of the people at work, year by year to 2030 or 2045.

A cohort is field of science (level 1) × highest-degree group × gender × birth year (so a
single year of age in each calendar year), with the year its members retire. The starting
cohorts come from ONE SQL GROUP BY over the people at work; nobody is loaded one by one, so a
million people cost one scan and a few thousand cohorts.

Each projected year Y, in this order:

1. ageing: every cohort is a year older (age = Y − birth year);
2. retirement: cohorts whose retirement year is Y leave, all of them. The retirement year is
   the year of each person's retirement date as trithuc/registry/derived.py computes it
   (`Person.retirement_date`: the legal schedule with its month-by-month rise), which depends
   on gender and birth year and month only, so the people are grouped by birth month and the
   date computed once per group. Someone recorded as at work whose date has already passed
   leaves in the first projected year;
3. extension (Decree 50/2022, a scenario parameter, never a rule): of the GS, PGS, TSKH, TS
   and BSCKII holders, `extension_share`% retire `extension_years` later;
4. attrition: the others still at work lose `attrition[degree]`% (or `attrition["*"]`%);
5. inflow: entrants of year Y (count, degree, age at entry, female share) join at the end of
   the year as cohorts of their own (born Y − age, 1 January), then age and retire like
   everyone; an entrant already past the retirement age leaves in the same year.

Figures are expected values (fractions of people), rounded only for display. When the base
date is not the last day of a year, the first year counts only its remaining part: its
attrition and its inflows are prorated by the share of the year left.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, QuerySet
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.registry import derived, retirement
from trithuc.registry.choices import PersonStatus
from trithuc.registry.models import CURRENT_FIELD_VERSION, DegreeLevel, FieldOfScience, Person

MIN_YEAR, MAX_YEAR = 1990, 2100
NO_FIELD = "none"  # people without a main field of science
ANY_DEGREE = "*"  # the attrition rate of every degree group not named
# Decree 50/2022/NĐ-CP: GS, PGS, and posts requiring a doctorate or BSCKII (DOMAIN.md).
EXTENSION_TITLES = frozenset({"GS", "PGS"})
EXTENSION_DEGREES = frozenset({"TSKH", "TS", "BSCKII"})
MAX_EXTENSION_YEARS = retirement.MAX_EXTENSION_MONTHS // 12
MIN_ENTRY_AGE, MAX_ENTRY_AGE = 18, 75
DECIMALS = 4  # of the figures in the JSON (expected values, not whole people)


class AssumptionError(ValueError):
    """Assumptions that cannot be used; `messages` name the row and the field, in Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class ProjectionError(ValueError):
    """A projection that cannot be run as asked (years out of range); the message is Vietnamese."""


# ---- assumptions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inflow:
    """Entrants of one year into one field: new graduates, recruitment, attraction targets."""

    field: str
    year: int
    count: float
    degree: str
    age: int
    female_share: float  # 0 to 1


@dataclass(frozen=True)
class Demand:
    """The stock a field needs in a year (a target of the action programme)."""

    field: str
    year: int
    count: float


@dataclass(frozen=True)
class Assumptions:
    """What a scenario assumes, checked: the projection never reads raw JSON."""

    extension_years: int = 0
    extension_share: float = 0.0  # percent of the eligible people granted the extension
    attrition: Mapping[str, float] = field(default_factory=dict)  # percent a year by degree
    inflows: tuple[Inflow, ...] = ()
    demand: tuple[Demand, ...] = ()

    def attrition_rate(self, degree: str) -> float:
        """The yearly share (0–1) leaving for reasons other than retirement."""
        rate = self.attrition.get(degree)
        if rate is None:
            rate = self.attrition.get(ANY_DEGREE, 0.0)
        return rate / 100

    @classmethod
    def from_scenario(cls, scenario: Any) -> Assumptions:
        return cls.parse(
            extension_years=scenario.extension_years,
            extension_share=scenario.extension_share,
            attrition=scenario.attrition,
            inflows=scenario.inflows,
            demand=scenario.demand,
        )

    @classmethod
    def parse(
        cls,
        *,
        extension_years: Any = 0,
        extension_share: Any = 0,
        attrition: Any = None,
        inflows: Any = None,
        demand: Any = None,
        degree_groups: Iterable[str] | None = None,
    ) -> Assumptions:
        """Check stored assumptions (JSON edited by hand or through the API as well as by the
        form); every problem is reported at once, naming its row and field."""
        problems: list[str] = []
        groups = set(degree_groups) if degree_groups is not None else known_degree_groups()
        years = _number(extension_years, 0, MAX_EXTENSION_YEARS, integer=True)
        if years is None:
            problems.append(
                _("Số năm kéo dài phải là số nguyên từ 0 đến %(max)s.")
                % {"max": MAX_EXTENSION_YEARS}
            )
        share = _number(extension_share, 0, 100)
        if share is None:
            problems.append(_("Tỷ lệ được kéo dài phải từ 0 đến 100 (%)."))
        rates: dict[str, float] = {}
        if attrition in (None, ""):
            attrition = {}
        if not isinstance(attrition, Mapping):
            problems.append(_("Tỷ lệ rời bỏ phải là một bảng theo trình độ."))
            attrition = {}
        for key, value in attrition.items():
            if key != ANY_DEGREE and key not in groups:
                problems.append(_("Tỷ lệ rời bỏ: trình độ “%(key)s” không có.") % {"key": key})
                continue
            rate = _number(value, 0, 100)
            if rate is None:
                label = _("các trình độ khác") if key == ANY_DEGREE else key
                problems.append(
                    _("Tỷ lệ rời bỏ của %(degree)s phải từ 0 đến 100 (%%/năm).") % {"degree": label}
                )
                continue
            rates[key] = rate
        parsed_inflows = tuple(_rows(inflows, _inflow, _("Nguồn bổ sung"), problems, groups))
        parsed_demand = tuple(_rows(demand, _demand, _("Nhu cầu"), problems, groups))
        seen: set[tuple[str, int]] = set()
        for number, row in enumerate(parsed_demand, start=1):
            if (row.field, row.year) in seen:
                problems.append(
                    _("Nhu cầu, dòng %(row)s: lĩnh vực %(field)s năm %(year)s đã có ở dòng trước.")
                    % {"row": number, "field": row.field, "year": row.year}
                )
            seen.add((row.field, row.year))
        if problems:
            raise AssumptionError(problems)
        return cls(
            extension_years=int(years or 0),
            extension_share=float(share or 0),
            attrition=rates,
            inflows=parsed_inflows,
            demand=parsed_demand,
        )


FIELD_CODES = ("1", "2", "3", "4", "5", "6")


def known_degree_groups() -> set[str]:
    return set(DegreeLevel.objects.values_list("group", flat=True).distinct())


def _number(value: Any, lowest: float, highest: float, *, integer: bool = False) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not lowest <= number <= highest:
        return None
    if integer and number != int(number):
        return None
    return number


def _rows(
    value: Any,
    build: Any,
    what: str,
    problems: list[str],
    groups: set[str],
) -> Iterable[Any]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        problems.append(_("%(what)s phải là một danh sách các dòng.") % {"what": what})
        return []
    rows = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            problems.append(
                _("%(what)s, dòng %(row)s: không đọc được.") % {"what": what, "row": number}
            )
            continue
        mistakes: list[str] = []
        row = build(item, mistakes, groups)
        problems.extend(
            _("%(what)s, dòng %(row)s, %(problem)s") % {"what": what, "row": number, "problem": m}
            for m in mistakes
        )
        if not mistakes:
            rows.append(row)
    return rows


def _common(item: Mapping[str, Any], mistakes: list[str]) -> tuple[str, int, float]:
    code = str(item.get("field", "")).strip()
    if code not in FIELD_CODES:
        mistakes.append(_("“Lĩnh vực”: hãy chọn một trong các mã 1 đến 6."))
    year = _number(item.get("year"), MIN_YEAR, MAX_YEAR, integer=True)
    if year is None:
        mistakes.append(
            _("“Năm”: hãy ghi năm từ %(min)s đến %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    count = _number(item.get("count"), 0, 10_000_000)
    if count is None:
        mistakes.append(_("“Số người”: hãy ghi một số không âm."))
    return code, int(year or 0), float(count or 0)


def _inflow(item: Mapping[str, Any], mistakes: list[str], groups: set[str]) -> Inflow:
    code, year, count = _common(item, mistakes)
    degree = str(item.get("degree", "")).strip()
    if degree not in groups:
        mistakes.append(_("“Trình độ”: hãy chọn một trình độ trong danh mục."))
    age = _number(item.get("age"), MIN_ENTRY_AGE, MAX_ENTRY_AGE, integer=True)
    if age is None:
        mistakes.append(
            _("“Tuổi khi vào”: hãy ghi số tuổi từ %(min)s đến %(max)s.")
            % {"min": MIN_ENTRY_AGE, "max": MAX_ENTRY_AGE}
        )
    female = _number(item.get("female_share", 0), 0, 1)
    if female is None:
        mistakes.append(_("“Tỷ lệ nữ”: phải từ 0 đến 100%."))
    return Inflow(code, year, count, degree, int(age or 0), float(female or 0))


def _demand(item: Mapping[str, Any], mistakes: list[str], groups: set[str]) -> Demand:
    code, year, count = _common(item, mistakes)
    return Demand(code, year, count)


# ---- the people at the start ----------------------------------------------------------------


class _Year(ExtractYear):
    """The year of a date. On SQLite it is read from the ISO text: Django's own extraction
    calls a Python function for every row, which alone costs seconds on a million people."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


class _Month(ExtractMonth):
    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 6, 2) AS INTEGER)", params


def people_at_work(*, organization: Any = None, as_of: date | None = None) -> QuerySet:
    """The people at work in an organisation's subtree (everyone without one): today from the
    current records, or at the end of `as_of` from the registry's history."""
    from trithuc.organizations.models import Organization

    people = Person.objects.all()
    if organization is not None:
        roots = set(Organization.objects.filter(depth=0).values_list("path", flat=True))
        if roots != {organization.path}:
            # The subtree as a set of organisations, looked up in the statistics index
            # (status, organisation, …): never a join per person. The only root's subtree is
            # everyone.
            subtree = Organization.objects.filter(path__startswith=organization.path)
            people = people.filter(organization_id__in=subtree.values("pk"))
    if as_of is None:
        return people.filter(status=PersonStatus.WORKING).order_by()
    from .aggregates import as_of_population

    return as_of_population(people, as_of, statuses=[PersonStatus.WORKING])


# The grouping key packs the main field's id and the birth year and month into one integer:
# SQLite sorts the rows to group them, and an integer first sorts fastest. Every column
# grouped is in the registry's statistics index (person_stats), so the database reads that
# index and never the people's rows.
FIELD_FACTOR, YEAR_FACTOR = 10**6, 100


def grouped_people(people: QuerySet) -> list[tuple[Any, ...]]:
    """ONE GROUP BY: (main field id, degree group, title, gender, birth year, birth month,
    count). Takes people (current records) or versions of them (a past date, with the degree
    and title held then, from trithuc.insights.aggregates.as_of_population)."""
    past = people.model is not Person
    degree = "degree_then" if past else "degree_group"
    title = "title_then" if past else "title"
    key = (
        Coalesce(F("primary_field_id"), 0) * FIELD_FACTOR
        + _Year("birth_date") * YEAR_FACTOR
        + _Month("birth_date")
    )
    rows = (
        people.order_by()
        .annotate(
            cohort_key=ExpressionWrapper(key, output_field=BigIntegerField()),
            cohort_degree=F(degree),
            cohort_title=F(title),
            cohort_gender=F("gender"),
        )
        .values_list("cohort_key", "cohort_degree", "cohort_title", "cohort_gender")
        .annotate(n=Count("*"))
        .order_by()
    )
    result = []
    for packed, degree_value, title_value, gender, n in rows:
        if packed is None:
            continue  # no birth date: only a damaged record lacks it
        field_id, rest = divmod(int(packed), FIELD_FACTOR)
        birth_year, birth_month = divmod(rest, YEAR_FACTOR)
        result.append(
            (field_id or None, degree_value, title_value, gender, birth_year, birth_month, n)
        )
    return result


def field_level1_codes() -> dict[int, str]:
    """Level-1 code of every field of science, by id (codes are hierarchical: 102 → 1)."""
    return {pk: code[:1] for pk, code in FieldOfScience.objects.values_list("pk", "code")}


def field_names() -> dict[str, str]:
    names = dict(
        FieldOfScience.objects.filter(level=1, version=CURRENT_FIELD_VERSION).values_list(
            "code", "name"
        )
    )
    names[NO_FIELD] = _("Chưa ghi lĩnh vực")
    return names


# Cohort: (level-1 field, degree group, gender, birth year, retirement year or None).
Cohort = tuple[str, str, str, int, int | None]


@lru_cache(maxsize=4096)
def retirement_year(gender: str, birth_year: int, birth_month: int = 1) -> int | None:
    """The year of the retirement date `derived.retirement_date` gives (Person.retirement_date):
    the end of the month in which the age required that year is reached. It depends on the
    gender and the birth year and month only (the day never changes the month reached)."""
    if gender not in retirement.SCHEDULES:
        return None
    born = date(birth_year, birth_month, 1)
    day = derived.retirement_date(gender, born)
    return day.year if day else None


def cohorts_from(
    rows: Iterable[tuple[Any, ...]],
    assumptions: Assumptions,
    *,
    fields: Mapping[int, str],
) -> dict[Cohort, float]:
    """Fold the grouped rows into cohorts, splitting those eligible for the extension."""
    cohorts: dict[Cohort, float] = defaultdict(float)
    share = assumptions.extension_share / 100 if assumptions.extension_years else 0.0
    years = assumptions.extension_years
    for field_id, degree, title, gender, birth_year, birth_month, count in rows:
        code = fields.get(field_id, NO_FIELD) if field_id else NO_FIELD
        degree = degree or ""
        retire_year = retirement_year(gender, birth_year, birth_month)
        eligible = title in EXTENSION_TITLES or degree in EXTENSION_DEGREES
        _add(
            cohorts, (code, degree, gender, birth_year, retire_year), count, eligible, share, years
        )
    return cohorts


def _add(
    cohorts: dict[Cohort, float],
    key: Cohort,
    count: float,
    eligible: bool,
    share: float,
    years: int,
) -> None:
    code, degree, gender, birth_year, retire_year = key
    if eligible and share > 0 and retire_year is not None:
        # The retirement date is the end of a month: five years more is the same month,
        # `years` later (retirement.retirement_date with extension_months = 12 × years).
        cohorts[(code, degree, gender, birth_year, retire_year + years)] += count * share
        count *= 1 - share
    if count:
        cohorts[key] += count


# ---- the projection -------------------------------------------------------------------------


@dataclass
class Flows:
    """One year's figures, for everyone or for one field."""

    stock: float = 0.0
    retirements: float = 0.0
    inflow: float = 0.0
    attrition: float = 0.0


@dataclass
class Projection:
    """Stock at the end of each year, and the year's retirements, attrition and inflow, in
    total and by field, with each field's demand and gap (demand − stock)."""

    base_date: date
    first_year: int
    to_year: int
    first_year_share: float
    base_stock: float
    base_by_field: dict[str, float]
    totals: dict[int, Flows]
    by_field: dict[str, dict[int, Flows]]
    demand: dict[tuple[str, int], float]
    names: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.to_year + 1))

    def field_codes(self) -> list[str]:
        """The six level-1 fields, then people without a field if there are any (entrants
        always have a field)."""
        codes = list(FIELD_CODES)
        if self.base_by_field.get(NO_FIELD):
            codes.append(NO_FIELD)
        return codes

    def gap(self, code: str, year: int) -> float | None:
        demand = self.demand.get((code, year))
        if demand is None:
            return None
        return demand - self.by_field[code][year].stock

    def as_dict(self, scenario: Any = None) -> dict[str, Any]:
        """The JSON the command, the API and the pages share."""
        r = _rounded
        return {
            "scenario": scenario_summary(scenario),
            "base_date": self.base_date.isoformat(),
            "base_stock": r(self.base_stock),
            "first_year_share": r(self.first_year_share),
            "years": [
                {
                    "year": y,
                    "stock": r(self.totals[y].stock),
                    "retirements": r(self.totals[y].retirements),
                    "inflow": r(self.totals[y].inflow),
                    "attrition": r(self.totals[y].attrition),
                }
                for y in self.years
            ],
            "by_field": {
                code: {
                    "name": self.names.get(code, code),
                    "base_stock": r(self.base_by_field.get(code, 0.0)),
                    "years": [
                        {
                            "year": y,
                            "stock": r(self.by_field[code][y].stock),
                            "retirements": r(self.by_field[code][y].retirements),
                            "inflow": r(self.by_field[code][y].inflow),
                            "demand": _maybe(self.demand.get((code, y))),
                            "gap": _maybe(self.gap(code, y)),
                        }
                        for y in self.years
                    ],
                }
                for code in self.field_codes()
            },
            "warnings": list(self.warnings),
        }


def _rounded(value: float) -> float:
    result = round(value, DECIMALS)
    return 0.0 if result == 0 else result  # never "-0.0"


def _maybe(value: float | None) -> float | None:
    return None if value is None else _rounded(value)


def scenario_summary(scenario: Any) -> dict[str, Any] | None:
    if scenario is None:
        return None
    return {
        "id": scenario.pk,
        "name": scenario.name,
        "organization": {"code": scenario.organization.code, "name": scenario.organization.name},
        "extension_years": scenario.extension_years,
        "extension_share": float(scenario.extension_share),
        "attrition": dict(scenario.attrition or {}),
    }


def first_year_of(base_date: date) -> tuple[int, float]:
    """The first projected year and the share of it that lies after the base date."""
    start = base_date + timedelta(days=1)
    year = start.year
    days = 366 if calendar.isleap(year) else 365
    left = (date(year, 12, 31) - base_date).days
    return year, left / days


def project(
    people: QuerySet,
    *,
    to_year: int,
    assumptions: Assumptions | None = None,
    base_date: date | None = None,
) -> Projection:
    """Project `people` (at work on `base_date`, today by default) to the end of `to_year`."""
    assumptions = assumptions or Assumptions()
    base_date = base_date or timezone.localdate()
    check_years(first_year_of(base_date)[0], to_year)
    rows = grouped_people(people)
    cohorts = cohorts_from(rows, assumptions, fields=field_level1_codes())
    return run(
        cohorts,
        assumptions=assumptions,
        base_date=base_date,
        to_year=to_year,
        names=field_names(),
    )


def check_years(first_year: int, to_year: int) -> None:
    if to_year > MAX_YEAR:
        raise ProjectionError(
            _("Năm cuối %(to)s quá xa; hãy chọn năm đến %(max)s.")
            % {"to": to_year, "max": MAX_YEAR}
        )
    if to_year < first_year:
        raise ProjectionError(
            _("Năm cuối %(to)s trước năm gốc %(first)s; hãy chọn năm từ %(first)s trở đi.")
            % {"to": to_year, "first": first_year}
        )


def run(
    cohorts: Mapping[Cohort, float],
    *,
    assumptions: Assumptions,
    base_date: date,
    to_year: int,
    names: Mapping[str, str] | None = None,
) -> Projection:
    """The yearly steps over the cohorts (see the module's docstring for their order)."""
    first_year, first_share = first_year_of(base_date)
    check_years(first_year, to_year)
    names = dict(names or {})
    state: dict[Cohort, float] = dict(cohorts)
    base_by_field: dict[str, float] = defaultdict(float)
    for key, n in state.items():
        base_by_field[key[0]] += n
    inflows_by_year: dict[int, list[Inflow]] = defaultdict(list)
    for inflow in assumptions.inflows:
        inflows_by_year[inflow.year].append(inflow)
    extension_share = assumptions.extension_share / 100 if assumptions.extension_years else 0.0
    totals: dict[int, Flows] = {}
    by_field: dict[str, dict[int, Flows]] = {code: {} for code in (*FIELD_CODES, NO_FIELD)}
    warnings: list[str] = []
    degrees = {key[1] for key in state} | {i.degree for i in assumptions.inflows}
    for year in range(first_year, to_year + 1):
        part = first_share if year == first_year else 1.0
        loss = {d: 1 - (1 - assumptions.attrition_rate(d)) ** part for d in degrees}
        flows: dict[str, Flows] = defaultdict(Flows)
        after: dict[Cohort, float] = defaultdict(float)
        for key, n in state.items():
            retire_year = key[4]
            if retire_year is not None and retire_year <= year:
                flows[key[0]].retirements += n
                continue
            lost = n * loss[key[1]]
            flows[key[0]].attrition += lost
            if n - lost > 0:
                after[key] += n - lost
        for inflow in inflows_by_year.get(year, ()):
            count = inflow.count * part
            if not count:
                continue
            flows[inflow.field].inflow += count
            birth_year = year - inflow.age
            eligible = inflow.degree in EXTENSION_DEGREES
            for gender, n in (
                (retirement.FEMALE, count * inflow.female_share),
                (retirement.MALE, count * (1 - inflow.female_share)),
            ):
                if not n:
                    continue
                retire_year = retirement_year(gender, birth_year)
                entrants: dict[Cohort, float] = defaultdict(float)
                key = (inflow.field, inflow.degree, gender, birth_year, retire_year)
                _add(entrants, key, n, eligible, extension_share, assumptions.extension_years)
                for entrant, m in entrants.items():
                    if entrant[4] is not None and entrant[4] <= year:
                        # Already past the retirement age when entering: leaves at once.
                        flows[inflow.field].retirements += m
                        warnings.append(
                            _(
                                "Năm %(year)s, lĩnh vực %(field)s: %(n)s người vào ở tuổi "
                                "%(age)s đã quá tuổi nghỉ hưu, được tính nghỉ hưu ngay năm đó."
                            )
                            % {"year": year, "field": inflow.field, "n": round(m, 2),
                               "age": inflow.age}
                        )  # fmt: skip
                    else:
                        after[entrant] += m
        state = after
        stock: dict[str, float] = defaultdict(float)
        for key, n in state.items():
            stock[key[0]] += n
        total = Flows()
        for code in by_field:
            f = flows.get(code, Flows())
            figures = Flows(stock[code], f.retirements, f.inflow, f.attrition)
            by_field[code][year] = figures
            total.stock += figures.stock
            total.retirements += figures.retirements
            total.inflow += figures.inflow
            total.attrition += figures.attrition
        totals[year] = total
    demand = {(d.field, d.year): d.count for d in assumptions.demand}
    return Projection(
        base_date=base_date,
        first_year=first_year,
        to_year=to_year,
        first_year_share=first_share,
        base_stock=sum(base_by_field.values()),
        base_by_field=dict(base_by_field),
        totals=totals,
        by_field=by_field,
        demand=demand,
        names=names,
        warnings=warnings,
    )


# ---- a scenario -----------------------------------------------------------------------------


def base_date_for(from_year: int | None, *, today: date | None = None) -> date | None:
    """None (today, current records) or the last day before `from_year` (the history)."""
    today = today or timezone.localdate()
    if from_year is None:
        return None
    if not MIN_YEAR < from_year <= today.year:
        raise ProjectionError(
            _("Năm bắt đầu %(year)s không hợp lệ; hãy chọn năm từ %(min)s đến %(max)s.")
            % {"year": from_year, "min": MIN_YEAR + 1, "max": today.year}
        )
    return date(from_year - 1, 12, 31)


def project_scenario(
    scenario: Any = None,
    *,
    to_year: int,
    from_year: int | None = None,
    organization: Any = None,
    today: date | None = None,
) -> Projection:
    """The projection of a scenario's organisation subtree under its assumptions (without a
    scenario: `organization`'s subtree, or everyone, with no extension, attrition, inflow or
    demand). `from_year` starts from the registry as it stood at the end of the year before."""
    today = today or timezone.localdate()
    as_of = base_date_for(from_year, today=today)
    if scenario is not None:
        organization = scenario.organization
        assumptions = Assumptions.from_scenario(scenario)
    else:
        assumptions = Assumptions()
    first_year, _share = first_year_of(as_of or today)
    check_years(first_year, to_year)
    people = people_at_work(organization=organization, as_of=as_of)
    return project(people, to_year=to_year, assumptions=assumptions, base_date=as_of or today)

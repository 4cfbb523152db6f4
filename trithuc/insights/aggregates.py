"""Aggregates of the registry: the figures of the dashboard, the public page, the API and
the yearly report, computed one way.

A *population* is a queryset of people: the registry's list filters over what the viewer
may see, or, for a past date, the version of each person's record in force on that date
(the registry history) with the degree and title held then (dated records). Each
*distribution* is one GROUP BY over it; categories that need the taxonomy (level-1 fields,
units of the viewer's tree, administrative units) are folded from the grouped rows in Python,
which costs nothing next to the scan.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.registry import choices as rc
from trithuc.registry.filtersets import AGE_BANDS, birth_range
from trithuc.registry.models import AcademicTitle, Degree, FieldOfScience, Person

# Five-year bands of the age pyramid: (value, label, lowest, highest).
PYRAMID_BANDS = [
    ("lt25", "<25", 0, 24),
    *[(f"{a}-{a + 4}", f"{a}–{a + 4}", a, a + 4) for a in range(25, 70, 5)],
    ("ge70", "70+", 70, 200),
]
# What the distribution functions count: a queryset of people (one GROUP BY each) or a Cube
# built from one (sums of its rows).
People = Any

NONE = "none"  # the category of people without a value (no title, no degree, no field)


@dataclass
class Category:
    key: str
    label: str
    count: int
    # Registry list filters selecting the people behind the figure (None: no exact filter).
    filters: dict[str, str] | None = None


@dataclass
class Distribution:
    key: str
    label: str
    categories: list[Category] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.categories)

    def as_counts(self) -> dict[str, int]:
        return {c.key: c.count for c in self.categories}


# ---- populations ----------------------------------------------------------------------------


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def scoped_people(user: Any) -> QuerySet:
    """The people `user` may see (everyone for None). A viewer whose scope holds every
    top-level organisation sees every person with a workplace: said without the join on the
    organisation tree, which would cost a lookup per person in every figure."""
    from trithuc.core.permissions import paths_for, policy_of
    from trithuc.organizations.models import Organization

    if user is None or (getattr(user, "is_superuser", False) and user.is_active):
        return Person.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    paths = paths_for(user, policy_of(Person).roles_for("view"))
    if not paths:
        return Person.objects.none()
    roots = Organization.objects.filter(depth=0).values_list("path", flat=True)
    if set(roots) <= set(paths):
        return Person.objects.filter(organization__isnull=False)
    # The same subtrees as Person.objects.restrict(), as a set of organisations: (status,
    # organisation) is then a range of the statistics index (an index-only scan on both
    # databases), never a join per person.
    subtree = Q(pk__in=[])
    for path in paths:
        subtree |= Q(path__startswith=path)
    return Person.objects.filter(
        organization_id__in=Organization.objects.filter(subtree).values("pk")
    )


def population(
    user: Any,
    *,
    data: Any = None,
    as_of: date | None = None,
    request: Any = None,
    default_status: Iterable[str] = (rc.PersonStatus.WORKING,),
) -> tuple[QuerySet, Any]:
    """The people the figures count, and the bound filterset (for its form and errors).

    `user` None means every person (the public page, the yearly report's own scope).
    Without a status filter the workforce counted is the people at work.
    """
    from django.http import QueryDict

    from trithuc.registry.filtersets import PersonFilterSet

    base = scoped_people(user)
    params = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(data, QueryDict) and data:
        for key, value in data.items():
            params.setlist(key, value if isinstance(value, list) else [value])
    if not params.getlist("status"):
        params.setlist("status", list(default_status))
    filterset = PersonFilterSet(params, queryset=base, request=request)
    people = filterset.qs if filterset.is_valid() else base.none()
    people = people.order_by()
    if as_of is None:
        return people, filterset
    # The status filter applies to the status of that time (as_of_population), not today's:
    # someone at work then who has retired since is counted then.
    if filterset.is_valid():
        others = params.copy()
        others.setlist("status", [])
        people = PersonFilterSet(others, queryset=base, request=request).qs.order_by()
    return as_of_population(people, as_of, statuses=params.getlist("status")), filterset


# Query parameters of the statistics pages and API that are not registry filters.
NOT_FILTERS = ("as_of", "rows", "columns", "percent", "format")


def query_population(
    user: Any, query: Any, *, request: Any = None
) -> tuple[QuerySet, Any, date | None, str]:
    """(people, filterset, as_of, error) from a page's or the API's query string: the
    registry filters over `user`'s scope, for `as_of`; a bad date is the error (Vietnamese),
    the figures then being today's, for the caller to say where it went wrong."""
    error = ""
    try:
        as_of = parse_as_of(query.get("as_of"))
    except ValueError as exc:
        as_of, error = None, str(exc)
    data = query.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    people, filterset = population(user, data=data, as_of=as_of, request=request)
    return people, filterset, as_of, error


def as_of_population(people: QuerySet, as_of: date, *, statuses: list[str]) -> QuerySet:
    """Each person's record as it stood at the end of `as_of` (the latest version then, not a
    deletion), with the degree group and title held by that year from dated records.

    The registry filters (current values) choose who is looked at; the status filter is
    applied to the status of that time.
    """
    history = Person.history.model
    cut = end_of(as_of)
    latest = (
        history.objects.filter(history_date__lte=cut)
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    versions = history.objects.filter(history_id__in=latest).exclude(history_type="-")
    versions = versions.filter(id__in=people.values("id"))
    if statuses:
        versions = versions.filter(status__in=statuses)
    degree_then = (
        Degree.objects.filter(person_id=OuterRef("id"), year__lte=as_of.year)
        .order_by("-level__rank")
        .values("level__group")[:1]
    )
    title_then = (
        AcademicTitle.objects.filter(person_id=OuterRef("id"), year__lte=as_of.year, revoked=False)
        .exclude(appointment="not_appointed")
        .order_by("kind")  # "GS" sorts before "PGS"
        .values("kind")[:1]
    )
    return versions.order_by().annotate(
        degree_then=Subquery(degree_then, output_field=CharField()),
        title_then=Subquery(title_then, output_field=CharField()),
    )


def _is_history(people: Any) -> bool:
    return people.model is not Person


def _col(people: People, name: str) -> str:
    """The column of a value that has a dated form in the past (degree, title)."""
    if _is_history(people):
        return {"degree_group": "degree_then", "title": "title_then"}.get(name, name)
    return name


# ---- distributions --------------------------------------------------------------------------


def _band_case(bands: list[tuple[str, Any, int, int]], on: date) -> Case:
    """The band of each person's age on `on`. Bands are contiguous, youngest first, so one
    comparison per band decides (born on or after the band's earliest birth date); a birth
    date after `on` cannot be entered, and one older than every band falls to ""."""
    whens = []
    ordered = sorted(bands, key=lambda band: band[2])
    for value, _label, lowest, highest in ordered:
        earliest, _latest = birth_range(lowest, highest, on)
        whens.append(When(birth_date__gte=earliest, then=Value(value)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _grouped(people: Any, *columns: str, **expressions: Any) -> list[tuple]:
    """Rows (values…, count) grouped by the columns and expressions: one GROUP BY, or, for a
    Cube, sums over the cube's rows (the expressions must then be age bands)."""
    if isinstance(people, Cube):
        return people.grouped(*columns, *expressions)
    qs = people.order_by()
    if expressions:
        qs = qs.annotate(**expressions)
    names = list(columns) + list(expressions)
    # COUNT(*), not COUNT(id): the id is not in the statistics index, so counting it would
    # read every row of the table instead of the index alone.
    return list(qs.values_list(*names).annotate(n=Count("*")).order_by())


# Ten-year bands of the statistics are unions of the pyramid's five-year bands.
BAND_OF_BAND5 = {
    "lt25": "lt30", "25-29": "lt30", "30-34": "30-39", "35-39": "30-39", "40-44": "40-49",
    "45-49": "40-49", "50-54": "50-59", "55-59": "50-59", "60-64": "60-69", "65-69": "60-69",
    "ge70": "ge70", "": "",
}  # fmt: skip


class Cube:
    """Every one-way and two-way figure of the dashboard from ONE scan of the people.

    On PostgreSQL the scan computes several small groupings at once (GROUPING SETS): title;
    degree × field; gender × five-year band; sector; organisation. Elsewhere it groups by
    title, degree group, gender, sector, main field and five-year band together (a few
    thousand rows whatever the number of people). `grouped(...)` then answers what
    `_grouped` would over the people, summing the rows of a grouping that holds the names
    asked ("band" is the ten-year band, from "band5"); a grouping it does not hold (the
    organisation, off PostgreSQL) is one more GROUP BY over the people.
    """

    SETS_POSTGRES = (
        ("title",),
        ("degree_group", "primary_field_id"),
        ("gender", "band5"),
        ("sector",),
        ("organization_id",),
    )
    SET_OTHERS = ("title", "degree_group", "gender", "sector", "primary_field_id", "band5")

    def __init__(self, people: QuerySet, on: date) -> None:
        from django.db import connections

        self.on = on
        self.people = people
        self.sets: dict[tuple[str, ...], list[tuple]] = {}
        vendor = connections[people.db].vendor
        band5 = _band_case(PYRAMID_BANDS, on)
        if vendor == "postgresql":
            self._grouping_sets(people, band5)
        else:
            columns = [_col(people, name) for name in self.SET_OTHERS[:-1]]
            self.sets[self.SET_OTHERS] = [
                (*values[:-2], values[-2] or "", values[-1])
                for values in _grouped(people, *columns, band5=band5)
            ]

    def _grouping_sets(self, people: QuerySet, band5: Any) -> None:
        from django.db import connections

        names = ["title", "degree_group", "primary_field_id", "gender", "band5", "sector",
                 "organization_id"]  # fmt: skip
        inner = (
            people.order_by()
            .annotate(band5=band5)
            .values_list(*[_col(people, n) if n != "band5" else n for n in names])
        )
        sql, params = inner.query.sql_with_params()
        aliases = ", ".join(f"c{i}" for i in range(len(names)))
        sets = ", ".join(
            "(" + ", ".join(f"c{names.index(n)}" for n in group) + ")"
            for group in self.SETS_POSTGRES
        )
        query = (
            f"SELECT {aliases}, GROUPING({aliases}), COUNT(*) FROM ({sql}) AS t({aliases}) "  # noqa: S608
            f"GROUP BY GROUPING SETS ({sets})"
        )
        # GROUPING(...) has a bit set for each column NOT grouped in the row's set.
        masks = {}
        for group in self.SETS_POSTGRES:
            mask = 0
            for i, name in enumerate(names):
                if name not in group:
                    mask |= 1 << (len(names) - 1 - i)
            masks[mask] = group
            self.sets[group] = []
        with connections[people.db].cursor() as cursor:
            cursor.execute(query, params)
            for row in cursor.fetchall():
                group = masks[row[-2]]
                values = tuple(
                    (row[names.index(n)] or "") if n == "band5" else row[names.index(n)]
                    for n in group
                )
                self.sets[group].append((*values, row[-1]))

    def grouped(self, *names: str) -> list[tuple]:
        plain = [{"title_then": "title", "degree_then": "degree_group"}.get(n, n) for n in names]
        wanted = {"band5" if n == "band" else n for n in plain}
        for group, rows in self.sets.items():
            if wanted <= set(group):
                index = {name: i for i, name in enumerate(group)}
                sums: dict[tuple, int] = defaultdict(int)
                for row in rows:
                    key = tuple(
                        BAND_OF_BAND5.get(row[index["band5"]], "")
                        if name == "band"
                        else row[index[name]]
                        for name in plain
                    )
                    sums[key] += row[-1]
                return [(*key, n) for key, n in sums.items()]
        # Not held by the cube (the organisation, off PostgreSQL): its own GROUP BY.
        columns = [_col(self.people, n) for n in plain]
        rows = _grouped(self.people, *columns)
        self.sets[tuple(plain)] = rows
        return rows

    @property
    def model(self) -> Any:
        return Person


def by_title(people: People) -> Distribution:
    counts = dict(_grouped(people, _col(people, "title")))
    cats = [
        Category(kind, str(label), counts.get(kind, 0), {"title": kind})
        for kind, label in rc.AcademicTitleKind.choices
    ]
    none = sum(n for k, n in counts.items() if k not in rc.AcademicTitleKind.values)
    cats.append(Category(NONE, _("Chưa có học hàm"), none, {"title": NONE}))
    return Distribution("title", _("Học hàm"), cats)


def degree_names() -> dict[str, str]:
    from trithuc.registry.selectors import degree_groups

    return degree_groups()


def by_degree(people: People, names: dict[str, str] | None = None) -> Distribution:
    names = names or degree_names()
    counts = dict(_grouped(people, _col(people, "degree_group")))
    cats = [Category(g, str(label), counts.get(g, 0), {"degree": g}) for g, label in names.items()]
    none = sum(n for k, n in counts.items() if k not in names)
    cats.append(Category(NONE, _("Chưa ghi trình độ"), none, {"degree": NONE}))
    return Distribution("degree", _("Trình độ cao nhất"), cats)


def by_gender(people: People) -> Distribution:
    counts = dict(_grouped(people, "gender"))
    cats = [
        Category(g, str(label), counts.get(g, 0), {"gender": g}) for g, label in rc.Gender.choices
    ]
    return Distribution("gender", _("Giới tính"), cats)


def by_sector(people: People) -> Distribution:
    counts = dict(_grouped(people, "sector"))
    cats = [
        Category(s, str(label), counts.get(s, 0), {"sector": s}) for s, label in rc.Sector.choices
    ]
    return Distribution("sector", _("Khu vực công tác"), cats)


def by_age_band(people: People, on: date) -> Distribution:
    counts = dict(_grouped(people, band=_band_case(AGE_BANDS, on)))
    # Drilling down filters by age today: exact only when the figures are for today.
    today = on == timezone.localdate()
    cats = [
        Category(b, str(label), counts.get(b, 0), {"age_band": b} if today else None)
        for b, label, _lo, _hi in AGE_BANDS
    ]
    return Distribution("age_band", _("Độ tuổi"), cats)


def fields_of_science() -> dict[int, FieldOfScience]:
    return {f.pk: f for f in FieldOfScience.objects.select_related("parent")}


def _field_codes(field_id: int | None, fields: dict[int, Any]) -> tuple[str, str, str, str]:
    """(level-1 code, name, level-2 code, name) of a person's main field."""
    f = fields.get(field_id) if field_id else None
    if f is None:
        return NONE, _("Chưa ghi lĩnh vực"), NONE, _("Chưa ghi lĩnh vực")
    top = f.parent if f.level == 2 and f.parent_id else f
    return top.code, top.name, f.code, f.name


def by_field(people: People, fields: dict[int, Any] | None = None) -> tuple[Distribution, ...]:
    """Fields of science of people's main field: level 1 and level 2, from one GROUP BY."""
    fields = fields if fields is not None else fields_of_science()
    level1: dict[str, list] = {}
    level2: dict[str, list] = {}
    for field_id, n in _grouped(people, "primary_field_id"):
        c1, n1, c2, n2 = _field_codes(field_id, fields)
        level1.setdefault(c1, [n1, 0])[1] += n
        level2.setdefault(c2, [n2, 0])[1] += n

    def cats(rows: dict[str, list]) -> list[Category]:
        ordered = sorted(rows.items(), key=lambda kv: (kv[0] == NONE, kv[0]))
        return [
            Category(code, f"{code} {name}" if code != NONE else name, n, {"main_field": code})
            for code, (name, n) in ordered
        ]

    return (
        Distribution("field", _("Lĩnh vực khoa học (cấp 1)"), cats(level1)),
        Distribution("field2", _("Lĩnh vực khoa học (cấp 2)"), cats(level2)),
    )


def unit_heads(org_ids: list[int], root: Any | None) -> tuple[dict[int, Any], dict[int, Any]]:
    """For each organisation: the organisation itself (with its administrative unit) and its
    ancestor (or itself) one level under `root` — the unit a "by unit" figure counts it in."""
    from trithuc.organizations.models import Organization

    orgs = {
        o.pk: o
        for o in Organization.objects.filter(pk__in=[i for i in org_ids if i]).select_related(
            "administrative_unit", "administrative_unit__parent"
        )
    }
    depth = (root.depth + 1) if root is not None else 0
    prefixes = {}
    for org_id, org in orgs.items():
        segments = [s for s in org.path.split("/") if s]
        prefixes[org_id] = "/".join(segments[: depth + 1]) + "/"
    heads = {o.path: o for o in Organization.objects.filter(path__in=set(prefixes.values()))}
    return orgs, {org_id: heads.get(prefix) for org_id, prefix in prefixes.items()}


def by_unit(people: People, root: Any | None) -> tuple[Distribution, Distribution]:
    """By the units directly under `root` (the viewer's top organisation; the city for
    everyone), and by the administrative unit (province, or commune/ward) of the workplace."""
    rows = _grouped(people, "organization_id")
    orgs, heads = unit_heads([org_id for org_id, _n in rows], root)
    units: dict[str, list] = {}
    places: dict[str, list] = {}
    for org_id, n in rows:
        head = heads.get(org_id)
        if head is not None:
            key, label, unit_filters = unit_category(head, root)
            units.setdefault(key, [label, 0, unit_filters])[1] += n
        unit = getattr(orgs.get(org_id), "administrative_unit", None)
        if unit is not None:
            key, label, place_filters = place_category(unit)
            places.setdefault(key, [label, 0, place_filters])[1] += n

    def cats(rows: dict[str, list]) -> list[Category]:
        ordered = sorted(rows.items(), key=lambda kv: (-kv[1][1], kv[1][0]))
        return [Category(code, name, n, filters) for code, (name, n, filters) in ordered]

    return (
        Distribution("unit", _("Đơn vị"), cats(units)),
        Distribution("admin_unit", _("Đơn vị hành chính"), cats(places)),
    )


def unit_category(head: Any, root: Any | None) -> tuple[str, str, dict[str, str]]:
    """The category of a "by unit" figure: a unit under the root (its subtree), or the root
    itself for the people recorded there directly (only them: not its subtree)."""
    label = head.short_name or head.name
    if root is not None and head.pk == root.pk:
        return f"={head.code}", _("%(unit)s (trực tiếp)") % {"unit": label}, {"at": head.code}
    return head.code, label, {"within": head.code}


def place_category(unit: Any) -> tuple[str, str, dict[str, str] | None]:
    """The category of an administrative unit: a commune or ward (the people there); a
    province counts only the workplaces recorded at province level, which no list filter
    selects alone (the filter by province also takes its communes): no drill-down."""
    if unit.parent_id is None:
        return unit.code, _("%(unit)s (ghi cấp tỉnh)") % {"unit": unit}, None
    return unit.code, str(unit), {"admin_unit": unit.code}


@dataclass
class Grid:
    """A two-way table: rows × columns of counts, each cell with its drill-down filters."""

    key: str
    label: str
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]
    row_param: str = ""
    column_param: str = ""

    def cell(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    def table(self) -> list[dict[str, Any]]:
        return [
            {
                "key": r,
                "label": label,
                "cells": [
                    {
                        "column": c,
                        "count": self.cell(r, c),
                        "filters": (
                            {self.row_param: r, self.column_param: c}
                            if self.row_param and self.column_param
                            else None
                        ),
                    }
                    for c, _l in self.columns
                ],
                "total": sum(self.cell(r, c) for c, _l in self.columns),
            }
            for r, label in self.rows
        ]


def age_pyramid(people: People, on: date) -> Grid:
    cells: dict[tuple[str, str], int] = {}
    for gender, band, n in _grouped(people, "gender", band5=_band_case(PYRAMID_BANDS, on)):
        if band:
            cells[(band, gender)] = cells.get((band, gender), 0) + n
    return Grid(
        "pyramid",
        _("Tháp tuổi theo giới tính"),
        rows=[(b, label) for b, label, _lo, _hi in PYRAMID_BANDS],
        columns=list((g, str(label)) for g, label in rc.Gender.choices),
        cells=cells,
    )


def degree_by_field(
    people: People, names: dict[str, str] | None = None, fields: dict[int, Any] | None = None
) -> Grid:
    names = names or degree_names()
    fields = fields if fields is not None else fields_of_science()
    cells: dict[tuple[str, str], int] = defaultdict(int)
    columns: dict[str, str] = {}
    for group, field_id, n in _grouped(people, _col(people, "degree_group"), "primary_field_id"):
        code, name, _c2, _n2 = _field_codes(field_id, fields)
        columns[code] = f"{code} {name}" if code != NONE else name
        cells[(group if group in names else NONE, code)] += n
    rows = [*names.items(), (NONE, _("Chưa ghi trình độ"))]
    ordered = sorted(columns.items(), key=lambda kv: (kv[0] == NONE, kv[0]))
    return Grid(
        "degree_field",
        _("Trình độ × lĩnh vực"),
        rows=[(k, str(v)) for k, v in rows],
        columns=ordered,
        cells=dict(cells),
        row_param="degree",
        column_param="main_field",
    )


def trends(people: QuerySet, *, years: int = 10, until: date | None = None) -> dict[str, Any]:
    """By year, among the people counted: how many held a doctorate (TS, TSKH) and a title
    (GS, PGS) by the end of that year, from the years of their degrees and titles."""
    until = until or timezone.localdate()
    first = until.year - years + 1
    # The first year each person reached the level counts: the earliest doctorate. Only
    # people whose summary holds a doctorate (a title) can have one: looking among them
    # alone reads a few percent of the sub-records.
    doctors = people.filter(**{f"{_col(people, 'degree_group')}__in": ["TS", "TSKH"]})
    doctor_years = _first_years(
        Degree.objects.filter(person_id__in=doctors.values("id"), level__group__in=["TS", "TSKH"])
    )
    titled = people.filter(**{f"{_col(people, 'title')}__in": ["GS", "PGS"]})
    title_years = _first_years(
        AcademicTitle.objects.filter(person_id__in=titled.values("id"), revoked=False).exclude(
            appointment="not_appointed"
        )
    )
    labels = list(range(first, until.year + 1))
    return {
        "years": labels,
        "doctorates": _cumulative(doctor_years, labels),
        "titles": _cumulative(title_years, labels),
    }


def _first_years(records: QuerySet) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    per_person = records.values("person_id").annotate(y=Min("year")).values_list("y", flat=True)
    for year in per_person:
        if year:
            counts[int(year)] += 1
    return counts


def _cumulative(by_year: dict[int, int], years: list[int]) -> list[int]:
    running = sum(n for y, n in by_year.items() if y < years[0])
    out = []
    for year in years:
        running += by_year.get(year, 0)
        out.append(running)
    return out


# ---- the summary ----------------------------------------------------------------------------

SUMMARY_KEYS = ("title", "degree", "gender", "age_band", "field", "field2", "sector")


def summary(people: QuerySet, *, on: date | None = None) -> dict[str, Distribution]:
    """The one-way distributions the API and the public page publish (one scan: a Cube)."""
    on = on or timezone.localdate()
    cube = Cube(people, on)
    field1, field2 = by_field(cube)
    return {
        "title": by_title(cube),
        "degree": by_degree(cube),
        "gender": by_gender(cube),
        "age_band": by_age_band(cube, on),
        "field": field1,
        "field2": field2,
        "sector": by_sector(cube),
    }


def last_day_of_year(year: int) -> date:
    return date(year, 12, calendar.monthrange(year, 12)[1])


def parse_as_of(value: str | None) -> date | None:
    """`as_of` from a query string; raises ValueError with a Vietnamese message."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("Ngày “%(value)s” không đúng dạng năm-tháng-ngày, ví dụ 2025-12-31.")
            % {"value": value[:20]}
        ) from None
    today = timezone.localdate()
    if day > today:
        raise ValueError(_("Ngày %(day)s còn ở tương lai; hãy chọn một ngày đã qua.") % {
            "day": day.strftime("%d/%m/%Y")})  # fmt: skip
    if day < date(1990, 1, 1):
        raise ValueError(_("Hệ thống không có số liệu trước năm 1990."))
    return day

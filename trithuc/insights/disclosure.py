"""Statistical disclosure control of the figures published to everyone: the public statistics
page (`insights:public`) and the anonymous answer of `/api/insights/summary/`.

What is published
    The people at work in the whole registry, now: the total; one-way tables by academic
    title, highest degree, gender, age band (10 years), field of science (level 1) and
    sector; two two-way tables, highest degree × field (level 1) and the age pyramid
    (5-year band × gender) with their margins. No filter, no past date, no unit, no level-2
    field: a caller cannot choose two populations whose difference is one person. Every
    visitor and the API read one snapshot of the figures, computed once per window of
    `INSIGHTS_PUBLIC_CACHE_SECONDS` (10 minutes by default) aligned on the clock, so the page
    and the API never publish two different versions within a window.

Linked tables
    Every published number is one *item* (a cell or a margin) and every way items add up is
    a *relation* `total = part + part + …`: a one-way table adds up to the total; a row of
    a two-way table adds up to its row margin, which *is* the cell of the one-way table of
    the same page (the "by degree" table is the row margin of degree × field, the "by
    gender" table the column margin of the pyramid, each 10-year age band the sum of two
    5-year bands). Because a figure that appears in two tables is one item, differencing
    two published tables is differencing relations, and the rules below hold for all of
    them at once.

Rules
    1. Primary suppression: an item counting 1–4 people (fewer than `MIN_COUNT`) is not
       published.
    2. Zero is published. A zero discloses nobody; hiding it would not protect a group
       either (an empty cell next to a suppressed one reads as "0 to 4" anyway), and it
       would give the secondary suppression a complement whose value cannot go down, so
       "hidden" would protect less. The group disclosure a zero can carry ("all the people
       of group G are X") needs a group: the public tables have no unit or place, only
       city-wide categories, and their attributes (title, degree, field, age band, gender,
       sector) are none of the sensitive data of Law 91/2025 (ethnicity, religion, party,
       health are never tabulated here). A group of 1–4 never shows its zeros' meaning: its
       own total is suppressed.
    3. Secondary suppression, by relation: no relation may have exactly one item
       suppressed (else `total − published parts` gives it). In a one-way table this
       suppresses the next smallest category; in a two-way table every row and every column
       holding a suppressed cell gets at least two, margins included; repeated until
       nothing changes. The complement chosen is the smallest published non-zero item of
       the relation (a cell before a margin of the same size); the grand total only when
       nothing else is left.
    4. Audit: rule 3 is not enough. Two blocks of suppressed cells joined by one cell leave
       that cell equal to a combination of published figures; four suppressed cells of 1
       in a 2 × 2 block, each row and column holding two, are each forced to 1, because
       anyone knows a suppressed value is at least 1 (zeros are shown). So each suppressed
       item must have another value in some assignment of the suppressed items that keeps
       every relation and every published figure, with all suppressed items ≥ 1. This is
       decided exactly (rational elimination and one small linear programme, `unprotected`).
       While an item fails, the smallest published non-zero item of its relations is
       suppressed and rules 3–4 run again. If nothing is left to suppress, every non-zero
       item linked to it is hidden, and the hidden figures multiplied by two are another
       consistent assignment.
    5. All suppressed items look the same ("ẩn" on the page, null in the API), whether
       primary or complementary: marking them apart would tell that a complement is ≥ 5 and
       a primary ≤ 4, bounds that can pin a cell (a row of 6 made of a primary and a
       complement of 5 would give the primary: 1).
    6. Over time: figures are those of now, for everyone, changing at most once per window;
       no past date is offered (the registry history would let two dates be differenced to
       one person's record). What remains is the change between two windows, the net of
       every record written meanwhile; deployments that want it coarser set a longer window
       (a day: 86400).
    7. Public KPI indicators (`Indicator.is_public`) show their value only when neither the
       numerator, nor the denominator, nor their difference counts 1–4 people.

The cache holds only suppressed figures: no count of 1–4 is ever stored outside the database.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trithuc.registry import choices as rc
from trithuc.registry.filtersets import AGE_BANDS

from . import aggregates as agg
from .aggregates import NONE, PYRAMID_BANDS

MIN_COUNT = 5
# What anyone may infer about a suppressed item: it is at least 1, since zeros are shown.
LOWER_BOUND = 1
UNKNOWN = "unknown"  # a value outside the known categories (kept so that tables add up)
TOTAL: tuple[str, ...] = ("total",)
DEFAULT_CACHE_SECONDS = 600

Key = tuple[str, ...]


# ---- linked tables and their protection -------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`: a margin and the cells it adds up."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def items(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass
class Tables:
    """Linked tables: every published number once (`values`), and how they add up."""

    values: dict[Key, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    # Items hidden only when nothing else can protect a cell (the grand total).
    keep: set[Key] = field(default_factory=set)

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        self.relations.append(Relation(total, tuple(parts)))

    def add_one_way(self, name: str, counts: Mapping[str, int], order: Iterable[str]) -> None:
        """A table by one dimension: items (name, category) adding up to the grand total."""
        keys = [(name, c) for c in order]
        for key in keys:
            self.values[key] = counts.get(key[1], 0)
        self.relate(TOTAL, keys)

    def add_two_way(
        self,
        name: str,
        cells: Mapping[tuple[str, str], int],
        rows: list[str],
        columns: list[str],
        row_margin: str,
        column_margin: str,
    ) -> None:
        """A table by two dimensions, items (name, row, column), with its margins: the row
        margins are the items (row_margin, row) — the one-way table of that dimension — and
        the column margins (column_margin, column); both add up to the grand total."""
        for r in rows:
            for c in columns:
                self.values[(name, r, c)] = cells.get((r, c), 0)
        for r in rows:
            self.values[(row_margin, r)] = sum(self.values[(name, r, c)] for c in columns)
            self.relate((row_margin, r), [(name, r, c) for c in columns])
        for c in columns:
            self.values[(column_margin, c)] = sum(self.values[(name, r, c)] for r in rows)
            self.relate((column_margin, c), [(name, r, c) for r in rows])
        self.relate(TOTAL, [(row_margin, r) for r in rows])
        self.relate(TOTAL, [(column_margin, c) for c in columns])

    def check(self) -> None:
        """Raise ValueError when a relation does not add up (the figures would lie)."""
        for rel in self.relations:
            missing = [k for k in rel.items if k not in self.values]
            if missing:
                raise ValueError(f"No value for {missing}")
            if self.values[rel.total] != sum(self.values[k] for k in rel.parts):
                raise ValueError(f"{rel.total} is not the sum of its parts")
            if any(self.values[k] < 0 for k in rel.items):
                raise ValueError(f"A negative count in {rel.total}")

    def by_item(self) -> dict[Key, list[Relation]]:
        index: dict[Key, list[Relation]] = defaultdict(list)
        for rel in self.relations:
            for key in rel.items:
                index[key].append(rel)
        return index


def primary(values: Mapping[Key, int]) -> set[Key]:
    """Items of 1 to MIN_COUNT − 1 people."""
    return {k for k, v in values.items() if 0 < v < MIN_COUNT}


def _complement(
    tables: Tables, suppressed: set[Key], relations: Iterable[Relation], *, keep: bool
) -> Key | None:
    """The published item to hide next among those of `relations`: the smallest non-zero one,
    a cell before a margin of the same size, then in a stable order."""
    margins = {rel.total for rel in tables.relations}
    candidates = {
        k
        for rel in relations
        for k in rel.items
        if k not in suppressed and tables.values[k] > 0 and (keep or k not in tables.keep)
    }
    if not candidates:
        return None
    return min(candidates, key=lambda k: (tables.values[k], k in margins, k))


def _complete(tables: Tables, suppressed: set[Key]) -> None:
    """Rule 3: until no relation has exactly one suppressed item."""
    changed = True
    while changed:
        changed = False
        for rel in tables.relations:
            if sum(1 for k in rel.items if k in suppressed) != 1:
                continue
            extra = _complement(tables, suppressed, [rel], keep=False) or _complement(
                tables, suppressed, [rel], keep=True
            )
            if extra is not None:  # always found: the others of the relation sum to ≥ 1
                suppressed.add(extra)
                changed = True


def unprotected(tables: Tables, suppressed: set[Key]) -> list[Key]:
    """Suppressed items whose value the published figures determine (rule 4), exactly.

    What anyone knows: every relation, every published item, and that a suppressed item is
    at least LOWER_BOUND. The true values are one solution; an item is protected when some
    direction d keeps every relation (A d = 0), does not lower an item already at the bound
    (d_j ≥ 0 there) and changes it (d_k ≠ 0): a small step along d is another solution.

    The relations restricted to the suppressed items are reduced with pivots among the items
    above the bound (*free*). A free item that is not a pivot, or whose pivot row holds
    another free item, moves freely. What is left constrains the items at the bound alone:
    rows F with F u = 0, u ≥ 0; one linear programme finds which of them can rise (the
    support P of that cone). An item at the bound is protected when it is in P; a free
    pivot item when its row, on P, is not a combination of F's rows on P (then some u in
    the cone, which spans F's kernel on P, moves it).
    """
    free = {k for k in suppressed if tables.values[k] > LOWER_BOUND}
    bound = suppressed - free
    rows: list[dict[Key, Fraction]] = []
    for rel in tables.relations:
        row: dict[Key, Fraction] = {}
        for sign, keys in ((1, (rel.total,)), (-1, rel.parts)):
            for k in keys:
                if k in suppressed:
                    row[k] = row.get(k, Fraction(0)) + sign
        row = {k: c for k, c in row.items() if c}
        if row:
            rows.append(row)
    pivots, fixed_rows = _reduce(rows, free)
    support = _positive_support(fixed_rows, bound)
    on_support = [{k: c for k, c in r.items() if k in support} for r in fixed_rows]
    span, _zero = _reduce([r for r in on_support if r], support)

    weak = []
    for k in sorted(suppressed):
        if k in bound:
            if k not in support:
                weak.append(k)
            continue
        pivot_row = pivots.get(k)
        if pivot_row is None or any(o in free for o in pivot_row if o != k):
            continue
        if _in_span({j: c for j, c in pivot_row.items() if j in support}, span):
            weak.append(k)
    return weak


def _axpy(target: dict[Key, Fraction], factor: Fraction, source: dict[Key, Fraction]) -> None:
    """target += factor × source, dropping the entries that become zero."""
    for k, c in source.items():
        value = target.get(k, Fraction(0)) + factor * c
        if value:
            target[k] = value
        else:
            target.pop(k, None)


def _reduce(
    rows: list[dict[Key, Fraction]], pivotable: set[Key]
) -> tuple[dict[Key, dict[Key, Fraction]], list[dict[Key, Fraction]]]:
    """Reduced row echelon form with pivots among `pivotable` columns (exact): the pivot
    rows by pivot column, and the rows left with no pivotable column (non-zero ones)."""
    pivots: dict[Key, dict[Key, Fraction]] = {}
    rest: list[dict[Key, Fraction]] = []
    for original in rows:
        row = dict(original)
        for pk, prow in pivots.items():
            c = row.get(pk)
            if c:
                _axpy(row, -c, prow)
        choices = sorted(k for k in row if k in pivotable)
        if not choices:
            if row:
                rest.append(row)
            continue
        pk = choices[0]
        scale = row[pk]
        row = {k: c / scale for k, c in row.items()}
        for other in pivots.values():
            c = other.get(pk)
            if c:
                _axpy(other, -c, row)
        pivots[pk] = row
    # Rows set aside early never held a pivotable column, so later pivots leave them alone.
    return pivots, rest


def _in_span(row: dict[Key, Fraction], pivots: dict[Key, dict[Key, Fraction]]) -> bool:
    row = dict(row)
    for pk, prow in pivots.items():
        c = row.get(pk)
        if c:
            _axpy(row, -c, prow)
    return not row


def _positive_support(rows: list[dict[Key, Fraction]], columns: set[Key]) -> set[Key]:
    """The columns j for which some u ≥ 0 with rows·u = 0 has u_j > 0.

    Columns in no row can rise freely. For the others, one linear programme: maximise
    Σ t_j subject to rows·u = 0, 0 ≤ t_j ≤ 1, t_j ≤ u_j. The set is a cone, so the sum of
    one witness per column rises in all of them at once: the optimum puts t_j = 1 exactly
    on the support.
    """
    used = sorted({k for r in rows for k in r})
    support = set(columns) - set(used)
    if not used:
        return support
    n = len(used)
    # Variables: u (n), t (n), v (n: u − t − v = 0), w (n: t + w = 1).
    col = {k: i for i, k in enumerate(used)}
    a: list[list[Fraction]] = []
    b: list[Fraction] = []
    zero = Fraction(0)
    for r in rows:
        line = [zero] * (4 * n)
        for k, c in r.items():
            line[col[k]] = c
        a.append(line)
        b.append(zero)
    for i in range(n):
        line = [zero] * (4 * n)
        line[i], line[n + i], line[2 * n + i] = Fraction(1), Fraction(-1), Fraction(-1)
        a.append(line)
        b.append(zero)
        line = [zero] * (4 * n)
        line[n + i], line[3 * n + i] = Fraction(1), Fraction(1)
        a.append(line)
        b.append(Fraction(1))
    cost = [zero] * n + [Fraction(1)] * n + [zero] * (2 * n)
    x = _simplex_max(a, b, cost)
    return support | {k for k in used if x[n + col[k]] > 0}


def _simplex_max(a: list[list[Fraction]], b: list[Fraction], c: list[Fraction]) -> list[Fraction]:
    """A vertex x ≥ 0 of a·x = b maximising c·x (b ≥ 0, the problem feasible and bounded):
    two phases, exact fractions, Bland's rule (no cycling)."""
    m, n = len(a), len(c)
    one, zero = Fraction(1), Fraction(0)
    tableau = [[*a[i], *[one if j == i else zero for j in range(m)], b[i]] for i in range(m)]
    basis = [n + i for i in range(m)]
    _simplex_run(tableau, basis, [zero] * n + [-one] * m, n + m)
    if any(tableau[i][-1] for i, var in enumerate(basis) if var >= n):
        raise ValueError("infeasible")
    keep = []
    for i, var in enumerate(basis):
        if var >= n:  # an artificial at zero: swap it for a real column, or drop a redundant row
            j = next((j for j in range(n) if tableau[i][j]), None)
            if j is None:
                continue
            _pivot(tableau, basis, i, j)
        keep.append(i)
    tableau = [[*tableau[i][:n], tableau[i][-1]] for i in keep]
    basis = [basis[i] for i in keep]
    _simplex_run(tableau, basis, c, n)
    x = [zero] * n
    for i, var in enumerate(basis):
        x[var] = tableau[i][-1]
    return x


def _simplex_run(tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction], n: int):
    while True:
        in_basis = set(basis)
        entering = None
        for j in range(n):
            if j in in_basis:
                continue
            reduced = cost[j] - sum(cost[basis[i]] * row[j] for i, row in enumerate(tableau))
            if reduced > 0:
                entering = j
                break
        if entering is None:
            return
        leaving: int | None = None
        best = Fraction(0)
        for i, row in enumerate(tableau):
            if row[entering] > 0:
                ratio = row[-1] / row[entering]
                if leaving is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    leaving, best = i, ratio
        if leaving is None:
            raise ValueError("unbounded")
        _pivot(tableau, basis, leaving, entering)


def _pivot(tableau: list[list[Fraction]], basis: list[int], i: int, j: int) -> None:
    pivot_row = tableau[i]
    scale = pivot_row[j]
    tableau[i] = pivot_row = [v / scale for v in pivot_row]
    for r, row in enumerate(tableau):
        if r != i and row[j]:
            factor = row[j]
            tableau[r] = [v - factor * p for v, p in zip(row, pivot_row, strict=True)]
    basis[i] = j


def protect(tables: Tables) -> set[Key]:
    """The items not to publish: rules 1, 3 and 4 of the module's docstring."""
    tables.check()
    suppressed = primary(tables.values)
    index = tables.by_item()
    while True:
        _complete(tables, suppressed)
        weak = unprotected(tables, suppressed)
        if not weak:
            return suppressed
        extra = None
        for keep in (False, True):
            for key in weak:
                extra = _complement(tables, suppressed, index[key], keep=keep)
                if extra is not None:
                    break
            if extra is None:  # widen to everything linked to a suppressed item
                linked = [r for r in tables.relations if any(k in suppressed for k in r.items)]
                extra = _complement(tables, suppressed, linked, keep=keep)
            if extra is not None:
                break
        if extra is None:
            # Every item linked to a suppressed one is hidden or zero: scaling the hidden
            # items of that part of the tables gives another consistent assignment.
            return suppressed
        suppressed.add(extra)


# ---- the public figures -----------------------------------------------------------------------

DIMENSIONS = ("title", "degree", "field", "gender", "sector", "band")


def band_nesting() -> dict[str, list[str]]:
    """Each 10-year age band (the registry's) as the 5-year bands of the pyramid it joins."""
    nested: dict[str, list[str]] = {}
    for band, _label, lowest, highest in AGE_BANDS:
        parts = [b for b, _l, lo, hi in PYRAMID_BANDS if lo >= lowest and hi <= highest]
        if not parts or min(lo for b, _l, lo, _h in PYRAMID_BANDS if b in parts) != lowest:
            raise ValueError(f"The age band {band} is not a union of the pyramid's bands")
        nested[band] = parts
    covered = [b for parts in nested.values() for b in parts]
    if sorted(covered) != sorted(b for b, *_rest in PYRAMID_BANDS):
        raise ValueError("The age bands do not cover the pyramid's bands once each")
    return nested


@dataclass
class Categories:
    """The categories of each dimension, in display order."""

    title: list[str]
    degree: list[str]
    field: list[str]
    gender: list[str]
    sector: list[str]
    band: list[str]
    age_band: list[str]


def categories(counts: Mapping[tuple[str, ...], int], degrees: list[str], fields: list[str]):
    """Every known category (zeros included) and UNKNOWN where some people fall outside."""

    def seen(i: int) -> set[str]:
        return {key[i] for key, n in counts.items() if n}

    def with_unknown(known: list[str], i: int) -> list[str]:
        return known + ([UNKNOWN] if UNKNOWN in seen(i) else [])

    bands = with_unknown([b for b, *_rest in PYRAMID_BANDS], 5)
    return Categories(
        title=[*rc.AcademicTitleKind.values, NONE],
        degree=[*degrees, NONE],
        field=[*fields, NONE],
        gender=with_unknown(list(rc.Gender.values), 3),
        sector=with_unknown(list(rc.Sector.values), 4),
        band=bands,
        age_band=[b for b, *_rest in AGE_BANDS] + ([UNKNOWN] if UNKNOWN in bands else []),
    )


def build_tables(counts: Mapping[tuple[str, ...], int], cats: Categories) -> Tables:
    """The linked tables of the public page from people counted by (title, degree, field,
    gender, sector, 5-year band): every table adds up to the same total by construction."""
    titles: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    degree_field: Counter[tuple[str, str]] = Counter()
    pyramid: Counter[tuple[str, str]] = Counter()
    for (title, degree, field_code, gender, sector, band), n in counts.items():
        titles[title] += n
        sectors[sector] += n
        degree_field[(degree, field_code)] += n
        pyramid[(band, gender)] += n
    t = Tables()
    t.values[TOTAL] = sum(counts.values())
    t.keep.add(TOTAL)
    t.add_one_way("title", titles, cats.title)
    t.add_one_way("sector", sectors, cats.sector)
    t.add_two_way("degree_field", degree_field, cats.degree, cats.field, "degree", "field")
    t.add_two_way("pyramid", pyramid, cats.band, cats.gender, "band", "gender")
    nesting = band_nesting()
    if UNKNOWN in cats.band:
        nesting[UNKNOWN] = [UNKNOWN]
    for age_band in cats.age_band:
        parts = [("band", b) for b in nesting[age_band]]
        t.values[("age_band", age_band)] = sum(t.values[p] for p in parts)
        t.relate(("age_band", age_band), parts)
    t.relate(TOTAL, [("age_band", a) for a in cats.age_band])
    return t


def people_counts(people: QuerySet, on: date) -> tuple[Counter[tuple[str, ...]], Categories]:
    """People counted by the six dimensions in ONE GROUP BY: every table comes from the same
    statement, so they add up to one total even while the registry is being written."""
    names = agg.degree_names()
    fields = agg.fields_of_science()
    level1 = sorted({f.code for f in fields.values() if f.level == 1}, key=lambda c: (len(c), c))
    genders, sectors = set(rc.Gender.values), set(rc.Sector.values)
    counts: Counter[tuple[str, ...]] = Counter()
    rows = agg._grouped(  # the aggregates' own grouping and 5-year bands
        people,
        "title",
        "degree_group",
        "primary_field_id",
        "gender",
        "sector",
        band=agg._band_case(PYRAMID_BANDS, on),
    )
    for title, degree, field_id, gender, sector, band, n in rows:
        code, _name, _c2, _n2 = agg._field_codes(field_id, fields)
        key = (
            title if title in rc.AcademicTitleKind.values else NONE,
            degree if degree in names else NONE,
            code if code in level1 else NONE,
            gender if gender in genders else UNKNOWN,
            sector if sector in sectors else UNKNOWN,
            band or UNKNOWN,
        )
        counts[key] += n
    return counts, categories(counts, list(names), level1)


def _cell(values: Mapping[Key, int], hidden: set[Key], key: Key) -> int | None:
    return None if key in hidden else values[key]


def compute_figures() -> dict[str, Any]:
    """The public figures, suppressed, as plain data (what the cache holds)."""
    on = timezone.localdate()
    people, _filterset = agg.population(None)
    counts, cats = people_counts(people, on)
    tables = build_tables(counts, cats)
    hidden = protect(tables)
    values = tables.values

    def one_way(dim: str, keys: list[str]) -> list[list[Any]]:
        return [[k, _cell(values, hidden, (dim, k))] for k in keys]

    def grid(name: str, rows: list[str], columns: list[str], rm: str, cm: str) -> dict:
        return {
            "rows": rows,
            "columns": columns,
            "cells": [[_cell(values, hidden, (name, r, c)) for c in columns] for r in rows],
            "row_totals": [_cell(values, hidden, (rm, r)) for r in rows],
            "column_totals": [_cell(values, hidden, (cm, c)) for c in columns],
        }

    return {
        "as_of": on.isoformat(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "total": _cell(values, hidden, TOTAL),
        "tables": {
            "title": one_way("title", cats.title),
            "degree": one_way("degree", cats.degree),
            "gender": one_way("gender", cats.gender),
            "age_band": one_way("age_band", cats.age_band),
            "field": one_way("field", cats.field),
            "sector": one_way("sector", cats.sector),
        },
        "degree_field": grid("degree_field", cats.degree, cats.field, "degree", "field"),
        "pyramid": grid("pyramid", cats.band, cats.gender, "band", "gender"),
        "hidden": len(hidden),
        "indicators": public_indicators(),
    }


def _small(n: int | None) -> bool:
    return n is not None and 0 < n < MIN_COUNT


def public_indicators() -> list[dict[str, Any]]:
    """The indicators marked public: name, value now (None when it would tell a count of 1–4
    people, or cannot be measured), target and its date."""
    from . import indicators as kpi
    from .models import Indicator

    out = []
    for indicator in Indicator.objects.filter(is_public=True).select_related("organization"):
        found = kpi.compute(indicator)
        numerator, denominator, value = found.numerator, found.denominator, found.value
        rest = (
            denominator - numerator if denominator is not None and numerator is not None else None
        )
        hidden = any(_small(n) for n in (numerator, denominator, rest))
        out.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "kind": indicator.kind,
                "value": None if hidden or value is None else str(value),
                "suppressed": hidden,
                "target": str(indicator.target_value),
                "target_date": indicator.target_date.isoformat(),
            }
        )
    return out


def cache_seconds() -> int:
    return max(int(getattr(settings, "INSIGHTS_PUBLIC_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)), 1)


def published_figures() -> dict[str, Any]:
    """The snapshot of the current window (see the docstring), computed by its first reader.

    The window is aligned on the clock, not on the first visit, and where the cache is
    shared (Redis) the first figures stored win, so every reader of a window — the page,
    the API, every worker — gets the same numbers.
    """
    period = cache_seconds()
    key = f"insights:public:figures:{int(time.time()) // period}"
    found = cache.get(key)
    if found is None:
        found = compute_figures()
        cache.add(key, found, timeout=period)
        found = cache.get(key, found)
    return found


# ---- labels and the anonymous API ------------------------------------------------------------


def labels() -> dict[str, dict[str, str]]:
    """The names of every category, in the active language (cached with the figures' window:
    two small taxonomy reads, never the registry)."""
    period = cache_seconds()
    key = f"insights:public:labels:{translation.get_language()}:{int(time.time()) // period}"
    found = cache.get(key)
    if found is not None:
        return found
    fields = {
        f.code: f.name
        for f in agg.fields_of_science().values()
        if f.level == 1 and f.version == _current_field_version()
    }
    unknown = _("Không rõ")
    found = {
        "title": {
            **{k: str(v) for k, v in rc.AcademicTitleKind.choices},
            NONE: _("Chưa có học hàm"),
        },
        "degree": {**agg.degree_names(), NONE: _("Chưa ghi trình độ")},
        "field": {
            **{code: f"{code}. {name}" for code, name in fields.items()},
            NONE: _("Chưa ghi lĩnh vực"),
        },
        "gender": {**{k: str(v) for k, v in rc.Gender.choices}, UNKNOWN: unknown},
        "sector": {**{k: str(v) for k, v in rc.Sector.choices}, UNKNOWN: unknown},
        "band": {**{b: label for b, label, _lo, _hi in PYRAMID_BANDS}, UNKNOWN: unknown},
        "age_band": {**{b: str(label) for b, label, _lo, _hi in AGE_BANDS}, UNKNOWN: unknown},
    }
    found = {dim: {k: str(v) for k, v in names.items()} for dim, names in found.items()}
    cache.set(key, found, timeout=period)
    return found


def _current_field_version() -> str:
    from trithuc.registry.models import CURRENT_FIELD_VERSION

    return CURRENT_FIELD_VERSION


def suppression_note() -> str:
    return _(
        "null: số liệu không công bố để không ai bị nhận diện — ô có từ 1 đến %(n)s người, "
        "hoặc ô được ẩn thêm để không thể tính ngược ra ô đó từ các tổng đã công bố."
    ) % {"n": MIN_COUNT - 1}


def public_summary() -> dict[str, Any]:
    """The anonymous answer of /api/insights/summary/: the public figures (suppressed cells
    as null), the same snapshot as the public page."""
    figures = published_figures()
    tables = figures["tables"]
    payload: dict[str, Any] = {
        "as_of": figures["as_of"],
        "generated_at": figures["generated_at"],
        "scope": "public",
        "total": figures["total"],
        "min_count": MIN_COUNT,
        "suppressed": suppression_note(),
    }
    for dim in ("title", "degree", "gender", "age_band", "field", "sector"):
        payload[f"by_{dim}"] = {k: v for k, v in tables[dim]}
    for name in ("degree_field", "pyramid"):
        grid = figures[name]
        payload[{"degree_field": "degree_by_field", "pyramid": "age_pyramid"}[name]] = {
            r: dict(zip(grid["columns"], row, strict=True))
            for r, row in zip(grid["rows"], grid["cells"], strict=True)
        }
    return payload

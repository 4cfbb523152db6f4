"""Dimensions a figure can be broken down by (the cross-tab builder's rows and columns).

A dimension says which column (or SQL expression) people are grouped by, how a grouped value
becomes a category (a level-2 field folds into its level-1 field, an organisation into the
unit under the viewer's top organisation), the categories in display order, and the registry
list filter selecting the people of a category (drill-down), when one exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.registry import choices as rc
from trithuc.registry.filtersets import AGE_BANDS

from . import aggregates as agg
from .aggregates import NONE, PYRAMID_BANDS


@dataclass
class Context:
    """What folding needs, read once per request: the taxonomy, the viewer's root unit."""

    on: date
    root: Any = None
    fields: dict[int, Any] | None = None
    degree_names: dict[str, str] | None = None
    _orgs: dict[int, Any] | None = None

    def field_map(self) -> dict[int, Any]:
        if self.fields is None:
            self.fields = agg.fields_of_science()
        return self.fields

    def degrees(self) -> dict[str, str]:
        if self.degree_names is None:
            self.degree_names = agg.degree_names()
        return self.degree_names

    def organizations(self, ids: list[int]) -> dict[int, Any]:
        from trithuc.organizations.models import Organization

        known = self._orgs if self._orgs is not None else {}
        missing = [i for i in ids if i and i not in known]
        if missing:
            for org in Organization.objects.filter(pk__in=missing).select_related(
                "administrative_unit__parent"  # its name says the province (__str__)
            ):
                known[org.pk] = org
        self._orgs = known
        return known


@dataclass
class Dimension:
    key: str
    label: Any
    # (column name, or annotation name) and the annotation expression (or None)
    column: Callable[[QuerySet, Context], tuple[str, Any]]
    # grouped values → [(key, label)] for each value (called once with all values)
    fold: Callable[[list[Any], Context], dict[Any, tuple[str, str]]]
    # categories in display order, given the keys seen
    order: Callable[[set[str], Context], list[tuple[str, str]]]
    param: str = ""  # the registry filter of drill-down ("" when there is none)
    exact_only_today: bool = False
    # Filters selecting a category's people, when not simply {param: key} (None: no link).
    filters: Callable[[str], dict[str, str] | None] | None = None

    def filters_for(self, key: str) -> dict[str, str] | None:
        if self.filters is not None:
            return self.filters(key)
        if not self.param or (key == NONE and self.key in NO_NONE_FILTER):
            return None
        return {self.param: key}


def _plain(
    choices: list[tuple[str, Any]], none_label: Any | None = None
) -> tuple[Callable, Callable]:
    known = dict(choices)

    def fold(values: list[Any], ctx: Context) -> dict[Any, tuple[str, str]]:
        out = {}
        for v in values:
            if v in known:
                out[v] = (v, str(known[v]))
            else:
                out[v] = (NONE, str(none_label or _("Không rõ")))
        return out

    def order(seen: set[str], ctx: Context) -> list[tuple[str, str]]:
        rows = [(k, str(label)) for k, label in choices]
        if none_label is not None:
            rows.append((NONE, str(none_label)))
        return rows

    return fold, order


def _column(name: str) -> Callable[[QuerySet, Context], tuple[str, Any]]:
    def column(people: QuerySet, ctx: Context) -> tuple[str, Any]:
        return agg._col(people, name), None

    return column


def _bands(bands: list, key: str) -> Callable[[QuerySet, Context], tuple[str, Any]]:
    def column(people: QuerySet, ctx: Context) -> tuple[str, Any]:
        return key, agg._band_case(bands, ctx.on)

    return column


def _degree_fold(values: list[Any], ctx: Context) -> dict[Any, tuple[str, str]]:
    names = ctx.degrees()
    return {v: (v, str(names[v])) if v in names else (NONE, _("Chưa ghi trình độ")) for v in values}


def _degree_order(seen: set[str], ctx: Context) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in ctx.degrees().items()] + [(NONE, _("Chưa ghi trình độ"))]


def _field_fold(level: int) -> Callable:
    def fold(values: list[Any], ctx: Context) -> dict[Any, tuple[str, str]]:
        out = {}
        for v in values:
            c1, n1, c2, n2 = agg._field_codes(v, ctx.field_map())
            code, name = (c1, n1) if level == 1 else (c2, n2)
            out[v] = (code, f"{code} {name}" if code != NONE else name)
        return out

    return fold


def _seen_order(seen: set[str], ctx: Context, labels: dict[str, str] | None = None) -> list:
    return sorted(
        ((k, (labels or {}).get(k, k)) for k in seen), key=lambda kv: (kv[0] == NONE, kv[0])
    )


def _unit_fold(values: list[Any], ctx: Context) -> dict[Any, tuple[str, str]]:
    orgs, heads = agg.unit_heads([v for v in values if v], ctx.root)
    ctx._orgs = {**(ctx._orgs or {}), **orgs}
    out = {}
    for v in values:
        head = heads.get(v)
        if head is None:
            out[v] = (NONE, _("Không rõ"))
        else:
            key, label, _filters = agg.unit_category(head, ctx.root)
            out[v] = (key, label)
    return out


def _unit_filters(key: str) -> dict[str, str] | None:
    if key == NONE:
        return None
    return {"at": key[1:]} if key.startswith("=") else {"within": key}


def _admin_fold(values: list[Any], ctx: Context) -> dict[Any, tuple[str, str]]:
    orgs = ctx.organizations([v for v in values if v])
    out = {}
    for v in values:
        unit = getattr(orgs.get(v), "administrative_unit", None)
        if unit is None:
            out[v] = (NONE, _("Không rõ"))
        else:
            key, label, filters = agg.place_category(unit)
            out[v] = (key if filters else f"={key}", label)
    return out


def _admin_filters(key: str) -> dict[str, str] | None:
    if key == NONE or key.startswith("="):
        return None  # unknown, or a province's own workplaces: no list filter selects them
    return {"admin_unit": key}


# Dimensions whose list filter has no "none" value: their "Không rõ" row has no link.
NO_NONE_FILTER = {"gender", "sector", "status", "age_band", "unit", "admin_unit"}


def _by_count(seen: set[str], ctx: Context) -> list[tuple[str, str]]:
    return []  # filled from the data: largest first (see crosstab)


_title_fold, _title_order = _plain(
    list(rc.AcademicTitleKind.choices), gettext_lazy("Chưa có học hàm")
)
_gender_fold, _gender_order = _plain(list(rc.Gender.choices))
_sector_fold, _sector_order = _plain(list(rc.Sector.choices))
_status_fold, _status_order = _plain(list(rc.PersonStatus.choices))
_age_choices = [(v, str(label)) for v, label, _lo, _hi in AGE_BANDS]
_age_fold, _age_order = _plain(_age_choices, gettext_lazy("Không rõ"))
_pyr_choices = [(v, label) for v, label, _lo, _hi in PYRAMID_BANDS]
_pyr_fold, _pyr_order = _plain(_pyr_choices, gettext_lazy("Không rõ"))

DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("title", gettext_lazy("Học hàm"), _column("title"), _title_fold, _title_order,
                  "title"),
        Dimension("degree", gettext_lazy("Trình độ cao nhất"), _column("degree_group"),
                  _degree_fold, _degree_order, "degree"),
        Dimension("field", gettext_lazy("Lĩnh vực (cấp 1)"), _column("primary_field_id"),
                  _field_fold(1), _seen_order, "main_field"),
        Dimension("field2", gettext_lazy("Lĩnh vực (cấp 2)"), _column("primary_field_id"),
                  _field_fold(2), _seen_order, "main_field"),
        Dimension("gender", gettext_lazy("Giới tính"), _column("gender"), _gender_fold,
                  _gender_order, "gender"),
        Dimension("age_band", gettext_lazy("Độ tuổi"), _bands(AGE_BANDS, "band"), _age_fold,
                  _age_order, "age_band", exact_only_today=True),
        Dimension("age5", gettext_lazy("Nhóm tuổi 5 năm"), _bands(PYRAMID_BANDS, "band5"),
                  _pyr_fold, _pyr_order),
        Dimension("sector", gettext_lazy("Khu vực công tác"), _column("sector"), _sector_fold,
                  _sector_order, "sector"),
        Dimension("status", gettext_lazy("Tình trạng"), _column("status"), _status_fold,
                  _status_order, "status"),
        Dimension("unit", gettext_lazy("Đơn vị"), _column("organization_id"), _unit_fold,
                  _by_count, "within", filters=_unit_filters),
        Dimension("admin_unit", gettext_lazy("Đơn vị hành chính"), _column("organization_id"),
                  _admin_fold, _by_count, "admin_unit", filters=_admin_filters),
    ]
}  # fmt: skip


@dataclass
class CrossTab:
    rows: Dimension
    columns: Dimension
    row_keys: list[tuple[str, str]]
    column_keys: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]

    def cell(self, r: str, c: str) -> int:
        return self.cells.get((r, c), 0)

    def row_total(self, r: str) -> int:
        return sum(self.cell(r, c) for c, _l in self.column_keys)

    def column_total(self, c: str) -> int:
        return sum(self.cell(r, c) for r, _l in self.row_keys)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def crosstab(people: agg.People, rows: Dimension, columns: Dimension, ctx: Context) -> CrossTab:
    """One GROUP BY over both dimensions' columns; values folded into categories."""
    r_name, r_expr = rows.column(people, ctx)
    c_name, c_expr = columns.column(people, ctx)
    annotations = {n: e for n, e in ((r_name, r_expr), (c_name, c_expr)) if e is not None}
    names = list(dict.fromkeys([r_name, c_name]))
    grouped = agg._grouped(people, *[n for n in names if n not in annotations], **annotations)
    # _grouped puts plain columns first, then annotations: map back by name.
    order = [n for n in names if n not in annotations] + list(annotations)
    index = {n: i for i, n in enumerate(order)}
    r_values = [row[index[r_name]] for row in grouped]
    c_values = [row[index[c_name]] for row in grouped]
    r_fold = rows.fold(list(set(r_values)), ctx)
    c_fold = columns.fold(list(set(c_values)), ctx)
    cells: dict[tuple[str, str], int] = {}
    r_labels: dict[str, str] = {}
    c_labels: dict[str, str] = {}
    for row, rv, cv in zip(grouped, r_values, c_values, strict=True):
        rk, rl = r_fold[rv]
        ck, cl = c_fold[cv]
        r_labels[rk], c_labels[ck] = rl, cl
        cells[(rk, ck)] = cells.get((rk, ck), 0) + row[-1]

    def keys(dim: Dimension, labels: dict[str, str], axis: int) -> list[tuple[str, str]]:
        ordered = dim.order(set(labels), ctx)
        if not ordered:  # by size, largest first
            size: dict[str, int] = {}
            for (rk, ck), n in cells.items():
                k = rk if axis == 0 else ck
                size[k] = size.get(k, 0) + n
            return sorted(labels.items(), key=lambda kv: (-size.get(kv[0], 0), kv[1]))
        if dim.order is _seen_order:
            return _seen_order(set(labels), ctx, labels)
        listed = [(k, label) for k, label in ordered if k in labels or k != NONE]
        # A value outside the declared categories is still counted, never dropped.
        listed_keys = {k for k, _label in listed}
        return listed + [(k, label) for k, label in labels.items() if k not in listed_keys]

    return CrossTab(rows, columns, keys(rows, r_labels, 0), keys(columns, c_labels, 1), cells)

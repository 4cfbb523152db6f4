"""What the dashboard and the cross-tab page show, assembled from aggregates and dimensions:
figures with their percentages, chart data and drill-down links, for one request."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from trithuc.core.permissions import paths_for, policy_of

from . import aggregates as agg
from .dimensions import Context


def root_for(user: Any, filterset: Any) -> Any:
    """The organisation whose direct units the "by unit" figures show: the `within` filter,
    else the viewer's one top organisation (None when several, or for everything)."""
    from trithuc.organizations.models import Organization
    from trithuc.registry.models import Person

    within = filterset.form.cleaned_data.get("within") if filterset.is_valid() else None
    if within is not None:
        return within
    if user is None or user.is_superuser:
        return None
    paths = sorted(paths_for(user, policy_of(Person).roles_for("view")))
    if len(paths) != 1:
        return None
    return Organization.objects.filter(path=paths[0]).first()


def base_params(filterset: Any) -> dict[str, list[str]]:
    """The filters in force (with the default status), as drill-down links repeat them."""
    data = filterset.data
    return {k: [v for v in data.getlist(k) if v] for k in data if k != "as_of" and k != "page"}


def people_url(base: dict[str, list[str]], filters: dict[str, str] | None) -> str | None:
    if filters is None:
        return None
    params = {k: list(v) for k, v in base.items()}
    for key, value in filters.items():
        params[key] = [value]
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"{reverse('registry:person_list')}?{query}"


def _rows(dist: agg.Distribution, base: dict, links: bool) -> list[dict[str, Any]]:
    total = dist.total or 1
    return [
        {
            "key": c.key,
            "label": c.label,
            "count": c.count,
            "pct": round(100 * c.count / total, 1),
            "url": people_url(base, c.filters) if links else None,
        }
        for c in dist.categories
    ]


def panel(dist: agg.Distribution, base: dict, *, links: bool, kind: str = "bar") -> dict:
    rows = _rows(dist, base, links)
    return {
        "key": dist.key,
        "label": dist.label,
        "kind": kind,
        "chart_id": f"chart-{dist.key}",
        "rows": rows,
        "total": dist.total,
        "chart": {
            "labels": [r["label"] for r in rows],
            "series": [{"name": str(dist.label), "data": [r["count"] for r in rows]}],
            "links": [r["url"] for r in rows] if links else None,
        },
    }


def dashboard(people: QuerySet, filterset: Any, *, user: Any, as_of: date | None) -> dict:
    on = as_of or timezone.localdate()
    links = as_of is None
    base = base_params(filterset)
    fields = agg.fields_of_science()
    names = agg.degree_names()
    # One scan of the people for every figure (two off PostgreSQL: units apart).
    cube = agg.Cube(people, on)
    field1, field2 = agg.by_field(cube, fields)
    unit, place = agg.by_unit(cube, root_for(user, filterset))
    title = agg.by_title(cube)
    degree = agg.by_degree(cube, names)
    gender = agg.by_gender(cube)
    age = agg.by_age_band(cube, on)
    sector = agg.by_sector(cube)
    pyramid = agg.age_pyramid(cube, on)
    heat = agg.degree_by_field(cube, names, fields)
    total = gender.total
    counts = degree.as_counts()
    titles = title.as_counts()
    women = gender.as_counts().get("female", 0)
    young = age.as_counts().get("lt30", 0) + age.as_counts().get("30-39", 0)
    panels = [
        panel(title, base, links=links, kind="pie"),
        panel(degree, base, links=links),
        panel(field1, base, links=links),
        panel(age, base, links=links, kind="column"),
        panel(gender, base, links=links, kind="pie"),
        panel(sector, base, links=links),
        panel(unit, base, links=links),
        panel(place, base, links=links),
        panel(field2, base, links=links),
    ]
    heat_rows = [
        {
            **row,
            "cells": [
                {
                    **cell,
                    "url": people_url(base, cell["filters"]) if links and cell["count"] else None,
                }
                for cell in row["cells"]
            ],
        }
        for row in heat.table()
    ]
    heat_columns = heat.columns
    return {
        "on": on,
        "total": total,
        "cards": {
            "gs_pgs": titles.get("GS", 0) + titles.get("PGS", 0),
            "doctorates": counts.get("TS", 0) + counts.get("TSKH", 0),
            "women_pct": round(100 * women / total, 1) if total else 0,
            "under_40_pct": round(100 * young / total, 1) if total else 0,
        },
        "panels": panels,
        "pyramid": {
            "rows": pyramid.table(),
            "columns": pyramid.columns,
            "chart": {
                "labels": [label for _k, label in pyramid.rows],
                "series": [
                    {"name": label, "data": [pyramid.cell(r, g) for r, _l in pyramid.rows]}
                    for g, label in pyramid.columns
                ],
            },
        },
        "heat": {
            "rows": heat_rows,
            "columns": heat_columns,
            "chart": {
                "rows": [row["label"] for row in heat_rows],
                "columns": [label for _k, label in heat_columns],
                "cells": [
                    [ci, ri, cell["count"]]
                    for ri, row in enumerate(heat_rows)
                    for ci, cell in enumerate(row["cells"])
                ],
                "links": [[cell["url"] for cell in row["cells"]] for row in heat_rows],
            },
        },
        # Trends read the degrees and titles tables: a panel of its own, fetched by the page
        # once shown (views.DashboardTrendsView), so the figures above come first.
        "links": links,
    }


def trends_panel(people: QuerySet, on: date) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    t = agg.trends(people, until=on)
    return {
        "trends": t,
        "trends_rows": list(zip(t["years"], t["doctorates"], t["titles"], strict=True)),
        "trends_chart": {
            "labels": t["years"],
            "series": [
                {"name": _("Tiến sĩ, TSKH"), "data": t["doctorates"]},
                {"name": _("GS, PGS"), "data": t["titles"]},
            ],
        },
    }


def crosstab_context(people: QuerySet, filterset: Any, rows: str, columns: str, *, user: Any,
                     as_of: date | None) -> Any:  # fmt: skip
    from .dimensions import DIMENSIONS, crosstab

    on = as_of or timezone.localdate()
    ctx = Context(on=on, root=root_for(user, filterset))
    return crosstab(people, DIMENSIONS[rows], DIMENSIONS[columns], ctx)

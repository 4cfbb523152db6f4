"""The registry's people as the linkage's input table (one query, read in chunks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from trithuc.organizations.models import SEGMENT_WIDTH
from trithuc.registry.choices import BirthDatePrecision
from trithuc.registry.models import Person

from .engine import prepare_frame

CHUNK = 50_000
# The department of a unit: the first two segments of its materialised path (the city, then
# the organisation below it).
_DEPARTMENT_PREFIX = 2 * (SEGMENT_WIDTH + 1)


def _rows(queryset: Any) -> Iterator[tuple[Any, ...]]:
    return queryset.values_list(
        "pk",
        "full_name",
        "birth_date",
        "birth_date_precision",
        "gender",
        "organization_id",
        "organization__path",
        "degree_group",
        "primary_field__code",
        "citizen_id_hash",
    ).iterator(chunk_size=CHUNK)


def registry_records(queryset: Any = None) -> pd.DataFrame:
    """Every person of `queryset` (default: the whole registry) as `engine.link` reads them."""
    queryset = Person.objects.all() if queryset is None else queryset
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "unique_id",
            "full_name",
            "birth_date",
            "birth_precise",
            "gender",
            "unit",
            "dept",
            "degree",
            "field",
            "id_hash",
        )
    }
    for pk, name, born, precision, gender, org, path, degree, field, id_hash in _rows(
        queryset.order_by()
    ):
        columns["unique_id"].append(pk)
        columns["full_name"].append(name)
        columns["birth_date"].append(born)
        columns["birth_precise"].append(precision != BirthDatePrecision.YEAR)
        columns["gender"].append(gender or None)
        columns["unit"].append(str(org) if org else None)
        columns["dept"].append((path or "")[:_DEPARTMENT_PREFIX] or None)
        columns["degree"].append(degree or None)
        columns["field"].append(field or None)
        columns["id_hash"].append(id_hash or None)
    return prepare_frame(pd.DataFrame(columns))

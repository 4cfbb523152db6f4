"""Administrative units: the 2025 structure from `vietnam_provinces`, legacy units from files.

`legacy_provinces.csv` maps each of the 63 provinces before 1/7/2025 to the province it is
part of now (Resolution 202/2025/QH15), with the other names old records use for it.
`legacy_districts.json` lists the districts before 1/7/2025; it is generated from the old
release of the package by `scripts/build_legacy_units.py`.

The loader takes the model class as an argument so that the data migration can pass its
historical model; it only uses plain ORM calls and never calls `save()`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from trithuc.core.text import fold, nfc

DATA_DIR = Path(__file__).resolve().parent
LEGACY_PROVINCES_CSV = DATA_DIR / "legacy_provinces.csv"
LEGACY_DISTRICTS_JSON = DATA_DIR / "legacy_districts.json"

LEGACY_PREFIX = "L"
BATCH_SIZE = 500


@dataclass(frozen=True)
class LegacyProvince:
    old_code: str
    old_name: str
    division_type: str
    new_code: str
    aliases: tuple[str, ...]

    @property
    def code(self) -> str:
        return legacy_code(self.old_code)


@dataclass(frozen=True)
class LegacyDistrict:
    old_code: str
    name: str
    division_type: str
    province_code: str

    @property
    def code(self) -> str:
        return legacy_code(self.old_code)


def legacy_code(old_code: str) -> str:
    """Legacy units keep their old NSO code behind an "L": "L02" Hà Giang, "L001" Ba Đình."""
    return f"{LEGACY_PREFIX}{old_code}"


def province_code(value: Any) -> str:
    return f"{int(value):02d}"


def commune_code(value: Any) -> str:
    return f"{int(value):05d}"


@cache
def legacy_provinces() -> tuple[LegacyProvince, ...]:
    with LEGACY_PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            LegacyProvince(
                old_code=row["old_code"].strip(),
                old_name=nfc(row["old_name"]),
                division_type=nfc(row["division_type"]),
                new_code=row["new_code"].strip(),
                aliases=tuple(nfc(a) for a in row["aliases"].split("|") if a.strip()),
            )
            for row in csv.DictReader(handle)
        )


@cache
def legacy_districts() -> tuple[LegacyDistrict, ...]:
    data = json.loads(LEGACY_DISTRICTS_JSON.read_text(encoding="utf-8"))
    return tuple(
        LegacyDistrict(old_code=code, name=nfc(name), division_type=kind, province_code=prov)
        for code, name, kind, prov in data["rows"]
    )


def load_administrative_units(model: Any) -> int:
    """Create every missing unit (current, then legacy) with bulk inserts; returns the count.

    Idempotent: units whose code already exists are left as they are.
    """
    from vietnam_provinces import Province, Ward

    existing = set(model.objects.values_list("code", flat=True))
    created = 0

    def insert(units: list[Any]) -> None:
        nonlocal created
        fresh = [unit for unit in units if unit.code not in existing]
        model.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
        existing.update(unit.code for unit in fresh)
        created += len(fresh)

    def ids() -> dict[str, int]:
        return dict(model.objects.values_list("code", "id"))

    def unit(code: str, name: str, level: str, division_type: str, **fields: Any) -> Any:
        name = nfc(name)
        return model(
            code=code,
            name=name,
            folded_name=fold(name),
            level=level,
            division_type=division_type,
            **fields,
        )

    insert(
        [
            unit(province_code(p.code), p.name, "province", p.division_type.value)
            for p in Province.iter_all()
        ]
    )
    by_code = ids()
    insert(
        [
            unit(
                commune_code(w.code),
                w.name,
                "commune",
                w.division_type.value,
                parent_id=by_code[province_code(w.province_code)],
            )
            for w in Ward.iter_all()
        ]
    )
    insert(
        [
            unit(
                p.code,
                p.old_name,
                "province",
                p.division_type,
                is_legacy=True,
                successor_id=by_code[p.new_code],
            )
            for p in legacy_provinces()
        ]
    )
    by_code = ids()
    successor_of = {p.old_code: p.new_code for p in legacy_provinces()}
    insert(
        [
            unit(
                d.code,
                d.name,
                "district",
                d.division_type,
                is_legacy=True,
                parent_id=by_code[legacy_code(d.province_code)],
                successor_id=by_code[successor_of[d.province_code]],
            )
            for d in legacy_districts()
        ]
    )
    return created

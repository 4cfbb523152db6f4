"""The reference tables one import reads, built once per file: degree spellings, fields of
science, ethnic groups, countries, choice labels in both languages, the agency's units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django_countries import countries

from trithuc.core.text import fold
from trithuc.organizations.models import Organization
from trithuc.registry import choices
from trithuc.registry.models import CURRENT_FIELD_VERSION, DegreeLevel, EthnicGroup, FieldOfScience

from .parsing import DegreeTable, choice_key


def _choice_map(choice_class: Any, *extra: tuple[str, str]) -> dict[str, str]:
    """Labels in every language of the interface, and the stored values, to values."""
    keys: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choice_class.choices:
                if value:
                    keys.setdefault(choice_key(str(label)), value)
                    keys.setdefault(choice_key(value), value)
    for text, value in extra:
        keys[choice_key(text)] = value
    return keys


def _labels(choice_class: Any) -> list[str]:
    with translation.override("vi"):
        return [str(label) for value, label in choice_class.choices if value]


@dataclass
class Lookups:
    degrees: DegreeTable
    degree_ids: Mapping[str, int]
    fields_by_code: Mapping[str, int]
    field_names: Mapping[str, str]  # folded name -> code
    field_labels: Mapping[int, str]
    ethnic: Mapping[str, int]
    countries: Mapping[str, str]
    sectors: Mapping[str, str]
    statuses: Mapping[str, str]
    political: Mapping[str, str]
    units_by_code: Mapping[str, int]
    units_by_name: Mapping[str, list[int]]
    unit_types: Mapping[int, str]
    unit_labels: Mapping[int, str]
    root_id: int

    @classmethod
    def build(cls, organization: Organization) -> Lookups:
        levels = list(
            DegreeLevel.objects.filter(is_active=True).values(
                "id", "code", "name", "abbreviation", "rank", "synonyms"
            )
        )
        fields = list(
            FieldOfScience.objects.filter(version=CURRENT_FIELD_VERSION, is_active=True).values(
                "id", "code", "name", "name_en"
            )
        )
        field_names: dict[str, str] = {}
        for row in fields:
            for name in (row["name"], row["name_en"]):
                if name:
                    field_names.setdefault(choice_key(name), row["code"])
        ethnic: dict[str, int] = {}
        for group in EthnicGroup.objects.filter(is_active=True):
            for name in [group.name, group.code, *group.other_names.split(",")]:
                if name.strip():
                    ethnic.setdefault(choice_key(name), group.pk)
        country_keys: dict[str, str] = {}
        for language in ("vi", "en"):
            with translation.override(language):
                for code, name in countries:
                    country_keys.setdefault(choice_key(str(name)), code)
                    country_keys.setdefault(choice_key(code), code)
        country_keys.update(
            {choice_key(k): v for k, v in (("Mỹ", "US"), ("Hoa Kỳ", "US"), ("Anh", "GB"),
                                           ("Hàn Quốc", "KR"), ("Liên Xô", "RU"),
                                           ("Liên Xô cũ", "RU"), ("Nga", "RU"),
                                           ("Trung Quốc", "CN"), ("Đài Loan", "TW"),
                                           ("Úc", "AU"), ("Séc", "CZ"), ("Tiệp Khắc", "CZ"),
                                           ("Đông Đức", "DE"), ("CHLB Đức", "DE"))}
        )  # fmt: skip
        units = Organization.objects.filter(path__startswith=organization.path).values(
            "id", "code", "name", "short_name", "type"
        )
        by_code: dict[str, int] = {}
        by_name: dict[str, list[int]] = {}
        types: dict[int, str] = {}
        labels: dict[int, str] = {}
        for unit in units:
            by_code[unit["code"].upper()] = unit["id"]
            types[unit["id"]] = unit["type"]
            labels[unit["id"]] = f"{unit['code']} {unit['name']}"
            for name in {fold(unit["name"]), fold(unit["short_name"] or "")} - {""}:
                by_name.setdefault(name, []).append(unit["id"])
        return cls(
            degrees=DegreeTable.build(levels),
            degree_ids={level["code"]: level["id"] for level in levels},
            fields_by_code={row["code"]: row["id"] for row in fields},
            field_names=field_names,
            field_labels={row["id"]: f"{row['code']} {row['name']}" for row in fields},
            ethnic=ethnic,
            countries=country_keys,
            sectors=_choice_map(choices.Sector),
            statuses=_choice_map(
                choices.PersonStatus,
                ("Nghỉ hưu", "retired"),
                ("Đang làm việc", "working"),
                ("Công tác", "working"),
                ("Ở nước ngoài", "abroad"),
                ("Từ trần", "deceased"),
            ),
            political=_choice_map(choices.PoliticalTheory),
            units_by_code=by_code,
            units_by_name=by_name,
            unit_types=types,
            unit_labels=labels,
            root_id=organization.pk,
            sector_labels=_labels(choices.Sector),
            status_labels=_labels(choices.PersonStatus),
            political_labels=_labels(choices.PoliticalTheory),
        )

    sector_labels: list[str] = field(default_factory=list)
    status_labels: list[str] = field(default_factory=list)
    political_labels: list[str] = field(default_factory=list)
    # Parses of values repeated down a column, for this file (validation._memo).
    memo: dict[tuple[str, Any], Any] = field(default_factory=dict)


# The sector a new person gets when the file does not say, from the type of their unit.
SECTOR_BY_UNIT_TYPE = {
    "party_committee": choices.Sector.STATE_ADMINISTRATION,
    "peoples_committee": choices.Sector.STATE_ADMINISTRATION,
    "department": choices.Sector.STATE_ADMINISTRATION,
    "commune_committee": choices.Sector.STATE_ADMINISTRATION,
    "public_university": choices.Sector.PUBLIC_SERVICE,
    "hospital": choices.Sector.PUBLIC_SERVICE,
    "research_institute": choices.Sector.PUBLIC_SERVICE,
    "enterprise": choices.Sector.STATE_ENTERPRISE,
    "association": choices.Sector.ASSOCIATION,
}

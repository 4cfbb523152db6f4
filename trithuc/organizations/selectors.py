"""Reads over organisations and administrative units that are more than a filter."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet

from trithuc.core.text import fold, nfc

from .choices import AdministrativeLevel
from .data import legacy_provinces
from .models import AdministrativeUnit, Organization

PROVINCE = AdministrativeLevel.PROVINCE.value
DISTRICT = AdministrativeLevel.DISTRICT.value
COMMUNE = AdministrativeLevel.COMMUNE.value
ANY_LEVEL = frozenset({PROVINCE, DISTRICT, COMMUNE})

# Words (folded) that open a unit's name and say its level, longest first. "Thành phố" is a
# province (Hà Nội) or a district-level city of a province (Thành phố Thái Nguyên); a "thị
# trấn" was a commune-level unit before 2025, not stored, so it restricts nothing.
_TYPE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("thanh pho", frozenset({PROVINCE, DISTRICT})),
    ("thi xa", frozenset({DISTRICT})),
    ("thi tran", ANY_LEVEL),
    ("dac khu", frozenset({COMMUNE})),
    ("tinh", frozenset({PROVINCE})),
    ("tp", frozenset({PROVINCE, DISTRICT})),
    ("t", frozenset({PROVINCE})),
    ("quan", frozenset({DISTRICT})),
    ("q", frozenset({DISTRICT})),
    ("huyen", frozenset({DISTRICT})),
    ("h", frozenset({DISTRICT})),
    ("tx", frozenset({DISTRICT})),
    ("phuong", frozenset({COMMUNE})),
    ("p", frozenset({COMMUNE})),
    ("xa", frozenset({COMMUNE})),
    ("x", frozenset({COMMUNE})),
    ("tt", ANY_LEVEL),
)
# The words an official name itself starts with (abbreviations never do).
_NAME_TYPE_WORDS = ("thanh pho", "thi xa", "dac khu", "tinh", "quan", "huyen", "phuong", "xa")
_COUNTRY = frozenset({"viet nam", "vietnam", "vn", "nuoc chxhcn viet nam"})
_LEVEL_RANK = {PROVINCE: 0, DISTRICT: 1, COMMUNE: 2}

_NOT_WORD = re.compile(r"[^0-9a-z ]+")
_GLUED_NUMBER = re.compile(r"\b(q|p)(\d+)\b")  # "q1" -> "q 1", "p12" -> "p 12"
_PART_SEPARATORS = re.compile(r"[,;]")


def _key(text: str) -> str:
    """The matching key: folded, punctuation as spaces ("Thừa Thiên - Huế" -> "thua thien hue")."""
    key = _NOT_WORD.sub(" ", fold(text))
    key = _GLUED_NUMBER.sub(r"\1 \2", key)
    return " ".join(key.split())


def _strip_type(key: str, words: Iterable[str]) -> tuple[str, str | None]:
    """Split a leading type word off a key: ("quan cau giay") -> ("cau giay", "quan")."""
    for word in words:
        if key.startswith(word + " ") and len(key) > len(word) + 1:
            return key[len(word) + 1 :], word
    return key, None


@dataclass(frozen=True)
class UnitResolution:
    """What a free-text place name resolved to.

    `unit` is the unit the text names (possibly a legacy one) and `current` the unit of the
    2025 structure it now belongs to. When the text fits several units, `unit` is None and
    `candidates` lists them; `current` is still given when all candidates lie in one current
    unit (two old districts of the same name that were merged into one province).
    """

    unit: AdministrativeUnit | None = None
    current: AdministrativeUnit | None = None
    candidates: tuple[AdministrativeUnit, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.unit is not None

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1


class AdministrativeUnitIndex:
    """Every unit in memory, keyed by code and by name, for resolving many texts at once."""

    def __init__(self, units: Iterable[AdministrativeUnit]) -> None:
        units = list(units)
        self.by_id = {unit.pk: unit for unit in units}
        self.by_code = {unit.code.upper(): unit for unit in units}
        self.by_key: dict[str, list[AdministrativeUnit]] = {}
        for unit in units:
            # Link parents and successors in memory: `str(unit)` and `unit.current` need them.
            if unit.parent_id:
                unit.parent = self.by_id[unit.parent_id]
            if unit.successor_id:
                unit.successor = self.by_id[unit.successor_id]
        for unit in units:
            full = _key(unit.name)
            self._add(full, unit)
            self._add(_strip_type(full, _NAME_TYPE_WORDS)[0], unit)
        for province in legacy_provinces():
            old = self.by_code.get(province.code.upper())
            if old is None:
                continue
            targets = [old]
            new = old.current
            # A province that kept its name (Huế, Hồ Chí Minh) is the same place: its other
            # names also name the current unit.
            if new is not old and self._core(new) == self._core(old):
                targets.append(new)
            for alias in province.aliases:
                for target in targets:
                    self._add(_key(alias), target)

    @staticmethod
    def _core(unit: AdministrativeUnit) -> str:
        return _strip_type(_key(unit.name), _NAME_TYPE_WORDS)[0]

    def _add(self, key: str, unit: AdministrativeUnit) -> None:
        if not key:
            return
        bucket = self.by_key.setdefault(key, [])
        if unit not in bucket:
            bucket.append(unit)

    def by_code_text(self, text: str) -> AdministrativeUnit | None:
        """A unit named by its code: "01", "1", "00004", "4", "L02", "L001"."""
        code = text.strip().upper()
        if not code:
            return None
        unit = self.by_code.get(code)
        if unit is None and code.isdigit() and len(code) <= 5:
            # Spreadsheets drop leading zeros: "1" is province 01, "70" commune 00070.
            unit = self.by_code.get(code.zfill(2)) or self.by_code.get(code.zfill(5))
        return unit

    def lookup(self, key: str) -> list[AdministrativeUnit]:
        """Units whose name fits one part of an address (already a key)."""
        found = self.by_key.get(key)
        if found:
            return list(found)
        core, word = _strip_type(key, (w for w, _ in _TYPE_WORDS))
        if word is None:
            return []
        levels = dict(_TYPE_WORDS)[word]
        return [unit for unit in self.by_key.get(core, ()) if unit.level in levels]

    def province_of(self, unit: AdministrativeUnit) -> AdministrativeUnit:
        if unit.level == PROVINCE or not unit.parent_id:
            return unit
        return self.by_id[unit.parent_id]


_index_lock = threading.Lock()
_cached_index: tuple[tuple[int, int | None], AdministrativeUnitIndex] | None = None


def administrative_unit_index() -> AdministrativeUnitIndex:
    """The in-memory index, rebuilt only when the table has changed (one small query)."""
    global _cached_index
    stamp = AdministrativeUnit.objects.aggregate(n=Count("id"), last=Max("id"))
    key = (stamp["n"], stamp["last"])
    with _index_lock:
        if _cached_index is not None and _cached_index[0] == key:
            return _cached_index[1]
        index = AdministrativeUnitIndex(
            AdministrativeUnit.objects.only(
                "id", "code", "name", "level", "is_legacy", "parent_id", "successor_id"
            )
        )
        _cached_index = (key, index)
        return index


def _within(
    index: AdministrativeUnitIndex,
    units: list[AdministrativeUnit],
    context: list[AdministrativeUnit],
) -> list[AdministrativeUnit]:
    """The units lying in one of the context provinces (old or new: "Châu Thành, Tiền Giang")."""
    ids = {province.pk for province in context}
    inside = [unit for unit in units if index.province_of(unit).pk in ids]
    if inside:
        return inside
    current_ids = {province.current.pk for province in context}
    return [unit for unit in units if index.province_of(unit).current.pk in current_ids]


def _choose(units: list[AdministrativeUnit]) -> UnitResolution:
    # A name without a type word that fits a province and a district (or a district and a
    # commune) means the larger unit: old records name provinces and districts.
    best = min(_LEVEL_RANK[unit.level] for unit in units)
    group = [unit for unit in units if _LEVEL_RANK[unit.level] == best]
    if len(group) == 1:
        return UnitResolution(unit=group[0], current=group[0].current)
    currents = {unit.current.pk for unit in group}
    if len(currents) == 1:
        # "Bắc Ninh" is the old province and the new one it is now part of: take the new one.
        now = [unit for unit in group if not unit.is_legacy]
        if len(now) == 1:
            return UnitResolution(unit=now[0], current=now[0])
        return UnitResolution(current=group[0].current, candidates=tuple(group))
    return UnitResolution(candidates=tuple(group))


def resolve_administrative_unit(
    text: str, *, index: AdministrativeUnitIndex | None = None
) -> UnitResolution:
    """Map a place as old records write it to a unit and its current (2025) unit.

    Accepts codes ("01", "L02"), names with or without their type ("tỉnh Hải Dương", "quận
    Cầu Giấy", "Q. Cầu Giấy, Hà Nội", "TP HCM", "Thừa Thiên - Huế"), accent- and
    case-insensitively. The most specific part of an address decides; a province at the end
    narrows it down. A name found in several provinces resolves to nothing, with candidates.
    """
    text = nfc(text or "")
    if not text:
        return UnitResolution()
    index = index or administrative_unit_index()
    by_code = index.by_code_text(text)
    if by_code is not None:
        return UnitResolution(unit=by_code, current=by_code.current)

    parts = [_key(part) for part in _PART_SEPARATORS.split(text)]
    parts = [part for part in parts if part and part not in _COUNTRY]
    if not parts:
        return UnitResolution()

    context: list[AdministrativeUnit] = []
    if len(parts) > 1:
        context = [unit for unit in index.lookup(parts[-1]) if unit.level == PROVINCE]
        if context:
            parts = parts[:-1]
    ambiguous: UnitResolution | None = None
    for part in parts:  # the most specific part first
        units = index.lookup(part)
        if context:
            units = _within(index, units, context)
        if units:
            resolution = _choose(units)
            if resolution.unit is not None or context:
                return resolution
            if ambiguous is None:
                ambiguous = resolution
    if context:
        return _choose(context)
    if len(parts) == 1:
        # No comma: "Cầu Giấy Hà Nội", "Cầu Giấy - Hà Nội". Try the end as the province.
        tokens = parts[0].split()
        for cut in range(1, len(tokens)):
            head, tail = " ".join(tokens[:cut]), " ".join(tokens[cut:])
            provinces = [unit for unit in index.lookup(tail) if unit.level == PROVINCE]
            if not provinces:
                continue
            units = _within(index, index.lookup(head), provinces)
            if units:
                return _choose(units)
    return ambiguous if ambiguous is not None else UnitResolution()


def commune_by_name(name: str, *, province_code: str) -> AdministrativeUnit | None:
    """The current commune or ward of a province by its full name ("Phường Hoàn Kiếm")."""
    return (
        AdministrativeUnit.objects.filter(
            level=COMMUNE, is_legacy=False, parent__code=province_code, folded_name=fold(name)
        )
        .select_related("parent")
        .first()
    )


def parent_choices(user: Any, instance: Organization | None = None) -> QuerySet[Organization]:
    """Organisations `user` may put `instance` under: their add scope, plus its current parent
    (so that a steward can edit the organisation at the top of their own scope)."""
    choices = Organization.objects.restrict(user, "add")
    if instance is not None and instance.parent_id:
        choices = choices | Organization.objects.filter(pk=instance.parent_id)
    return choices

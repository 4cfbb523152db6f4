"""Who each row is, and what writing it would change: the part of the check that reads the
registry. Rows come in chunks; each chunk costs a handful of queries whatever its size.

A row is the person holding its citizen ID (by keyed hash); without one, or when no one
holds it, the person of the same folded name and birth date in the row's unit (or, when the
file names no unit, anywhere in the agency's subtree) and, for a row with a number, with no
other number; else a new person. The same person twice in one file is an error on the later row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from trithuc.core.crypto import keyed_hash
from trithuc.core.tabular import ERROR
from trithuc.core.text import fold, name_key
from trithuc.organizations.models import Organization
from trithuc.registry.models import Person

from .validation import Staged

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
PERSON_FIELDS = (
    "full_name", "birth_date", "birth_date_precision", "gender", "ethnicity_id", "religion",
    "organization_id", "political_theory", "sector", "status", "email", "phone", "address",
    "keywords",
)  # fmt: skip
QUERY_CHUNK = 500


@dataclass(slots=True)
class Plan:
    """What writing a row does: NEW, UPDATED (with the changes) or UNCHANGED; kind "" for a
    row that is not written (it has errors)."""

    kind: str = ""
    person: Person | None = None
    changes: list[str] = field(default_factory=list)
    new_degree: bool = False
    degree_updates: dict[str, Any] = field(default_factory=dict)
    degree_id: int | None = None
    new_title: bool = False
    title_updates: dict[str, Any] = field(default_factory=dict)
    title_id: int | None = None
    new_position: bool = False
    new_expertise: bool = False
    primary_expertise: bool = False
    set_citizen_id: bool = False


def _where(sheet: str, row: int) -> str:
    if sheet:
        return _("dòng %(row)s (trang “%(sheet)s”)") % {"row": row, "sheet": sheet}
    return _("dòng %(row)s") % {"row": row}


class Matcher:
    """Matches chunks of checked rows against the registry, remembering the rows before."""

    def __init__(
        self, *, organization: Organization, acting_user: Any, today: date, default_sector: Any
    ) -> None:
        self.organization = organization
        self.acting_user = acting_user
        self.today = today
        self.default_sector = default_sector
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.assumed_starts = 0  # new positions without a start date
        self.seen_keys: dict[tuple[str, date, int | None], tuple[str, int, bool]] = {}
        self.people = Person.objects.all()
        if acting_user is not None:
            self.people = Person.objects.restrict(acting_user, "change")

    def plan(self, rows: Sequence[Staged]) -> list[Plan]:
        hashes = {}
        for staged in rows:
            if staged.citizen_id:
                hashes[id(staged)] = keyed_hash(staged.citizen_id)
        by_hash = self._by_hash(set(hashes.values()))
        plans: list[Plan] = []
        pending: list[tuple[Staged, Plan]] = []
        for staged in rows:
            plan = Plan()
            plans.append(plan)
            if not staged.valid or "birth_date" not in staged.person:
                continue
            digest = hashes.get(id(staged))
            if digest:
                first = self.seen_ids.get(digest)
                if first is not None:
                    staged.add(
                        "citizen_id",
                        _problem(
                            "duplicate_in_file",
                            _(
                                "Số định danh này đã có ở %(first)s của tệp. Mỗi người chỉ ghi "
                                "một dòng; hãy xóa dòng trùng hoặc sửa số."
                            )
                            % {"first": _where(*first)},
                        ),
                    )
                    continue
                self.seen_ids[digest] = (staged.sheet, staged.row)
                holder = by_hash.get(digest)
                if holder is not None:
                    if holder is _ELSEWHERE:
                        staged.add(
                            "citizen_id",
                            _problem(
                                "citizen_id_elsewhere",
                                _(
                                    "Số định danh này đã có trong một hồ sơ ở đơn vị khác, "
                                    "ngoài phạm vi bạn được sửa. Hãy kiểm tra lại số, hoặc "
                                    "đề nghị cán bộ quản lý dữ liệu của thành phố chuyển hồ "
                                    "sơ đó về đơn vị bạn."
                                ),
                            ),
                        )
                        continue
                    plan.person = holder
            key = self._key(staged)
            earlier = self.seen_keys.get(key)
            # Two rows with different numbers are two people, however alike.
            if earlier is not None and plan.person is None and not (digest and earlier[2]):
                staged.add(
                    "full_name",
                    _problem(
                        "duplicate_in_file",
                        _(
                            "Trùng họ tên, ngày sinh và đơn vị với %(first)s của tệp. Nếu là "
                            "một người, hãy xóa dòng trùng; nếu là hai người, hãy ghi số định "
                            "danh của từng người."
                        )
                        % {"first": _where(earlier[0], earlier[1])},
                    ),
                )
                continue
            self.seen_keys.setdefault(key, (staged.sheet, staged.row, bool(digest)))
            pending.append((staged, plan))
        self._by_name([(s, p) for s, p in pending if p.person is None])
        matched = [p.person for _s, p in pending if p.person is not None]
        records = _records([person.pk for person in matched if person is not None])
        for staged, plan in pending:
            self._diff(staged, plan, records)
        return plans

    def _key(self, staged: Staged) -> tuple[str, date, int | None]:
        return (
            staged.folded,
            staged.person["birth_date"],
            staged.person.get("organization_id"),
        )

    def _by_hash(self, digests: set[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        ordered = sorted(digests)
        for start in range(0, len(ordered), QUERY_CHUNK):
            chunk = ordered[start : start + QUERY_CHUNK]
            for person in Person.objects.filter(citizen_id_hash__in=chunk):
                found[person.citizen_id_hash or ""] = person
        if found and self.acting_user is not None:
            allowed = set(
                self.people.filter(pk__in=[p.pk for p in found.values()]).values_list(
                    "pk", flat=True
                )
            )
            for digest, person in list(found.items()):
                if person.pk not in allowed:
                    found[digest] = _ELSEWHERE
        return found

    def _by_name(self, rows: list[tuple[Staged, Plan]]) -> None:
        if not rows:
            return
        names = sorted({s.folded for s, _p in rows})
        candidates: dict[tuple[str, date], list[Person]] = {}
        scope = self.people.filter(organization__path__startswith=self.organization.path)
        for start in range(0, len(names), QUERY_CHUNK):
            chunk = names[start : start + QUERY_CHUNK]
            for person in scope.filter(folded_name__in=chunk):
                candidates.setdefault((person.folded_name, person.birth_date), []).append(person)
        for staged, plan in rows:
            found = candidates.get((staged.folded, staged.person["birth_date"]))
            if not found:
                continue
            unit = staged.person.get("organization_id")
            if unit is not None:
                found = [p for p in found if p.organization_id == unit]
            if staged.citizen_id:
                # The row's number is no one's: only someone without a number can be them.
                found = [p for p in found if not p.citizen_id_hash]
            if len(found) == 1:
                plan.person = found[0]
            elif len(found) > 1:
                staged.add(
                    "full_name",
                    _problem(
                        "ambiguous_person",
                        _(
                            "Có %(n)s hồ sơ cùng họ tên, ngày sinh trong đơn vị này. Hãy ghi số "
                            "định danh để biết là ai."
                        )
                        % {"n": len(found)},
                    ),
                )

    def _diff(self, staged: Staged, plan: Plan, records: dict[int, dict[str, list[Any]]]) -> None:
        person = plan.person
        if person is None:
            self._check_new_records(staged, plan, None)
            plan.kind = NEW if staged.valid else ""
            return
        changes = []
        for name in PERSON_FIELDS:
            if name not in staged.person:
                continue
            value = staged.person[name]
            current = getattr(person, name)
            if name == "full_name" and name_key(value) == name_key(current):
                continue
            if current != value:
                changes.append(name)
        if staged.citizen_id and not person.citizen_id_hash:
            plan.set_citizen_id = True
            changes.append("citizen_id")
        plan.changes = changes
        self._check_new_records(staged, plan, records.get(person.pk))
        touched = (
            changes or plan.new_degree or plan.degree_updates or plan.new_title
            or plan.title_updates or plan.new_position or plan.new_expertise
        )  # fmt: skip
        plan.kind = UPDATED if touched else UNCHANGED
        if not staged.valid:
            plan.kind = ""

    def _check_new_records(
        self, staged: Staged, plan: Plan, existing: dict[str, list[Any]] | None
    ) -> None:
        existing = existing or {"degrees": [], "titles": [], "positions": [], "expertise": []}
        degree = staged.degree
        if degree is not None:
            same = [d for d in existing["degrees"] if d.level.code == degree["level"]]
            if same:
                current = same[0]
                plan.degree_id = current.pk
                for name in ("year", "major", "institution", "country"):
                    value = degree.get(name)
                    if value and getattr(current, name) != value:
                        plan.degree_updates[name] = value
            elif degree["year"] is None:
                staged.add(
                    "degree_year",
                    _problem(
                        "degree_year_missing",
                        _(
                            "Chưa ghi năm tốt nghiệp của trình độ %(degree)s; hệ thống cần năm "
                            "để ghi bằng cấp mới. Hãy ghi năm nhận bằng."
                        )
                        % {"degree": degree["level"]},
                    ),
                )
            else:
                plan.new_degree = True
        title = staged.title
        if title is not None:
            same_titles = [t for t in existing["titles"] if t.kind == title["kind"]]
            if same_titles:
                plan.title_id = same_titles[0].pk
                if title["year"] and same_titles[0].year != title["year"]:
                    plan.title_updates["year"] = title["year"]
            elif title["year"] is None:
                staged.add(
                    "title_year",
                    _problem(
                        "title_year_missing",
                        _(
                            "Chưa ghi năm công nhận học hàm %(title)s; hệ thống cần năm để ghi "
                            "học hàm mới. Hãy ghi năm được công nhận."
                        )
                        % {"title": title["kind"]},
                    ),
                )
            else:
                plan.new_title = True
        position = staged.position
        if position is not None:
            unit = staged.person.get("organization_id") or (
                plan.person.organization_id if plan.person else self.organization.pk
            )
            position["organization_id"] = unit
            title_key = fold(position["job_title"])
            held = any(
                fold(p.job_title) == title_key
                and p.organization_id == unit
                and (p.end is None or p.end >= self.today)
                for p in existing["positions"]
            )
            if not held:
                plan.new_position = True
                if position["start"] is None:
                    # Said once for the file (services.intake_file), not on every row.
                    self.assumed_starts += 1
        if staged.field_id is not None:
            fields = [e.field_id for e in existing["expertise"]]
            if staged.field_id not in fields:
                plan.new_expertise = True
                plan.primary_expertise = not any(e.is_primary for e in existing["expertise"])


class _Elsewhere:
    pass


_ELSEWHERE: Any = _Elsewhere()


def _problem(code: str, message: str) -> Any:
    from .parsing import Problem

    return Problem(code, message, ERROR)


def _records(person_ids: Iterable[int]) -> dict[int, dict[str, list[Any]]]:
    """The degrees, titles, positions and fields of expertise of the matched people."""
    from trithuc.registry.models import AcademicTitle, Degree, Expertise, Position

    ids = sorted(set(person_ids))
    result: dict[int, dict[str, list[Any]]] = {
        pk: {"degrees": [], "titles": [], "positions": [], "expertise": []} for pk in ids
    }
    for start in range(0, len(ids), QUERY_CHUNK):
        chunk = ids[start : start + QUERY_CHUNK]
        q = Q(person_id__in=chunk)
        for degree in Degree.objects.filter(q).select_related("level"):
            result[degree.person_id]["degrees"].append(degree)
        for title in AcademicTitle.objects.filter(q):
            result[title.person_id]["titles"].append(title)
        for position in Position.objects.filter(q):
            result[position.person_id]["positions"].append(position)
        for expertise in Expertise.objects.filter(q):
            result[expertise.person_id]["expertise"].append(expertise)
    return result

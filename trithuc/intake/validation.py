"""Checking one row of an agency's file on its own: raw cells in, the values the registry
would store out, with every problem by column and a Vietnamese message.

What needs the registry as it is (who the row is, whether the number belongs to someone
else) is `matching.py`; both run at staging and again at commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core.tabular import ERROR, WARNING, issue, thousands
from trithuc.core.text import fold
from trithuc.registry import choices
from trithuc.registry.models import ADULT_AGE, MIN_BIRTH_YEAR

from . import parsing
from .columns import COLUMN_BY_FIELD
from .lookups import SECTOR_BY_UNIT_TYPE, Lookups
from .reading import MAX_CELL_CHARS, FormulaError, Record

# Words of a job title that say it is a leading post, most senior first.
LEADERSHIP_WORDS = [
    ("deputy_unit", r"^pho (?:giam doc|vien truong|hieu truong|chu tich|truong ban|cuc truong|"
                    r"tong giam doc|thu truong)"),
    ("head_unit", r"^(?:giam doc|vien truong|hieu truong|chu tich|truong ban|cuc truong|"
                  r"tong giam doc|thu truong)"),
    ("deputy_division", r"^pho (?:truong phong|truong khoa|truong bo mon|chanh van phong|"
                        r"chanh thanh tra|truong tram|pho truong)"),
    ("head_division", r"^(?:truong phong|truong khoa|truong bo mon|chanh van phong|"
                      r"chanh thanh tra|truong tram)"),
]  # fmt: skip


@dataclass(slots=True)
class Staged:
    """A row checked on its own: the values to store, and its issues."""

    sheet: str
    row: int
    person: dict[str, Any] = field(default_factory=dict)
    citizen_id: str = ""
    degree: dict[str, Any] | None = None
    title: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    field_id: int | None = None
    folded: str = ""  # the folded full name, for matching
    issues: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not any(item["severity"] == ERROR for item in self.issues)

    def add(self, name: str, problem: parsing.Problem) -> None:
        self.issues.append(
            issue(
                self.row,
                self.columns.get(name, _label(name)),
                problem.code,
                problem.message,
                problem.severity,
            )
        )


def _label(name: str) -> str:
    column = COLUMN_BY_FIELD.get(name)
    return column.label if column else name


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _memo(lookups: Lookups, kind: str, value: Any, parse: Any) -> Any:
    """A parse of a value that repeats down a column (gender, degree, field, unit…), done
    once per distinct value of the file."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return parse(value)
    key = (kind, value)
    found = lookups.memo.get(key, _MISSING)
    if found is _MISSING:
        found = parse(value)
        if len(lookups.memo) < 200_000:
            lookups.memo[key] = found
    return found


_MISSING = object()


def check_record(record: Record, lookups: Lookups, *, today: date) -> Staged:
    """Every cell of the row parsed and checked; nothing read from the registry but the
    reference tables."""
    staged = Staged(sheet=record.sheet, row=record.row, columns=record.columns)
    staged.issues.extend(record.notes)
    cells = dict(record.cells)
    for name, value in list(cells.items()):
        if isinstance(value, FormulaError):
            staged.add(
                name,
                parsing.Problem(
                    "formula_error",
                    _(
                        "Ô có công thức bị lỗi (%(error)s). Hãy sửa công thức hoặc ghi giá trị "
                        "trực tiếp."
                    )
                    % {"error": value.text},
                ),
            )
            cells[name] = None
        elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            staged.add(
                name,
                parsing.Problem(
                    "cell_too_long",
                    _("Ô dài %(n)s ký tự, quá dài cho cột này. Hãy kiểm tra lại nội dung.")
                    % {"n": thousands(len(value))},
                ),
            )
            cells[name] = None
        elif isinstance(value, str):
            column = COLUMN_BY_FIELD.get(name)
            text = value.strip()
            if column is not None and len(text) > column.max_length:
                staged.add(
                    name,
                    parsing.Problem(
                        "too_long",
                        _("Dài %(n)s ký tự, tối đa %(max)s. Hãy rút gọn.")
                        % {"n": len(text), "max": column.max_length},
                    ),
                )
                cells[name] = None
    person = staged.person
    _name(staged, cells, lookups)
    birth = _birth(staged, cells, today)
    gender = _memo(lookups, "gender", cells.get("gender"), parsing.parse_gender)
    if isinstance(gender, parsing.Problem):
        staged.add("gender", gender)
        gender = None
    _citizen_id(staged, cells, gender, birth)
    if gender is None and staged.citizen_id:
        gender = parsing.FEMALE if int(staged.citizen_id[3]) % 2 else parsing.MALE
        staged.add(
            "gender",
            parsing.warning(
                "gender_from_citizen_id",
                _("Chưa ghi giới tính: lấy theo số định danh (%(g)s).")
                % {"g": _("Nữ") if gender == parsing.FEMALE else _("Nam")},
            ),
        )
    if gender is not None:
        person["gender"] = gender
    elif not any(i["severity"] == ERROR and i["code"] == "invalid_gender" for i in staged.issues):
        staged.add(
            "gender",
            parsing.Problem(
                "required", _("Chưa ghi giới tính. Hãy ghi Nam hoặc Nữ (hoặc số định danh).")
            ),
        )
    _unit(staged, cells, lookups)
    _simple(staged, cells, lookups)
    _title_and_degree(staged, cells, lookups, birth, today)
    _position(staged, cells, lookups, today)
    return staged


# Folded words of the template's example row; a file that still has it is refused.
EXAMPLE_MARKER = "dong vi du"


def _name(staged: Staged, cells: dict[str, Any], lookups: Lookups) -> None:
    raw = cells.get("full_name")
    column = "full_name"
    if isinstance(raw, str) and "d" in raw.lower() and EXAMPLE_MARKER in fold(raw):
        staged.add(
            column,
            parsing.Problem(
                "example_row",
                _("Đây là dòng ví dụ của tệp mẫu. Hãy xóa dòng này hoặc thay bằng dữ liệu thật."),
            ),
        )
        return
    if _blank(raw) and not _blank(cells.get("name_given")):
        family = parsing.cell_str(cells.get("name_family"))
        raw = f"{family} {parsing.cell_str(cells.get('name_given'))}".strip()
        column = "name_given"
    name = parsing.parse_name(raw)
    if name is None:
        staged.add(column, parsing.Problem("required", _("Chưa ghi họ và tên.")))
        return
    if isinstance(name, parsing.Problem):
        staged.add(column, name)
        return
    for problem in name.problems:
        staged.add(column, problem)
    staged.person["full_name"] = name.display
    staged.folded = fold(name.display)
    if name.prefix and _blank(cells.get("degree")) and _blank(cells.get("title")):
        cells["degree"] = name.prefix


def _birth(staged: Staged, cells: dict[str, Any], today: date) -> date | None:
    parsed = parsing.parse_date(cells.get("birth"), today=today)
    if parsed is None:
        staged.add("birth", parsing.Problem("required", _("Chưa ghi ngày sinh.")))
        return None
    if isinstance(parsed, parsing.Problem):
        staged.add("birth", parsed)
        return None
    for problem in parsed.warnings:
        staged.add("birth", problem)
    value = parsed.value
    if value > today:
        staged.add(
            "birth",
            parsing.Problem(
                "future_date",
                _("Ngày sinh %(date)s ở tương lai. Hãy kiểm tra lại.")
                % {"date": value.strftime("%d/%m/%Y")},
            ),
        )
        return None
    if value.year < MIN_BIRTH_YEAR:
        staged.add(
            "birth",
            parsing.Problem(
                "invalid_date",
                _("Năm sinh phải từ %(year)s trở đi. Hãy kiểm tra lại.") % {"year": MIN_BIRTH_YEAR},
            ),
        )
        return None
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < ADULT_AGE or age > 100:
        staged.add(
            "birth",
            parsing.warning(
                "unlikely_age",
                _("Theo ngày sinh, người này %(age)s tuổi. Hãy kiểm tra lại ngày sinh.")
                % {"age": age},
            ),
        )
    staged.person["birth_date"] = value
    staged.person["birth_date_precision"] = (
        choices.BirthDatePrecision.YEAR if parsed.precision == parsing.YEAR else
        choices.BirthDatePrecision.DAY
    )  # fmt: skip
    return value


def _citizen_id(
    staged: Staged, cells: dict[str, Any], gender: str | None, birth: date | None
) -> None:
    parsed = parsing.parse_citizen_id(
        cells.get("citizen_id"), gender=gender, birth_year=birth.year if birth else None
    )
    if parsed is None:
        return
    if isinstance(parsed, parsing.Problem):
        staged.add("citizen_id", parsed)
        return
    for problem in parsed.problems:
        staged.add("citizen_id", problem)
    staged.citizen_id = parsed.number


def _unit(staged: Staged, cells: dict[str, Any], lookups: Lookups) -> None:
    code = parsing.cell_str(cells.get("unit_code"))
    name = parsing.cell_str(cells.get("unit_name"))
    unit_id: int | None = None
    if code:
        unit_id = lookups.units_by_code.get(code.upper())
        if unit_id is None:
            staged.add(
                "unit_code",
                parsing.Problem(
                    "unknown_unit",
                    _(
                        "Không có đơn vị mã “%(code)s” trong cây tổ chức của cơ quan nhập. Hãy "
                        "sửa mã, hoặc để trống để ghi vào cơ quan đã chọn."
                    )
                    % {"code": code},
                ),
            )
            return
    elif name:
        found = lookups.units_by_name.get(fold(name), [])
        if len(found) == 1:
            unit_id = found[0]
        elif len(found) > 1:
            staged.add(
                "unit_name",
                parsing.Problem(
                    "ambiguous_unit",
                    _("Có %(n)s đơn vị tên “%(name)s”. Hãy ghi mã đơn vị ở cột Mã đơn vị.")
                    % {"n": len(found), "name": name},
                ),
            )
            return
        else:
            staged.add(
                "unit_name",
                parsing.warning(
                    "unknown_unit_name",
                    _(
                        "Không tìm thấy đơn vị “%(name)s” trong cây tổ chức: ghi vào cơ quan đã "
                        "chọn khi tải lên. Nếu cần, hãy ghi mã đơn vị."
                    )
                    % {"name": name},
                ),
            )
    if unit_id is not None:
        staged.person["organization_id"] = unit_id


def _simple(staged: Staged, cells: dict[str, Any], lookups: Lookups) -> None:
    person = staged.person
    text = {
        name: parsing.cell_str(cells[name])
        for name in ("ethnicity", "religion", "address", "keywords", "field")
        if cells.get(name) is not None
    }
    ethnic = text.get("ethnicity", "")
    if ethnic:
        found = lookups.ethnic.get(_memo(lookups, "key", ethnic, parsing.choice_key))
        if found is None:
            staged.add(
                "ethnicity",
                parsing.Problem(
                    "unknown_ethnicity",
                    _("Không có dân tộc “%(text)s” trong danh mục 54 dân tộc. Hãy kiểm tra lại.")
                    % {"text": ethnic},
                ),
            )
        else:
            person["ethnicity_id"] = found
    religion = text.get("religion", "")
    if religion:
        person["religion"] = "" if fold(religion) in {"khong", "none", "-"} else religion
    for name, options, labels in (
        ("political_theory", lookups.political, lookups.political_labels),
        ("sector", lookups.sectors, lookups.sector_labels),
        ("status", lookups.statuses, lookups.status_labels),
    ):
        value = _memo(
            lookups,
            name,
            cells.get(name),
            lambda v, options=options, name=name, labels=labels: parsing.parse_choice(
                v, options, label=_label(name).lower(), listed=labels
            ),
        )
        if isinstance(value, parsing.Problem):
            staged.add(name, value)
        elif value:
            person[name] = value
    for name, parse in (("email", parsing.parse_email), ("phone", parsing.parse_phone)):
        value = parse(cells.get(name))
        if isinstance(value, parsing.Problem):
            staged.add(name, value)
        elif value:
            person[name] = value
    for name in ("address", "keywords"):
        if text.get(name):
            person[name] = text[name]
    field_text = text.get("field", "")
    if field_text:
        found = _memo(lookups, "field", field_text, lambda v: _field_of(v, lookups))
        if isinstance(found, parsing.Problem):
            staged.add("field", found)
        else:
            staged.field_id = found


def default_sector(unit_type: str) -> str:
    return str(SECTOR_BY_UNIT_TYPE.get(unit_type, choices.Sector.PUBLIC_SERVICE))


def _field_of(text: str, lookups: Lookups) -> int | parsing.Problem:
    code = text.split()[0].strip(".-–:") if text[:1].isdigit() else ""
    if code and code in lookups.fields_by_code:
        return lookups.fields_by_code[code]
    by_name = lookups.field_names.get(parsing.choice_key(text))
    if by_name:
        return lookups.fields_by_code[by_name]
    return parsing.Problem(
        "unknown_field",
        _(
            "Không nhận ra lĩnh vực “%(text)s”. Hãy ghi mã (ví dụ 102) hoặc tên theo danh mục "
            "lĩnh vực khoa học và công nghệ (trang Danh mục của tệp mẫu)."
        )
        % {"text": text},
    )


RECOGNISED = gettext_lazy("Được công nhận học hàm")
GRADUATED = gettext_lazy("Tốt nghiệp")


def _year(
    staged: Staged, cells: dict[str, Any], name: str, birth: date | None, today: date, what: Any
) -> int | None:
    year = parsing.parse_year(cells.get(name), label=_label(name).lower())
    if isinstance(year, parsing.Problem):
        staged.add(name, year)
        return None
    if year is None:
        return None
    if year > today.year:
        staged.add(
            name,
            parsing.Problem(
                "future_year", _("Năm %(year)s ở tương lai. Hãy kiểm tra lại.") % {"year": year}
            ),
        )
        return None
    if birth is not None and year < birth.year + ADULT_AGE:
        staged.add(
            name,
            parsing.Problem(
                "too_young",
                _(
                    "%(what)s năm %(year)s, khi người này chưa đủ %(age)s tuổi (sinh năm "
                    "%(birth)s). Hãy kiểm tra lại năm."
                )
                % {"what": what, "year": year, "age": ADULT_AGE, "birth": birth.year},
            ),
        )
        return None
    return year


def _title_and_degree(
    staged: Staged, cells: dict[str, Any], lookups: Lookups, birth: date | None, today: date
) -> None:
    title, degree, major = "", "", ""
    for name in ("title", "degree"):
        parsed = _memo(
            lookups,
            "degree",
            cells.get(name),
            lambda v: parsing.parse_title_degree(v, lookups.degrees),
        )
        if isinstance(parsed, parsing.Problem):
            staged.add(name, parsed)
            continue
        if parsed is None:
            continue
        if name == "title" and parsed.degree and not parsed.title:
            staged.add(
                name,
                parsing.warning(
                    "degree_in_title_column",
                    _("“%(text)s” là học vị, không phải học hàm: đã ghi vào trình độ.")
                    % {"text": parsing.cell_str(cells.get(name))},
                ),
            )
        title = title or parsed.title
        if parsed.degree and (
            not degree or lookups.degrees.ranks[parsed.degree] > lookups.degrees.ranks[degree]
        ):
            degree = parsed.degree
        major = major or parsed.rest
    title_year = _year(staged, cells, "title_year", birth, today, RECOGNISED)
    degree_year = _year(staged, cells, "degree_year", birth, today, GRADUATED)
    if title:
        staged.title = {"kind": title, "year": title_year}
    elif title_year is not None:
        staged.add(
            "title_year",
            parsing.warning(
                "year_without_title", _("Có năm công nhận nhưng chưa ghi học hàm: bỏ qua năm.")
            ),
        )
    major = parsing.cell_str(cells.get("major")) or major
    if degree:
        country = parsing.cell_str(cells.get("degree_country"))
        country_code = ""
        if country:
            country_code = lookups.countries.get(
                _memo(lookups, "key", country, parsing.choice_key), ""
            )
            if not country_code:
                staged.add(
                    "degree_country",
                    parsing.Problem(
                        "unknown_country",
                        _(
                            "Không nhận ra nước đào tạo “%(text)s”. Hãy ghi tên nước (ví dụ Nhật "
                            "Bản) hoặc mã 2 chữ cái (JP)."
                        )
                        % {"text": country},
                    ),
                )
        staged.degree = {
            "level": degree,
            "year": degree_year,
            "major": major[:255],
            "institution": parsing.cell_str(cells.get("institution"))[:255],
            "country": country_code,
        }
    elif (degree_year is not None or major) and not any(
        parsing.cell_str(cells.get(name)) for name in ("degree", "title")
    ):
        staged.add(
            "degree",
            parsing.warning(
                "details_without_degree",
                _("Có năm tốt nghiệp hoặc chuyên ngành nhưng chưa ghi trình độ: bỏ qua."),
            ),
        )


def _leadership(job: str) -> str:
    folded = fold(job)
    for level, pattern in LEADERSHIP_WORDS:
        if re.match(pattern, folded):
            return level
    return ""


def _position(staged: Staged, cells: dict[str, Any], lookups: Lookups, today: date) -> None:
    job = parsing.cell_str(cells.get("job_title"))
    start_raw = cells.get("position_start")
    if not job:
        return
    start: date | None = None
    parsed = parsing.parse_date(start_raw, today=today)
    if isinstance(parsed, parsing.Problem):
        staged.add("position_start", parsed)
        return
    if parsed is not None:
        start = parsed.value
        if start > today:
            staged.add(
                "position_start",
                parsing.Problem(
                    "future_date", _("Ngày giữ chức vụ ở tương lai. Hãy kiểm tra lại.")
                ),
            )
            return
    leadership = _memo(lookups, "leadership", job, _leadership)
    staged.position = {"job_title": job[:255], "start": start, "leadership": leadership}


SEVERITIES = (ERROR, WARNING)

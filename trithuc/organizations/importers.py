"""Reading an organisation list from .xlsx or .csv into checked rows.

Everything here is about the file: its format and limits, the header, each cell. What needs
the database as it is at commit time (parents, cycles, the user's scope, what changes) is in
`services.organizations_import`, so a dry run and a commit check exactly the same things.

An issue is a dict `{row, column, code, message, severity}`; `row` is the row number as the
spreadsheet shows it, `column` the column letter and header ("E (Loại hình)"), `severity`
"error" (blocks the commit) or "warning".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from trithuc.core import tabular, uploads
from trithuc.core.text import fold
from trithuc.core.uploads import UploadStore

from .choices import OrganizationType
from .models import CODE_PATTERN, code_validator, normalize_code
from .selectors import (
    AdministrativeUnitIndex,
    administrative_unit_index,
    resolve_administrative_unit,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 64
# A .xlsx is a zip of XML: refuse archives that would unpack to far more than any real list.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_CELL_CHARS = 1_000
EXTENSIONS = (".xlsx", ".csv")

ZIP_MAGIC = tabular.ZIP_MAGIC
OLE_MAGIC = tabular.OLE_MAGIC
ERROR = tabular.ERROR
WARNING = tabular.WARNING


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the header in the template
    required: bool
    max_length: int
    aliases: tuple[str, ...]  # other headers accepted, compared folded


COLUMNS = (
    Column("code", "Mã", True, 32, ("ma", "ma don vi", "ma to chuc", "code")),
    Column(
        "name", "Tên", True, 255,
        ("ten", "ten don vi", "ten to chuc", "ten tieng viet", "name", "name vi"),
    ),
    Column(
        "name_en", "Tên tiếng Anh", False, 255,
        ("ten tieng anh", "ten tieng anh name en", "name en", "english name", "name english"),
    ),
    Column(
        "short_name", "Tên viết tắt", False, 64,
        ("ten viet tat", "viet tat", "short name", "abbreviation"),
    ),
    Column("type", "Loại hình", True, 64, ("loai hinh", "loai", "type", "organization type")),
    Column(
        "parent_code", "Mã đơn vị cấp trên", False, 32,
        ("ma don vi cap tren", "ma cap tren", "don vi cap tren", "parent code", "parent"),
    ),
    Column(
        "administrative_unit", "Đơn vị hành chính", False, 255,
        ("don vi hanh chinh", "dvhc", "dia ban", "administrative unit"),
    ),
)  # fmt: skip
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}

# The file-level error and the issue dict are shared by every importer (core/tabular.py).
ImportFileError = tabular.TabularFileError
issue = tabular.issue
has_errors = tabular.has_errors


@dataclass
class OrganizationRow:
    """One data row, cleaned. `present` names the optional columns the file has: a column
    that is missing leaves that field of an existing organisation as it is."""

    row: int
    code: str
    name: str = ""
    name_en: str = ""
    short_name: str = ""
    type: str = ""
    parent_code: str = ""
    administrative_unit_id: int | None = None
    present: frozenset[str] = frozenset()
    valid: bool = True
    columns: dict[str, str] = field(default_factory=dict)  # field -> "E (Loại hình)"


@dataclass
class ParsedFile:
    rows: list[OrganizationRow]
    issues: list[dict[str, Any]]
    filename: str = ""


# ---- the file ---------------------------------------------------------------------------------


def check_upload(filename: str, size: int, head: bytes) -> None:
    """Cheap checks on an upload before it is stored: extension, size, the first bytes."""
    tabular.check_upload(filename, size, head, extensions=EXTENSIONS, max_bytes=MAX_FILE_BYTES)


def read_organization_file(
    path: Path | str,
    *,
    filename: str = "",
    index: AdministrativeUnitIndex | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedFile:
    """Read and check every row of the file; raises ImportFileError when it is unusable."""
    path = Path(path)
    filename = filename or path.name
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(8)
    check_upload(filename, size, head)
    if Path(filename).suffix.lower() == ".csv":
        table = _csv_rows(path, filename)
    else:
        table = _xlsx_rows(path, filename)
    return parse_rows(table, filename=filename, index=index, progress=progress)


def _xlsx_rows(path: Path, filename: str) -> list[tuple[int, list[Any]]]:
    tabular.check_zip(path, filename, max_unpacked=MAX_UNPACKED_BYTES, max_members=MAX_ZIP_MEMBERS)
    rows = tabular.iter_xlsx_rows(path, filename, max_columns=MAX_COLUMNS)
    return list(tabular.bounded(rows, filename, MAX_ROWS))


def _csv_rows(path: Path, filename: str) -> list[tuple[int, list[Any]]]:
    text = tabular.decode_text(path.read_bytes(), filename, legacy=False)
    rows = tabular.csv_rows(text, filename, max_columns=MAX_COLUMNS)
    return list(tabular.bounded(rows, filename, MAX_ROWS))


cell_text = tabular.cell_text


# ---- header and rows --------------------------------------------------------------------------


_header_key = tabular.header_key


_HEADER_KEYS = {
    key: column
    for column in COLUMNS
    for key in {_header_key(column.label), *(_header_key(a) for a in column.aliases)}
}


def _type_keys() -> dict[str, str]:
    """Type names in every language of the interface, and the stored values."""
    keys = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in OrganizationType.choices:
                keys[_header_key(str(label))] = value
                keys[_header_key(value)] = value
    return keys


def parse_rows(
    table: list[tuple[int, list[Any]]],
    *,
    filename: str,
    index: AdministrativeUnitIndex | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedFile:
    """Map the header, then check each data row on its own and against the rows above it."""
    if not table:
        raise ImportFileError(
            _("Tệp %(name)s không có dữ liệu. Hãy dùng tệp mẫu và điền từ dòng 2.")
            % {"name": filename},
            code="no_data",
        )
    header_row, header = table[0]
    mapping, issues = _map_header(header_row, header, filename)
    data = table[1:]
    if not data:
        raise ImportFileError(
            _("Tệp %(name)s chỉ có dòng tiêu đề, chưa có tổ chức nào.") % {"name": filename},
            code="no_data",
        )
    present = frozenset(mapping)
    names = {f: _column_name(i, header[i]) for f, i in mapping.items()}
    type_keys = _type_keys()
    places = _Places(index or administrative_unit_index())
    rows: list[OrganizationRow] = []
    first_row_of: dict[str, int] = {}
    for done, (number, values) in enumerate(data, start=1):
        cells = {f: cell_text(values[i]) if i < len(values) else "" for f, i in mapping.items()}
        row_issues: list[dict[str, Any]] = []
        row = _parse_row(number, cells, names, present, type_keys, places, row_issues)
        if row.code:
            folded = row.code.upper()
            if folded in first_row_of:
                row_issues.append(
                    issue(
                        number, names["code"], "duplicate_code",
                        _(
                            "Mã %(code)s đã có ở dòng %(first)s. Mỗi tổ chức chỉ ghi một dòng; "
                            "hãy xóa dòng trùng hoặc sửa mã."
                        )
                        % {"code": row.code, "first": first_row_of[folded]},
                    )
                )  # fmt: skip
            else:
                first_row_of[folded] = number
        row.valid = not has_errors(row_issues)
        issues.extend(row_issues)
        rows.append(row)
        if progress and done % 500 == 0:
            progress(done, len(data))
    places.finish()
    return ParsedFile(rows=rows, issues=issues, filename=filename)


def _column_name(position: int, header: Any) -> str:
    return f"{get_column_letter(position + 1)} ({cell_text(header)})"


def _map_header(
    header_row: int, header: list[Any], filename: str
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    mapping: dict[str, int] = {}
    issues: list[dict[str, Any]] = []
    for position, value in enumerate(header):
        column = _HEADER_KEYS.get(_header_key(cell_text(value)))
        if column is None:
            continue
        if column.field in mapping:
            raise ImportFileError(
                _(
                    "Tệp %(name)s, dòng tiêu đề %(row)s: cột %(first)s và cột %(second)s đều là "
                    "“%(label)s”. Hãy giữ lại một cột."
                )
                % {
                    "name": filename,
                    "row": header_row,
                    "first": _column_name(mapping[column.field], header[mapping[column.field]]),
                    "second": _column_name(position, value),
                    "label": column.label,
                },
                code="duplicate_column",
            )
        mapping[column.field] = position
    missing = [column for column in COLUMNS if column.required and column.field not in mapping]
    if missing:
        labels = ", ".join(f"“{column.label}”" for column in missing)
        message = _(
            "Tệp %(name)s thiếu cột bắt buộc %(labels)s ở dòng tiêu đề (dòng %(row)s). Hãy "
            "thêm cột với đúng tên đó, hoặc dùng tệp mẫu."
        ) % {"name": filename, "labels": labels, "row": header_row}
        raise ImportFileError(
            message,
            code="missing_column",
            issues=[
                issue(
                    header_row, column.label, "missing_column",
                    _("Thiếu cột bắt buộc “%(label)s”. Hãy thêm cột với đúng tên đó.")
                    % {"label": column.label},
                )
                for column in missing
            ],
        )  # fmt: skip
    return mapping, issues


# Folded words of the template's example row name; a file that still has it is refused.
EXAMPLE_MARKER = "dong vi du"


def _parse_row(
    number: int,
    cells: dict[str, str],
    names: dict[str, str],
    present: frozenset[str],
    type_keys: dict[str, str],
    places: _Places,
    issues: list[dict[str, Any]],
) -> OrganizationRow:
    def add(field_name: str, code: str, message: str, severity: str = ERROR) -> None:
        issues.append(issue(number, names[field_name], code, message, severity))

    for name, value in cells.items():
        column = COLUMN_BY_FIELD[name]
        if column.required and not value:
            add(name, "required", _("Chưa điền “%(label)s”.") % {"label": column.label})
        elif len(value) > min(column.max_length, MAX_CELL_CHARS):
            add(
                name,
                "too_long",
                _("Dài %(n)s ký tự, tối đa %(max)s. Hãy rút gọn.")
                % {"n": len(value), "max": column.max_length},
            )
            cells[name] = value[: column.max_length]
    if EXAMPLE_MARKER in fold(cells.get("name", "")):
        add(
            "name",
            "example_row",
            _("Đây là dòng ví dụ của tệp mẫu. Hãy xóa dòng này hoặc thay bằng dữ liệu thật."),
        )
    code = normalize_code(cells["code"])
    if code and re.search(r"\s", code):
        add("code", "invalid_code", _("Mã “%(code)s” có dấu cách. Hãy viết liền.") % {"code": code})
    elif code and not re.match(CODE_PATTERN, code):
        add("code", "invalid_code", f"“{code}”: {code_validator.message}")
    row = OrganizationRow(
        row=number,
        code=code,
        name=cells["name"],
        name_en=cells.get("name_en", ""),
        short_name=cells.get("short_name", ""),
        parent_code=normalize_code(cells.get("parent_code", "")),
        present=present,
        columns=names,
    )
    raw_type = cells["type"]
    if raw_type:
        row.type = type_keys.get(_header_key(raw_type), "")
        if not row.type:
            add(
                "type",
                "unknown_type",
                _("Loại hình “%(value)s” không có trong danh mục. Hãy chọn một trong: %(list)s.")
                % {"value": raw_type, "list": "; ".join(map(str, OrganizationType.labels))},
            )
    if row.parent_code and code and row.parent_code.upper() == code.upper():
        add(
            "parent_code",
            "self_parent",
            _("Tổ chức %(code)s không thể là đơn vị cấp trên của chính nó.") % {"code": code},
        )
    place = cells.get("administrative_unit", "")
    if place:
        row.administrative_unit_id = places.resolve(
            place, number, names["administrative_unit"], issues
        )
    return row


class _Places:
    """Resolves the administrative-unit column once per distinct value.

    An error is reported on every row that has it (each must be fixed); a warning only on the
    first, with the number of other rows, so 5,000 rows of "quận Cầu Giấy" give one line.
    """

    def __init__(self, index: AdministrativeUnitIndex) -> None:
        self.index = index
        self.results: dict[str, tuple[int | None, str, str, str]] = {}
        self.warned: dict[str, list[Any]] = {}

    def resolve(self, place: str, row: int, column: str, issues: list[dict[str, Any]]) -> Any:
        key = fold(place)
        if key not in self.results:
            self.results[key] = self._resolve(place)
        unit_id, code, message, severity = self.results[key]
        if not code:
            return unit_id
        if severity == WARNING:
            if key in self.warned:
                self.warned[key][1] += 1
                return unit_id
            self.warned[key] = [issue(row, column, code, message, severity), 0]
            issues.append(self.warned[key][0])
        else:
            issues.append(issue(row, column, code, message, severity))
        return unit_id

    def finish(self) -> None:
        for item, others in self.warned.values():
            if others:
                item["message"] += " " + _("Cùng giá trị này còn ở %(n)s dòng khác.") % {
                    "n": others
                }

    def _resolve(self, place: str) -> tuple[int | None, str, str, str]:
        found = resolve_administrative_unit(place, index=self.index)
        unit = found.unit
        if unit is None and found.current is not None:
            unit = found.current
        if unit is None and found.candidates:
            shown = "; ".join(str(c) for c in found.candidates[:6])
            more = len(found.candidates) - 6
            message = _(
                "“%(value)s” có ở nhiều nơi (%(list)s%(more)s). Hãy ghi kèm tỉnh, ví dụ "
                "“%(example)s”, hoặc ghi mã đơn vị hành chính."
            ) % {
                "value": place,
                "list": shown,
                "more": _(" và %(n)s nơi khác") % {"n": more} if more > 0 else "",
                "example": _example_with_province(place, found.candidates[0]),
            }
            return None, "ambiguous_administrative_unit", message, ERROR
        if unit is None:
            message = _(
                "Không nhận ra đơn vị hành chính “%(value)s”. Hãy ghi mã (ví dụ 01, 00070) hoặc "
                "tên kèm tỉnh (ví dụ “Phường Hoàn Kiếm, Hà Nội”), hoặc để trống."
            ) % {"value": place}
            return None, "unknown_administrative_unit", message, ERROR
        current = unit.current
        if current.pk != unit.pk or unit.is_legacy:
            message = _(
                "Lưu ý: “%(value)s” là đơn vị trước 1/7/2025; sẽ ghi theo đơn vị hiện nay: "
                "%(current)s."
            ) % {"value": place, "current": current}
            return current.pk, "legacy_administrative_unit", message, WARNING
        return current.pk, "", "", ""


def _example_with_province(place: str, unit: Any) -> str:
    parent = unit.parent if unit.parent_id else None
    return f"{place}, {parent.name}" if parent is not None else place


# ---- stored uploads ---------------------------------------------------------------------------

UPLOADS = UploadStore("imports", EXTENSIONS)
UPLOAD_MAX_AGE = uploads.UPLOAD_MAX_AGE


def uploads_dir() -> Path:
    return UPLOADS.directory()


def store_upload(uploaded: Any, *, user: Any) -> str:
    """Save an uploaded file under MEDIA_ROOT/imports/ with a random name; returns its id."""
    return UPLOADS.save(uploaded, user=user)


def stored_upload(upload_id: str) -> tuple[Path, dict[str, Any]] | None:
    """The stored file and its metadata, or None when the id is malformed or unknown."""
    return UPLOADS.get(upload_id)


def delete_upload(upload_id: str) -> None:
    UPLOADS.delete(upload_id)


# ---- the template -----------------------------------------------------------------------------

TEMPLATE_NOTES = {
    "code": "Bắt buộc. Mã duy nhất của tổ chức, viết liền, ví dụ SNV. Nhập lại cùng mã sẽ cập "
    "nhật tổ chức đó thay vì tạo mới.",
    "name": "Bắt buộc. Tên đầy đủ bằng tiếng Việt có dấu.",
    "name_en": "Không bắt buộc. Tên tiếng Anh.",
    "short_name": "Không bắt buộc. Tên viết tắt, tối đa 64 ký tự.",
    "type": "Bắt buộc. Chọn trong danh sách thả xuống.",
    "parent_code": "Mã của đơn vị cấp trên: một tổ chức đã có trong hệ thống, hoặc một dòng "
    "khác trong tệp này. Phải nằm trong phạm vi bạn được quản lý.",
    "administrative_unit": "Không bắt buộc. Mã (ví dụ 01, 00070) hoặc tên xã, phường, tỉnh "
    "kèm tỉnh (ví dụ: Phường Hoàn Kiếm, Hà Nội). Tên đơn vị trước 1/7/2025 được tự chuyển "
    "sang đơn vị hiện nay.",
}


def build_template(*, example_parent: str = "", max_rows: int = MAX_ROWS) -> bytes:
    """The .xlsx template: header with notes, a drop-down for the type, one example row."""
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    example = workbook.add_format({"italic": True, "font_color": "#595959"})
    text = workbook.add_format({"num_format": "@"})  # keep leading zeros of codes
    sheet = workbook.add_worksheet(_("Tổ chức"))
    lists = workbook.add_worksheet(_("Danh mục"))
    guide = workbook.add_worksheet(_("Hướng dẫn"))

    labels = [str(label) for label in OrganizationType.labels]
    lists.write(0, 0, _("Loại hình"), header)
    for i, label in enumerate(labels, start=1):
        lists.write(i, 0, label)
    lists.set_column(0, 0, 32)

    widths = {"code": 14, "name": 48, "name_en": 40, "short_name": 16, "type": 26}
    for position, column in enumerate(COLUMNS):
        sheet.write(0, position, column.label, header)
        sheet.write_comment(0, position, TEMPLATE_NOTES[column.field], {"x_scale": 2, "y_scale": 2})
        sheet.set_column(position, position, widths.get(column.field, 22), text)
    type_column = [c.field for c in COLUMNS].index("type")
    sheet.data_validation(
        1, type_column, max_rows, type_column,
        {
            "validate": "list",
            "source": f"='{_('Danh mục')}'!$A$2:$A${len(labels) + 1}",
            "error_title": _("Loại hình không hợp lệ"),
            "error_message": _("Hãy chọn loại hình trong danh sách thả xuống."),
        },
    )  # fmt: skip
    parent = example_parent or "UBND"
    sample = {
        "code": f"{parent}-VD1",
        "name": _("Trung tâm Thông tin và Thống kê (dòng ví dụ, hãy thay bằng dữ liệu thật)"),
        "name_en": "Information and Statistics Centre",
        "short_name": "TTTTTK",
        "type": str(OrganizationType.OTHER.label),
        "parent_code": parent,
        "administrative_unit": "Phường Hoàn Kiếm, Hà Nội",
    }
    for position, column in enumerate(COLUMNS):
        sheet.write_string(1, position, sample[column.field], example)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)
    sheet.activate()

    guide.set_column(0, 0, 110)
    lines = [
        _("Nhập danh sách tổ chức"),
        _("1. Điền mỗi tổ chức một dòng ở trang “Tổ chức”, bắt đầu từ dòng 2 (thay dòng ví dụ)."),
        _("2. Các cột bắt buộc: Mã, Tên, Loại hình. Di chuột lên tiêu đề cột để xem ghi chú."),
        _("3. Giữ nguyên dòng tiêu đề; có thể bỏ các cột không bắt buộc."),
        _(
            "4. Tối đa %(rows)s dòng, tệp không quá %(mb)s MB, định dạng .xlsx hoặc CSV UTF-8."
        ) % {"rows": f"{MAX_ROWS:,}".replace(",", "."), "mb": MAX_FILE_BYTES // 1024 // 1024},
        _(
            "5. Sau khi tải lên, hệ thống kiểm tra và liệt kê lỗi theo dòng, cột; chưa ghi gì "
            "cho đến khi bạn bấm “Ghi vào hệ thống”."
        ),
    ]  # fmt: skip
    for i, line in enumerate(lines):
        guide.write(i, 0, line, header if i == 0 else None)
    workbook.close()
    return output.getvalue()


def store_upload_check(upload_id: str, report: dict[str, Any]) -> None:
    """Remember the counts of the last check, for the confirmation page."""
    keys = ("rows", "errors", "warnings", "created", "updated", "unchanged")
    UPLOADS.update(upload_id, checked={key: report[key] for key in keys})

"""Reading an agency's file of people: which sheets hold a list, where each list's header is,
which column is which field, then the data rows one at a time (constant memory).

Agencies' own layouts are read as they are: titles above the header, a header over two rows
(merged cells), a row numbering the columns under it, several sheets, trailing empty rows
(at most MAX_EMPTY_RUN in a row are read), formulas (their cached values), cells merged
across data rows (the value is used for every row of the range), a total or the signatures
at the bottom. The mapping from columns to fields is by header, so a mapping saved for an
agency applies to its next file whatever the order of the columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from trithuc.core import tabular
from trithuc.core.tabular import TabularFileError, column_letter, header_key, issue, thousands
from trithuc.core.text import fold

from .columns import COLUMN_BY_FIELD, IGNORE, UNSTORED, field_for_header

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200  # read at most; a sheet wider than DENSE_COLUMNS is streamed
DENSE_COLUMNS = 64
DENSE_ROWS = MAX_ROWS + 10_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_SHEETS = 50
MAX_CELL_CHARS = 2_000
CSV_MAX_CELL_CHARS = 1024 * 1024
HEADER_SEARCH_ROWS = 30
MAX_EMPTY_RUN = 1_000
EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")
# Columns a file must have; a missing gender is read from the citizen ID, row by row.
REQUIRED_COLUMNS = ("full_name", "birth")


@dataclass(frozen=True)
class FormulaError:
    """A cell whose formula gives an error (#REF!, #VALUE!…), as the scan found it."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class SheetLayout:
    name: str
    index: int
    header_row: int  # the header's row number as the spreadsheet shows it
    data_from: int  # the first row after the header (and its second line, its numbering)
    headers: list[str]  # the header text of each column (two-line headers combined)
    keys: list[str]  # each header's key; a repeated one gets "#2", "#3"…


@dataclass
class FileLayout:
    filename: str
    kind: str  # "xlsx" or "csv"
    sheets: list[SheetLayout]
    encoding: str = ""
    skipped: list[str] = field(default_factory=list)  # sheets without a recognisable header
    notes: list[dict[str, Any]] = field(default_factory=list)  # file-level warnings

    def columns(self) -> list[tuple[str, str, list[str]]]:
        """(key, header, sheets) of every column across the sheets, in order of appearance."""
        seen: dict[str, tuple[str, list[str]]] = {}
        for sheet in self.sheets:
            for key, header in zip(sheet.keys, sheet.headers, strict=True):
                if not key:
                    continue
                seen.setdefault(key, (header, []))[1].append(sheet.name)
        return [(key, header, sheets) for key, (header, sheets) in seen.items()]


@dataclass
class Record:
    """One data row: its raw cells by field, each field's column name, notes on the row."""

    sheet: str
    row: int
    cells: dict[str, Any]
    columns: dict[str, str]
    notes: list[dict[str, Any]] = field(default_factory=list)


# ---- the file ---------------------------------------------------------------------------------


def check_upload(filename: str, size: int, head: bytes) -> None:
    tabular.check_upload(filename, size, head, extensions=EXTENSIONS, max_bytes=MAX_FILE_BYTES)


def _kind(filename: str) -> str:
    return "csv" if Path(filename).suffix.lower() in (".csv", ".txt") else "xlsx"


def _check(path: Path, filename: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
    check_upload(filename, path.stat().st_size, head)
    if _kind(filename) == "xlsx":
        tabular.check_zip(
            path,
            filename,
            max_unpacked=MAX_UNPACKED_BYTES,
            max_ratio=MAX_ZIP_RATIO,
        )


def _raw_sheets(path: Path, filename: str) -> list[tabular.SheetInfo]:
    sheets = tabular.workbook_sheets(path, filename)
    return sheets[:MAX_SHEETS]


def _xlsx_rows(
    path: Path,
    filename: str,
    sheet: tabular.SheetInfo,
    *,
    full: bool,
    on_scan: Callable[[tabular.SheetScan], None] | None = None,
) -> Iterator[tuple[int, list[Any], set[int], list[str]]]:
    """(row number, values, columns filled from a merged cell, notes) of a sheet.

    `full` reads with calamine after a scan of the XML; otherwise the first rows are streamed
    by openpyxl (to find the header quickly) with neither merges nor formula errors.
    """
    if not full:
        rows = tabular.iter_xlsx_rows(
            path, filename, max_columns=MAX_COLUMNS, sheet_index=sheet.index
        )
        for number, streamed in enumerate(rows, start=1):
            yield number, list(streamed), set(), []
        return
    try:
        scan = tabular.scan_sheet(path, sheet.member, max_columns=DENSE_COLUMNS)
    except (KeyError, OSError, ValueError) as exc:
        raise tabular.cannot_read(filename) from exc
    except Exception as exc:  # zlib and zipfile errors of a damaged member
        raise tabular.cannot_read(filename) from exc
    if on_scan is not None:
        on_scan(scan)
    rows = tabular.read_xlsx_sheet(
        path,
        sheet,
        scan,
        filename=filename,
        max_columns=MAX_COLUMNS,
        max_dense_rows=DENSE_ROWS,
    )
    merges = sorted(scan.merges)
    errors = scan.errors
    active: list[tuple[int, int, int, int, Any]] = []
    next_merge = 0
    for number, values in rows:
        r0 = number - 1
        while next_merge < len(merges) and merges[next_merge][0] <= r0:
            r1, c1, r2, c2 = merges[next_merge]
            next_merge += 1
            if r1 == r0 and c1 < len(values):
                active.append((r1, c1, r2, min(c2, MAX_COLUMNS - 1), values[c1]))
        filled: set[int] = set()
        notes: list[str] = []
        if errors:
            for (er, ec), text in errors.items():
                if er == r0 and ec < MAX_COLUMNS:
                    while len(values) <= ec:
                        values.append(None)
                    values[ec] = FormulaError(text)
        if active:
            for r1, c1, r2, c2, value in active:
                if not r1 <= r0 <= r2:
                    continue
                if (r2 > r1) and r0 == r1 and not tabular.blank(value):
                    notes.append(f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}")
                for c in range(c1, c2 + 1):
                    if (r0, c) == (r1, c1):
                        continue
                    while len(values) <= c:
                        values.append(None)
                    if tabular.blank(values[c]):
                        values[c] = value
                        filled.add(c)
            active = [m for m in active if m[2] > r0]
        yield number, values, filled, notes


def _csv_text(path: Path, filename: str) -> tuple[str, str]:
    raw = path.read_bytes()
    return tabular.decode_csv(raw, filename)


def _csv_rows(text: str, filename: str) -> Iterator[tuple[int, list[Any], set[int], list[str]]]:
    rows = tabular.csv_rows(
        text, filename, max_columns=MAX_COLUMNS, max_cell_chars=CSV_MAX_CELL_CHARS
    )
    for number, values in enumerate(rows, start=1):
        yield number, list(values), set(), []


# ---- the header -------------------------------------------------------------------------------


def _fields_of(values: list[Any], extra: Mapping[str, str]) -> dict[int, str]:
    found = {}
    for position, value in enumerate(values):
        if not isinstance(value, str) or not value.strip() or len(value) > 120:
            continue
        key = header_key(value)
        name = extra.get(key) or field_for_header(value)
        if name:
            found[position] = name
    return found


def _numbering_row(values: list[Any]) -> bool:
    """A row numbering the columns under the header: "1 2 3 …" or "(1) (2) (3) …"."""
    cells = [tabular.cell_text(v) for v in values if not tabular.blank(v)]
    if len(cells) < 3:
        return False
    return all(re.fullmatch(r"\(?\d{1,3}\)?|[A-Z]", cell) for cell in cells)


def find_header(
    rows: list[tuple[int, list[Any]]], extra: Mapping[str, str] | None = None
) -> tuple[int, list[str], int] | None:
    """(index in `rows` of the header, the header texts, index of the first data row).

    The header is the row naming the most known fields (at least two, one of them the
    name); a second header line under it (the cells under a merged "Trình độ": "Học hàm",
    "Học vị") replaces the cells it names, and a row numbering the columns is skipped.
    """
    extra = extra or {}
    best, best_score = -1, 1
    for index, (_number, values) in enumerate(rows):
        fields = set(_fields_of(values, extra).values())
        score = len(fields)
        names = {"full_name", "name_family", "name_given"} & fields
        if score > best_score and names:
            best, best_score = index, score
    if best < 0:
        return None
    _number, values = rows[best]
    headers = [tabular.cell_text(v) if isinstance(v, str) else "" for v in values]
    data_from = best + 1
    if data_from < len(rows):
        below = rows[data_from][1]
        named = _fields_of(below, extra)
        filled = [v for v in below if not tabular.blank(v)]
        if named and len(named) * 2 >= len(filled) and not _numbering_row(below):
            for position, value in enumerate(below):
                if tabular.blank(value):
                    continue
                while len(headers) <= position:
                    headers.append("")
                if position in named or not headers[position]:
                    headers[position] = tabular.cell_text(value)
            data_from += 1
    if data_from < len(rows) and _numbering_row(rows[data_from][1]):
        data_from += 1
    while headers and not headers[-1]:
        headers.pop()
    return best, headers, data_from


def header_keys(headers: list[str]) -> list[str]:
    keys: list[str] = []
    seen: dict[str, int] = {}
    for header in headers:
        key = header_key(header)
        if not key:
            keys.append("")
            continue
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


# ---- inspecting a file ------------------------------------------------------------------------


def inspect_file(
    path: Path | str, *, filename: str = "", extra: Mapping[str, str] | None = None
) -> FileLayout:
    """The sheets holding a list and their headers, from the first rows only (quick).

    `extra` maps header keys to fields (a saved mapping), so headers only that agency uses
    are found too.
    """
    path = Path(path)
    filename = filename or path.name
    _check(path, filename)
    kind = _kind(filename)
    layout = FileLayout(filename=filename, kind=kind, sheets=[])
    if kind == "csv":
        text, layout.encoding = _csv_text(path, filename)
        sources = [("", 0, _csv_rows(text, filename))]
        if layout.encoding == "mixed":
            layout.notes.append(
                issue(
                    None, "", "mixed_encoding",
                    _(
                        "Tệp %(name)s lưu lẫn hai bảng mã (UTF-8 và Windows-1258): đã đọc từng "
                        "dòng theo bảng mã của nó. Hãy kiểm tra chữ tiếng Việt trong báo cáo; "
                        "lần sau hãy lưu dạng CSV UTF-8 hoặc .xlsx."
                    )
                    % {"name": filename},
                    tabular.WARNING,
                )
            )  # fmt: skip
    else:
        sheets = _raw_sheets(path, filename)
        sources = [
            (sheet.name, sheet.index, _xlsx_rows(path, filename, sheet, full=False))
            for sheet in sheets
        ]
    for name, index, rows in sources:
        head: list[tuple[int, list[Any]]] = []
        empty_run = 0
        try:
            for number, values, _filled, _notes in rows:
                if all(tabular.blank(v) for v in values):
                    empty_run += 1
                    if empty_run >= MAX_EMPTY_RUN:
                        break
                    continue
                empty_run = 0
                head.append((number, values))
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
        finally:
            close = getattr(rows, "close", None)
            if close:
                close()
        found = find_header(head, extra)
        if found is None:
            if head:
                layout.skipped.append(name)
            continue
        at, headers, data_from = found
        layout.sheets.append(
            SheetLayout(
                name=name,
                index=index,
                header_row=head[at][0],
                data_from=head[data_from][0] if data_from < len(head) else head[-1][0] + 1,
                headers=headers,
                keys=header_keys(headers),
            )
        )
    if not layout.sheets:
        raise TabularFileError(
            _(
                "Không tìm thấy dòng tiêu đề trong tệp %(name)s: cần một dòng có tên các cột, "
                "ít nhất “Họ và tên” và “Ngày sinh”. Hãy dùng tệp mẫu, hoặc thêm dòng tiêu đề "
                "phía trên danh sách."
            )
            % {"name": filename},
            code="no_header",
        )
    return layout


def auto_mapping(layout: FileLayout, saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """Header key → field for every column: the saved mapping's choice, else the synonyms."""
    saved = saved or {}
    mapping: dict[str, str] = {}
    for key, header, _sheets in layout.columns():
        if key in saved:
            mapping[key] = saved[key]
        else:
            # A repeated header ("Ngày sinh" twice) maps twice: resolve() then names both
            # columns and the mapping step lets the user leave one out.
            mapping[key] = field_for_header(header) or IGNORE
    return mapping


def column_name(position: int, header: str) -> str:
    return f"{column_letter(position)} ({header})" if header else column_letter(position)


def resolve(sheet: SheetLayout, mapping: Mapping[str, str], filename: str) -> dict[int, str]:
    """Column index → field for one sheet; refuses a field given two columns and a missing
    required column, naming them."""
    columns: dict[int, str] = {}
    for position, key in enumerate(sheet.keys):
        name = mapping.get(key, IGNORE) if key else IGNORE
        if name and name in COLUMN_BY_FIELD:
            columns[position] = name
    fields = set(columns.values())
    # "Họ và tên đệm" + "Tên": the short header "Tên" is the given name, not the full name.
    if "name_family" in fields and "full_name" in fields:
        for position, name in list(columns.items()):
            if name == "full_name" and sheet.keys[position] == "ten":
                columns[position] = "name_given"
        fields = set(columns.values())
    where = _("trang “%(sheet)s”, ") % {"sheet": sheet.name} if sheet.name else ""
    by_field: dict[str, list[int]] = {}
    for position, name in columns.items():
        if name not in UNSTORED:
            by_field.setdefault(name, []).append(position)
    doubled = {name: positions for name, positions in by_field.items() if len(positions) > 1}
    if doubled:
        name, positions = next(iter(doubled.items()))
        listed = ", ".join(column_name(p, sheet.headers[p]) for p in positions)
        raise TabularFileError(
            _(
                "Tệp %(file)s, %(where)sdòng tiêu đề %(row)s: các cột %(columns)s cùng là "
                "“%(label)s”. Hãy chọn một cột ở bước ghép cột (các cột kia chọn “Bỏ qua”), "
                "hoặc xóa cột thừa trong tệp."
            )
            % {
                "file": filename,
                "where": where,
                "row": sheet.header_row,
                "columns": listed,
                "label": COLUMN_BY_FIELD[name].label,
            },
            code="duplicate_column",
        )
    has_name = "full_name" in fields or {"name_family", "name_given"} <= fields
    missing = [
        COLUMN_BY_FIELD[name].label
        for name in REQUIRED_COLUMNS
        if name not in fields and not (name == "full_name" and has_name)
    ]
    if missing:
        labels = ", ".join(f"“{label}”" for label in missing)
        message = _(
            "Tệp %(file)s, %(where)sthiếu cột bắt buộc %(labels)s ở dòng tiêu đề (dòng "
            "%(row)s). Hãy ghép cột đó ở bước ghép cột, hoặc thêm cột vào tệp (xem tệp mẫu)."
        ) % {"file": filename, "where": where, "labels": labels, "row": sheet.header_row}
        raise TabularFileError(
            message,
            code="missing_column",
            issues=[
                issue(
                    sheet.header_row, label, "missing_column",
                    _("Thiếu cột bắt buộc “%(label)s”.") % {"label": label},
                )
                for label in missing
            ],
        )  # fmt: skip
    return columns


# ---- the rows ---------------------------------------------------------------------------------

# Rows under the list that are not people: totals and the signatures.
_FOOTER = re.compile(
    r"^(?:tong cong|tong so|cong\b|nguoi lap|thu truong|ky ten|xac nhan|giam doc|"
    r"truong phong|ngay .*thang .*nam|.*, ngay\b|danh sach (?:nay )?co)"
)


def iter_records(
    path: Path | str,
    layout: FileLayout,
    mapping: Mapping[str, str],
    *,
    estimate: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """Every data row of every sheet with a header, as raw cells by field.

    Raises TabularFileError when a sheet's columns cannot be resolved or the file holds more
    than MAX_ROWS rows. Blank rows are skipped; after MAX_EMPTY_RUN of them in a row the rest
    of the sheet is ignored (a sheet whose size says a million rows).
    """
    path = Path(path)
    filename = layout.filename
    resolved = [(sheet, resolve(sheet, mapping, filename)) for sheet in layout.sheets]
    count = 0
    csv_text = _csv_text(path, filename)[0] if layout.kind == "csv" else ""
    raw_sheets = {s.index: s for s in _raw_sheets(path, filename)} if layout.kind == "xlsx" else {}
    if estimate is not None and csv_text:
        estimate(csv_text.count("\n"))
    for sheet, columns in resolved:
        names = {p: column_name(p, sheet.headers[p]) for p in columns}
        stored = [p for p, name in columns.items() if name not in UNSTORED]
        width = len(sheet.headers)
        rows = (
            _csv_rows(csv_text, filename)
            if layout.kind == "csv"
            else _xlsx_rows(
                path,
                filename,
                raw_sheets[sheet.index],
                full=True,
                on_scan=_estimator(estimate, sheet),
            )
        )
        empty_run = 0
        for number, values, _filled, merged in rows:
            if number < sheet.data_from:
                continue
            if all(tabular.blank(values[p]) for p in stored if p < len(values)):
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    break
                continue
            empty_run = 0
            cells = {columns[p]: values[p] if p < len(values) else None for p in columns}
            if _is_footer(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise tabular.too_many_rows(filename, MAX_ROWS)
            record = Record(
                sheet=sheet.name,
                row=number,
                cells=cells,
                columns={columns[p]: names[p] for p in columns},
            )
            for ref in merged:
                record.notes.append(
                    issue(
                        number, ref, "merged_cells",
                        _("Ô gộp %(ref)s: giá trị của ô được dùng cho mọi dòng trong vùng gộp.")
                        % {"ref": ref},
                        tabular.WARNING,
                    )
                )  # fmt: skip
            extra = [p for p in range(width, len(values)) if not tabular.blank(values[p])]
            if extra:
                record.notes.append(
                    issue(
                        number, column_letter(extra[0]), "cells_outside_table",
                        _(
                            "Dòng có dữ liệu ở %(n)s ô ngoài bảng (từ cột %(col)s, không có "
                            "tiêu đề): các ô này bị bỏ qua."
                        )
                        % {"n": thousands(len(extra)), "col": column_letter(extra[0])},
                        tabular.WARNING,
                    )
                )  # fmt: skip
            yield record


def _estimator(
    estimate: Callable[[int], None] | None, sheet: SheetLayout
) -> Callable[[tabular.SheetScan], None] | None:
    """The rows a sheet will give, from its scan, passed to `estimate` (for progress)."""
    if estimate is None:
        return None
    report = estimate

    def on_scan(scan: tabular.SheetScan) -> None:
        report(max(0, scan.max_row - sheet.data_from + 1))

    return on_scan


def raw_rows(
    path: Path | str, layout: FileLayout, sheet: SheetLayout
) -> Iterator[tuple[int, list[Any]]]:
    """Every row of one sheet as read, from the first (titles, header) to the last before a
    run of MAX_EMPTY_RUN blank rows: for the marked copy."""
    path = Path(path)
    if layout.kind == "csv":
        rows = _csv_rows(_csv_text(path, layout.filename)[0], layout.filename)
    else:
        info = {s.index: s for s in _raw_sheets(path, layout.filename)}[sheet.index]
        rows = _xlsx_rows(path, layout.filename, info, full=True)
    empty_run = 0
    for number, values, _filled, _merged in rows:
        if all(tabular.blank(v) for v in values):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        yield number, values


def _is_footer(cells: dict[str, Any]) -> bool:
    if any(not tabular.blank(cells.get(name)) for name in ("birth", "gender", "citizen_id")):
        return False
    texts = [fold(str(v)) for v in cells.values() if isinstance(v, str) and v.strip()]
    return bool(texts) and all(_FOOTER.match(text) for text in texts[:1])

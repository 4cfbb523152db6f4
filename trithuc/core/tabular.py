"""Reading spreadsheets that people upload (.xlsx, .csv): what every importer shares.

Everything here is about the file, never about what its rows mean: the cheap checks before
an upload is stored, the checks of the zip container (encrypted workbooks, zip bombs),
decoding CSV text, numbering non-blank rows, and two ways of reading a sheet:

- :func:`iter_xlsx_rows` streams a sheet with openpyxl's read-only mode (bounded memory,
  slow: about 2,000 rows of 25 columns a second on a small server);
- :func:`read_xlsx_sheet` reads it with calamine (ten times faster) after
  :func:`scan_sheet` has checked, from the sheet's XML, that calamine's dense grid stays
  small, and falls back to streaming otherwise. The scan also finds merged ranges and
  formula errors, which calamine does not report.

An issue is a dict ``{row, column, code, message, severity}`` (see :func:`issue`); a file
that cannot be used at all raises :class:`TabularFileError` with a Vietnamese message that
names the file and says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .text import fold, nfc

ZIP_MAGIC = b"PK\x03\x04"
# Excel saves a password-protected workbook (and the old .xls format) as an OLE compound file.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

ERROR = "error"
WARNING = "warning"


class TabularFileError(Exception):
    """The file cannot be used at all; the message says why and what to do."""

    def __init__(self, message: str, *, code: str, issues: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.issues = issues or [issue(None, "", code, message)]


def issue(
    row: int | None, column: str, code: str, message: str, severity: str = ERROR
) -> dict[str, Any]:
    return {"row": row, "column": column, "code": code, "message": message, "severity": severity}


def has_errors(issues: Iterable[dict[str, Any]]) -> bool:
    return any(item.get("severity", ERROR) == ERROR for item in issues)


def thousands(number: int) -> str:
    """12345 → "12.345", the Vietnamese way."""
    return f"{number:,}".replace(",", ".")


# ---- the upload -------------------------------------------------------------------------------


def check_upload(
    filename: str,
    size: int,
    head: bytes,
    *,
    extensions: tuple[str, ...] = (".xlsx", ".csv"),
    max_bytes: int,
) -> None:
    """Cheap checks on an upload before it is stored: extension, size, the first bytes."""
    name = filename or _("(không tên)")
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise TabularFileError(
            _(
                "Tệp %(name)s là định dạng Excel 97-2003 (.xls), không đọc được. Hãy mở tệp "
                "bằng Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi tải lên lại."
            )
            % {"name": name},
            code="wrong_extension",
        )
    if suffix not in extensions:
        raise TabularFileError(
            _(
                "Tệp %(name)s không phải bảng tính .xlsx hoặc .csv. Hãy dùng tệp mẫu "
                "(Tải tệp mẫu) và lưu dạng .xlsx."
            )
            % {"name": name},
            code="wrong_extension",
        )
    if size == 0:
        raise TabularFileError(
            _("Tệp %(name)s trống (0 byte). Hãy kiểm tra lại tệp rồi tải lên lại.")
            % {"name": name},
            code="empty_file",
        )
    if size > max_bytes:
        raise TabularFileError(
            _(
                "Tệp %(name)s nặng %(size)s MB, quá giới hạn %(limit)s MB. Hãy chia danh sách "
                "thành nhiều tệp nhỏ hơn."
            )
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": max_bytes // 1024 // 1024,
            },
            code="file_too_large",
        )
    if suffix in (".xlsx", ".xlsm"):
        if head.startswith(OLE_MAGIC):
            raise TabularFileError(
                _(
                    "Tệp %(name)s được đặt mật khẩu (hoặc là tệp .xls đổi tên), nên không đọc "
                    "được. Hãy mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm "
                    "việc), lưu dạng .xlsx rồi tải lên lại."
                )
                % {"name": name},
                code="password_protected",
            )
        if not head.startswith(ZIP_MAGIC):
            raise TabularFileError(
                _(
                    "Tệp %(name)s không phải bảng tính Excel (.xlsx) hợp lệ. Hãy mở bằng Excel "
                    "và lưu lại dạng .xlsx, hoặc dùng tệp mẫu."
                )
                % {"name": name},
                code="not_a_spreadsheet",
            )


def cannot_read(filename: str) -> TabularFileError:
    return TabularFileError(
        _(
            "Không đọc được tệp %(name)s: tệp bị hỏng hoặc không phải bảng tính Excel. Hãy mở "
            "bằng Excel, lưu lại dạng .xlsx (hoặc CSV UTF-8) rồi tải lên lại."
        )
        % {"name": filename},
        code="not_a_spreadsheet",
    )


def check_zip(
    path: Path,
    filename: str,
    *,
    max_unpacked: int,
    max_members: int = 2_000,
    max_ratio: int = 0,
    ratio_from: int = 20 * 1024 * 1024,
) -> list[zipfile.ZipInfo]:
    """The members of a .xlsx after checks against encryption, damage and zip bombs.

    The sizes come from the zip's directory, before anything is unpacked: a total over
    `max_unpacked`, or a member over `ratio_from` bytes that unpacks to more than `max_ratio`
    times its compressed size (real sheets pack 5–30 times), is refused.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise cannot_read(filename) from exc
    if any(m.flag_bits & 0x1 for m in members):
        raise TabularFileError(
            _(
                "Tệp %(name)s được mã hóa bằng mật khẩu. Hãy bỏ mật khẩu, lưu lại dạng "
                ".xlsx rồi tải lên lại."
            )
            % {"name": filename},
            code="password_protected",
        )
    unpacked = sum(m.file_size for m in members)
    bomb = max_ratio and any(
        m.file_size > ratio_from and m.file_size > max_ratio * max(m.compress_size, 1)
        for m in members
    )
    if len(members) > max_members or unpacked > max_unpacked or bomb:
        raise TabularFileError(
            _(
                "Tệp %(name)s khi giải nén lớn bất thường (%(size)s MB), không giống một bảng "
                "tính thật (có thể là tệp nén độc hại). Hãy mở bằng Excel, xóa các trang và "
                "dòng không cần, lưu lại rồi tải lên lại."
            )
            % {"name": filename, "size": thousands(unpacked // 1024 // 1024)},
            code="zip_bomb",
        )
    return members


# ---- text and CSV -----------------------------------------------------------------------------


def decode_text(raw: bytes, filename: str, *, legacy: bool = True) -> str:
    """Bytes of a CSV to text: UTF-8 (with or without BOM), UTF-16 (BOM, or the zero bytes of
    text saved as "Unicode text" by Excel), else Windows-1258 (`legacy`), then NFC.

    Windows-1258 writes Vietnamese with combining tone marks after the base letter
    ("a" + U+0301); NFC composes them into the letters every other encoding gives.
    Without `legacy`, text that is not UTF-8 is refused with the advice to save as UTF-8.
    """
    text: str | None = None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(raw, "utf-16")
    elif raw.startswith(codecs.BOM_UTF8):
        text = _try(raw, "utf-8-sig")
    else:
        text = _try(raw, "utf-8")
        sample = raw[:4096]
        if text is None and len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 3:
            text = _try(raw, "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be")
        if text is None and legacy and b"\x00" not in sample:
            text = _try(raw, "cp1258")
    if text is None:
        if not legacy:
            raise TabularFileError(
                _(
                    "Tệp %(name)s không được lưu theo mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. "
                    "Trong Excel chọn Lưu thành → CSV UTF-8 (phân tách bằng dấu phẩy), hoặc lưu "
                    "dạng .xlsx."
                )
                % {"name": filename},
                code="not_utf8",
            )
        raise cannot_read(filename)
    if "\x00" in text[:65536] or _mostly_controls(text[:65536]):
        raise cannot_read(filename)
    return unicodedata.normalize("NFC", text)


def decode_csv(raw: bytes, filename: str) -> tuple[str, str]:
    """Like :func:`decode_text` with legacy encodings, and the encoding it found: "utf-8",
    "utf-16", "windows-1258", or "mixed" for a file whose lines were saved in both UTF-8 and
    Windows-1258 (lists pasted together from several agencies): each line is then decoded on
    its own, by the encoding it decodes in."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(raw, filename), "utf-16"
    if _try(raw, "utf-8-sig") is not None:
        return decode_text(raw, filename), "utf-8"
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 3:
        return decode_text(raw, filename), "utf-16"
    lines = raw.split(b"\n")
    decoded, kinds = [], set()
    for line in lines:
        text = _try(line, "utf-8")
        if text is None:
            text = line.decode("cp1258", errors="replace")
            kinds.add("windows-1258")
        elif not line.isascii():
            kinds.add("utf-8")
        decoded.append(text)
    text = "\n".join(decoded)
    if "\x00" in text[:65536] or _mostly_controls(text[:65536]):
        raise cannot_read(filename)
    encoding = "mixed" if len(kinds) > 1 else "windows-1258"
    return unicodedata.normalize("NFC", text), encoding


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _mostly_controls(sample: str) -> bool:
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 100)


def sniff_dialect(text: str) -> Any:
    """The CSV dialect (comma, semicolon or tab) of the first lines; Excel's by default."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def csv_rows(
    text: str, filename: str, *, max_columns: int, max_cell_chars: int | None = None
) -> Iterator[list[str]]:
    """The rows of a CSV text, each cut at `max_columns`; a cell longer than the CSV limit
    (an unclosed quote, mostly) is refused with a message naming it."""
    reader = csv.reader(io.StringIO(text, newline=""), sniff_dialect(text))
    previous = csv.field_size_limit()
    if max_cell_chars is not None:
        csv.field_size_limit(max_cell_chars)
    try:
        yield from (row[:max_columns] for row in reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise TabularFileError(
                _(
                    "Tệp %(name)s có một ô dài hơn %(limit)s ký tự (có thể do thiếu dấu ngoặc "
                    "kép đóng). Hãy kiểm tra lại các ô có dấu ngoặc kép rồi lưu lại."
                )
                % {"name": filename, "limit": thousands(csv.field_size_limit())},
                code="cell_too_long",
            ) from exc
        raise cannot_read(filename) from exc
    finally:
        csv.field_size_limit(previous)


# ---- rows and cells ---------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def bounded(rows: Iterable[Any], filename: str, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    """Numbered non-blank rows; blank rows (trailing or not) are skipped, the count is capped
    at a header plus `max_rows` data rows."""
    seen = 0
    for number, values in enumerate(rows, start=1):
        values = list(values or ())
        if all(blank(value) for value in values):
            continue
        seen += 1
        if seen > max_rows + 1:
            raise too_many_rows(filename, max_rows)
        yield number, values


def too_many_rows(filename: str, max_rows: int) -> TabularFileError:
    return TabularFileError(
        _(
            "Tệp %(name)s có hơn %(limit)s dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi "
            "tệp không quá %(limit)s dòng."
        )
        % {"name": filename, "limit": thousands(max_rows)},
        code="too_many_rows",
    )


def cell_text(value: Any) -> str:
    """A cell as text: numbers without ".0", dates as dd/mm/yyyy, text in NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def header_key(text: str) -> str:
    """A header compared loosely: folded, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, AA → 26."""
    value = 0
    for ch in letters:
        value = value * 26 + (ord(ch) - 64)
    return value - 1


# ---- xlsx: openpyxl, streaming ----------------------------------------------------------------


def open_workbook(path: Path, filename: str) -> tuple[Any, Any]:
    """A read-only openpyxl workbook and its file handle (close both)."""
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl refuses a path whose extension is not Excel's.
    handle = path.open("rb")
    try:
        return load_workbook(handle, read_only=True, data_only=True), handle
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        handle.close()
        raise cannot_read(filename) from exc


def iter_xlsx_rows(
    path: Path, filename: str, *, max_columns: int, sheet_index: int = 0
) -> Iterator[tuple[Any, ...]]:
    """The rows of one sheet, streamed by openpyxl (cached values of formulas)."""
    workbook, handle = open_workbook(path, filename)
    try:
        if len(workbook.worksheets) <= sheet_index:
            raise cannot_read(filename)
        sheet = workbook.worksheets[sheet_index]
        yield from sheet.iter_rows(values_only=True, max_col=max_columns)
    except TabularFileError:
        raise
    except Exception as exc:
        raise cannot_read(filename) from exc
    finally:
        workbook.close()
        handle.close()


# ---- xlsx: the sheets, their XML scanned, calamine ----------------------------------------------


@dataclass(frozen=True)
class SheetInfo:
    name: str
    member: str  # the sheet's XML inside the zip
    visible: bool
    index: int


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")


def workbook_sheets(path: Path, filename: str) -> list[SheetInfo]:
    """The worksheets of a .xlsx in order, with their XML member and visibility."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise cannot_read(filename) from exc
    targets = {}
    for match in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get(b"Id", b"")] = target
    sheets: list[SheetInfo] = []
    for match in _SHEET.finditer(workbook):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(match.group(1))}
        rid = next((v for k, v in _ATTR.findall(match.group(1)) if k.endswith(b":id")), b"")
        member = targets.get(rid, "")
        if not member.startswith("xl/worksheets/"):
            continue  # a chart sheet or a macro sheet: no cells
        name = _unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        visible = attrs.get(b"state", b"visible") == b"visible"
        sheets.append(SheetInfo(name=name, member=member, visible=visible, index=len(sheets)))
    if not sheets:
        raise cannot_read(filename)
    return sheets


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@dataclass
class SheetScan:
    """What the sheet's XML says before any cell is read."""

    max_row: int = 0  # the last row element's number (rows come in order)
    wide: bool = False  # a cell lies beyond the column limit
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r1 c1 r2 c2
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based


_ROW_OPEN = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>.*?<(?:\w+:)?v>([^<]*)<',
    re.S,
)
SCAN_CHUNK = 4 * 1024 * 1024
_OVERLAP = 4096


def _wide_cell(max_columns: int) -> re.Pattern[bytes]:
    """Cells whose column lies at or past index `max_columns` (27..702: a two-letter column),
    found by the regex engine alone, with no Python loop over the cells."""
    if not 26 < max_columns < 702:
        raise ValueError("max_columns must name a two-letter column")
    letters = column_letter(max_columns)
    first, second = letters[0], letters[1]
    options = [rb"[A-Z]{3}", first.encode() + b"[" + second.encode() + b"-Z]"]
    if first < "Z":
        options.append(b"[" + chr(ord(first) + 1).encode() + b"-Z][A-Z]")
    # ' r="' alone (not "<c ... r=") lets the regex engine skip ahead on a literal: 8 times
    # faster. Only cell references are letters then digits in an r attribute.
    return re.compile(rb' r="(?:' + b"|".join(options) + rb")\d")


def scan_sheet(path: Path, member: str, *, max_columns: int) -> SheetScan:
    """One pass over the sheet's XML, 4 MB at a time: the last row's number, whether any cell
    lies past `max_columns`, the merged ranges and the cells holding a formula error."""
    scan = SheetScan()
    wide = _wide_cell(max_columns)
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
        while True:
            chunk = handle.read(SCAN_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            if not scan.wide and wide.search(data):
                scan.wide = True
            last = data.rfind(b"<row ")
            if last < 0:
                last = data.rfind(b":row ")
            if last >= 0:
                found = _ROW_OPEN.match(data, data.rfind(b"<", 0, last + 1))
                if found:
                    scan.max_row = max(scan.max_row, int(found.group(1)))
            if b't="e"' in data:
                for match in _ERROR_CELL.finditer(data):
                    key = (int(match.group(2)) - 1, column_index(match.group(1).decode()))
                    scan.errors[key] = match.group(3).decode("utf-8", "replace")
            if b"mergeCell" in data:
                for match in _MERGE.finditer(data):
                    c1, r1, c2, r2 = match.groups()
                    c2, r2 = c2 or c1, r2 or r1
                    scan.merges.append(
                        (
                            int(r1) - 1,
                            column_index(c1.decode()),
                            int(r2) - 1,
                            column_index(c2.decode()),
                        )
                    )
            tail = data[-_OVERLAP:]
    scan.merges = sorted(set(scan.merges))
    return scan


def read_xlsx_sheet(
    path: Path,
    sheet: SheetInfo,
    scan: SheetScan,
    *,
    filename: str,
    max_columns: int,
    max_dense_rows: int,
) -> Iterator[tuple[int, list[Any]]]:
    """(row number from 1, values) of every row of the sheet, empty rows included.

    Calamine builds a dense grid from the first to the last used cell: a stray cell in
    XFD1048576 would ask for billions of cells. So it reads only sheets whose scan keeps that
    grid small; other sheets are streamed by openpyxl (slower, constant memory).
    """
    if scan.wide or scan.max_row > max_dense_rows:
        for number, streamed in enumerate(
            iter_xlsx_rows(path, filename, max_columns=max_columns, sheet_index=sheet.index),
            start=1,
        ):
            yield number, list(streamed)
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        grid = workbook.get_sheet_by_name(sheet.name)
        start = grid.start
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise cannot_read(filename) from exc
    first_row, first_col = start if start else (0, 0)
    pad: list[Any] = [""] * first_col
    try:
        for offset, values in enumerate(grid.iter_rows()):
            row: list[Any] = list(values)
            yield first_row + offset + 1, (pad + row if first_col else row)[:max_columns]
    except TabularFileError:
        raise
    except Exception as exc:
        raise cannot_read(filename) from exc

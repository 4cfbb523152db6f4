"""Reading plan files into text or table rows: Word (.docx), Excel (.xlsx), CSV and text.

Each reader refuses what it cannot read with a :class:`PlanParseError` whose message names
the file and says what to do; nothing here raises anything else for a bad file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .parsing_table import MERGED_ABOVE, MERGED_LEFT, RawCell, RawRow, RawTable, find_header
from .parsing_types import PlanParseError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_ROWS = 5_000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 20_000
# A .docx or .xlsx is a zip of XML: refuse archives that would unpack to far more than a plan.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"


def _unreadable(name: str, what: str, code: str = "unreadable") -> PlanParseError:
    return PlanParseError(
        _("Không đọc được tệp %(name)s: %(what)s") % {"name": name, "what": what}, code=code
    )


# ---- text -------------------------------------------------------------------------------------


def decode_text(raw: bytes, name: str) -> str:
    """Bytes to NFC text: UTF-8 (with or without BOM), UTF-16 (BOM, or the zero bytes of
    Vietnamese text saved as "Unicode" by Notepad), else Windows-1258."""
    text: str | None = None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(raw, "utf-16")
    elif raw.startswith(codecs.BOM_UTF8):
        text = _try(raw, "utf-8-sig")
    else:
        text = _try(raw, "utf-8")
        if text is None and len(raw) >= 4 and raw.count(b"\x00") >= len(raw) // 3:
            text = _try(raw, "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be")
        if text is None and b"\x00" not in raw:
            text = _try(raw, "cp1258")
    if text is None or _looks_binary(text):
        raise _unreadable(
            name,
            _(
                "tệp không phải văn bản, Word (.docx) hay Excel (.xlsx). Hãy mở kế hoạch bằng "
                "Word và lưu thành .docx, hoặc lưu phụ lục thành .xlsx/.csv."
            ),
            "not_text",
        )
    return "\n".join(nfc_line(line) for line in text.splitlines())


def nfc_line(line: str) -> str:
    """NFC without collapsing tabs (they separate the cells of a converted table)."""
    import unicodedata

    return unicodedata.normalize("NFC", line).rstrip("\r")


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:65_536]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 100)


def check_lines(text: str, name: str) -> None:
    """Refuse a file with a line longer than any plan has (a data dump, not a document)."""
    for line in text.splitlines():
        if len(line) > MAX_LINE_CHARS:
            raise _unreadable(
                name,
                _(
                    "có một dòng dài hơn %(limit)s ký tự, không giống văn bản kế hoạch. Hãy "
                    "kiểm tra lại tệp (có thể đã chọn nhầm tệp)."
                )
                % {"limit": f"{MAX_LINE_CHARS:,}".replace(",", ".")},
                "line_too_long",
            )


# ---- zip containers ---------------------------------------------------------------------------


def zip_members(path: Path, name: str) -> set[str]:
    """The member names of a .docx/.xlsx, after checks against damaged and oversized zips."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if any(member.flag_bits & 0x1 for member in members):
                raise _unreadable(
                    name,
                    _("tệp được đặt mật khẩu. Hãy bỏ mật khẩu, lưu lại rồi thử lại."),
                    "password_protected",
                )
            unpacked = sum(member.file_size for member in members)
            if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
                raise _unreadable(
                    name, _("tệp nén quá lớn khi giải nén, không giống một kế hoạch."), "too_large"
                )
            return {member.filename for member in members}
    except zipfile.BadZipFile as exc:
        raise _damaged(name) from exc


def _damaged(name: str) -> PlanParseError:
    return _unreadable(
        name,
        _(
            "tệp bị hỏng hoặc không đúng định dạng. Hãy mở bằng Word/Excel, lưu lại thành "
            ".docx hoặc .xlsx rồi thử lại."
        ),
        "damaged",
    )


# ---- Word ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _w(tag: str) -> str:
    return _W + tag


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == _w("t") and node.text:
            parts.append(node.text)
        elif node.tag in (_w("tab"), _w("br"), _w("cr")):
            parts.append(" ")
    return "".join(parts)


def _is_bold(paragraphs: list[Any]) -> bool:
    """All the text of the cell is in bold runs (a section row)."""
    runs = [
        run
        for paragraph in paragraphs
        for run in paragraph.iter(_w("r"))
        if any(t.text for t in run.iter(_w("t")))
    ]
    if not runs:
        return False
    for run in runs:
        bold = run.find(f"{_w('rPr')}/{_w('b')}")
        if bold is None or bold.get(_w("val")) in ("0", "false"):
            return False
    return True


def _cell(tc: Any) -> RawCell:
    """A cell's text: every paragraph, those of nested tables too, one per line."""
    paragraphs = list(tc.iter(_w("p")))
    lines = [_paragraph_text(p).strip() for p in paragraphs]
    text = "\n".join(line for line in lines if line)[:MAX_CELL_CHARS]
    return RawCell(text=text, bold=_is_bold(paragraphs))


def _table_rows(tbl: Any) -> RawTable:
    """Rows of a Word table, merged cells marked: a horizontal span gives MERGED_LEFT cells,
    a vertical merge's continuation a MERGED_ABOVE cell."""
    rows: RawTable = []
    for tr in tbl.iterchildren(_w("tr")):
        cells: list[RawCell] = []
        before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
        if before is not None:
            cells.extend(RawCell() for _ in range(_int(before.get(_w("val")), 0)))
        for tc in tr.iterchildren(_w("tc")):
            props = tc.find(_w("tcPr"))
            span = 1
            merged = ""
            if props is not None:
                grid_span = props.find(_w("gridSpan"))
                if grid_span is not None:
                    span = max(1, min(_int(grid_span.get(_w("val")), 1), MAX_COLUMNS))
                v_merge = props.find(_w("vMerge"))
                if v_merge is not None and v_merge.get(_w("val")) in (None, "continue"):
                    merged = MERGED_ABOVE
            cell = RawCell(merged=MERGED_ABOVE) if merged else _cell(tc)
            cells.append(cell)
            cells.extend(RawCell(merged=MERGED_LEFT) for _ in range(span - 1))
        rows.append(RawRow(cells[:MAX_COLUMNS]))
        if len(rows) > MAX_ROWS:
            break
    return rows


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def read_docx(path: Path, name: str) -> tuple[list[RawTable], str]:
    """Every table of the document (body order), and the body's paragraphs as text.

    List paragraphs (Word's automatic bullets and numbering) are written with a leading "- "
    so the prose reader sees them as items.
    """
    members = zip_members(path, name)
    if "word/document.xml" not in members:
        raise _damaged(name)
    try:
        from docx import Document

        document = Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise _damaged(name) from exc
    tables: list[RawTable] = []
    lines: list[str] = []
    body = document.element.body

    def walk(parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == _w("tbl"):
                tables.append(_table_rows(child))
            elif child.tag == _w("p"):
                text = _paragraph_text(child).strip()
                if not text:
                    continue
                numbered = child.find(f"{_w('pPr')}/{_w('numPr')}") is not None
                style = child.find(f"{_w('pPr')}/{_w('pStyle')}")
                style_name = (style.get(_w("val")) or "") if style is not None else ""
                if style_name.lower().startswith(("heading", "title")):
                    text = f"## {text}"
                elif numbered and not re.match(r"^(?:[-+•]|[a-zđ]\)|\d+[.)])\s", text):
                    text = f"- {text}"
                lines.append(text)
            elif child.tag in (_w("sdt"), _w("sdtContent"), _w("customXml")):
                walk(child)

    try:
        walk(body)
    except Exception as exc:
        raise _damaged(name) from exc
    return tables, "\n".join(lines)


# ---- Excel --------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _column_index(letters: bytes) -> int:
    value = 0
    for ch in letters.decode():
        value = value * 26 + (ord(ch) - 64)
    return value


def _sheet_merges(path: Path, sheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only sheet, from its XML (openpyxl's read-only mode does not
    keep them): (min_row, min_col, max_row, max_col), 1-based."""
    member = getattr(sheet, "_worksheet_path", None)
    if not member:
        return []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as handle:
            data = handle.read(MAX_UNPACKED_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    merges = []
    for match in _MERGE.finditer(data):
        c1, r1, c2, r2 = match.groups()
        merges.append((int(r1), _column_index(c1), int(r2), _column_index(c2)))
    return merges


def cell_text(value: Any) -> str:
    """A spreadsheet value as text: integers without ".0", dates as d/m/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)[:MAX_CELL_CHARS]


def read_xlsx(path: Path, name: str) -> list[RawTable]:
    """Every sheet as a table (cached values of formulas), merged cells marked."""
    members = zip_members(path, name)
    if "xl/workbook.xml" not in members:
        raise _damaged(name)
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl refuses a path whose extension is not Excel's,
    # and the format was already told from the content.
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        handle.close()
        raise _damaged(name) from exc
    tables: list[RawTable] = []
    try:
        for sheet in workbook.worksheets:
            grid: list[list[RawCell]] = []
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                grid.append([RawCell(cell_text(v)) for v in values])
                if len(grid) > MAX_ROWS:
                    break
            for r1, c1, r2, c2 in _sheet_merges(path, sheet):
                for r in range(r1, min(r2, len(grid)) + 1):
                    for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                        if (r, c) == (r1, c1):
                            continue
                        row = grid[r - 1]
                        while len(row) < c:
                            row.append(RawCell())
                        row[c - 1] = RawCell(merged=MERGED_LEFT if r == r1 else MERGED_ABOVE)
            tables.append([RawRow(cells, number) for number, cells in enumerate(grid, start=1)])
    except PlanParseError:
        raise
    except Exception as exc:
        raise _damaged(name) from exc
    finally:
        workbook.close()
        handle.close()
    return tables


# ---- CSV ----------------------------------------------------------------------------------------


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for count, row in enumerate(reader):
        if count > MAX_ROWS:
            break
        yield [cell[:MAX_CELL_CHARS] for cell in row[:MAX_COLUMNS]]


def read_csv(text: str, name: str) -> RawTable:
    """The rows of a CSV, with the delimiter (comma, semicolon or tab) that gives a header."""
    best: RawTable | None = None
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)
    try:
        for delimiter in (",", ";", "\t"):
            try:
                rows = [
                    RawRow([RawCell(c) for c in cells], number)
                    for number, cells in enumerate(_csv_rows(text, delimiter), start=1)
                ]
            except csv.Error:
                continue
            if find_header(rows[:50]):
                return rows
            if best is None or _width(rows) > _width(best):
                best = rows
    finally:
        csv.field_size_limit(previous_limit)
    if best is None:
        raise _unreadable(name, _("tệp CSV bị lỗi định dạng. Hãy lưu lại từ Excel."), "bad_csv")
    return best


def _width(rows: RawTable) -> int:
    return max((len(row.cells) for row in rows[:50]), default=0)

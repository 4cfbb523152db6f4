"""Reading a plan (kế hoạch) into tasks: number, section, content, lead and coordinating
agencies, deadline. Pure Python, no database.

:func:`parse_plan` reads a file by what it really is (a .docx is a zip holding
word/document.xml, whatever its name): the appendix table of a Word document, an Excel
sheet, a CSV, the tab-separated text of a converted document, or, when there is no table,
the prose of the plan, from which tasks are proposed for a coordinator to confirm.

The pieces live in `parsing_deadline` (deadline phrases), `parsing_table` (tables from any
source), `parsing_prose` (prose), `parsing_files` (file formats) and `agencies` (splitting and
matching agency names); this module puts them together and re-exports what callers need.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from .parsing_deadline import document_year_of, parse_deadline
from .parsing_files import (
    MAX_FILE_BYTES,
    OLE_MAGIC,
    PDF_MAGIC,
    ZIP_MAGIC,
    check_lines,
    decode_text,
    read_csv,
    read_docx,
    read_xlsx,
    zip_members,
)
from .parsing_prose import parse_prose
from .parsing_table import RawTable, find_header, parse_table_text, tasks_from_tables, text_tables
from .parsing_types import (
    DEADLINE_KINDS,
    RECURRENCES,
    SOURCE_CSV,
    SOURCE_DOCX_PROSE,
    SOURCE_DOCX_TABLE,
    SOURCE_PROSE,
    SOURCE_TEXT_TABLE,
    SOURCE_XLSX,
    Deadline,
    ParsedTask,
    PlanParse,
    PlanParseError,
    Section,
)

__all__ = [
    "DEADLINE_KINDS",
    "RECURRENCES",
    "Deadline",
    "ParsedTask",
    "PlanParse",
    "PlanParseError",
    "Section",
    "parse_csv",
    "parse_deadline",
    "parse_docx",
    "parse_plan",
    "parse_prose",
    "parse_table_text",
    "parse_text",
    "parse_xlsx",
]

WORD_SUFFIXES = (".docx", ".docm", ".doc")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _with_year(
    build: Callable[[int | None], PlanParse],
    *,
    explicit: int | None,
    detected: int | None,
) -> PlanParse:
    """Parse with the document's year; when it is unknown and some deadline needs it, parse
    again with the earliest year the deadlines give, and say so."""
    year = explicit or detected
    result = build(year)
    if year is not None:
        return result
    needs_year = any(
        task.deadline.kind == "none" and task.deadline.text for task in result.tasks
    ) or any(task.deadline.month_day and task.deadline.due is None for task in result.tasks)
    years = [
        when.year
        for task in result.tasks
        for when in (task.deadline.due, task.deadline.start)
        if when is not None
    ]
    if not needs_year or not years:
        return result
    guess = min(years)
    again = build(guess)
    again.document_year = guess
    again.warnings.append(
        _(
            "Văn bản không ghi năm ban hành; các thời hạn không ghi năm được hiểu là năm "
            "%(year)s. Dùng --year để chọn năm khác."
        )
        % {"year": guess}
    )
    return again


def _require_tasks(parse: PlanParse, name: str) -> PlanParse:
    if not parse.tasks:
        raise PlanParseError(
            _(
                "Tệp %(name)s có bảng nhiệm vụ nhưng không có dòng nhiệm vụ nào. Hãy kiểm tra "
                "các dòng dưới tiêu đề bảng."
            )
            % {"name": name},
            code="no_tasks",
        )
    return parse


def _no_tasks(name: str) -> PlanParseError:
    return PlanParseError(
        _(
            "Không tìm thấy nhiệm vụ nào trong tệp %(name)s: không có bảng phụ lục (cột “Nội "
            "dung nhiệm vụ”, “Cơ quan chủ trì”…) và không có đoạn giao nhiệm vụ (“Sở … chủ trì, "
            "phối hợp với … thực hiện:”). Hãy chọn tệp kế hoạch hoặc phụ lục nhiệm vụ."
        )
        % {"name": name},
        code="no_tasks",
    )


def _has_header(tables: list[RawTable]) -> bool:
    return any(find_header(table) for table in tables)


def parse_text(text: str, *, document_year: int | None = None, filename: str = "") -> PlanParse:
    """A plan as text: its appendix table when it has one (tab-separated or Markdown), else
    the tasks proposed from its prose."""
    name = filename or _("(văn bản)")
    detected = document_year_of(text)
    tables = text_tables(text)
    if _has_header(tables):
        result = _with_year(
            lambda year: parse_table_text(text, document_year=year, filename=name),
            explicit=document_year,
            detected=detected,
        )
        return _require_tasks(result, name)
    prose = _with_year(
        lambda year: parse_prose(text, document_year=year, filename=name),
        explicit=document_year,
        detected=detected,
    )
    if prose.tasks:
        return prose
    if tables:
        # Lines with tabs but no header the parser knows: a table it cannot read.
        parse_table_text(text, filename=name)  # raises PlanParseError (no header)
    raise _no_tasks(name)


def parse_docx(
    path: Path | str, *, document_year: int | None = None, filename: str = ""
) -> PlanParse:
    """A Word document: its task tables (merged cells, header repeated on every page, several
    paragraphs in a cell), else tasks proposed from its paragraphs."""
    path = Path(path)
    name = filename or path.name
    tables, body = read_docx(path, name)
    detected = document_year_of(body)
    if _has_header(tables):
        result = _with_year(
            lambda year: tasks_from_tables(
                tables, source_kind=SOURCE_DOCX_TABLE, document_year=year, filename=name
            ),
            explicit=document_year,
            detected=detected,
        )
        return _require_tasks(result, name)
    prose = _with_year(
        lambda year: parse_prose(body, document_year=year, filename=name),
        explicit=document_year,
        detected=detected,
    )
    prose.source_kind = SOURCE_DOCX_PROSE
    if prose.tasks:
        return prose
    if any(tables):
        tasks_from_tables(tables, source_kind=SOURCE_DOCX_TABLE, document_year=None,
                          filename=name)  # fmt: skip
    raise _no_tasks(name)


def parse_xlsx(
    path: Path | str, *, document_year: int | None = None, filename: str = ""
) -> PlanParse:
    """An Excel workbook: the task table on any sheet (cached values, merged cells)."""
    path = Path(path)
    name = filename or path.name
    tables = read_xlsx(path, name)
    title = " ".join(cell.text for table in tables for row in table[:8] for cell in row.cells)
    result = _with_year(
        lambda year: tasks_from_tables(
            tables, source_kind=SOURCE_XLSX, document_year=year, filename=name
        ),
        explicit=document_year,
        detected=document_year_of(title),
    )
    return _require_tasks(result, name)


def parse_csv(
    path: Path | str, *, document_year: int | None = None, filename: str = ""
) -> PlanParse:
    """A CSV export of the appendix (UTF-8 with or without BOM, UTF-16, Windows-1258; comma,
    semicolon or tab)."""
    path = Path(path)
    name = filename or path.name
    _check_size(path, name)
    text = decode_text(path.read_bytes(), name)
    return _csv_from_text(text, name, document_year)


def _csv_from_text(text: str, name: str, document_year: int | None) -> PlanParse:
    check_lines(text, name)
    table = read_csv(text, name)
    title = " ".join(cell.text for row in table[:8] for cell in row.cells)
    result = _with_year(
        lambda year: tasks_from_tables(
            [table], source_kind=SOURCE_CSV, document_year=year, filename=name
        ),
        explicit=document_year,
        detected=document_year_of(title),
    )
    return _require_tasks(result, name)


def _check_size(path: Path, name: str) -> int:
    if not path.is_file():
        raise PlanParseError(
            _("Không tìm thấy tệp %(name)s. Hãy kiểm tra đường dẫn.") % {"name": str(path)},
            code="not_found",
        )
    size = path.stat().st_size
    if size == 0:
        raise PlanParseError(
            _("Tệp %(name)s trống (0 byte). Hãy chọn đúng tệp kế hoạch.") % {"name": name},
            code="empty",
        )
    if size > MAX_FILE_BYTES:
        raise PlanParseError(
            _(
                "Tệp %(name)s nặng %(size)s MB, quá giới hạn %(limit)s MB. Hãy tách riêng phần "
                "phụ lục nhiệm vụ thành một tệp nhỏ hơn."
            )
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": MAX_FILE_BYTES // 1024 // 1024,
            },
            code="too_large",
        )
    return size


def parse_plan(
    path: Path | str, *, document_year: int | None = None, filename: str = ""
) -> PlanParse:
    """Read a plan file, whatever its format; raises PlanParseError when it cannot.

    The format is told by the content: a zip with word/document.xml is Word, with
    xl/workbook.xml Excel; text with a task table is read as a table, other text as prose.
    `document_year` is the year for deadlines written without one ("Quý II"); by default the
    year of the document's date line.
    """
    path = Path(path)
    name = filename or path.name
    _check_size(path, name)
    suffix = Path(name).suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        members = zip_members(path, name)
        if "word/document.xml" in members:
            return parse_docx(path, document_year=document_year, filename=name)
        if "xl/workbook.xml" in members:
            return parse_xlsx(path, document_year=document_year, filename=name)
        raise PlanParseError(
            _(
                "Tệp %(name)s là tệp nén nhưng không phải Word (.docx) hay Excel (.xlsx) (có "
                "thể là .odt/.ods). Hãy mở và lưu lại thành .docx hoặc .xlsx."
            )
            % {"name": name},
            code="wrong_format",
        )
    if head.startswith(OLE_MAGIC):
        raise PlanParseError(
            _(
                "Tệp %(name)s là định dạng Word/Excel 97-2003 (.doc/.xls) hoặc được đặt mật "
                "khẩu, nên không đọc được. Hãy mở và lưu lại thành .docx hoặc .xlsx (không mật "
                "khẩu)."
            )
            % {"name": name},
            code="old_format",
        )
    if head.startswith(PDF_MAGIC):
        raise PlanParseError(
            _(
                "Tệp %(name)s là PDF, không đọc được bảng nhiệm vụ từ PDF. Hãy dùng bản Word "
                "(.docx) của kế hoạch, hoặc chép phụ lục sang Excel (.xlsx)."
            )
            % {"name": name},
            code="pdf",
        )
    if suffix in WORD_SUFFIXES or suffix in EXCEL_SUFFIXES:
        kind = "Word" if suffix in WORD_SUFFIXES else "Excel"
        raise PlanParseError(
            _(
                "Tệp %(name)s có đuôi %(suffix)s nhưng không phải tệp %(kind)s hợp lệ (tệp hỏng "
                "hoặc bị đổi tên). Hãy mở bằng %(kind)s và lưu lại rồi thử lại."
            )
            % {"name": name, "suffix": suffix, "kind": kind},
            code="wrong_format",
        )
    text = decode_text(path.read_bytes(), name)
    check_lines(text, name)
    if not text.strip():
        raise PlanParseError(
            _("Tệp %(name)s không có nội dung. Hãy chọn đúng tệp kế hoạch.") % {"name": name},
            code="empty",
        )
    if suffix == ".csv":
        return _csv_from_text(text, name, document_year)
    return parse_text(text, document_year=document_year, filename=name)


# The sources a PlanParse may name, for callers that show them.
SOURCE_KINDS = (
    SOURCE_TEXT_TABLE,
    SOURCE_DOCX_TABLE,
    SOURCE_XLSX,
    SOURCE_CSV,
    SOURCE_PROSE,
    SOURCE_DOCX_PROSE,
)

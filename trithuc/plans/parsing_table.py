"""The appendix table of a plan, whatever it came from: tab-separated text, Word, Excel, CSV.

Every source is turned into rows of :class:`RawCell` (text, bold, and whether the cell is the
continuation of a merged cell) and handed to :func:`tasks_from_tables`, which

1. finds the header (one row, or two when "Cơ quan thực hiện" spans "Chủ trì" and "Phối
   hợp"), by what the headers say, accent- and case-insensitively;
2. skips the header repeated on every page and the "(1) (2) (3)" column-number row;
3. merges a row continued across a page break into the row before it (number cell empty:
   each non-empty cell is appended to the same column with a space);
4. recognises section rows (a Roman numeral and a title, nothing else), numbered task rows
   ("1.", "2", "1)", "1.1") and, when sub-tasks are numbered "1.1", "1.2", the row "1" above
   them as a section;
5. reads the agencies and the deadline of each task.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trithuc.core.text import fold, nfc

from .agencies import assign_roles
from .parsing_deadline import parse_deadline
from .parsing_types import ParsedTask, PlanParse, PlanParseError, Section, make_refs_unique

MERGED_LEFT = "left"
MERGED_ABOVE = "above"

NUMBER = "number"
CONTENT = "content"
LEAD = "lead"
COORDINATORS = "coordinators"
DEADLINE = "deadline"
PRODUCT = "product"
NOTE = "note"
BUDGET = "budget"
EXTRA_FIELDS = (PRODUCT, NOTE, BUDGET)

# Lines of prose in a row after the table before it counts as closed (page headers and
# footers between two parts of a table are one or two lines).
PROSE_LINES_CLOSE_TABLE = 3


@dataclass
class RawCell:
    text: str = ""
    merged: str = ""  # "", MERGED_LEFT or MERGED_ABOVE
    bold: bool = False


@dataclass
class RawRow:
    cells: list[RawCell]
    line: int | None = None


RawTable = list[RawRow]

_TAGS = re.compile(r"</?(?:b|i|u|em|strong|br|span|p|sup|sub|font)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)")
_BOLD_TEXT = re.compile(r"^\s*(?:<b>|<strong>|\*\*).*(?:</b>|</strong>|\*\*)\s*$", re.I | re.S)


def clean_cell(text: str) -> str:
    """A cell's text without formatting tags, NFC, single spaces; the lines of a cell with
    several paragraphs stay on their own lines (an agency each, often)."""
    plain = _MARKDOWN_EMPHASIS.sub("", _TAGS.sub(" ", text or ""))
    return "\n".join(line for line in (nfc(part) for part in plain.splitlines()) if line)


def text_cell(text: str) -> RawCell:
    """A cell of a text table: bold when wrapped in <b>…</b> or **…**."""
    return RawCell(text=text, bold=bool(_BOLD_TEXT.match(text or "")))


# ---- the header -------------------------------------------------------------------------------

_NUMBER_HEADERS = frozenset({"tt", "stt", "so tt", "so thu tu", "thu tu", "#", "no", "so"})


def column_of(header: str) -> str | None:
    """What a header cell names, from its words: "Cơ quan chủ trì thực hiện" → lead."""
    key = " ".join(re.sub(r"[^0-9a-z#]+", " ", fold(clean_cell(header))).split())
    if not key or len(key) > 80:  # a header is a short label, never a sentence
        return None
    if "chu tri" in key:
        return LEAD
    if "phoi hop" in key:
        return COORDINATORS
    if re.search(r"\b(?:thoi gian|thoi han|tien do|han hoan thanh|moc|thoi diem|han)\b", key):
        return DEADLINE
    if key in _NUMBER_HEADERS:
        return NUMBER
    if re.search(r"\b(?:noi dung|nhiem vu|cong viec|hoat dong|giai phap|de an)\b", key):
        return CONTENT
    if re.search(r"\b(?:co quan|don vi)\b.*\bthuc hien\b|\btrach nhiem\b|\bphan cong\b", key):
        return LEAD
    if re.search(r"\b(?:san pham|ket qua|hinh thuc)\b", key):
        return PRODUCT
    if "ghi chu" in key:
        return NOTE
    if "kinh phi" in key:
        return BUDGET
    return None


def _header_texts(rows: Sequence[RawRow]) -> list[str]:
    """Column headers of one or more rows, merged cells taking their anchor's text."""
    width = max(len(row.cells) for row in rows)
    texts = [""] * width
    above: list[str] = [""] * width
    for row in rows:
        left = ""
        current: list[str] = []
        for i in range(width):
            cell = row.cells[i] if i < len(row.cells) else RawCell()
            if cell.merged == MERGED_LEFT:
                text = left
            elif cell.merged == MERGED_ABOVE:
                text = above[i]
            else:
                text = clean_cell(cell.text)
            current.append(text)
            left = text
        for i, text in enumerate(current):
            if text and text not in texts[i]:
                texts[i] = f"{texts[i]} {text}".strip()
        above = current
    return texts


@dataclass
class ColumnMap:
    columns: dict[str, int]
    width: int
    rows: int  # header rows: 1 or 2

    @property
    def signature(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.columns.items()))


def _column_map(texts: list[str], rows: int) -> ColumnMap | None:
    columns: dict[str, int] = {}
    for i, text in enumerate(texts):
        name = column_of(text)
        if name and name not in columns:
            columns[name] = i
    if CONTENT not in columns or not ({LEAD, COORDINATORS} & set(columns)):
        return None
    if len(columns) < 3:
        return None
    return ColumnMap(columns, len(texts), rows)


def find_header(rows: Sequence[RawRow], start: int = 0) -> tuple[int, ColumnMap] | None:
    """The first header at or after `start`: its index and columns."""
    for i in range(start, len(rows)):
        if not any(clean_cell(c.text) for c in rows[i].cells):
            continue
        single = _column_map(_header_texts([rows[i]]), 1)
        if i + 1 < len(rows) and _has_header_cell(rows[i]) and _is_header_continuation(rows[i + 1]):
            # A second header row splits "Cơ quan thực hiện" into "Chủ trì" and "Phối hợp".
            double = _column_map(_header_texts([rows[i], rows[i + 1]]), 2)
            if double is not None and (single is None or len(double.columns) > len(single.columns)):
                return i, double
        if single:
            return i, single
    return None


def _has_header_cell(row: RawRow) -> bool:
    return any(column_of(c.text) for c in row.cells if clean_cell(c.text))


def _is_header_continuation(row: RawRow) -> bool:
    names = [column_of(c.text) for c in row.cells if clean_cell(c.text)]
    return bool(names) and all(name is not None for name in names)


_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2})\s*\)?$")


def _is_column_numbers(texts: list[str]) -> bool:
    """The "(1) (2) (3) (4) (5)" row some tables put under the header."""
    filled = [t for t in texts if t]
    if len(filled) < 3:
        return False
    numbers = [_COLUMN_NUMBER.match(t) for t in filled]
    if not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return values == list(range(values[0], values[0] + len(values)))


# ---- rows -------------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?:phan\s+|muc\s+)?([IVXL]{1,6})\s*[.):]?$", re.IGNORECASE)
_ROMAN_TITLE = re.compile(r"^([IVXL]{1,6})\s*[.):]\s+(\S.*)$")
_LETTER_SECTION = re.compile(r"^([A-HĐ])\s*[.):]?$")
_TASK_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\s*[.):]?$|^([a-zđ])\s*[.)]$")
_VALID_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_BULLETS = frozenset({"-", "+", "•", "*", "–"})
_TERMINAL = tuple('.;:!?…)”"')


def _roman(number: str) -> str | None:
    match = _ROMAN.match(number)
    if not match:
        return None
    value = match.group(1).upper()
    if not _VALID_ROMAN.match(value) or not value:
        return None
    # A lone lower-case "i" or "v" is more likely a sub-item than a section.
    if match.group(1).islower():
        return None
    return value


@dataclass
class _LogicalRow:
    """A row of the table after page-break continuations were merged into it."""

    kind: str  # "section", "task", "unnumbered"
    number: str
    cells: list[str]
    line: int | None
    bold: bool = False
    section_title: str = ""
    warnings: list[str] = field(default_factory=list)

    def append(self, column: int, text: str) -> None:
        if text:
            current = self.cells[column]
            self.cells[column] = f"{current} {text}".strip() if current else text


def _aligned(row: RawRow, width: int) -> list[RawCell]:
    """The row's cells, as many as the header has columns."""
    cells = list(row.cells)
    if len(cells) > width:
        # Stray separators: the overflow belongs to the last column.
        tail = " ".join(clean_cell(c.text) for c in cells[width - 1 :] if clean_cell(c.text))
        cells = [*cells[: width - 1], RawCell(tail)]
    elif len(cells) < width:
        first = clean_cell(cells[0].text) if cells else ""
        numbered = bool(first) and bool(
            _roman(first) or _TASK_NUMBER.match(first) or _ROMAN_TITLE.match(first)
        )
        if first and not numbered:
            # A continuation whose empty first cell was lost in the conversion.
            cells = [RawCell() for _ in range(width - len(cells))] + cells
        else:
            cells = cells + [RawCell() for _ in range(width - len(cells))]
    return cells


class _TableReader:
    """Turns the rows under a header into logical rows."""

    def __init__(self, header: ColumnMap):
        self.header = header
        self.rows: list[_LogicalRow] = []

    def col(self, name: str) -> int | None:
        return self.header.columns.get(name)

    def text(self, cells: list[str], name: str) -> str:
        index = self.col(name)
        return cells[index] if index is not None and index < len(cells) else ""

    def add(self, raw: RawRow) -> None:
        cells = _aligned(raw, self.header.width)
        texts = [clean_cell(c.text) for c in cells]
        if not any(texts) or _is_column_numbers(texts):
            return
        number_index = self.col(NUMBER)
        number_cell = cells[number_index] if number_index is not None else RawCell()
        number = texts[number_index] if number_index is not None else ""
        content_index = self.col(CONTENT)
        bold = content_index is not None and cells[content_index].bold
        previous = self.rows[-1] if self.rows else None

        roman = _roman(number)
        titled = _ROMAN_TITLE.match(number) if not roman else None
        if roman or titled:
            title = self.text(texts, CONTENT)
            if titled:
                roman, title = titled.group(1).upper(), f"{titled.group(2)} {title}".strip()
            self.rows.append(_LogicalRow("section", roman or "", texts, raw.line, True, title))
            if self.text(texts, LEAD):
                # A section row that also names a lead is a task of its own.
                self.rows.append(_LogicalRow("task", roman or "", texts, raw.line))
            return
        letter = _LETTER_SECTION.match(number)
        if letter and not self.text(texts, LEAD) and not self.text(texts, DEADLINE):
            title = self.text(texts, CONTENT)
            self.rows.append(_LogicalRow("section", letter.group(1), texts, raw.line, True, title))
            return
        if number and number_cell.merged != MERGED_ABOVE and _TASK_NUMBER.match(number):
            for i, cell in enumerate(cells):
                if cell.merged == MERGED_ABOVE and previous is not None and not texts[i]:
                    texts[i] = previous.cells[i]  # a lead cell merged over several tasks
            self.rows.append(_LogicalRow("task", number, texts, raw.line, bold))
            return
        if number in _BULLETS and (self.text(texts, LEAD) or self.text(texts, DEADLINE)):
            # "- Rà soát …" with its own lead or deadline: a sub-task of its own.
            texts[number_index or 0] = ""
            self.rows.append(_LogicalRow("unnumbered", "", texts, raw.line, bold))
            return
        if number and number_cell.merged != MERGED_ABOVE:
            # Something in the number column that is not a number: keep it in the content.
            texts = list(texts)
            if content_index is not None and number_index is not None:
                texts[content_index] = f"{number} {texts[content_index]}".strip()
                texts[number_index] = ""
        self._unnumbered(cells, texts, raw.line, bold, previous)

    def _unnumbered(
        self,
        cells: list[RawCell],
        texts: list[str],
        line: int | None,
        bold: bool,
        previous: _LogicalRow | None,
    ) -> None:
        for i, cell in enumerate(cells):
            if cell.merged:
                texts[i] = ""
        content = self.text(texts, CONTENT)
        lead = self.text(texts, LEAD)
        others_empty = not any(self.text(texts, name) for name in (LEAD, COORDINATORS, DEADLINE))
        if previous is None:
            kind = "section" if bold and others_empty else "unnumbered"
            self.rows.append(_LogicalRow(kind, "", texts, line, bold, content))
            return
        if previous.kind == "section" and others_empty and (content[:1].islower() or not bold):
            previous.section_title = f"{previous.section_title} {content}".strip()
            return
        if bold and others_empty and content[:1].isupper():
            self.rows.append(_LogicalRow("section", "", texts, line, True, content))
            return
        if self.col(NUMBER) is None:
            # No number column: every row is a task, unless it plainly goes on the row above.
            if content and not content[:1].islower():
                self.rows.append(_LogicalRow("unnumbered", "", texts, line, bold))
                return
            for i, text in enumerate(texts):
                previous.append(i, text)
            return
        previous_content = self.text(previous.cells, CONTENT)
        new_task = (
            lead
            and self.text(previous.cells, LEAD)
            and content[:1].isupper()
            and previous_content.endswith(_TERMINAL)
        )
        if new_task:
            row = _LogicalRow("unnumbered", "", texts, line, bold)
            row.warnings.append(
                _("Dòng không có số thứ tự; hãy kiểm tra đây có phải nhiệm vụ riêng.")
            )
            self.rows.append(row)
            return
        for i, text in enumerate(texts):
            previous.append(i, text)


def _mark_arabic_sections(rows: list[_LogicalRow], reader: _TableReader) -> None:
    """Row "1" with nothing but a title, followed by "1.1", "1.2": a section."""
    for i, row in enumerate(rows):
        if row.kind != "task" or not re.fullmatch(r"\d{1,3}[.)]?", row.number):
            continue
        if any(reader.text(row.cells, name) for name in (LEAD, COORDINATORS, DEADLINE)):
            continue
        base = row.number.rstrip(".)")
        following = next((r for r in rows[i + 1 :] if r.kind != "section"), None)
        if following and re.match(rf"^{base}\.\d", following.number):
            row.kind = "section"
            row.number = base
            row.section_title = reader.text(row.cells, CONTENT)


def tasks_from_tables(
    tables: Iterable[RawTable],
    *,
    source_kind: str,
    document_year: int | None,
    filename: str,
) -> PlanParse:
    """Tasks from every table that has a task header; raises PlanParseError when none has."""
    readers: list[_TableReader] = []
    current: _TableReader | None = None
    for table in tables:
        found = find_header(table)
        if found is None:
            if current is not None and _fits(table, current.header):
                # Word splits a long table at a page break; the part after has no header.
                for raw in table:
                    current.add(raw)
            continue
        index, header = found
        if current is None or header.signature != current.header.signature:
            current = _TableReader(header)
            readers.append(current)
        position = index + header.rows
        while position < len(table):
            raw = table[position]
            repeated = find_header(table[position : position + header.rows])
            if repeated and repeated[0] == 0 and repeated[1].signature == header.signature:
                position += repeated[1].rows  # the header repeated on the next page
                continue
            current.add(raw)
            position += 1
    if not readers:
        raise PlanParseError(
            _(
                "Không tìm thấy bảng nhiệm vụ trong tệp %(name)s: cần một dòng tiêu đề có các "
                "cột “TT”, “Nội dung nhiệm vụ”, “Cơ quan chủ trì”, “Cơ quan phối hợp”, “Thời "
                "gian thực hiện” (hoặc tên tương tự). Hãy kiểm tra dòng tiêu đề của bảng."
            )
            % {"name": filename},
            code="no_header",
        )
    logical: list[tuple[_TableReader, _LogicalRow]] = []
    for reader in readers:
        _mark_arabic_sections(reader.rows, reader)
        logical.extend((reader, row) for row in reader.rows)
    return _build(logical, source_kind=source_kind, document_year=document_year,
                  filename=filename)  # fmt: skip


def _fits(table: RawTable, header: ColumnMap) -> bool:
    widths = [len(row.cells) for row in table if any(clean_cell(c.text) for c in row.cells)]
    return bool(widths) and max(widths) <= header.width + 1 and min(widths) >= header.width - 1


def _build(
    logical: list[tuple[_TableReader, _LogicalRow]],
    *,
    source_kind: str,
    document_year: int | None,
    filename: str,
) -> PlanParse:
    tasks: list[ParsedTask] = []
    sections: list[Section] = []
    section_number = ""
    section_title = ""
    unnumbered = 0
    for reader, row in logical:
        if row.kind == "section":
            section_number = row.number or str(len(sections) + 1)
            section_title = nfc(row.section_title)
            sections.append(Section(section_number, section_title, row.line))
            unnumbered = 0
            continue
        content = nfc(reader.text(row.cells, CONTENT))
        roles = assign_roles(reader.text(row.cells, LEAD), reader.text(row.cells, COORDINATORS))
        deadline = parse_deadline(nfc(reader.text(row.cells, DEADLINE)),
                                  document_year=document_year)  # fmt: skip
        warnings = [*row.warnings, *roles.warnings, *deadline.warnings]
        if not roles.lead:
            warnings.append(_("Thiếu cơ quan chủ trì; hãy chọn cơ quan chủ trì."))
        if not content:
            warnings.append(_("Dòng không có nội dung nhiệm vụ."))
        number = row.number
        if not number:
            unnumbered += 1
            # Without a number column, the position; else a mark that the row had no number.
            short = str(unnumbered) if reader.col(NUMBER) is None else f"*{unnumbered}"
        else:
            short = number.rstrip(".):")
        if not section_number or short.startswith(f"{section_number}."):
            ref = short  # "1.2" under section "1"
        else:
            ref = f"{section_number}.{short}"
        extra = {name: nfc(reader.text(row.cells, name)) for name in EXTRA_FIELDS}
        tasks.append(
            ParsedTask(
                number=number,
                section=section_number,
                section_title=section_title,
                content=content,
                lead=roles.lead,
                coordinators=roles.coordinators,
                deadline=deadline,
                warnings=warnings,
                source_line=row.line,
                directed_by=roles.directed_by,
                requested=roles.requested,
                proposed=False,
                confidence=1.0 if roles.lead and content else 0.7,
                ref=ref,
                extra={name: value for name, value in extra.items() if value},
            )
        )
    make_refs_unique(tasks)
    return PlanParse(tasks=tasks, sections=sections, warnings=[], source_kind=source_kind,
                     document_year=document_year, filename=filename)  # fmt: skip


# ---- text -------------------------------------------------------------------------------------

_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def table_cells_of_line(line: str) -> list[str] | None:
    """The cells of a table line (tab-separated, or a Markdown "| a | b |" row), else None."""
    if "\t" in line:
        return line.rstrip("\r\n").split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _PIPE_SEPARATOR.match(stripped):
            return []
        return [cell.strip() for cell in stripped[1:-1].split("|")]
    return None


def text_tables(text: str) -> list[RawTable]:
    """Runs of table lines; a few lines of prose between two runs (a page header, a page
    number) do not end a table, more do."""
    tables: list[RawTable] = []
    current: RawTable = []
    prose = 0
    for number, line in enumerate(text.splitlines(), start=1):
        cells = table_cells_of_line(line)
        if cells is None:
            if line.strip():
                prose += 1
                if prose >= PROSE_LINES_CLOSE_TABLE and current:
                    tables.append(current)
                    current = []
            continue
        prose = 0
        if cells:
            current.append(RawRow([text_cell(c) for c in cells], number))
    if current:
        tables.append(current)
    return tables


def parse_table_text(
    text: str, *, document_year: int | None = None, filename: str = ""
) -> PlanParse:
    """The appendix table of a plan converted to text (tab-separated, or Markdown pipes).

    Lines outside the table are ignored. Raises PlanParseError when no task header is found.
    """
    return tasks_from_tables(
        text_tables(text),
        source_kind="text_table",
        document_year=document_year,
        filename=filename or _("(văn bản)"),
    )

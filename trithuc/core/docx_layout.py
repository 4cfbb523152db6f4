"""Vietnamese administrative documents as Word files, laid out as Decree 30/2020/NĐ-CP
(Appendix I) asks: A4, Times New Roman, the two-column header (issuing body and number on the
left, national title, motto, place and date on the right), the document kind and title, the
body, the signature block beside "Nơi nhận", and appendices.

    doc = AdministrativeDocument(
        issuing_body="Sở Khoa học và Công nghệ", superior="Ủy ban nhân dân Thành phố Hà Nội",
        number="     /BC-SKHCN", place="Hà Nội", date=date(2026, 11, 22),
        kind="Báo cáo", title="Kết quả thực hiện Kế hoạch số 133/KH-UBND năm 2026",
    )
    doc.heading("I. KẾT QUẢ THỰC HIỆN")
    doc.paragraph("Năm 2026, ...")
    doc.table(["STT", "Nội dung"], [["1", "..."]], widths=[1, 6])
    doc.signature(capacity="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A")
    doc.recipients(["UBND Thành phố (để báo cáo)", "Lưu: VT, KHTC"])
    doc.save(stream)

Texts are written as given (callers translate them); the builder only adds the fixed words of
the layout ("Số:", "Nơi nhận:", "PHỤ LỤC"), through gettext.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

FONT = "Times New Roman"
BODY_PT = 14  # 13–14 pt for the body
HEADER_PT = 12  # issuing body and national title: 12–13 pt
MOTTO_PT = 13  # the motto: 13–14 pt
TABLE_PT = 12  # tables may use a smaller size than the body
RECIPIENTS_PT = 11  # "Nơi nhận" entries: 11 pt, the label 12 pt
INDENT = Mm(12.7)  # first-line indent of body paragraphs: 1–1.27 cm

# Portrait A4 with the binding on the left; a landscape appendix turns the binding edge to
# the top.
PAGE_SHORT, PAGE_LONG = Mm(210), Mm(297)
PORTRAIT_MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
LANDSCAPE_MARGINS = {"top": Mm(30), "bottom": Mm(15), "left": Mm(20), "right": Mm(20)}

# The header's two columns (text width 165 mm): the national title at 12 pt bold is 88 mm,
# and each cell keeps 1.9 mm of margin on either side.
HEADER_LEFT, HEADER_RIGHT = Mm(72), Mm(93)
# The rule under the motto is as long as the motto ("Độc lập - Tự do - Hạnh phúc", 13 pt
# bold, Times New Roman).
MOTTO_WIDTH = Mm(56)
# Average width of a letter (about), to size the short rules under a line: capitals at 12 pt
# bold, mixed case at 14 pt bold.
CAPITAL_WIDTH_12PT = Mm(2.7)
LETTER_WIDTH_14PT = Mm(2.3)
# Common phrases the superior body's name may abbreviate (Decree 30, Appendix I).
SUPERIOR_ABBREVIATIONS = (
    (re.compile(r"\b(?:Ủy|Uỷ) ban nhân dân\b", re.IGNORECASE), "UBND"),
    (re.compile(r"\bHội đồng nhân dân\b", re.IGNORECASE), "HĐND"),
)

# Characters that XML 1.0 does not allow (text pasted from Word carries vertical tabs).
_LINE_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """The text of a value as Word may hold it: NFC, control characters dropped (vertical
    tabs and form feeds become line breaks)."""
    text = "" if value is None else str(value)
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def trim(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with an ellipsis."""
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def vietnamese_date(day: Date | None, place: str = "", *, year: int | None = None) -> str:
    """ "Hà Nội, ngày 05 tháng 01 năm 2026": days below 10 and the months 1 and 2 get a
    leading zero. Without a day, the blanks are left for the office to fill."""
    if day is None:
        text = _("ngày      tháng      năm %(year)s") % {"year": year or ""}
    else:
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        text = _("ngày %(day)s tháng %(month)s năm %(year)s") % {
            "day": f"{day.day:02d}",
            "month": month,
            "year": day.year,
        }
    return f"{place}, {text}" if place else text


def abbreviation(name: str) -> str:
    """The initials an issuing body signs its document numbers with: "Sở Khoa học và Công
    nghệ" → "SKHCN", "Sở Giáo dục và Đào tạo" → "SGDĐT"."""
    initials = []
    for word in re.findall(r"\w+", clean_text(name)):
        if word.lower() in {"và", "của"}:
            continue
        first = word[0].upper()
        if first != "Đ":
            first = "".join(c for c in unicodedata.normalize("NFD", first) if c.isascii())
        initials.append(first)
    return "".join(initials)


def abbreviate_superior(name: str) -> str:
    """The superior body's name as the header writes it: "Ủy ban nhân dân Thành phố Hà Nội"
    → "UBND Thành phố Hà Nội" (Decree 30 allows the common abbreviations there)."""
    for pattern, short in SUPERIOR_ABBREVIATIONS:
        name = pattern.sub(short, name)
    return name


def place_name(unit_name: str) -> str:
    """The place of the date line from an administrative unit's name: "Thành phố Hà Nội" →
    "Hà Nội", "Tỉnh Cao Bằng" → "Cao Bằng"."""
    name = clean_text(unit_name).strip()
    for prefix in ("Thành phố ", "Tỉnh ", "TP. ", "TP "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :].strip()
    return name


@dataclass(frozen=True)
class Row:
    """A table row with options: bold (a total row)."""

    cells: Sequence[Any]
    bold: bool = False


@dataclass(frozen=True)
class GroupRow:
    """A row across all columns naming the group of the rows under it (a section)."""

    text: str


class AdministrativeDocument:
    """One administrative document being written, top to bottom."""

    def __init__(
        self,
        *,
        issuing_body: str,
        kind: str,
        title: str,
        superior: str = "",
        number: str = "",
        place: str = "",
        date: Date | None = None,
        year: int | None = None,
    ) -> None:
        self.issuing_body = clean_text(issuing_body)
        self.superior = abbreviate_superior(clean_text(superior))
        self.number = clean_text(number)
        self.kind = clean_text(kind)
        self.title = clean_text(title)
        year = year or (date or timezone.localdate()).year
        self.date_line = vietnamese_date(date, clean_text(place), year=year)
        self.docx = Document()
        self._closing_left: _Cell | None = None
        self._closing_right: _Cell | None = None
        self._pending_recipients: list[str] | None = None
        self._setup_styles()
        self._setup_page(self.docx.sections[0], landscape=False)
        self._page_numbers(self.docx.sections[0])
        self._write_header()
        self._write_title()

    # ---- the public API ----------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A heading of the body: level 1 "I. ...", level 2 "1. ...", level 3 "a) ..."."""
        level = min(max(level, 1), 3)
        return self.docx.add_paragraph(clean_text(text), style=f"Heading {level}")

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
    ) -> Paragraph:
        """A body paragraph: justified, first line indented. Each line of `text` is a
        paragraph of its own (a line break inside a justified paragraph spreads its words
        across the line); the last one is returned."""
        lines = [line.strip() for line in clean_text(text).split("\n")]
        lines = [line for line in lines if line] or [""]
        for line in lines:
            paragraph = self.docx.add_paragraph()
            if line:
                run = paragraph.add_run(line)
                run.bold, run.italic = bold or None, italic or None
            paragraph.alignment = _ALIGN[align]
            if not indent:
                paragraph.paragraph_format.first_line_indent = Mm(0)
        return paragraph

    def caption(self, text: str, *, note: str = "") -> Paragraph:
        """A table's caption ("Biểu 1. ..."), centred and bold, kept on the page of the table
        under it; `note` (the unit of measure) right-aligned and italic on the next line."""
        paragraph = self._centered(clean_text(text), bold=True, space_before=6,
                                   space_after=0 if note else 3)  # fmt: skip
        paragraph.paragraph_format.keep_with_next = True
        if note:
            line = self.docx.add_paragraph()
            fmt = line.paragraph_format
            fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.RIGHT, Mm(0)
            fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(0), Pt(3), True
            run = line.add_run(clean_text(note))
            run.italic, run.font.size = True, Pt(TABLE_PT)
        return paragraph

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any] | Row | GroupRow],
        widths: Sequence[float] | None = None,
        *,
        align: Sequence[str] | None = None,
        font_size: int = TABLE_PT,
    ) -> Table:
        """A bordered table whose header row is repeated on every page.

        `widths` are relative (scaled to the text width of the current page); `align` gives
        each column's alignment ("left", "center", "right"). A row is a sequence of values, a
        `Row` (bold for totals) or a `GroupRow` (a section title across all columns).
        """
        count = len(headers)
        column_widths = self._column_widths(widths or [1] * count)
        aligns = list(align or ["left"] * count)
        table = self.docx.add_table(rows=0, cols=count)
        table.style = self.docx.styles["Table Grid"]
        _fix_layout(table, column_widths)
        style_id = self._table_style(font_size).style_id
        twips = [int(w) // 635 for w in column_widths]
        rows_out = _RowWriter(table._tbl, twips, style_id)
        rows_out.add(list(headers), ["center"] * count, bold=True, header=True)
        for row in rows:
            if isinstance(row, GroupRow):
                rows_out.add_group(row.text)
            elif isinstance(row, Row):
                rows_out.add(list(row.cells), aligns, bold=row.bold)
            else:
                rows_out.add(list(row), aligns)
        # A paragraph after the table, so that two tables never merge and text has room.
        self.docx.add_paragraph(style=self._table_style(font_size))
        return table

    def keep_together(self, table: Table) -> None:
        """Keeps a short table on one page, with the caption before it: the paragraphs of
        every row but the last are kept with the next."""
        for tr in table._tbl.findall(qn("w:tr"))[:-1]:
            for p in tr.iter(qn("w:p")):
                ppr = p.find(qn("w:pPr"))
                if ppr is None:
                    ppr = OxmlElement("w:pPr")
                    p.insert(0, ppr)
                if ppr.find(qn("w:keepNext")) is None:
                    style = ppr.find(qn("w:pStyle"))  # keepNext follows pStyle (schema order)
                    ppr.insert(0 if style is None else list(ppr).index(style) + 1,
                               OxmlElement("w:keepNext"))  # fmt: skip

    def signature(self, *, title: str, capacity: str = "", name: str = "") -> None:
        """The signature block, right, beside "Nơi nhận": the "TM."/"KT." capacity, the
        signer's title, room for the signature and the seal, the name."""
        left, right = self._closing_table()
        lines = [clean_text(line).upper() for line in (capacity, title) if line]
        paragraphs = [right.paragraphs[0]] + [right.add_paragraph() for _line in lines[1:]]
        for index, (paragraph, line) in enumerate(zip(paragraphs, lines, strict=True)):
            _centered(paragraph, line, size=BODY_PT, bold=True, space_before=0 if index else 6)
        for _i in range(4):  # room for the signature and the seal
            _centered(right.add_paragraph(), "", size=BODY_PT)
        _centered(right.add_paragraph(), clean_text(name), size=BODY_PT, bold=True)
        if self._pending_recipients is not None:
            self._write_recipients(left, self._pending_recipients)
            self._pending_recipients = None

    def recipients(self, entries: Sequence[str]) -> None:
        """ "Nơi nhận:" with one entry a line ("- ...;"), the last ending with a full stop
        (by custom "Lưu: VT, ..."). Beside the signature block when there is one."""
        if self._closing_left is not None:
            self._write_recipients(self._closing_left, entries)
        else:
            self._pending_recipients = list(entries)

    def appendix(
        self, title: str, *, number: str = "", reference: str = "", landscape: bool = False
    ) -> None:
        """A new page (landscape if asked) opening an appendix: "PHỤ LỤC", its title, the
        italic reference to the document it is attached to. Its pages are numbered anew."""
        if self._pending_recipients is not None:
            self._write_recipients(self._closing_table()[0], self._pending_recipients)
            self._pending_recipients = None
        section = self.docx.add_section(WD_SECTION.NEW_PAGE)
        self._setup_page(section, landscape=landscape)
        number_type = section._sectPr.find(qn("w:pgNumType"))
        if number_type is None:
            number_type = OxmlElement("w:pgNumType")
            section._sectPr.insert_element_before(number_type, *_SECTPR_AFTER_PAGE_NUMBERS)
        number_type.set(qn("w:start"), "1")
        label = _("PHỤ LỤC") + (f" {clean_text(number)}" if number else "")
        self._centered(label, bold=True, space_after=0)
        self._centered(clean_text(title).upper(), bold=True, space_after=0)
        if reference:
            self._centered(f"({clean_text(reference)})", italic=True, space_after=0)
        self._rule(self.docx.add_paragraph(), Mm(40), self._text_width(section), space_after=6)

    def save(self, stream: IO[bytes] | None = None) -> bytes | None:
        """Write the .docx to `stream`, or return its bytes without one."""
        if self._pending_recipients is not None:
            self._write_recipients(self._closing_table()[0], self._pending_recipients)
            self._pending_recipients = None
        if stream is not None:
            self.docx.save(stream)
            return None
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return buffer.getvalue()

    # ---- page and styles ----------------------------------------------------------------------

    def _setup_page(self, section: Any, *, landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (PAGE_LONG, PAGE_SHORT) if landscape else (PAGE_SHORT, PAGE_LONG)
        )
        margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
        section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
        section.left_margin, section.right_margin = margins["left"], margins["right"]
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)

    def _page_numbers(self, section: Any) -> None:
        """Page numbers centred in the top margin, from the second page on."""
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        parts = [
            _element("w:fldChar", fldCharType="begin"),
            _element("w:instrText"),
            _element("w:fldChar", fldCharType="separate"),
            _element("w:t"),
            _element("w:fldChar", fldCharType="end"),
        ]
        parts[1].set(qn("xml:space"), "preserve")
        parts[1].text, parts[3].text = " PAGE ", "2"
        for part in parts:
            run = paragraph.add_run()
            _font(run._r.get_or_add_rPr(), size=BODY_PT)
            run._r.append(part)

    def _setup_styles(self) -> None:
        styles = self.docx.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _font(rpr, size=BODY_PT)
            ppr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr"))
            if ppr is not None:
                defaults.find(qn("w:pPrDefault")).remove(ppr)
        normal = styles["Normal"]
        _font(normal.element.get_or_add_rPr(), size=BODY_PT)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(6)
        fmt.line_spacing = 1.15
        fmt.first_line_indent = INDENT
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for level, italic in ((1, False), (2, False), (3, True)):
            style = styles[f"Heading {level}"]
            rpr = style.element.get_or_add_rPr()
            for tag in ("w:color", "w:i", "w:iCs"):
                for element in rpr.findall(qn(tag)):
                    rpr.remove(element)
            _font(rpr, size=BODY_PT)
            style.font.bold, style.font.italic = True, italic
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(6), Pt(6)
            fmt.first_line_indent = INDENT
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.keep_with_next = True
        header = styles["Header"]
        _font(header.element.get_or_add_rPr(), size=BODY_PT)
        header.paragraph_format.first_line_indent = Mm(0)

    def _table_style(self, size: int) -> Any:
        """A paragraph style for table cells of `size` points: no indent, little spacing."""
        name = f"Bảng {size}pt"
        try:
            return self.docx.styles[name]
        except KeyError:
            pass
        from docx.enum.style import WD_STYLE_TYPE

        style = self.docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = f"TableText{size}"  # an ASCII identifier, whatever the name
        style.base_style = self.docx.styles["Normal"]
        _font(style.element.get_or_add_rPr(), size=size)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(2), Pt(2)
        fmt.line_spacing = 1.0
        fmt.first_line_indent = Mm(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        return style

    def _text_width(self, section: Any = None) -> int:
        section = section or self.docx.sections[-1]
        return int(section.page_width - section.left_margin - section.right_margin)

    def _column_widths(self, weights: Sequence[float]) -> list[Emu]:
        total = sum(weights) or 1
        width = self._text_width()
        return [Emu(int(width * w / total)) for w in weights]

    # ---- header, title, closing -----------------------------------------------------------------

    def _write_header(self) -> None:
        table = self.docx.add_table(rows=2, cols=2)
        _fix_layout(table, [HEADER_LEFT, HEADER_RIGHT])
        _no_borders(table)
        left, right = table.cell(0, 0), table.cell(0, 1)
        for row in table.rows:
            row.cells[0].width, row.cells[1].width = HEADER_LEFT, HEADER_RIGHT
        body = self.issuing_body.upper()
        if self.superior:
            _centered(left.paragraphs[0], self.superior.upper(), size=HEADER_PT)
            _centered(left.add_paragraph(), body, size=HEADER_PT, bold=True)
        else:
            _centered(left.paragraphs[0], body, size=HEADER_PT, bold=True)
        # The rule under the body's name: a third to a half of its (longest) line.
        longest = min(len(body), 25)
        self._rule(left.add_paragraph(), Emu(int(longest * CAPITAL_WIDTH_12PT * 0.45)), HEADER_LEFT)
        _centered(
            right.paragraphs[0], _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), size=HEADER_PT, bold=True
        )
        _centered(right.add_paragraph(), _("Độc lập - Tự do - Hạnh phúc"), size=MOTTO_PT, bold=True)
        self._rule(right.add_paragraph(), MOTTO_WIDTH, HEADER_RIGHT)
        number = _("Số: %(number)s") % {"number": self.number} if self.number else ""
        _centered(table.cell(1, 0).paragraphs[0], number, size=MOTTO_PT, space_before=6)
        _centered(
            table.cell(1, 1).paragraphs[0],
            self.date_line,
            size=BODY_PT,
            italic=True,
            space_before=6,
        )

    def _write_title(self) -> None:
        self._centered(self.kind.upper(), bold=True, space_before=18, space_after=0)
        self._centered(self.title, bold=True, space_after=0)
        width = Emu(int(min(len(self.title), 70) * LETTER_WIDTH_14PT * 0.4))
        self._rule(self.docx.add_paragraph(), max(width, Mm(25)), self._text_width(), space_after=6)

    def _centered(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        space_before: int = 0,
        space_after: int = 6,
    ) -> Paragraph:
        paragraph = self.docx.add_paragraph()
        _centered(
            paragraph,
            text,
            size=BODY_PT,
            bold=bold,
            italic=italic,
            space_before=space_before,
            space_after=space_after,
        )
        return paragraph

    def _rule(
        self, paragraph: Paragraph, length: int, available: int, *, space_after: int = 0
    ) -> None:
        """A centred horizontal rule `length` long, as the top border of an almost empty
        paragraph indented from both sides."""
        side = max(0, (int(available) - int(length)) // 2 - int(Mm(1.9)))
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.right_indent = Emu(side), Emu(side)
        fmt.first_line_indent = Mm(0)
        # The bottom border of a paragraph 5 pt high: 5 pt under the line above, whatever
        # the descenders of that line (a top border is drawn into them by some programs).
        fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
        fmt.line_spacing = Pt(5)
        bottom = _element("w:bottom", val="single", sz="6", space="0", color="000000")
        border = OxmlElement("w:pBdr")
        border.append(bottom)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert_element_before(border, *_PPR_AFTER_BORDER)
        mark = OxmlElement("w:rPr")
        mark.append(_element("w:sz", val="4"))
        mark.append(_element("w:szCs", val="4"))
        ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")

    def _closing_table(self) -> tuple[_Cell, _Cell]:
        """The last row of the document: "Nơi nhận" left, the signature right."""
        if self._closing_left is None:
            table = self.docx.add_table(rows=1, cols=2)
            _fix_layout(table, [HEADER_LEFT, HEADER_RIGHT])
            _no_borders(table)
            table.cell(0, 0).width, table.cell(0, 1).width = HEADER_LEFT, HEADER_RIGHT
            _mark_row(table.rows[0]._tr, header=False)
            self._closing_left, self._closing_right = table.cell(0, 0), table.cell(0, 1)
        assert self._closing_right is not None
        return self._closing_left, self._closing_right

    def _write_recipients(self, cell: _Cell, entries: Sequence[str]) -> None:
        paragraph = cell.paragraphs[0]
        _left(paragraph, _("Nơi nhận:"), size=12, bold=True, italic=True, space_before=6)
        cleaned = [clean_text(e).strip().rstrip(";.").strip() for e in entries if str(e).strip()]
        for index, entry in enumerate(cleaned):
            end = "." if index == len(cleaned) - 1 else ";"
            _left(cell.add_paragraph(), f"- {entry}{end}", size=RECIPIENTS_PT)

    # ---- table rows ---------------------------------------------------------------------------


# ---- XML helpers ------------------------------------------------------------------------------

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

# Children of w:tblPr and w:pPr in the schema's order (Word refuses other orders).
_TBLPR_SEQUENCE = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
_SECTPR_AFTER_PAGE_NUMBERS = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _element(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _font(rpr: Any, *, size: int | None = None) -> None:
    """Times New Roman for every script (theme fonts removed: they would win), Vietnamese
    proofing, and the size in points."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        _insert_in_order(rpr, fonts)
    for attribute in _THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                _insert_in_order(rpr, element)
            element.set(qn("w:val"), str(size * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert_in_order(rpr, lang)
    lang.set(qn("w:val"), "vi-VN")


# The order of the rPr children that _font writes (the schema's sequence).
_RPR_ORDER = [
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
]  # fmt: skip
_RPR_RANK = {qn(tag): rank for rank, tag in enumerate(_RPR_ORDER)}


def _insert_in_order(rpr: Any, element: Any) -> None:
    rank = _RPR_RANK[element.tag]
    for child in rpr:
        if _RPR_RANK.get(child.tag, len(_RPR_ORDER)) > rank:
            child.addprevious(element)
            return
    rpr.append(element)


def _centered(
    paragraph: Paragraph,
    text: str,
    *,
    size: int,
    bold: bool = False,
    italic: bool = False,
    space_before: int = 0,
    space_after: int = 0,
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Mm(0)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    fmt.line_spacing = 1.0
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        run.font.size = Pt(size)
    else:
        paragraph.paragraph_format.line_spacing = 1.0


def _left(
    paragraph: Paragraph,
    text: str,
    *,
    size: int,
    bold: bool = False,
    italic: bool = False,
    space_before: int = 0,
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Mm(0)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(0)
    fmt.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.size = Pt(size)


def _fix_layout(table: Table, widths: Sequence[int]) -> None:
    """Fixed column widths (Word and LibreOffice otherwise fit columns to their content)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.insert_element_before(width, *_TBLPR_SEQUENCE[_TBLPR_SEQUENCE.index("w:jc") :])
    width.set(qn("w:w"), str(int(sum(widths)) // 635))  # twentieths of a point
    width.set(qn("w:type"), "dxa")
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="nil"))
    table._tbl.tblPr.insert_element_before(
        borders, *_TBLPR_SEQUENCE[_TBLPR_SEQUENCE.index("w:shd") :]
    )


def _mark_row(tr: Any, *, header: bool) -> None:
    """Rows never split across pages; the header row repeats on each page."""
    trpr = tr.get_or_add_trPr()
    trpr.append(_element("w:cantSplit"))
    if header:
        trpr.append(_element("w:tblHeader"))


class _RowWriter:
    """Appends rows to a table on the XML directly: python-docx's row and cell objects check
    the schema's order at every step, and its row.cells walks the whole table, which is
    quadratic on a table of hundreds of rows."""

    def __init__(self, tbl: Any, twips: Sequence[int], style_id: str) -> None:
        self.tbl, self.twips, self.style_id = tbl, list(twips), style_id

    def add(
        self, values: Sequence[Any], aligns: Sequence[str], *, bold: bool = False,
        header: bool = False,
    ) -> None:  # fmt: skip
        if len(values) != len(self.twips):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(self.twips)}")
        tr = self._row(header=header)
        for value, width, alignment in zip(values, self.twips, aligns, strict=True):
            self._cell(tr, value, width, alignment, bold=bold, middle=header)

    def add_group(self, text: str) -> None:
        tr = self._row(header=False)
        self._cell(tr, text, sum(self.twips), "left", bold=True, span=len(self.twips),
                   keep_with_next=True)  # fmt: skip

    def _row(self, *, header: bool) -> Any:
        """Rows never split across pages; the header row repeats on each page."""
        tr = SubElement(self.tbl, qn("w:tr"))
        properties = SubElement(tr, qn("w:trPr"))
        SubElement(properties, qn("w:cantSplit"))
        if header:
            SubElement(properties, qn("w:tblHeader"))
        return tr

    def _cell(
        self, tr: Any, value: Any, width: int, alignment: str, *, bold: bool,
        span: int = 1, middle: bool = False, keep_with_next: bool = False,
    ) -> None:  # fmt: skip
        tc = SubElement(tr, qn("w:tc"))
        properties = SubElement(tc, qn("w:tcPr"))
        SubElement(properties, qn("w:tcW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
        if span > 1:
            SubElement(properties, qn("w:gridSpan"), {qn("w:val"): str(span)})
        if middle:
            SubElement(properties, qn("w:vAlign"), {qn("w:val"): "center"})
        p = SubElement(tc, qn("w:p"))
        paragraph = SubElement(p, qn("w:pPr"))
        SubElement(paragraph, qn("w:pStyle"), {qn("w:val"): self.style_id})
        if keep_with_next:
            SubElement(paragraph, qn("w:keepNext"))
        if alignment != "left":
            SubElement(paragraph, qn("w:jc"), {qn("w:val"): _JC[alignment]})
        text = clean_text(value)
        if not text:
            return
        run = SubElement(p, qn("w:r"))
        if bold:
            SubElement(SubElement(run, qn("w:rPr")), qn("w:b"))
        for index, line in enumerate(text.split("\n")):
            if index:
                SubElement(run, qn("w:br"))
            if line:
                t = SubElement(run, qn("w:t"), {_XML_SPACE: "preserve"})
                t.text = line

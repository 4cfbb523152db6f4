"""The administrative document builder (Decree 30/2020/NĐ-CP layout), reused by the plan
review and the statistics reports."""

from datetime import date
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn

from trithuc.core.docx_layout import (
    AdministrativeDocument,
    GroupRow,
    Row,
    abbreviate_superior,
    abbreviation,
    clean_text,
    place_name,
    trim,
    vietnamese_date,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        (date(2026, 11, 22), "Hà Nội, ngày 22 tháng 11 năm 2026"),
        (date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_date_line_pads_days_below_10_and_the_first_two_months(day, expected):
    assert vietnamese_date(day, "Hà Nội") == expected


def test_names_as_the_header_writes_them():
    assert abbreviation("Sở Khoa học và Công nghệ") == "SKHCN"
    assert abbreviation("Sở Giáo dục và Đào tạo") == "SGDĐT"
    assert abbreviate_superior("Ủy ban nhân dân Thành phố Hà Nội") == "UBND Thành phố Hà Nội"
    assert abbreviate_superior("Uỷ ban nhân dân tỉnh Cao Bằng") == "UBND tỉnh Cao Bằng"
    assert place_name("Thành phố Hà Nội") == "Hà Nội" and place_name("Tỉnh Lào Cai") == "Lào Cai"


def test_text_is_cleaned_and_trimmed_at_a_word():
    assert clean_text("a\x0bb\x01c\r\nd") == "a\nbc\nd"
    assert trim("một hai ba bốn năm sáu bảy tám", 16) == "một hai ba bốn…"
    assert trim("ngắn", 16) == "ngắn"


def build() -> docx.document.Document:
    doc = AdministrativeDocument(
        issuing_body="Sở Nội vụ",
        superior="Ủy ban nhân dân Thành phố Hà Nội",
        number="12/BC-SNV",
        place="Hà Nội",
        date=date(2026, 11, 22),
        kind="Báo cáo",
        title="Thống kê đội ngũ trí thức năm 2026",
    )
    doc.heading("I. SỐ LIỆU")
    doc.paragraph("Dòng một\ndòng hai")
    # "Nơi nhận" first: it still lands beside the signature.
    doc.recipients(["UBND Thành phố (để báo cáo);", "Lưu: VT, CCVC."])
    doc.table(
        ["STT", "Trình độ", "Số người"],
        [GroupRow("Khối sở, ngành"), [1, "Tiến sĩ", 12], Row(["", "Cộng", 12], bold=True)],
        widths=[1, 4, 2],
        align=["center", "left", "right"],
    )
    doc.signature(capacity="KT. Giám đốc", title="Phó Giám đốc", name="Nguyễn Văn An")
    doc.appendix("Bảng chi tiết", reference="Kèm theo Báo cáo số 12/BC-SNV", landscape=True)
    doc.table(["STT", "Đơn vị"], [[i, f"Đơn vị {i}"] for i in range(1, 4)])
    return docx.Document(BytesIO(doc.save()))


def test_a_document_built_with_the_small_api():
    document = build()
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: 12/BC-SNV"
    assert header.cell(0, 0).paragraphs[0].text == "UBND THÀNH PHỐ HÀ NỘI"
    texts = [p.text for p in document.paragraphs]
    assert "Dòng một" in texts and "dòng hai" in texts  # one paragraph a line

    table = document.tables[1]
    widths = [column.width for column in table.columns]
    # Relative widths scaled to the 165 mm of text (twips, so within a few EMU).
    assert (
        widths[1]
        == pytest.approx(2 * widths[2], abs=2000)
        == pytest.approx(4 * widths[0], abs=2000)
    )
    assert sum(widths) == pytest.approx((210 - 30 - 15) * 36000, abs=2000)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.tc_lst[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert table.rows[2].cells[2].paragraphs[0].alignment == 2  # right
    assert table.rows[3].cells[1].paragraphs[0].runs[0].bold

    closing = document.tables[2]
    assert [p.text for p in closing.cell(0, 0).paragraphs] == [
        "Nơi nhận:",
        "- UBND Thành phố (để báo cáo);",
        "- Lưu: VT, CCVC.",
    ]
    signature = [p.text for p in closing.cell(0, 1).paragraphs if p.text]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]

    first, appendix = document.sections
    assert first.different_first_page_header_footer  # no number on the first page
    assert appendix.page_width > appendix.page_height
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PHỤ LỤC" in texts and "BẢNG CHI TIẾT" in texts

"""A corpus of malformed and messy agency files, generated into a temporary folder.

Each case names a builder and what the importer must say: a file-level refusal code
(`file_error`), or codes that must appear among the row issues (`row_codes`), with the rows
it reads. tests/intake/test_corpus.py runs each through the command line and the staging
job: a clear Vietnamese message, never a crash, nothing written, memory bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlsxwriter

from .conftest import HEADER, person_row

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    build: Callable[[Path], None]
    file_error: str = ""
    row_codes: tuple[str, ...] = ()
    rows: int | None = None
    heavy: bool = False  # memory checked with tracemalloc
    extra: dict = field(default_factory=dict)


CASES: list[Case] = []


def case(filename: str, **kwargs):  # type: ignore[no-untyped-def]
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name=fn.__name__, filename=filename, build=fn, **kwargs))
        return fn

    return register


def good_rows(n: int = 3) -> list[list]:
    return [person_row(i) for i in range(n)]


def xlsx(path: Path, rows: list[list], header: list | None = HEADER, *, above=()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    for line in above:
        sheet.append(line)
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def replace_member(path: Path, member: str, transform: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        files = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    files[member] = transform(files[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def csv_bytes(rows: list[list], header: list = HEADER, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# ---- not a spreadsheet ------------------------------------------------------------------------


@case("danh-sach.pdf", file_error="wrong_extension")
def wrong_extension(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


@case("danh-sach.xls", file_error="wrong_extension")
def old_excel_format(path: Path) -> None:
    path.write_bytes(OLE_MAGIC + b"\0" * 1024)


@case("danh-sach.xlsx", file_error="empty_file")
def empty_file(path: Path) -> None:
    path.write_bytes(b"")


@case("danh-sach.xlsx", file_error="not_a_spreadsheet")
def text_renamed_xlsx(path: Path) -> None:
    path.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,1975\n", encoding="utf-8")


@case("danh-sach.xlsx", file_error="not_a_spreadsheet")
def image_renamed_xlsx(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)


@case("danh-sach.xlsx", file_error="password_protected")
def password_protected(path: Path) -> None:
    """Excel writes an encrypted workbook as an OLE compound file (EncryptedPackage)."""
    header = OLE_MAGIC + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    path.write_bytes(header + b"\0" * (4096 - len(header)) + "EncryptedPackage".encode("utf-16-le"))


@case("danh-sach.xlsx", file_error="password_protected")
def zip_encrypted_member(path: Path) -> None:
    xlsx(path, good_rows())
    data = bytearray(path.read_bytes())
    # Set the "encrypted" bit in every local header and central directory entry.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            data[found + offset] |= 0x1
            start = found + 4
    path.write_bytes(bytes(data))


@case("danh-sach.xlsx", file_error="zip_bomb", heavy=True)
def zip_bomb(path: Path) -> None:
    """A member of 200 MB of zeros, compressed to about 200 KB."""
    xlsx(path, good_rows())
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/bomb.bin", "w", force_zip64=True) as handle,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(200):
            handle.write(block)


@case("danh-sach.xlsx", file_error="not_a_spreadsheet")
def truncated_xlsx(path: Path) -> None:
    xlsx(path, good_rows(30))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@case("danh-sach.xlsx", file_error="not_a_spreadsheet")
def zip_not_a_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")


@case("danh-sach.xlsx", file_error="not_a_spreadsheet")
def broken_sheet_xml(path: Path) -> None:
    xlsx(path, good_rows())
    replace_member(path, "xl/worksheets/sheet1.xml", lambda d: d[: len(d) // 2] + b"<<<")


@case("danh-sach.csv", file_error="not_a_spreadsheet")
def binary_as_csv(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 20)


@case("danh-sach.csv", file_error="not_a_spreadsheet")
def xlsx_renamed_csv(path: Path) -> None:
    xlsx(path, good_rows())


@case("danh-sach.csv", file_error="not_a_spreadsheet")
def utf8_with_nul_bytes(path: Path) -> None:
    path.write_bytes(csv_bytes(good_rows()).encode() + b"\0\0\0\x01\x02" * 2000)


# ---- sizes ------------------------------------------------------------------------------------


@case("danh-sach.xlsx", rows=3, heavy=True)
def million_empty_rows(path: Path) -> None:
    """Three people, then 1,048,573 empty row elements down to Excel's last row; the sheet's
    dimension says A1:XFD1048576."""
    xlsx(path, good_rows())

    def grow(data: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"/>' % n for n in range(5, 1_048_577))
        data = data.replace(b"</sheetData>", rows + b"</sheetData>")
        return data.replace(b'<dimension ref="A1:M4"/>', b'<dimension ref="A1:XFD1048576"/>')

    replace_member(path, "xl/worksheets/sheet1.xml", grow)


@case("danh-sach.xlsx", rows=3, heavy=True)
def stray_cell_in_the_last_row(path: Path) -> None:
    """A stray cell in XFD1048576 (a dense reader would ask for 17 billion cells)."""
    xlsx(path, good_rows())
    replace_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData>",
        ),
    )


@case("danh-sach.xlsx", rows=3, heavy=True)
def dimension_lies(path: Path) -> None:
    xlsx(path, good_rows())
    replace_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b'<dimension ref="A1:M4"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )


@case("danh-sach.xlsx", rows=3, row_codes=("cell_too_long",), heavy=True)
def ten_megabyte_cell(path: Path) -> None:
    rows = good_rows()
    rows[1][HEADER.index("Chuyên ngành")] = "Khoa học " * (10 * 1024 * 1024 // 9)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > 32767:
                # Excel's own limit is 32,767; other tools write longer cells.
                sheet.write_string(r, c, value[:32767])
            else:
                sheet.write(r, c, value)
    book.close()

    def lengthen(data: bytes) -> bytes:
        marker = ("Khoa học " * 10).encode()
        start = data.find(marker)
        return (
            data[:start]
            + ("Khoa học " * (10 * 1024 * 1024 // 9)).encode()
            + data[data.find(b"<", start) :]
        )

    replace_member(path, "xl/sharedStrings.xml", lengthen)


@case("danh-sach.csv", file_error="cell_too_long", heavy=True)
def ten_megabyte_csv_cell(path: Path) -> None:
    text = csv_bytes(good_rows())
    path.write_text(text + '"' + "x" * (10 * 1024 * 1024) + "\n", encoding="utf-8")


@case("danh-sach.xlsx", rows=2, row_codes=("cells_outside_table",), heavy=True)
def row_with_500_columns(path: Path) -> None:
    rows = good_rows(2)
    rows[0] = rows[0] + [f"ô {i}" for i in range(500 - len(rows[0]))]
    xlsx(path, rows)


@case("danh-sach.xlsx", file_error="too_many_rows", extra={"max_rows": 50})
def too_many_rows(path: Path) -> None:
    xlsx(path, good_rows(60))


@case("danh-sach.xlsx", file_error="file_too_large", extra={"max_bytes": 2000})
def file_too_large(path: Path) -> None:
    xlsx(path, good_rows(40))


# ---- layout -----------------------------------------------------------------------------------


@case("danh-sach.xlsx", file_error="duplicate_column")
def duplicate_header_names(path: Path) -> None:
    header = [*HEADER, "Ngày sinh"]
    xlsx(path, [[*row, "01/01/1970"] for row in good_rows()], header=header)


@case("danh-sach.xlsx", file_error="missing_column")
def missing_required_column(path: Path) -> None:
    position = HEADER.index("Ngày sinh")
    header = [h for i, h in enumerate(HEADER) if i != position]
    xlsx(path, [[v for i, v in enumerate(r) if i != position] for r in good_rows()], header)


@case("danh-sach.xlsx", file_error="no_header")
def no_header_row(path: Path) -> None:
    xlsx(path, good_rows(), header=None)


@case("danh-sach.xlsx", file_error="no_data")
def header_only(path: Path) -> None:
    xlsx(path, [])


@case("danh-sach.xlsx", file_error="no_header")
def empty_workbook(path: Path) -> None:
    openpyxl.Workbook().save(path)


@case("danh-sach.xlsx", rows=4)
def titles_numbering_and_signatures(path: Path) -> None:
    """The layout of an official list: titles above, a numbering row, a total and the
    signatures below."""
    rows = [list(range(1, len(HEADER) + 1)), *good_rows(4), [], ["", "Tổng cộng: 4 người"],
            ["", "Người lập biểu", "", "", "", "", "", "Thủ trưởng đơn vị"]]  # fmt: skip
    xlsx(
        path,
        rows,
        above=[
            ["ỦY BAN NHÂN DÂN THÀNH PHỐ"],
            ["DANH SÁCH TRÍ THỨC NĂM 2025"],
            ["(Kèm theo Công văn số 123/SNV ngày 01/01/2025)"],
            [],
        ],
    )


@case("danh-sach.xlsx", rows=3)
def header_over_two_rows(path: Path) -> None:
    """'Trình độ' merged over 'Học hàm' | 'Học vị'; the other headers merged down."""
    book = openpyxl.Workbook()
    sheet = book.active
    top = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Trình độ", "", "Năm tốt nghiệp"]
    sub = ["", "", "", "", "Học hàm", "Học vị", ""]
    sheet.append(top)
    sheet.append(sub)
    sheet.merge_cells("E1:F1")
    for column in "ABCDG":
        sheet.merge_cells(f"{column}1:{column}2")
    for i in range(3):
        sheet.append([i + 1, f"Trần Thị Mai {chr(65 + i)}", f"0{i + 1}/05/1980", "Nữ",
                      "PGS" if i else "", "TS", 2008])  # fmt: skip
    book.save(path)


@case("danh-sach.xlsx", rows=4, row_codes=("merged_cells",))
def merged_cells_across_data(path: Path) -> None:
    """The unit code merged down over the rows of the unit."""
    xlsx(path, good_rows(4))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = openpyxl.utils.get_column_letter(HEADER.index("Mã đơn vị") + 1)
    for r in (3, 4, 5):
        sheet[f"{column}{r}"] = None
    sheet.merge_cells(f"{column}2:{column}5")
    book.save(path)


@case("danh-sach.xlsx", rows=6)
def several_sheets(path: Path) -> None:
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    guide.append(["Điền danh sách ở các trang sau."])
    for name, start in (("Phòng 1", 0), ("Phòng 2", 10)):
        sheet = book.create_sheet(name)
        sheet.append(HEADER)
        for i in range(start, start + 3):
            sheet.append(person_row(i))
    hidden = book.create_sheet("Danh mục")
    hidden.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    hidden.sheet_state = "hidden"
    book.save(path)


@case("danh-sach.xlsx", rows=3, row_codes=("formula_error",))
def formula_errors(path: Path) -> None:
    xlsx(path, good_rows())
    column = openpyxl.utils.get_column_letter(HEADER.index("Năm tốt nghiệp") + 1)
    cell = f"{column}3".encode()

    def broken(data: bytes) -> bytes:
        start = data.find(b'<c r="' + cell + b'"')
        end = data.find(b"</c>", start) + 4
        return (
            data[:start] + b'<c r="' + cell + b'" t="e"><f>#REF!+1</f><v>#REF!</v></c>' + data[end:]
        )

    replace_member(path, "xl/worksheets/sheet1.xml", broken)


@case("danh-sach.xlsx", rows=2)
def formulas_with_cached_values(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(good_rows(2), start=1):
        sheet.write_row(r, 0, row)
        name = row[1]
        sheet.write_formula(r, 1, f'=PROPER("{name.lower()}")', None, name)
    for r in range(3, 400):  # formatted but empty rows, as Excel leaves them
        sheet.write_blank(r, 0, None, book.add_format({"bold": True}))
    book.close()


@case("danh-sach.xlsx", rows=3)
def dates_as_serials_and_text(path: Path) -> None:
    rows = good_rows()
    rows[0][2] = 27468  # 15/03/1975 as Excel keeps it
    rows[1][2] = "15 tháng 3 năm 1975"
    rows[2][2] = "1975"
    for row in rows:
        row[4] = ""  # no citizen ID: the birth year would not match it
    xlsx(path, rows)


@case("danh-sach.xlsx", rows=3, row_codes=("citizen_id_zero_restored",))
def citizen_ids_lost_their_zeros(path: Path) -> None:
    rows = good_rows()
    for row in rows:
        row[4] = int(row[4])  # stored as numbers: the leading zero is gone
    xlsx(path, rows)


# ---- rows -------------------------------------------------------------------------------------


@case("danh-sach.xlsx", rows=5, row_codes=("invalid_date", "invalid_gender", "required",
                                            "invalid_name", "unknown_degree"))  # fmt: skip
def every_row_invalid(path: Path) -> None:
    rows = [
        person_row(0, Ngày_sinh="32/13/1980"),
        person_row(1, Giới_tính="X"),
        person_row(2, Họ_và_tên=""),
        person_row(3, Họ_và_tên="Nguyễn V4n An"),
        person_row(4, Trình_độ_chuyên_môn="NCS"),
    ]
    xlsx(path, rows)


@case("danh-sach.xlsx", rows=3, row_codes=("duplicate_in_file",))
def duplicate_people_in_the_file(path: Path) -> None:
    rows = good_rows(2)
    xlsx(path, [*rows, rows[0]])


@case("danh-sach.xlsx", rows=2, row_codes=("future_date", "too_young"))
def dates_in_the_future(path: Path) -> None:
    rows = [person_row(0, Ngày_sinh="01/01/2099"), person_row(1, Năm_tốt_nghiệp=1975)]
    rows[0][4] = ""
    xlsx(path, rows)


@case("danh-sach.xlsx", rows=2, row_codes=("example_row",))
def template_example_row_left_in(path: Path) -> None:
    rows = good_rows(2)
    rows[0][1] = "Nguyễn Văn Mẫu (dòng ví dụ, hãy xóa)"
    xlsx(path, rows)


@case("danh-sach.xlsx", rows=2, row_codes=("citizen_id_gender_mismatch", "citizen_id_length"))
def citizen_ids_that_do_not_fit(path: Path) -> None:
    rows = good_rows(2)
    rows[0][3] = "Nữ"
    rows[1][4] = "12345"
    xlsx(path, rows)


@case("danh-sach.xlsx", rows=2, row_codes=("unknown_unit", "unknown_field"))
def unknown_units_and_fields(path: Path) -> None:
    rows = good_rows(2)
    rows[0][5] = "KHONG_CO"
    rows[1][12] = "Thuật giả kim"
    xlsx(path, rows)


# ---- encodings --------------------------------------------------------------------------------


@case("danh-sach.csv", rows=3)
def csv_utf8_bom_semicolons(path: Path) -> None:
    path.write_bytes(codecs.BOM_UTF8 + csv_bytes(good_rows(), delimiter=";").encode())


@case("danh-sach.csv", rows=3)
def csv_utf16(path: Path) -> None:
    path.write_bytes(csv_bytes(good_rows(), delimiter="\t").encode("utf-16"))


@case("danh-sach.csv", rows=3, extra={"name": "Nguyễn Văn Anh"})
def csv_windows_1258(path: Path) -> None:
    # Windows-1258 writes tone marks as combining characters after the letter.
    path.write_bytes(_cp1258(csv_bytes(good_rows())))


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258: precomposed where the code page has the letter, else the
    base letter and a combining tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = [c for c in decomposed if c in TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


@case("danh-sach.csv", rows=4)
def csv_mixed_encodings(path: Path) -> None:
    lines = csv_bytes(good_rows(4)).splitlines()
    raw = b"\n".join(
        _cp1258(line) if i % 2 else line.encode("utf-8") for i, line in enumerate(lines)
    )
    path.write_bytes(raw)


@case("danh-sach.txt", rows=3)
def tab_separated_text(path: Path) -> None:
    path.write_text(csv_bytes(good_rows(), delimiter="\t"), encoding="utf-8")


@case("danh-sach.csv", rows=2)
def csv_unclosed_quote(path: Path) -> None:
    text = csv_bytes(good_rows(2))
    path.write_text(text + '"Nguyễn Văn Cường,01/01/1980,Nam\n', encoding="utf-8")


@case("danh-sach.xlsm", rows=3)
def macro_enabled_workbook(path: Path) -> None:
    xlsx(path, good_rows())


@case("danh-sach.xlsx", rows=3)
def unaccented_upper_case_headers(path: Path) -> None:
    header = ["STT", "HO VA TEN", "NAM SINH", "GIOI TINH", "SO CCCD", "MA DON VI",
              "CHUC VU", "HOC HAM", "NAM CONG NHAN", "HOC VI", "CHUYEN NGANH",
              "NAM TOT NGHIEP", "LINH VUC"]  # fmt: skip
    xlsx(path, good_rows(), header)


@case("danh-sach.xlsx", rows=2)
def family_and_given_names_apart(path: Path) -> None:
    header = ["Họ và tên đệm", "Tên", "Ngày sinh", "Giới tính"]
    xlsx(path, [["Nguyễn Văn", "An", "01/02/1980", "Nam"], ["Lê Thị", "Hoa", "1985", "Nữ"]],
         header)  # fmt: skip

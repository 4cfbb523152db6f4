"""The people template (.xlsx) and exports in its layout.

The template has the list sheet (headers with notes, drop-downs, an example row to replace),
an instruction sheet in Vietnamese with the template's version, and a hidden sheet of the
lists the drop-downs read. An export writes the same columns, so a file exported and
imported again changes nothing (tests/intake/test_export.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from trithuc.core.tabular import column_letter, thousands
from trithuc.registry import choices
from trithuc.registry.models import CURRENT_FIELD_VERSION, DegreeLevel, FieldOfScience, Person

from .columns import TEMPLATE_COLUMNS, TEMPLATE_VERSION
from .reading import MAX_FILE_BYTES, MAX_ROWS

DATA_SHEET = "Danh sách"
LIST_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
VALIDATED_ROWS = 5_000  # drop-downs on the first rows (Excel slows down with more)


def _lists() -> dict[str, list[str]]:
    with translation.override("vi"):
        return {
            "gender": [str(label) for _v, label in choices.Gender.choices],
            "title": [kind for kind, _label in choices.AcademicTitleKind.choices],
            "degree": list(
                DegreeLevel.objects.filter(is_active=True).values_list("name", flat=True)
            ),
            "field": [
                f"{code} {name}"
                for code, name in FieldOfScience.objects.filter(
                    version=CURRENT_FIELD_VERSION, is_active=True, level__lte=3
                ).values_list("code", "name")
            ],
            "political_theory": [str(label) for _v, label in choices.PoliticalTheory.choices],
            "sector": [str(label) for _v, label in choices.Sector.choices],
            "status": [str(label) for _v, label in choices.PersonStatus.choices],
        }


EXAMPLE: dict[str, Any] = {
    "row_number": 1,
    "full_name": "Nguyễn Văn Mẫu (dòng ví dụ, hãy xóa)",
    "birth": "15/03/1975",
    "gender": "Nam",
    "citizen_id": "001075012345",
    "ethnicity": "Kinh",
    "religion": "Không",
    "unit_code": "",
    "unit_name": "",
    "job_title": "Trưởng phòng",
    "position_start": "01/06/2020",
    "title": "PGS",
    "title_year": 2015,
    "degree": "Tiến sĩ",
    "major": "Khoa học máy tính",
    "degree_year": 2005,
    "institution": "Đại học Bách khoa Hà Nội",
    "degree_country": "Việt Nam",
    "field": "102 Khoa học máy tính và thông tin",
    "political_theory": "Cao cấp",
    "sector": "Đơn vị sự nghiệp công lập",
    "status": "Đang công tác",
    "email": "nguyenvanmau@example.gov.vn",
    "phone": "0912 345 678",
    "address": "",
    "keywords": "trí tuệ nhân tạo, dữ liệu lớn",
    "note": "",
}


def build_template(*, unit_code: str = "") -> bytes:
    """The .xlsx template (Vietnamese whatever the interface language)."""
    with translation.override("vi"):
        return _build(unit_code)


def _build(unit_code: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    header = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"}
    )
    example = book.add_format({"italic": True, "font_color": "#595959", "num_format": "@"})
    text = book.add_format({"num_format": "@"})
    title_format = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet(DATA_SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)
    lists_sheet = book.add_worksheet(LIST_SHEET)
    lists = _lists()
    ranges: dict[str, str] = {}
    for position, (name, values) in enumerate(lists.items()):
        lists_sheet.write(0, position, name)
        for row, value in enumerate(values, start=1):
            lists_sheet.write_string(row, position, value)
        letter = column_letter(position)
        ranges[name] = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    lists_sheet.hide()

    for position, column in enumerate(TEMPLATE_COLUMNS):
        sheet.write_string(0, position, column.label, required if column.required else header)
        if column.note:
            sheet.write_comment(0, position, column.note, {"x_scale": 2.2, "y_scale": 1.6})
        sheet.set_column(position, position, column.width, text)
        value = EXAMPLE.get(column.field, "")
        if column.field == "unit_code":
            value = unit_code
        if isinstance(value, int):
            sheet.write_number(1, position, value, example)
        else:
            sheet.write_string(1, position, str(value), example)
        if column.field in lists:
            sheet.data_validation(
                1, position, VALIDATED_ROWS, position,
                {
                    "validate": "list",
                    "source": ranges[column.field],
                    # Agencies write variants ("PGS.TS", "Th.S"): warn, do not block.
                    "error_type": "warning",
                    "error_title": _("Giá trị ngoài danh sách"),
                    "error_message": _(
                        "Giá trị này không có trong danh sách. Hệ thống vẫn thử nhận ra khi "
                        "nhập; nếu không được, báo cáo kiểm tra sẽ chỉ ra."
                    ),
                },
            )  # fmt: skip
    sheet.freeze_panes(1, 2)
    sheet.set_row(0, 42)
    sheet.autofilter(0, 0, 1, len(TEMPLATE_COLUMNS) - 1)
    sheet.activate()

    guide.set_column(0, 0, 120)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    lines = [
        _("Nhập danh sách trí thức — tệp mẫu phiên bản %(v)s") % {"v": TEMPLATE_VERSION},
        _(
            "1. Điền mỗi người một dòng ở trang “%(sheet)s”, bắt đầu từ dòng 2 (xóa hoặc thay "
            "dòng ví dụ in nghiêng)."
        )
        % {"sheet": DATA_SHEET},
        _(
            "2. Cột bắt buộc (tiêu đề màu cam): Họ và tên, Ngày sinh, Giới tính. Di chuột lên "
            "tiêu đề cột để xem ghi chú."
        ),
        _(
            "3. Số định danh cá nhân (12 chữ số) giúp nhận ra người đã có trong hệ thống: nhập "
            "lại tệp đã sửa sẽ cập nhật, không tạo trùng. Định dạng cột này là Văn bản."
        ),
        _(
            "4. Ngày ghi ngày/tháng/năm (15/03/1975); chỉ biết năm thì ghi năm. Học hàm, trình "
            "độ, lĩnh vực chọn trong danh sách thả xuống; cách viết quen thuộc (PGS.TS, Th.S, "
            "BS CKII) cũng được nhận ra."
        ),
        _(
            "5. Có thể dùng mẫu của cơ quan mình: hệ thống nhận ra tên cột thường gặp (Họ tên, "
            "Năm sinh, Học vị…) và cho ghép lại cột trước khi kiểm tra."
        ),
        _(
            "6. Tối đa %(rows)s dòng, tệp không quá %(mb)s MB, dạng .xlsx hoặc .csv (UTF-8, "
            "UTF-16 hoặc Windows-1258)."
        )
        % {"rows": thousands(MAX_ROWS), "mb": MAX_FILE_BYTES // 1024 // 1024},
        _(
            "7. Sau khi tải lên, hệ thống kiểm tra từng dòng và báo lỗi theo dòng, cột; chưa ghi "
            "gì cho đến khi bạn bấm “Ghi vào hệ thống”. Dòng có lỗi không được ghi."
        ),
        _(
            "8. Cột không có trong mẫu được bỏ qua. Ô để trống không xóa dữ liệu đã có trong hệ "
            "thống."
        ),
    ]
    for row, line in enumerate(lines):
        guide.write_string(row, 0, line, title_format if row == 0 else wrap)
    guide.write_string(len(lines) + 1, 0, f"trithuc-template-version: {TEMPLATE_VERSION}")
    book.close()
    return output.getvalue()


# ---- export -----------------------------------------------------------------------------------


def _country_name(code: str) -> str:
    if not code or code == "VN":
        return "Việt Nam" if code else ""
    with translation.override("vi"):
        return str(dict(countries).get(code, code))


def _current_position(person: Person, today: Any) -> Any:
    current = [
        p
        for p in person.positions.all()
        if p.is_primary and p.start <= today and (p.end is None or p.end >= today)
    ]
    return max(current, key=lambda p: p.start, default=None)


def export_values(person: Person, today: Any) -> dict[str, Any]:
    """One person as the template's cells (the citizen ID, ethnicity and religion are not
    exported: sensitive, and not needed to match the person on import)."""
    degree = max(person.degrees.all(), key=lambda d: (d.level.rank, d.year), default=None)
    titles = [t for t in person.titles.all() if not t.revoked and t.appointment != "not_appointed"]
    title = max(titles, key=lambda t: (t.kind == "GS", t.year), default=None)
    position = _current_position(person, today)
    expertise = sorted(person.expertise.all(), key=lambda e: (not e.is_primary, e.pk))
    field = expertise[0].field if expertise else None
    birth = (
        str(person.birth_date.year)
        if person.birth_date_precision == choices.BirthDatePrecision.YEAR
        else person.birth_date.strftime("%d/%m/%Y")
    )
    return {
        "full_name": person.full_name,
        "birth": birth,
        "gender": person.get_gender_display(),
        "unit_code": person.organization.code,
        "job_title": position.job_title if position else "",
        "position_start": position.start.strftime("%d/%m/%Y") if position else "",
        "title": title.kind if title else "",
        "title_year": title.year if title else "",
        "degree": degree.level.name if degree else "",
        "major": degree.major if degree else "",
        "degree_year": degree.year if degree else "",
        "institution": degree.institution if degree else "",
        "degree_country": _country_name(str(degree.country)) if degree else "",
        "field": f"{field.code} {field.name}" if field else "",
        "political_theory": person.get_political_theory_display()
        if person.political_theory
        else "",
        "sector": person.get_sector_display(),
        "status": person.get_status_display(),
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "keywords": person.keywords,
    }


def export_queryset(queryset: Any) -> Any:
    from django.db.models import Prefetch

    from trithuc.registry.models import Degree, Expertise

    return queryset.select_related("organization").prefetch_related(
        Prefetch("degrees", queryset=Degree.objects.select_related("level")),
        "titles",
        "positions",
        Prefetch("expertise", queryset=Expertise.objects.select_related("field")),
    )


def export_people(people: Iterable[Person], today: Any) -> bytes:
    """The people in the template's layout, one sheet, constant memory."""
    with translation.override("vi"):
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
        sheet = book.add_worksheet(DATA_SHEET)
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for position, column in enumerate(TEMPLATE_COLUMNS):
            sheet.write_string(0, position, column.label, header)
            sheet.set_column(position, position, column.width)
        count = 0
        for count, person in enumerate(people, start=1):
            values = export_values(person, today)
            values["row_number"] = count
            for position, column in enumerate(TEMPLATE_COLUMNS):
                value = values.get(column.field, "")
                if value == "" or value is None:
                    continue
                if isinstance(value, int):
                    sheet.write_number(count, position, value)
                else:
                    sheet.write_string(count, position, str(value))
        sheet.freeze_panes(1, 2)
        book.close()
        return output.getvalue()

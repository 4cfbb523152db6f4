"""Fixtures of the intake tests: an agency with units, its HR officer, files built on the fly."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.factories import OrganizationFactory

HEADER = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Mã đơn vị",
    "Chức vụ, chức danh", "Học hàm", "Năm công nhận học hàm", "Trình độ chuyên môn",
    "Chuyên ngành", "Năm tốt nghiệp", "Lĩnh vực khoa học",
]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agency(tree):
    """DEPT_A (Sở Nội vụ) with two units of its own besides UNIT_A1."""
    OrganizationFactory(code="DEPT_A-P1", name="Phòng Công chức", parent=tree["dept_a"])
    OrganizationFactory(code="DEPT_A-P2", name="Phòng Đào tạo", parent=tree["dept_a"])
    return tree["dept_a"]


@pytest.fixture
def officer(agency, make_staff):
    return make_staff("hr_officer", agency)


def citizen_id(gender: str, year: int, serial: int) -> str:
    marker = 2 * ((year - 1900) // 100) + (1 if gender == "female" else 0)
    return f"001{marker}{year % 100:02d}{serial:06d}"


def person_row(n: int, **changes) -> list:
    """A valid row of HEADER: a man born 1970+n%30 with a TS in computer science."""
    year = 1970 + n % 30
    row = {
        "STT": n,
        "Họ và tên": f"Nguyễn Văn {chr(65 + n % 26)}{'a' * (n // 26 % 3)}nh",
        "Ngày sinh": f"{1 + n % 28:02d}/{1 + n % 12:02d}/{year}",
        "Giới tính": "Nam",
        "Số định danh cá nhân": citizen_id("male", year, 500000 + n),
        "Mã đơn vị": "DEPT_A-P1",
        "Chức vụ, chức danh": "Chuyên viên",
        "Học hàm": "",
        "Năm công nhận học hàm": "",
        "Trình độ chuyên môn": "Tiến sĩ",
        "Chuyên ngành": "Khoa học máy tính",
        "Năm tốt nghiệp": year + 30,
        "Lĩnh vực khoa học": "102",
    }
    row.update({k.replace("_", " "): v for k, v in changes.items()})
    return [row[h] for h in HEADER]


def write_xlsx(path: Path, rows: list[list], header: list | None = HEADER, *, above=()) -> Path:
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
    return path


def write_csv(path: Path, rows: list[list], header: list = HEADER, encoding="utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path

"""Intake benchmark: stage and validate a 100,000-row, 25-column agency file end to end.

A file like an agency's (xlsxwriter, constant memory) is checked by the staging job's
function (`batch_stage`: read, parse, check every cell, match against the registry, keep the
rows with issues), timed against the targets: at least 5,000 rows a second, at most 1 GB of
peak memory. For scale it also prints a bare openpyxl read-only pass over the same file and
a bare calamine pass (the reader staging uses), with the ratios.

Run by `python -m bench` or alone: `python -m bench intake` (`--rows N` for a quicker run).
Django must be set up and migrated by the caller; DATABASE_URL picks SQLite or PostgreSQL.
"""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path

ROWS_TARGET_PER_S = 5_000
MEMORY_TARGET_MB = 1024
DEFAULT_ROWS = 100_000

HEADER = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc",
    "Mã đơn vị", "Chức vụ, chức danh", "Ngày giữ chức vụ", "Học hàm", "Năm công nhận học hàm",
    "Trình độ chuyên môn", "Chuyên ngành", "Năm tốt nghiệp", "Cơ sở đào tạo", "Nước đào tạo",
    "Lĩnh vực khoa học", "Lý luận chính trị", "Khu vực công tác", "Tình trạng",
    "Thư điện tử", "Điện thoại", "Địa chỉ", "Từ khóa chuyên môn", "Ghi chú",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Minh", "Thanh", "Hồng", "Bích", "Phương"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khoa", "Long", "Nam", "Phong", "Quân",
           "Sơn", "Thắng", "Tuấn", "Việt"]  # fmt: skip
GIVEN_F = ["Anh", "Châu", "Giang", "Hà", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân",
           "Nhung", "Thảo", "Trang", "Yến"]  # fmt: skip
DEGREES = [("PGS.TS", "PGS"), ("Tiến sĩ", ""), ("TS", ""), ("Th.S", ""), ("Thạc sỹ", ""),
           ("BS CKII", ""), ("Cử nhân", ""), ("KS", ""), ("Đại học", "")]  # fmt: skip
JOBS = ["Chuyên viên", "Chuyên viên chính", "Giảng viên", "Nghiên cứu viên", "Bác sĩ",
        "Trưởng phòng", "Phó Trưởng phòng", "Giám đốc", "Kỹ sư"]  # fmt: skip
MAJORS = ["Khoa học máy tính", "Kinh tế", "Luật", "Y học", "Xây dựng", "Ngữ văn", "Hóa học"]
FIELDS = ["101", "102 Khoa học máy tính và thông tin", "201", "302", "502", "505", "602"]
UNITS = [f"BENCH-U{i}" for i in range(20)]


def build_file(path: Path, rows: int, seed: int = 45) -> None:
    """An agency's list: 25 columns, dates and years as agencies write them."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, HEADER)
    for r in range(1, rows + 1):
        female = rng.random() < 0.45
        year = rng.randint(1955, 1998)
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
        name = f"{rng.choice(FAMILY)} {middle} {given}"
        marker = 2 * ((year - 1900) // 100) + (1 if female else 0)
        degree, title = rng.choice(DEGREES)
        if title and year > 1978:
            degree, title = "Tiến sĩ", ""
        values = [
            r,
            name if rng.random() > 0.05 else name.upper(),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
            if rng.random() > 0.1
            else str(year),
            "Nữ" if female else "Nam",
            f"001{marker}{year % 100:02d}{r:06d}",
            "Kinh",
            rng.choice(UNITS),
            rng.choice(JOBS),
            f"01/{rng.randint(1, 12):02d}/{rng.randint(2005, 2024)}",
            title,
            str(year + 42) if title else "",
            degree,
            rng.choice(MAJORS),
            str(min(year + rng.randint(24, 34), 2024)),
            "Đại học Quốc gia Hà Nội",
            rng.choice(["Việt Nam", "Nhật Bản", "Pháp", "Nga"]),
            rng.choice(FIELDS),
            rng.choice(["Cao cấp", "Trung cấp", ""]),
            "Đơn vị sự nghiệp công lập",
            "Đang công tác",
            f"nguoi{r}@example.gov.vn",
            f"09{rng.randint(10_000_000, 99_999_999)}",
            f"Số {rng.randint(1, 300)} phố Huế, Hà Nội",
            "dữ liệu, quản lý",
            "",
        ]
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    book.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(rows: int = DEFAULT_ROWS) -> dict[str, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from trithuc.accounts.models import User
    from trithuc.accounts.services import membership_grant
    from trithuc.intake.services import batch_create, batch_layout, batch_stage
    from trithuc.organizations.models import Organization

    agency = Organization.objects.filter(code="BENCH-AGENCY").first()
    if agency is None:
        agency = Organization.objects.create(
            code="BENCH-AGENCY", name="Sở thử nghiệm hiệu năng", type="department"
        )
        for code in UNITS:
            Organization.objects.create(
                code=code, name=f"Đơn vị {code}", type="other", parent=agency
            )
    user = User.objects.filter(username="bench.intake").first()
    if user is None:
        user = User.objects.create_user("bench.intake")
        membership_grant(user=user, organization=agency, role="hr_officer", acting_user=None)

    with tempfile.TemporaryDirectory(prefix="trithuc-intake-") as tmp:
        path = Path(tmp) / "danh-sach-100000.xlsx"
        start = time.perf_counter()
        build_file(path, rows)
        size_mb = path.stat().st_size / 1024 / 1024
        print(
            f"intake: built {rows:,} rows × {len(HEADER)} columns ({size_mb:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        from django.conf import settings

        settings.MEDIA_ROOT = tmp
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
        before_mb = peak_mb()
        start = time.perf_counter()
        batch = batch_create(uploaded=uploaded, organization=agency, acting_user=user)
        batch_layout(batch, saved={})
        batch_stage(batch)
        staged_s = time.perf_counter() - start
        batch.refresh_from_db()
        assert batch.status == "staged", batch.file_issues
        assert batch.rows == rows, (batch.rows, rows)
        rate = rows / staged_s
        print(
            f"intake: staged and validated {batch.rows:,} rows on {connection.vendor} in "
            f"{staged_s:.1f} s = {rate:,.0f} rows/s (target ≥ {ROWS_TARGET_PER_S:,}: "
            f"{'OK' if rate >= ROWS_TARGET_PER_S else 'UNDER'}); valid {batch.valid:,}, "
            f"errors {batch.errors:,}, warnings {batch.warnings:,}, new {batch.new:,}"
        )
        memory = peak_mb()
        print(
            f"intake: peak memory of the process {memory:,.0f} MB (before staging "
            f"{before_mb:,.0f} MB; target ≤ {MEMORY_TARGET_MB:,}: "
            f"{'OK' if memory <= MEMORY_TARGET_MB else 'OVER'})"
        )

        from openpyxl import load_workbook

        start = time.perf_counter()
        book = load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        openpyxl_s = time.perf_counter() - start
        print(
            f"intake: bare openpyxl read-only pass ({count:,} rows) {openpyxl_s:.1f} s; "
            f"staging / bare openpyxl read = {staged_s / openpyxl_s:.2f}"
        )
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        count = sum(1 for _row in sheet.iter_rows())
        calamine_s = time.perf_counter() - start
        print(
            f"intake: bare calamine pass ({count:,} rows) {calamine_s:.1f} s; "
            f"staging / bare calamine read = {staged_s / calamine_s:.2f}"
        )
    return {"rows_per_s": rate, "peak_mb": memory, "openpyxl_s": openpyxl_s}

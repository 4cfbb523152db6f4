"""The plan parser: the Hà Nội appendix (seed 001), deadline phrases, the same appendix as
Word, Excel and CSV, other provinces' prose plans, and files it must refuse."""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from trithuc.plans.parsing import (
    DEADLINE_KINDS,
    RECURRENCES,
    PlanParseError,
    parse_deadline,
    parse_plan,
    parse_prose,
    parse_table_text,
    parse_text,
)

SEEDS = Path(__file__).resolve().parent / "corpus" / "seeds"
SEED_001 = SEEDS / "001_29bde5dc7e6a600c.txt"
SEED_000 = SEEDS / "000_0ee0db007cfa78eb.txt"
CORPUS = Path(__file__).resolve().parent / "corpus"


# ---- seed 001: the Hà Nội appendix ----------------------------------------------------------


@pytest.fixture(scope="module")
def hanoi():
    return parse_plan(SEED_001)


def by_ref(parse):
    return {task.ref: task for task in parse.tasks}


def test_seed_001_has_30_tasks_in_5_sections(hanoi):
    assert hanoi.source_kind == "text_table"
    assert hanoi.document_year == 2024
    assert len(hanoi.tasks) == 30
    assert [s.number for s in hanoi.sections] == ["I", "II", "III", "IV", "V"]
    assert [len(hanoi.tasks_in(s.number)) for s in hanoi.sections] == [3, 4, 5, 13, 5]
    assert hanoi.sections[2].title.startswith("Tăng cường quản lý nhà nước, hoàn thiện")
    assert [t.number for t in hanoi.tasks_in("IV")] == [f"{n}." for n in range(1, 14)]
    # Nothing in this table needs a person's attention: every lead and deadline is understood.
    assert [t.ref for t in hanoi.tasks if t.warnings] == []
    assert not any(t.proposed for t in hanoi.tasks)


@pytest.mark.parametrize(
    ("ref", "lead"),
    [
        ("I.1", "Sở Thông tin và Truyền thông"),
        ("I.2", "Các Sở, ngành, địa phương"),
        ("II.1", "Sở Nội vụ"),
        ("II.3", "Sở Khoa học và Công nghệ"),
        ("II.4", "Trường Đại học Thủ đô Hà Nội"),
        ("III.2", "Các sở, ngành"),
        ("III.3", "Ban Quản lý Khu Công nghệ cao Hòa Lạc"),
        ("III.4", "Sở Văn hóa và Thể thao"),
        ("III.5", "Sở Nội vụ"),
        ("IV.1", "Sở Kế hoạch và Đầu tư"),
        ("IV.2", "Sở Ngoại vụ"),
        ("IV.10", "Ngân hàng nhà nước Việt Nam chi nhánh Hà Nội"),
        ("IV.11", "Sở Tài chính"),
        ("IV.13", "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội"),
        ("V.1", "Sở Nội vụ"),
        ("V.4", "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội"),
        ("V.5", "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội"),
    ],
)
def test_seed_001_leads(hanoi, ref, lead):
    assert by_ref(hanoi)[ref].lead == lead


def test_seed_001_the_directing_body_is_not_the_lead(hanoi):
    task = by_ref(hanoi)["I.1"]
    assert task.lead == "Sở Thông tin và Truyền thông"
    assert task.directed_by == ["Ban Tuyên giáo Thành ủy"]
    assert task.coordinators == ["Các Sở, ngành, đơn vị liên quan"]


@pytest.mark.parametrize(
    ("ref", "kind", "due", "start", "recurrence", "text"),
    [
        ("I.1", "recurring", None, None, "ongoing", "Thường xuyên"),
        ("I.3", "quarter", date(2024, 6, 30), None, None, "Quý II/2024"),
        ("II.1", "year", date(2024, 12, 31), None, None, "2024"),
        ("III.2", "from", None, date(2024, 4, 1), None, "Thực hiện từ Quý II/2024"),
        ("III.5", "year", date(2025, 12, 31), None, None, "2025"),
        ("IV.12", "year", date(2025, 12, 31), None, None, "2025"),
        ("IV.13", "from", None, date(2024, 1, 1), None, "Thực hiện từ năm 2024"),
        ("V.5", "recurring", None, None, "yearly", "Hàng năm"),
    ],
)
def test_seed_001_deadlines(hanoi, ref, kind, due, start, recurrence, text):
    deadline = by_ref(hanoi)[ref].deadline
    assert (deadline.kind, deadline.due, deadline.start, deadline.recurrence, deadline.text) == (
        kind,
        due,
        start,
        recurrence,
        text,
    )


def test_seed_001_database_task_of_the_home_affairs_department(hanoi):
    task = by_ref(hanoi)["III.5"]
    assert task.content.startswith("Xây dựng cơ sở dữ liệu về đội ngũ trí thức")
    assert task.lead == "Sở Nội vụ"
    assert task.deadline.due == date(2025, 12, 31)


def test_seed_001_row_split_by_a_page_break_is_one_task(hanoi):
    task = by_ref(hanoi)["V.2"]
    assert "chiến lược, quy hoạch, kế hoạch, công trình" in task.content
    assert task.content.endswith("mục tiêu phát triển kinh tế - xã hội Thủ đô.")
    for header_word in ("Nội dung nhiệm vụ", "Cơ quan chủ trì", "TT"):
        assert header_word not in task.content
    assert task.coordinators == [
        "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội",
        "Hội Liên hiệp Văn học nghệ thuật Hà Nội",
        "các Sở, ngành, đơn vị liên quan",
    ]
    assert task.deadline.due == date(2024, 12, 31)
    assert by_ref(hanoi)["V.3"].content.startswith("Xây dựng cơ chế tạo điều kiện")


def test_seed_001_coordinator_lists_are_split_but_groups_kept(hanoi):
    tasks = by_ref(hanoi)
    assert tasks["IV.7"].coordinators == ["Sở Tài chính", "Sở Khoa học và Công nghệ"]
    assert tasks["II.1"].coordinators == [
        "Các Sở, ngành, đơn vị liên quan",
        "UBND các quận, huyện, thị xã",
    ]
    assert tasks["II.4"].coordinators == [
        "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
        "Trường Đào tạo Cán bộ Lê Hồng Phong",
        "các Sở, ngành, đơn vị liên quan",
    ]
    assert tasks["I.2"].coordinators == []


def test_seed_001_prose_before_the_table_is_ignored(hanoi):
    contents = " ".join(task.content for task in hanoi.tasks)
    assert "Đề nghị Ban Tuyên giáo" not in contents
    assert "Nơi nhận" not in contents
    assert min(task.source_line for task in hanoi.tasks) > 200


def test_seed_001_body_read_as_prose_proposes_the_same_agencies():
    text = SEED_001.read_text(encoding="utf-8")
    body = text[: text.index("Nơi nhận")]
    parse = parse_prose(body, document_year=2024)
    assert all(task.proposed for task in parse.tasks)
    leads = {task.lead for task in parse.tasks}
    assert {"Sở Nội vụ", "Sở Khoa học và Công nghệ", "Sở Ngoại vụ"} <= leads
    database = [t for t in parse.tasks if t.content.startswith("Xây dựng cơ sở dữ liệu")]
    assert [t.lead for t in database] == ["Sở Nội vụ"]
    lhh = [t for t in parse.tasks if t.content.startswith("Xây dựng Đề án củng cố")]
    assert lhh[0].lead == "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội"
    assert lhh[0].coordinators[:2] == ["Sở Nội vụ", "Sở Khoa học và Công nghệ"]


def test_seed_000_programme_proposes_tasks_from_its_organisation_section():
    parse = parse_plan(SEED_000)
    assert parse.source_kind == "prose"
    assert parse.tasks and all(task.proposed for task in parse.tasks)
    leads = [task.lead for task in parse.tasks]
    assert "Ban Thường vụ Thành ủy" in leads
    assert "Ban cán sự Đảng Ủy ban nhân dân Thành phố" in leads
    yearly = [t for t in parse.tasks if t.content.startswith("Hàng năm kiểm tra")]
    assert yearly[0].deadline.recurrence == "yearly"


# ---- deadlines ------------------------------------------------------------------------------

D = date
DEADLINES = [
    # (text, kind, due, start, recurrence)
    ("Quý II/2024", "quarter", D(2024, 6, 30), None, None),
    ("Quý I/2025", "quarter", D(2025, 3, 31), None, None),
    ("Quý III/2024", "quarter", D(2024, 9, 30), None, None),
    ("QUÝ IV/2025", "quarter", D(2025, 12, 31), None, None),
    ("Quý 2/2024", "quarter", D(2024, 6, 30), None, None),
    ("quý II năm 2024", "quarter", D(2024, 6, 30), None, None),
    ("Q2/2024", "quarter", D(2024, 6, 30), None, None),
    ("Quy III/2024", "quarter", D(2024, 9, 30), None, None),
    ("Hoàn thành trong quý III/2024", "quarter", D(2024, 9, 30), None, None),
    ("Hoan thanh trong quy 3 nam 2024", "quarter", D(2024, 9, 30), None, None),
    ("Quý II-III/2024", "quarter", D(2024, 9, 30), D(2024, 4, 1), None),
    ("Từ Quý II/2024 đến Quý IV/2025", "quarter", D(2025, 12, 31), D(2024, 4, 1), None),
    ("Trước Quý III/2024", "quarter", D(2024, 6, 30), None, None),
    ("Tháng 6/2024", "date", D(2024, 6, 30), None, None),
    ("tháng 6 năm 2024", "date", D(2024, 6, 30), None, None),
    ("Tháng 02/2024", "date", D(2024, 2, 29), None, None),
    ("T9/2025", "date", D(2025, 9, 30), None, None),
    ("Tháng 9-10/2024", "date", D(2024, 10, 31), D(2024, 9, 1), None),
    ("Trước tháng 6/2024", "date", D(2024, 5, 31), None, None),
    ("30/6/2024", "date", D(2024, 6, 30), None, None),
    ("trước 30/6/2024", "date", D(2024, 6, 30), None, None),
    ("Trước ngày 30/6/2024", "date", D(2024, 6, 30), None, None),
    ("ngày 15 tháng 8 năm 2024", "date", D(2024, 8, 15), None, None),
    ("30-6-2024", "date", D(2024, 6, 30), None, None),
    ("2024-06-30", "date", D(2024, 6, 30), None, None),
    ("6 tháng đầu năm 2024", "date", D(2024, 6, 30), None, None),
    ("6 tháng cuối năm 2024", "date", D(2024, 12, 31), None, None),
    ("2024", "year", D(2024, 12, 31), None, None),
    ("Năm 2024", "year", D(2024, 12, 31), None, None),
    ("Hoàn thành năm 2025", "year", D(2025, 12, 31), None, None),
    ("Hoàn thành trong năm 2025", "year", D(2025, 12, 31), None, None),
    ("Cuối năm 2024", "year", D(2024, 12, 31), None, None),
    ("Trước năm 2025", "year", D(2024, 12, 31), None, None),
    ("2024-2025", "year", D(2025, 12, 31), D(2024, 1, 1), None),
    ("2024 - 2030", "year", D(2030, 12, 31), D(2024, 1, 1), None),
    ("2024 – 2030", "year", D(2030, 12, 31), D(2024, 1, 1), None),
    ("Giai đoạn 2024-2026", "year", D(2026, 12, 31), D(2024, 1, 1), None),
    ("Từ năm 2024 đến năm 2030", "year", D(2030, 12, 31), D(2024, 1, 1), None),
    ("Thường xuyên", "recurring", None, None, "ongoing"),
    ("Thuong xuyen", "recurring", None, None, "ongoing"),
    ("Hàng năm", "recurring", None, None, "yearly"),
    ("Hằng năm", "recurring", None, None, "yearly"),
    ("Định kỳ hàng năm", "recurring", None, None, "yearly"),
    ("Thường xuyên, hằng năm", "recurring", None, None, "yearly"),
    ("Hàng quý", "recurring", None, None, "quarterly"),
    ("Định kỳ hằng quý", "recurring", None, None, "quarterly"),
    ("Thực hiện từ Quý II/2024", "from", None, D(2024, 4, 1), None),
    ("Thực hiện từ năm 2024", "from", None, D(2024, 1, 1), None),
    ("Thực hiện từ tháng 5/2024", "from", None, D(2024, 5, 1), None),
    ("Từ năm 2025 trở đi", "from", None, D(2025, 1, 1), None),
    ("Năm 2024 và các năm tiếp theo", "from", None, D(2024, 1, 1), None),
    ("Bắt đầu từ quý IV/2024", "from", None, D(2024, 10, 1), None),
    ("Thường xuyên từ năm 2025", "from", None, D(2025, 1, 1), "ongoing"),
    ("", "none", None, None, None),
    ("-", "none", None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "due", "start", "recurrence"), DEADLINES)
def test_deadline_phrases(text, kind, due, start, recurrence):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due, deadline.start, deadline.recurrence) == (
        kind,
        due,
        start,
        recurrence,
    )
    assert deadline.text == text.strip()
    assert deadline.warnings == ()


def test_deadline_yearly_with_a_day():
    deadline = parse_deadline("Trước ngày 15/12 hàng năm")
    assert (deadline.kind, deadline.recurrence, deadline.month_day) == ("recurring", "yearly",
                                                                         (12, 15))  # fmt: skip
    assert deadline.due is None
    with_year = parse_deadline("Trước ngày 15/12 hàng năm", document_year=2025)
    assert with_year.due == date(2025, 12, 15)
    assert parse_deadline("Quý IV hằng năm", document_year=2025).month_day == (12, 31)


def test_deadline_without_a_year_takes_the_documents_with_a_warning():
    deadline = parse_deadline("Quý II", document_year=2025)
    assert (deadline.kind, deadline.due) == ("quarter", date(2025, 6, 30))
    assert "2025" in deadline.warnings[0]
    unknown_year = parse_deadline("Quý II")
    assert unknown_year.kind == "none"
    assert "năm" in unknown_year.warnings[0]


def test_deadline_to_dict_has_the_spec_keys():
    assert parse_deadline("Thực hiện từ Quý II/2024").to_dict() == {
        "kind": "from",
        "due": None,
        "start": "2024-04-01",
        "recurrence": None,
        "text": "Thực hiện từ Quý II/2024",
    }


@pytest.mark.parametrize("text", ["Theo chỉ đạo của Bộ Nội vụ", "Khi có hướng dẫn", "31/2/2024"])
def test_unknown_deadline_is_none_with_a_vietnamese_warning(text):
    deadline = parse_deadline(text)
    assert deadline.kind == "none"
    assert deadline.due is None
    assert deadline.warnings and ("thời hạn" in deadline.warnings[0].lower()
                                  or "không phải ngày" in deadline.warnings[0])  # fmt: skip


def test_monthly_is_kept_as_ongoing_with_a_warning():
    deadline = parse_deadline("Hàng tháng")
    assert (deadline.kind, deadline.recurrence) == ("recurring", "ongoing")
    assert deadline.warnings


@given(text=st.text(max_size=80))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_parse_deadline_never_fails(text):
    deadline = parse_deadline(text, document_year=2025)
    assert deadline.kind in DEADLINE_KINDS
    assert deadline.recurrence in (*RECURRENCES, None)
    if deadline.kind in ("date", "quarter", "year"):
        assert deadline.due is not None


QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@given(
    quarter=st.integers(1, 4),
    year=st.integers(2000, 2099),
    word=st.sampled_from(["Quý", "quý", "QUÝ", "Quy", "quy", "Q", "Q."]),
    roman=st.booleans(),
    separator=st.sampled_from(["/", " năm ", " - ", "/ "]),
    prefix=st.sampled_from(["", "Hoàn thành trong ", "Trong ", "Chậm nhất ", "hoàn thành "]),
)
def test_any_way_of_writing_a_quarter_ends_on_its_last_day(
    quarter, year, word, roman, separator, prefix
):
    number = ROMAN[quarter] if roman else str(quarter)
    if word.startswith("Q") and len(word) <= 2:
        separator = "/"
    deadline = parse_deadline(f"{prefix}{word} {number}{separator}{year}")
    assert deadline.kind == "quarter"
    assert deadline.due == date(year, *QUARTER_END[quarter])
    start = parse_deadline(f"Thực hiện từ {word} {number}{separator}{year}")
    assert (start.kind, start.start) == ("from", date(year, 3 * quarter - 2, 1))


# ---- the same small appendix as text, Word, Excel and CSV -----------------------------------

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
APPENDIX = [
    ("I", "Tuyên truyền, nâng cao nhận thức", None),
    ("1", "Tuyên truyền Nghị quyết số 45-NQ/TW trên các phương tiện thông tin đại chúng",
     ("Sở Văn hóa và Thể thao", "Các sở, ngành, UBND các xã, phường", "Thường xuyên")),
    ("2", "Tổ chức hội nghị quán triệt Kế hoạch tới cán bộ, công chức, viên chức",
     ("Sở Nội vụ", "Sở Khoa học và Công nghệ, Sở Tài chính", "Quý II/2025")),
    ("II", "Xây dựng cơ sở dữ liệu trí thức", None),
    ("1", "Xây dựng cơ sở dữ liệu về đội ngũ trí thức là cán bộ, công chức, viên chức",
     ("Sở Nội vụ", "Sở Khoa học và Công nghệ", "Hoàn thành trong năm 2026")),
    ("2", "Cập nhật, khai thác cơ sở dữ liệu phục vụ dự báo nhu cầu nhân lực",
     ("Sở Nội vụ", "Các sở, ngành, địa phương", "Thực hiện từ Quý III/2026")),
    ("3", "Báo cáo kết quả thực hiện Kế hoạch",
     ("Sở Khoa học và Công nghệ", "Các sở, ngành, đơn vị liên quan", "Trước ngày 15/12 hàng năm")),
    ("4", "Tổng kết 5 năm thực hiện Kế hoạch", ("Sở Nội vụ", "", "Năm 2030")),
]  # fmt: skip
EXPECTED = [
    ("I.1", "Sở Văn hóa và Thể thao", ["Các sở, ngành", "UBND các xã, phường"],
     ("recurring", None, None, "ongoing")),
    ("I.2", "Sở Nội vụ", ["Sở Khoa học và Công nghệ", "Sở Tài chính"],
     ("quarter", date(2025, 6, 30), None, None)),
    ("II.1", "Sở Nội vụ", ["Sở Khoa học và Công nghệ"], ("year", date(2026, 12, 31), None, None)),
    ("II.2", "Sở Nội vụ", ["Các sở, ngành, địa phương"], ("from", None, date(2026, 7, 1), None)),
    ("II.3", "Sở Khoa học và Công nghệ", ["Các sở, ngành, đơn vị liên quan"],
     ("recurring", date(2025, 12, 15), None, "yearly")),
    ("II.4", "Sở Nội vụ", [], ("year", date(2030, 12, 31), None, None)),
]  # fmt: skip
TITLE = "Kèm theo Kế hoạch số 88/KH-UBND ngày 10 tháng 4 năm 2025 của UBND tỉnh"


def summary(parse):
    return [
        (
            t.ref,
            t.lead,
            t.coordinators,
            (t.deadline.kind, t.deadline.due, t.deadline.start, t.deadline.recurrence),
        )
        for t in parse.tasks
    ]


def assert_small_appendix(parse):
    assert summary(parse) == EXPECTED
    assert [(s.number, s.title) for s in parse.sections] == [
        ("I", "Tuyên truyền, nâng cao nhận thức"),
        ("II", "Xây dựng cơ sở dữ liệu trí thức"),
    ]
    contents = {t.ref: t.content for t in parse.tasks}
    assert contents["II.3"] == "Báo cáo kết quả thực hiện Kế hoạch"
    assert contents["I.1"].startswith("Tuyên truyền Nghị quyết số 45-NQ/TW")
    assert parse.document_year == 2025


def appendix_rows():
    for number, content, task in APPENDIX:
        if task is None:
            yield [number, content, "", "", ""]
        else:
            yield [f"{number}.", content, *task]


def test_small_appendix_as_tab_separated_text():
    lines = ["PHỤ LỤC", TITLE, "", "\t".join(HEADER)]
    rows = list(appendix_rows())
    for row in rows[:-2]:
        lines.append("\t".join(row))
    # "Báo cáo kết quả thực hiện Kế hoạch" split by a page break, the header repeated.
    lines += ["3.\tBáo cáo kết quả thực hiện\tSở Khoa học và Công nghệ\tCác sở, ngành, đơn vị\t"
              "Trước ngày 15/12 hàng năm", "", "5", "", "\t".join(HEADER),
              "\tKế hoạch\t\tliên quan\t", "\t".join(rows[-1])]  # fmt: skip
    assert_small_appendix(parse_text("\n".join(lines)))


def test_small_appendix_as_a_markdown_table():
    lines = [TITLE, "", "| " + " | ".join(HEADER) + " |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in appendix_rows()]
    assert_small_appendix(parse_text("\n".join(lines)))


def _bold(cell):
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


def _docx_header(table):
    top, bottom = table.add_row().cells, table.add_row().cells
    top[0].text, top[1].text, top[2].text, top[4].text = (
        "TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Thời gian hoàn thành",
    )  # fmt: skip
    bottom[2].text, bottom[3].text = "Chủ trì", "Phối hợp"
    for i in (0, 1, 4):
        top[i].merge(bottom[i])
    top[2].merge(top[3])


def make_docx(path: Path) -> Path:
    """Two-row header with merged cells, section rows merged across, a lead merged over two
    tasks, the header repeated mid-table, a row split between two tables, a cell of two
    paragraphs, and a third table (no header) that continues the second."""
    document = Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH MẪU SƠN")
    document.add_paragraph(TITLE)
    table = document.add_table(rows=0, cols=5)
    _docx_header(table)
    rows = list(appendix_rows())
    task_rows = {}
    for index, row in enumerate(rows[:-2]):
        if index == 4:
            _docx_header(table)  # the header row Word repeats on the next page, pasted as rows
        cells = table.add_row().cells
        if row[0] in ("I", "II"):
            cells[0].text = row[0]
            cells[1].text = row[1]
            merged = cells[1].merge(cells[4])
            _bold(merged)
            _bold(cells[0])
            continue
        cells[0].text, cells[1].text, cells[4].text = row[0], row[1], row[4]
        cells[2].text = row[2]
        if row[1].startswith("Tổ chức hội nghị"):
            cells[3].text = "Sở Khoa học và Công nghệ"
            cells[3].add_paragraph("Sở Tài chính")  # two paragraphs, one agency each
        else:
            cells[3].text = row[3]
        task_rows[row[1][:12]] = cells
    # The lead of "Cập nhật, khai thác…" is merged into the cell above ("Sở Nội vụ").
    above, below = task_rows["Xây dựng cơ "], task_rows["Cập nhật, kh"]
    below[2].text = ""
    above[2].merge(below[2]).text = "Sở Nội vụ"
    last = table.add_row().cells
    last[0].text, last[1].text, last[2].text = "3.", "Báo cáo kết quả thực hiện", rows[-2][2]
    last[3].text, last[4].text = "Các sở, ngành, đơn vị", rows[-2][4]
    document.add_paragraph("5")
    second = document.add_table(rows=0, cols=5)
    _docx_header(second)
    cont = second.add_row().cells
    cont[1].text, cont[3].text = "Kế hoạch", "liên quan"
    document.add_paragraph("")
    third = document.add_table(rows=0, cols=5)
    final = third.add_row().cells
    for i, value in enumerate(rows[-1]):
        final[i].text = value
    document.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    """A title merged across, a two-row header with merges, section rows merged across, a
    lead merged down over two tasks, the header repeated, a row continued on the next."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC NHIỆM VỤ"])
    sheet.merge_cells("A1:E1")
    sheet.append([TITLE])
    sheet.merge_cells("A2:E2")

    def header():
        start = sheet.max_row + 1
        sheet.append(["TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", None, "Thời hạn"])
        sheet.append([None, None, "Chủ trì", "Phối hợp", None])
        for column in "ABE":
            sheet.merge_cells(f"{column}{start}:{column}{start + 1}")
        sheet.merge_cells(f"C{start}:D{start}")

    header()
    rows = list(appendix_rows())
    for index, row in enumerate(rows):
        if index == 4:
            header()
        if row[0] in ("I", "II"):
            sheet.append([row[0], row[1]])
            sheet.merge_cells(f"B{sheet.max_row}:E{sheet.max_row}")
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
            continue
        number = int(row[0].rstrip(".")) if row[0] != "1." else 1  # numbers as numbers
        if row[1].startswith("Báo cáo"):
            sheet.append([number, "Báo cáo kết quả thực hiện", row[2], "Các sở, ngành, đơn vị",
                          row[4]])  # fmt: skip
            sheet.append([None, "Kế hoạch", None, "liên quan", None])
            continue
        lead = None if row[1].startswith("Cập nhật") else row[2]
        sheet.append([number, row[1], lead, row[3] or None, row[4]])
        if row[1].startswith("Cập nhật"):
            sheet.merge_cells(f"C{sheet.max_row - 1}:C{sheet.max_row}")
    workbook.save(str(path))
    return path


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with separate tone marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def csv_text(delimiter: str) -> str:
    def line(cells):
        return delimiter.join(f'"{c}"' if delimiter in c or '"' in c else c for c in cells)

    rows = list(appendix_rows())
    lines = [
        line(["PHỤ LỤC", "", "", "", ""]),
        line([TITLE, "", "", "", ""]),
        line(["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]),
    ]
    for row in rows[:-2]:
        lines.append(line(row))
    lines.append(line(["3", "Báo cáo kết quả thực hiện", rows[-2][2], "Các sở, ngành, đơn vị",
                       rows[-2][4]]))  # fmt: skip
    lines.append(line(["", "Kế hoạch", "", "liên quan", ""]))
    lines.append(line(rows[-1]))
    return "\r\n".join(lines) + "\r\n"


def test_small_appendix_as_docx(tmp_path):
    parse = parse_plan(make_docx(tmp_path / "phu-luc.docx"))
    assert parse.source_kind == "docx_table"
    assert_small_appendix(parse)


def test_small_appendix_as_xlsx(tmp_path):
    parse = parse_plan(make_xlsx(tmp_path / "phu-luc.xlsx"))
    assert parse.source_kind == "xlsx"
    assert_small_appendix(parse)


@pytest.mark.parametrize(
    ("encode", "delimiter"),
    [
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), ";"),
        (lambda text: text.encode("utf-8"), ","),
        (lambda text: text.encode("utf-16"), "\t"),
        (cp1258_bytes, ","),
    ],
    ids=["utf8-bom-semicolon", "utf8-comma", "utf16-tab", "cp1258-comma"],
)
def test_small_appendix_as_csv(tmp_path, encode, delimiter):
    path = tmp_path / "phu-luc.csv"
    path.write_bytes(encode(csv_text(delimiter)))
    parse = parse_plan(path)
    assert parse.source_kind == "csv"
    assert_small_appendix(parse)


def test_format_is_told_by_content_not_name(tmp_path):
    docx = make_docx(tmp_path / "a.docx")
    renamed = tmp_path / "ke-hoach.bin"
    renamed.write_bytes(docx.read_bytes())
    assert_small_appendix(parse_plan(renamed))
    xlsx = make_xlsx(tmp_path / "b.xlsx")
    as_doc = tmp_path / "phu-luc.docx"  # an Excel file with a Word name
    as_doc.write_bytes(xlsx.read_bytes())
    assert parse_plan(as_doc).source_kind == "xlsx"


def test_seed_001_appendix_as_xlsx_gives_the_same_tasks(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    for line in lines[lines.index(next(x for x in lines if x.startswith("TT\t"))) :]:
        if "\t" in line:
            sheet.append([c.replace("<b>", "").replace("</b>", "") or None
                          for c in line.split("\t")])  # fmt: skip
    path = tmp_path / "hanoi.xlsx"
    workbook.save(str(path))
    from_xlsx = parse_plan(path, document_year=2024)
    from_text = parse_plan(SEED_001)
    assert summary(from_xlsx) == summary(from_text)
    assert [t.content for t in from_xlsx.tasks] == [t.content for t in from_text.tasks]


def test_table_with_other_header_words_arabic_sections_and_a_lost_first_cell():
    parse = parse_plan(CORPUS / "table_synonyms.txt")
    assert [s.number for s in parse.sections] == ["1", "2"]
    assert [t.ref for t in parse.tasks] == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    tasks = by_ref(parse)
    assert tasks["1.1"].lead == "Sở KH&CN"
    assert tasks["1.1"].extra == {"product": "Phần mềm"}
    assert tasks["1.2"].coordinators == ["Các sở, ban, ngành", "UBND các xã, phường"]
    assert tasks["1.2"].deadline.recurrence == "quarterly"
    split = tasks["2.1"]
    assert split.content.endswith("lĩnh vực ưu tiên của tỉnh giai đoạn 2026 - 2030")
    assert split.coordinators == ["Sở Tài chính", "Sở Khoa học và Công nghệ"]
    assert split.extra["product"] == "Nghị quyết của HĐND tỉnh"
    assert (tasks["2.2"].lead, tasks["2.2"].directed_by) == (
        "Sở Văn hóa, Thể thao và Du lịch",
        ["UBND tỉnh"],
    )
    assert tasks["2.3"].deadline.start == date(2024, 1, 1)


def test_a_lead_cell_with_two_agencies_keeps_the_first_and_warns():
    text = "\n".join(["\t".join(HEADER), "1.\tRà soát chính sách\tSở Nội vụ, Sở Tài chính\t\t2025"])
    task = parse_table_text(text).tasks[0]
    assert (task.lead, task.coordinators) == ("Sở Nội vụ", ["Sở Tài chính"])
    assert any("nhiều cơ quan" in w for w in task.warnings)


# ---- prose plans ----------------------------------------------------------------------------


def test_prose_lead_in_with_bullets_and_a_deadline_sentence():
    parse = parse_plan(CORPUS / "prose_leadin.txt")
    assert parse.source_kind == "prose"
    assert parse.document_year == 2025
    assert all(task.proposed for task in parse.tasks)
    assert all("xác nhận" in task.warnings[0] for task in parse.tasks)
    assert len(parse.tasks) == 8
    first, second = parse.tasks[:2]
    assert first.content.startswith("Rà soát, thống kê đội ngũ trí thức")
    assert second.content.startswith("Xây dựng cơ sở dữ liệu về đội ngũ trí thức")
    for task in (first, second):
        assert task.lead == "Sở Nội vụ"
        assert task.coordinators == ["Sở Tài chính", "UBND các xã, phường"]
        assert (task.deadline.kind, task.deadline.due) == ("quarter", date(2025, 9, 30))
    science = [t for t in parse.tasks if t.lead == "Sở Khoa học và Công nghệ"]
    assert len(science) == 3
    assert science[0].coordinators == [
        "Sở Giáo dục và Đào tạo",
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
    ]
    # A deadline in the bullet wins over the block's.
    assert [t.deadline.kind for t in science] == ["year", "quarter", "from"]
    assert science[1].content == "Tổ chức diễn đàn trí thức tỉnh Thái Nguyên"
    assert science[2].deadline.start == date(2026, 1, 1)
    party = [t for t in parse.tasks if t.lead == "Ban cán sự đảng Ủy ban nhân dân tỉnh"]
    assert len(party) == 2
    assert party[0].coordinators == ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]
    assert {t.deadline.recurrence for t in party} == {"yearly"}
    budget = parse.tasks[-1]
    assert (budget.lead, budget.coordinators) == ("Sở Tài chính", ["Sở Nội vụ"])
    assert budget.content.startswith("Tham mưu bố trí kinh phí")
    assert (budget.deadline.kind, budget.deadline.month_day) == ("recurring", (12, 15))
    assert [t.section for t in parse.tasks] == ["II.1", "II.1", "II.2", "II.2", "II.2", "II.3",
                                                "II.3", "II.3"]  # fmt: skip


def test_prose_sections_per_agency():
    parse = parse_plan(CORPUS / "prose_agencies.txt")
    assert len(parse.tasks) == 8
    leads = [t.lead for t in parse.tasks]
    assert leads[:3] == ["Sở Khoa học và Công nghệ"] * 3
    assert leads[3:5] == ["Sở Nội vụ"] * 2
    first = parse.tasks[0]
    assert first.number == "a)"
    assert first.content == (
        "Xây dựng Đề án phát triển mạng lưới chuyên gia, nhà khoa học của thành phố"
    )
    assert first.coordinators == ["Sở Nội vụ", "Sở Tài chính", "các đơn vị liên quan"]
    assert (first.deadline.kind, first.deadline.due) == ("quarter", date(2025, 12, 31))
    assert parse.tasks[1].deadline.recurrence == "yearly"
    assert parse.tasks[2].deadline.month_day == (12, 15)
    assert parse.tasks[3].deadline.due == date(2026, 12, 31)
    only_coordinates = parse.tasks[4]
    assert any("phối hợp" in w for w in only_coordinates.warnings)
    assert parse.tasks[5].lead == "Sở Tài chính"
    assert parse.tasks[5].deadline.start == date(2025, 1, 1)
    assert parse.tasks[6].lead == "UBND các xã, phường, đặc khu"
    assert parse.tasks[6].deadline.due == date(2025, 9, 30)
    requested = parse.tasks[7]
    assert requested.lead == "Liên hiệp các Hội Khoa học và Kỹ thuật thành phố"
    assert requested.requested is True
    assert requested.coordinators == ["Sở Khoa học và Công nghệ"]
    assert requested.deadline.recurrence == "ongoing"


def test_prose_mixed_inline_tasks_and_requests():
    parse = parse_plan(CORPUS / "prose_mixed.txt")
    assert len(parse.tasks) == 6
    request = parse.tasks[0]
    assert request.lead == "Ban Tuyên giáo và Dân vận Thành ủy"
    assert request.requested
    assert request.deadline.recurrence == "ongoing"
    culture = parse.tasks[1:3]
    assert {t.lead for t in culture} == {"Sở Văn hóa, Thể thao và Du lịch"}
    assert culture[0].coordinators == ["các sở, ngành, địa phương"]
    assert culture[1].deadline.due == date(2025, 9, 30)
    education = parse.tasks[3]
    assert (education.lead, education.coordinators) == (
        "Sở Giáo dục và Đào tạo",
        ["Trường Đại học Cần Thơ"],
    )
    assert education.deadline.due == date(2025, 12, 31)
    home = parse.tasks[4]
    assert home.lead == "Sở Nội vụ"
    assert home.coordinators == ["Sở Tài chính", "Sở Khoa học và Công nghệ",
                                 "UBND các xã, phường"]  # fmt: skip
    assert home.content.startswith("Rà soát, sửa đổi chính sách")
    assert (home.deadline.kind, home.deadline.due) == ("quarter", date(2026, 6, 30))
    standing = parse.tasks[5]
    assert standing.lead == "Sở Khoa học và Công nghệ"
    assert (standing.deadline.recurrence, standing.deadline.month_day) == ("yearly", (12, 10))
    assert all(0 < t.confidence < 1 for t in parse.tasks)


def test_prose_lead_in_without_bullets_on_one_line():
    text = (
        "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và UBND các xã, phường thực hiện: "
        "Rà soát đội ngũ trí thức.\n"
    )
    parse = parse_text(
        "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và UBND các xã, phường thực hiện:\n"
        "- Rà soát, thống kê đội ngũ trí thức;\n- Xây dựng cơ sở dữ liệu.\n"
        "Thời gian thực hiện: Quý III/2025.\n"
    )
    assert [t.content for t in parse.tasks] == [
        "Rà soát, thống kê đội ngũ trí thức",
        "Xây dựng cơ sở dữ liệu",
    ]
    assert {t.deadline.due for t in parse.tasks} == {date(2025, 9, 30)}
    assert parse_text(text).tasks[0].lead == "Sở Nội vụ"


# ---- bad input ------------------------------------------------------------------------------


def assert_refused(path: Path, *words: str) -> PlanParseError:
    with pytest.raises(PlanParseError) as caught:
        parse_plan(path)
    message = caught.value.message
    assert path.name in message
    for word in words:
        assert word in message
    return caught.value


def test_empty_file(tmp_path):
    path = tmp_path / "trong.txt"
    path.write_bytes(b"")
    assert_refused(path, "trống")


def test_blank_text_file(tmp_path):
    path = tmp_path / "trang.txt"
    path.write_text("\n\n   \n", encoding="utf-8")
    assert_refused(path, "không có nội dung")


def test_binary_junk_named_docx(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(bytes(range(256)) * 40)
    assert_refused(path, ".docx", "Word")


def test_xlsx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_text("TT;Nội dung nhiệm vụ;Cơ quan chủ trì\n1;Rà soát;Sở Nội vụ\n", "utf-8")
    assert_refused(path, "Excel")


def test_damaged_zip_named_docx(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert_refused(path, "hỏng")


def test_zip_that_is_neither_word_nor_excel(tmp_path):
    path = tmp_path / "ke-hoach.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert_refused(path, ".docx")


def test_old_word_format(tmp_path):
    path = tmp_path / "ke-hoach.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert_refused(path, ".doc")


def test_pdf(tmp_path):
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert_refused(path, "PDF")


def test_csv_without_the_expected_headers(tmp_path):
    path = tmp_path / "danh-sach.csv"
    path.write_text("Mã,Tên,Loại hình\nSNV,Sở Nội vụ,department\n", encoding="utf-8")
    error = assert_refused(path, "Cơ quan chủ trì")
    assert error.code == "no_header"


def test_text_table_without_the_expected_headers(tmp_path):
    path = tmp_path / "bang.txt"
    path.write_text("Mã\tTên\tGhi chú\nA\tSở Nội vụ\t\nB\tSở Tài chính\t\n", encoding="utf-8")
    assert_refused(path, "tiêu đề")


def test_xlsx_without_the_expected_headers(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Họ tên", "Năm sinh"])
    workbook.active.append(["Nguyễn Văn An", 1980])
    path = tmp_path / "nhan-su.xlsx"
    workbook.save(str(path))
    assert_refused(path, "tiêu đề")


def test_header_without_rows(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_text("\t".join(HEADER) + "\n", encoding="utf-8")
    assert_refused(path, "không có dòng nhiệm vụ")


def test_text_without_tasks(tmp_path):
    path = tmp_path / "thu-moi.txt"
    path.write_text("Kính mời đồng chí tới dự hội nghị.\nTrân trọng.\n", encoding="utf-8")
    assert_refused(path, "Không tìm thấy nhiệm vụ")


def test_a_10_mb_single_line(tmp_path):
    path = tmp_path / "mot-dong.txt"
    path.write_bytes(b"a" * (10 * 1024 * 1024))
    assert_refused(path)


def test_a_long_single_line_under_the_size_limit(tmp_path):
    path = tmp_path / "mot-dong.txt"
    path.write_text("Sở Nội vụ chủ trì " * 200_000, encoding="utf-8")
    assert_refused(path, "dòng dài")


def test_missing_file(tmp_path):
    assert_refused(tmp_path / "khong-co.docx", "Không tìm thấy")


@given(lines=st.lists(st.text(alphabet="\tab1.IV Sở:-\n", max_size=30), max_size=25))
@settings(max_examples=150, deadline=None)
def test_any_text_either_parses_or_is_refused_cleanly(lines):
    text = "\n".join(["\t".join(HEADER), *lines])
    try:
        parse = parse_text(text)
    except PlanParseError as error:
        assert error.message
    else:
        assert all(task.ref for task in parse.tasks)


def test_one_agency_column_with_labels_letter_sections_and_bullet_sub_tasks():
    text = "\n".join(
        [
            "STT\tNội dung công việc\tĐơn vị thực hiện\tThời gian hoàn thành\tGhi chú",
            "A\tNHIỆM VỤ CHUNG\t\t\t",
            "1\tRà soát đội ngũ trí thức\tChủ trì: Sở Nội vụ; Phối hợp: Sở Tài chính, các sở, "
            "ngành liên quan\tQuý I/2026\t",
            "-\tRà soát trong khối sự nghiệp\tSở Y tế\t30/6/2026\t",
            "-\tđặc biệt ở các bệnh viện\t\t\t",
        ]
    )
    parse = parse_text(text)
    assert [s.number for s in parse.sections] == ["A"]
    first, sub = parse.tasks
    assert first.lead == "Sở Nội vụ"
    assert first.coordinators == ["Sở Tài chính", "các sở, ngành liên quan"]
    assert first.deadline.due == date(2026, 3, 31)
    assert (sub.lead, sub.deadline.due) == ("Sở Y tế", date(2026, 6, 30))
    assert sub.content == "Rà soát trong khối sự nghiệp - đặc biệt ở các bệnh viện"


def test_a_table_without_a_number_column():
    text = "\n".join(
        [
            "Nội dung công việc\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian",
            "Rà soát đội ngũ trí thức\tSở Nội vụ\tSở Tài chính\t2026",
            "Xây dựng cơ sở dữ liệu trí thức của\tSở Khoa học và\tSở Nội vụ\t2027",
            "tỉnh\tCông nghệ\t\t",
            "Tổ chức diễn đàn trí thức\tSở Văn hóa, Thể thao và Du lịch\t\tHằng năm",
        ]
    )
    parse = parse_text(text)
    assert [(t.ref, t.lead) for t in parse.tasks] == [
        ("1", "Sở Nội vụ"),
        ("2", "Sở Khoa học và Công nghệ"),
        ("3", "Sở Văn hóa, Thể thao và Du lịch"),
    ]
    assert parse.tasks[1].content == "Xây dựng cơ sở dữ liệu trí thức của tỉnh"

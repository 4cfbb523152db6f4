"""The yearly statistical report: the Word document opened with python-docx (the
administrative header, the title with the date, every table against counts computed here with
SQL), the workbook with openpyxl, the PDF's text with pypdf, the comparison with the same date a
year earlier from the history, who may make it and over which people, bad input, audit."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from trithuc.core.models import AuditEvent
from trithuc.insights import report
from trithuc.insights.aggregates import last_day_of_year
from trithuc.registry.demo import seed_people
from trithuc.registry.models import Degree, DegreeLevel, Person

from ..factories import UserFactory
from ..registry.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/insights/report/"


@pytest.fixture
def people(tree):
    seed_people(
        240, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"], tree["unit_b1"]],
        seed=11,
    )  # fmt: skip
    return Person.objects.all()


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def counts(column, where="", params=()):
    """People at work by `column` (this module's constants, never input), optionally within an
    organisation subtree or another condition on p."""
    query = (
        f"SELECT {column}, COUNT(*) FROM registry_person p "  # noqa: S608
        "JOIN organizations_organization o ON o.id = p.organization_id "
        f"WHERE p.status = 'working' {where} GROUP BY {column}"
    )
    return {key: n for key, n in sql(query, params)}


def number(text):
    """ "1.234" → 1234 (the report writes Vietnamese thousands separators)."""
    return int(text.replace(".", ""))


def docx_tables(content):
    """Each table of the document by the texts of its header row."""
    document = Document(BytesIO(content))
    return document, {
        tuple(cell.text for cell in table.rows[0].cells): [
            [cell.text for cell in row.cells] for row in table.rows[1:]
        ]
        for table in document.tables
    }


def by_label(rows, label_column=1, count_column=2):
    return {row[label_column]: number(row[count_column]) for row in rows if row[count_column]}


def today():
    return timezone.localdate()


def test_docx_has_the_administrative_header_and_tables_equal_to_sql(
    people, make_staff, client_for, tree
):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(URL, {"format": "docx", "as_of": today().isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    document, tables = docx_tables(response.content)
    header = document.tables[0]
    left, right = header.cell(0, 0).text, header.cell(0, 1).text
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ" in left  # the issuing body: the steward's organisation
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    number_line = header.cell(1, 0).text
    assert number_line.startswith("Số:")
    assert number_line.endswith(f"/BC-{tree['city'].short_name}")
    assert f"năm {today().year}" in header.cell(1, 1).text
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert (
        f"Thống kê đội ngũ trí thức năm {today().year} tính đến ngày {today():%d/%m/%Y}"
        in paragraphs
    )
    assert "Nơi nhận:" in document.tables[-1].cell(0, 0).text
    assert "KT. CHỦ TỊCH" in document.tables[-1].cell(0, 1).text

    total = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]
    assert total > 100
    text = " ".join(paragraphs)
    assert f"là {report.number_text(total)} người" in text
    women = counts("p.gender").get("female", 0)
    assert f"nữ chiếm {report.percent_text(round(100 * women / total, 1))}%" in text

    gender = tables[("STT", "Giới tính", "Số người", "Tỷ lệ (%)")]
    assert by_label(gender) == {"Nam": counts("p.gender")["male"], "Nữ": women, "Tổng số": total}
    titles = by_label(tables[("STT", "Học hàm", "Số người", "Tỷ lệ (%)")])
    by_title = counts("p.title")
    assert titles["Giáo sư"] == by_title.get("GS", 0)
    assert titles["Phó giáo sư"] == by_title.get("PGS", 0)
    assert titles["Tổng số"] == total
    degrees = by_label(tables[("STT", "Trình độ", "Số người", "Tỷ lệ (%)")])
    by_degree = counts("p.degree_group")
    assert degrees["Tiến sĩ"] == by_degree.get("TS", 0) > 0
    assert degrees["Thạc sĩ"] == by_degree.get("THS", 0) > 0
    sectors = by_label(tables[("STT", "Khu vực công tác", "Số người", "Tỷ lệ (%)")])
    for key, n in counts("p.sector").items():
        assert sectors[str(Person(sector=key).get_sector_display())] == n
    # Fields of science, level 1: the parent's code of the main field (a join, in SQL).
    level1 = dict(
        sql(
            "SELECT COALESCE(parent.code, f.code), COUNT(*) FROM registry_person p "
            "JOIN registry_fieldofscience f ON f.id = p.primary_field_id "
            "LEFT JOIN registry_fieldofscience parent ON parent.id = f.parent_id "
            "WHERE p.status = 'working' GROUP BY 1"
        )
    )
    fields = tables[("Mã", "Lĩnh vực khoa học", "Số người", "Tỷ lệ (%)")]
    assert {row[0]: number(row[2]) for row in fields if row[0]} == level1
    # By unit: the two departments under the city, each with its subtree.
    units = by_label(tables[("STT", "Đơn vị", "Số người", "Tỷ lệ (%)")])
    for key in ("dept_a", "dept_b"):
        subtree = sum(counts("o.code", "AND o.path LIKE %s", [tree[key].path + "%"]).values())
        assert units[tree[key].name] == subtree > 0
    # Degree × field: every cell against one GROUP BY (the field's code read from Biểu 3).
    code_of = {row[1]: row[0] for row in fields if row[0]}
    cells = {
        (group, code): n
        for group, code, n in sql(
            "SELECT p.degree_group, COALESCE(parent.code, f.code), COUNT(*) FROM registry_person p "
            "JOIN registry_fieldofscience f ON f.id = p.primary_field_id "
            "LEFT JOIN registry_fieldofscience parent ON parent.id = f.parent_id "
            "WHERE p.status = 'working' GROUP BY 1, 2"
        )
    }
    grid_key = next(k for k in tables if k[0] == "Trình độ")
    group_of = {"Tiến sĩ": "TS", "Thạc sĩ": "THS", "Đại học": "DH"}
    checked = 0
    for row in tables[grid_key]:
        if row[0] not in group_of:
            continue
        for name, text in zip(grid_key[1:-1], row[1:-1], strict=True):
            assert number(text) == cells.get((group_of[row[0]], code_of[name]), 0), (row, name)
            checked += 1
        assert number(row[-1]) == by_degree.get(group_of[row[0]], 0)
    assert checked >= 9
    # Age band × gender: under 30 by hand from the birth dates.
    ages = tables[("Độ tuổi", "Nam", "Nữ", "Tổng số", "Tỷ lệ nữ (%)")]
    young = {"male": 0, "female": 0}
    now = today()
    for born, gender_key in Person.objects.filter(status="working").values_list(
        "birth_date", "gender"
    ):
        if now.year - born.year - ((now.month, now.day) < (born.month, born.day)) < 30:
            young[gender_key] += 1
    under_30 = next(row for row in ages if row[0] == "Dưới 30")
    assert (number(under_30[1]), number(under_30[2])) == (young["male"], young["female"])
    assert number(ages[-1][3]) == total


def test_xlsx_has_a_cover_and_one_sheet_per_table_with_numbers(
    people, make_staff, client_for, tree
):
    client = client_for(make_staff("leader", tree["city"]))
    response = client.get(URL, {"format": "xlsx", "as_of": today().isoformat()})
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Thông tin", *[f"Biểu {n}" for n in range(1, 11)]]
    cover = {row[0]: row[1] for row in book["Thông tin"].iter_rows(values_only=True) if row[0]}
    total = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]
    assert cover["Tổng số (người)"] == total
    assert cover["Cơ quan báo cáo"] == tree["city"].name
    assert cover["Số liệu tính đến ngày"].date() == today()
    sheet = book["Biểu 5"]
    assert sheet["A1"].value == "Biểu 5. Số lượng trí thức theo giới tính"
    assert [c.value for c in sheet[2]] == ["STT", "Giới tính", "Số người", "Tỷ lệ (%)"]
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    by_gender = counts("p.gender")
    assert rows["Nam"][2] == by_gender["male"] and isinstance(rows["Nam"][2], int)
    assert rows["Nữ"][2] == by_gender["female"]
    assert rows["Nữ"][3] == pytest.approx(round(100 * by_gender["female"] / total, 1))
    assert rows["Tổng số"][2] == total
    assert sheet.column_dimensions["B"].width >= 14


def test_pdf_is_a4_with_the_header_and_the_tables_as_text(people, make_staff, client_for, tree):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(URL, {"format": "pdf", "as_of": today().isoformat()})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(BytesIO(response.content))
    assert len(pdf.pages) >= 3
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"tính đến ngày {today():%d/%m/%Y}" in text
    assert "Biểu 1. Số lượng trí thức theo học hàm" in text
    assert "Biểu 10. So sánh với cùng thời điểm năm trước" in text
    total = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]
    assert f"là {report.number_text(total)} người" in " ".join(text.split())
    assert "Nơi nhận:" in text
    # Page numbers from the second page on, at the top.
    assert pdf.pages[1].extract_text().lstrip().startswith("2")


def test_pdf_without_its_fonts_says_what_to_do(make_staff, client_for, tree, settings, tmp_path):
    settings.TRITHUC_PDF_FONT_DIR = tmp_path
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(URL, {"format": "pdf"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Chưa cài phông chữ tiếng Việt để tạo PDF" in page and "npm ci" in page
    assert not AuditEvent.objects.filter(kind="export").exists()


def _at(day, hour=12):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_comparison_with_the_same_date_a_year_earlier_comes_from_history(
    make_staff, client_for, tree
):
    as_of = last_day_of_year(today().year - 1)
    year_before = report.year_before(as_of)
    history = Person.history.model
    # A: at work for years, got a doctorate in the report's year.
    a = PersonFactory(organization=tree["dept_a"], status="working", gender="female")
    Degree.objects.create(person=a, level=DegreeLevel.objects.get(code="TS"), year=as_of.year)
    history.objects.filter(id=a.pk).update(history_date=_at(year_before - timedelta(days=900)))
    # C: at work a year before, retired since (counted then, not now).
    c = PersonFactory(organization=tree["unit_a1"], status="working")
    history.objects.filter(id=c.pk).update(history_date=_at(year_before - timedelta(days=900)))
    c.status = "retired"
    c.save()
    history.objects.filter(id=c.pk, status="retired").update(
        history_date=_at(as_of - timedelta(days=100))
    )
    # B and D: recorded during the report's year.
    for gender in ("female", "male"):
        newcomer = PersonFactory(organization=tree["dept_a"], status="working", gender=gender)
        history.objects.filter(id=newcomer.pk).update(history_date=_at(as_of - timedelta(days=30)))
    # E: recorded after the report's date (not counted at all).
    PersonFactory(organization=tree["dept_a"], status="working")

    steward = make_staff("data_steward", tree["city"])
    data = report.yearly_report(steward, as_of=as_of)
    changes = {change.label: change for change in data.changes}
    assert (data.previous_total, data.total) == (2, 3) and data.previous_known
    assert (changes["Tổng số"].difference, changes["Tổng số"].percent) == (1, 50.0)
    assert (changes["Tiến sĩ"].previous, changes["Tiến sĩ"].current) == (0, 1)
    assert (changes["Nữ"].previous, changes["Nữ"].current) == (1, 2)
    text = " ".join(data.paragraphs)
    assert f"(ngày {year_before:%d/%m/%Y}: 2 người)" in text and "tăng 1 người (50,0%)" in text

    client = client_for(steward)
    response = client.get(URL, {"format": "xlsx", "as_of": as_of.isoformat()})
    sheet = openpyxl.load_workbook(BytesIO(response.content))["Biểu 10"]
    assert [c.value for c in sheet[2]][2:4] == [f"Ngày {year_before:%d/%m/%Y}",
                                                 f"Ngày {as_of:%d/%m/%Y}"]  # fmt: skip
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Tổng số"][2:6] == (2, 3, 1, 50.0)
    assert rows["Tiến sĩ"][2:5] == (0, 1, 1)
    # Without a date: 31 December of last year, since the history reaches back to it.
    response = client.get(URL, {"format": "docx"})
    _document, tables = docx_tables(response.content)
    comparison = next(rows for header, rows in tables.items() if header[1] == "Chỉ tiêu")
    assert comparison[0][1:6] == ["Tổng số", "2", "3", "+1", "+50,0"]


def test_a_database_without_last_year_says_it_cannot_compare(make_staff, client_for, tree):
    PersonFactory(organization=tree["dept_a"], status="working")
    assert report.default_as_of() == today()
    data = report.yearly_report(make_staff("leader", tree["city"]), as_of=today())
    assert data.total == 1 and not data.previous_known
    assert "chưa so sánh được với cùng thời điểm năm trước" in " ".join(data.paragraphs)
    comparison = data.tables[-1]
    assert comparison.rows[0][2:] == [None, 1, None, None]


def test_a_leader_of_another_subtree_gets_only_their_figures(people, make_staff, client_for, tree):
    leader = make_staff("leader", tree["dept_b"])
    client = client_for(leader)
    response = client.get(URL, {"format": "docx", "as_of": today().isoformat()})
    assert response.status_code == 200
    document, tables = docx_tables(response.content)
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in document.tables[0].cell(0, 0).text
    dept_b = sum(counts("o.code", "AND o.path LIKE %s", [tree["dept_b"].path + "%"]).values())
    everyone = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]
    gender = tables[("STT", "Giới tính", "Số người", "Tỷ lệ (%)")]
    assert by_label(gender)["Tổng số"] == dept_b < everyone
    units = by_label(tables[("STT", "Đơn vị", "Số người", "Tỷ lệ (%)")])
    assert set(units) == {f"{tree['dept_b'].name} (trực tiếp)", tree["unit_b1"].name, "Tổng số"}
    # Another subtree's unit is refused, by the form and by the report itself.
    refused = client.get(URL, {"format": "docx", "unit": "DEPT_A"})
    assert refused.status_code == 400
    assert "Không có đơn vị mã “DEPT_A” trong phạm vi của bạn" in refused.content.decode()
    with pytest.raises(report.ReportError, match="không thuộc phạm vi"):
        report.yearly_report(leader, as_of=today(), organization=tree["dept_a"])


def test_a_unit_of_the_scope_issues_its_own_report(people, make_staff, client_for, tree):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(
        URL, {"format": "docx", "unit": "DEPT_A", "number": "12/BC-SNV", "signer_name": "Lê Văn B"}
    )
    assert response.status_code == 200
    document, tables = docx_tables(response.content)
    left = document.tables[0].cell(0, 0).text
    assert "UBND THÀNH PHỐ" in left and "SỞ NỘI VỤ" in left  # the superior body, then the unit
    assert document.tables[0].cell(1, 0).text == "Số: 12/BC-SNV"
    assert "KT. GIÁM ĐỐC" in document.tables[-1].cell(0, 1).text
    assert "Lê Văn B" in document.tables[-1].cell(0, 1).text
    dept_a = sum(counts("o.code", "AND o.path LIKE %s", [tree["dept_a"].path + "%"]).values())
    gender = tables[("STT", "Giới tính", "Số người", "Tỷ lệ (%)")]
    assert by_label(gender)["Tổng số"] == dept_a


def test_registry_filters_narrow_the_report_and_are_audited(people, make_staff, client_for, tree):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(
        URL, {"format": "xlsx", "gender": "female", "degree": "THS", "as_of": today().isoformat()}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    cover = {row[0]: row[1] for row in book["Thông tin"].iter_rows(values_only=True) if row[0]}
    expected = sum(
        counts("p.gender", "AND p.gender = 'female' AND p.degree_group = 'THS'").values()
    )
    everyone = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]
    assert cover["Tổng số (người)"] == expected and 0 < expected < everyone
    assert "Giới tính: Nữ" in cover["Điều kiện lọc"]
    assert "Trình độ cao nhất: Thạc sĩ" in cover["Điều kiện lọc"]
    degrees = {r[1]: r[2] for r in book["Biểu 2"].iter_rows(min_row=3, values_only=True)}
    assert degrees["Thạc sĩ"] == expected and degrees["Tiến sĩ"] == 0
    event = AuditEvent.objects.get(kind="export", details__what="insights.yearly_report")
    assert event.details["format"] == "xlsx"
    assert event.details["filters"] == {"gender": ["female"], "degree": ["THS"]}
    assert event.details["count"] == expected
    assert event.details["as_of"] == today().isoformat()
    assert event.actor is not None and event.actor.memberships.get().role == "data_steward"


def test_every_registry_filter_is_described_and_never_breaks_the_report(
    people, make_staff, client_for, tree
):
    client = client_for(make_staff("data_steward", tree["city"]))
    params = {
        "q": "Nguyễn", "title": ["GS", "PGS"], "field": "3", "main_field": "1",
        "admin_unit": "01", "age_band": ["lt30", "30-39"], "gender": "male",
        "sector": ["public_service"], "status": ["working", "retired"], "is_leader": "true",
        "training": "foreign_language", "training_from": "2020", "training_to": "2025",
        "within": "DEPT_A",  # the unit is chosen with "unit": this one is not applied
    }  # fmt: skip
    response = client.get(URL, {"format": "xlsx", **params})
    assert response.status_code == 200, response.content.decode()[:500]
    cover = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(BytesIO(response.content))["Thông tin"].iter_rows(
            values_only=True
        )
        if row[0]
    }
    conditions = cover["Điều kiện lọc"]
    assert "Tìm kiếm: Nguyễn" in conditions and "Học hàm: Giáo sư, Phó giáo sư" in conditions
    assert "Độ tuổi: Dưới 30, 30–39" in conditions and "(2020–2025)" in conditions
    assert cover["Đối tượng thống kê"] == "trí thức (đang công tác, đã nghỉ hưu)"
    assert "DEPT_A" not in conditions


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2999-01-01"}, "còn ở tương lai"),
        ({"as_of": "31/13/2025"}, "Nhập một ngày hợp lệ"),
        ({"as_of": "1985-06-30"}, "không có số liệu trước năm 1990"),
        ({"unit": "KHONG_CO"}, "Không có đơn vị mã “KHONG_CO” trong phạm vi của bạn"),
        ({"format": "doc"}, "Không có định dạng “doc”"),
        ({"gender": "khác"}, "lựa chọn hợp lệ"),
        ({"number": "12\x00/BC"}, "ký tự rỗng"),
    ],
)
def test_bad_input_gets_the_form_with_a_message(make_staff, client_for, tree, params, message):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(URL, {"format": "docx", **params})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page, re.findall(
        r"invalid-feedback[^>]*>([^<]*)<|alert-danger[^>]*>(.*?)</div>", page
    )
    assert 'name="format" value="pdf"' in page
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_who_may_open_the_report(make_staff, client_for, tree):
    intellectual = UserFactory(organization=tree["dept_a"])
    assert client_for(intellectual).get(URL, {"format": "docx"}).status_code == 403
    assert Client().get(URL, {"format": "docx"}).status_code == 302  # to the sign-in page
    officer = client_for(make_staff("hr_officer", tree["dept_a"]))
    page = officer.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    for fmt in report.FORMATS:
        assert f'name="format" value="{fmt}"' in text
    assert 'name="unit"' in text and 'name="sector"' in text and 'name="within"' not in text
    assert reverse("insights:report") == URL
    dashboard = officer.get(reverse("insights:dashboard")).content.decode()
    assert f'href="{URL}"' in dashboard and "Báo cáo năm" in dashboard


def test_the_default_date_is_last_year_end_when_history_reaches_it(tree):
    person = PersonFactory(organization=tree["dept_a"], status="working")
    assert report.default_as_of() == today()
    year_end = last_day_of_year(today().year - 1)
    Person.history.model.objects.filter(id=person.pk).update(history_date=_at(year_end, 9))
    assert report.default_as_of() == year_end
    assert report.year_before(date(2028, 2, 29)) == date(2027, 2, 28)

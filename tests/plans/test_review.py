"""The yearly review of a plan (.docx): the Decree 30 header, each task's status on 31
December, the counts by lead agency, the agencies' difficulties and proposals, the download
page (400 for a bad year, 404 outside the scope, audited), and a number of queries that does
not grow with the number of tasks."""

from datetime import UTC, date, datetime
from io import BytesIO

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn

from trithuc.core.models import AuditEvent
from trithuc.organizations.models import AdministrativeUnit
from trithuc.plans.models import (
    PlanDocument,
    PlanSection,
    PlanTask,
    ReportingPeriod,
    TaskReport,
)
from trithuc.plans.review import collect_review, parse_year, yearly_review

pytestmark = pytest.mark.django_db

# A past year, so that the page (which reviews against today) and the service agree.
Y = timezone.localdate().year - 1


def period(document, kind, start, end):
    return ReportingPeriod.objects.create(
        document=document, kind=kind, start=start, end=end, due=end
    )


def report(task, period, organization, **kwargs):
    kwargs.setdefault("status", "accepted")
    kwargs.setdefault("done", "Đã triển khai.")
    kwargs.setdefault("reviewed_at", datetime(period.end.year, period.end.month, 1, tzinfo=UTC))
    return TaskReport.objects.create(task=task, period=period, organization=organization, **kwargs)


@pytest.fixture
def plan(tree):
    """A plan monitored by the Department of S&T (dept_b), with one task in each status on
    31/12/Y, reports on them, and what the review must leave out."""
    tree["dept_b"].short_name = "Sở KH&CN"  # not initials: the number derives them (SKHCN)
    tree["dept_b"].administrative_unit = AdministrativeUnit.objects.get(code="01")
    tree["dept_b"].save()
    tree["dept_a"].short_name = "Sở NV"
    tree["dept_a"].save()
    document = PlanDocument.objects.create(
        kind="plan",
        number="133/KH-UBND",
        title="Phát huy vai trò của đội ngũ trí thức Thủ đô",
        issuing_body="UBND Thành phố",
        issued_on=date(Y - 1, 5, 20),
        organization=tree["dept_b"],
    )
    first = PlanSection.objects.create(
        document=document, number="I", title="Cơ sở dữ liệu trí thức", order=1
    )
    second = PlanSection.objects.create(
        document=document, number="II", title="Tôn vinh trí thức", order=2
    )
    dept_a, unit_b1 = tree["dept_a"], tree["unit_b1"]

    def task(number, section, **kwargs):
        kwargs.setdefault("lead", dept_a)
        kwargs.setdefault("lead_text", kwargs["lead"].name if kwargs["lead"] else "")
        order = PlanTask.objects.filter(document=document).count()
        return PlanTask.objects.create(
            document=document,
            section=section,
            number=number,
            order=order,
            content=f"Nhiệm vụ {section.number}.{number}",
            deadline_kind="date",
            **kwargs,
        )

    tasks = {
        "done": task("1", first, due=date(Y, 6, 30), done_on=date(Y, 6, 15), progress=100),
        "late": task("2", first, due=date(Y, 3, 31), done_on=date(Y, 5, 10), progress=100),
        "overdue": task("3", first, lead=unit_b1, due=date(Y, 9, 30), progress=40),
        "cancelled": task(
            "4",
            first,
            due=date(Y, 8, 31),
            cancelled=True,
            cancelled_reason="Đã lồng ghép vào Kế hoạch 200/KH-UBND",
        ),
        "in_progress": task("1", second, lead=unit_b1, due=date(Y + 1, 12, 31), progress=20),
        "not_started": task(
            "2", second, lead=None, lead_text="Các sở, ngành", due=date(Y + 1, 6, 30)
        ),
        # Completed after the year's end: still in progress on 31/12/Y.
        "done_after": task(
            "3", second, due=date(Y, 12, 31), done_on=date(Y + 1, 1, 15), progress=100
        ),
    }
    task("4", second, proposed=True, due=date(Y, 1, 31))  # proposed, not confirmed: left out

    q2 = period(document, "quarter", date(Y, 4, 1), date(Y, 6, 30))
    q3 = period(document, "quarter", date(Y, 7, 1), date(Y, 9, 30))
    q4 = period(document, "quarter", date(Y, 10, 1), date(Y, 12, 31))
    year = period(document, "year", date(Y, 1, 1), date(Y, 12, 31))
    before = period(document, "year", date(Y - 1, 1, 1), date(Y - 1, 12, 31))
    report(tasks["done"], q2, dept_a, progress=60, done="Đã ban hành quy chế.")
    report(tasks["done"], year, dept_a, progress=100, done="Đã tổng kết, hoàn thành.")
    report(tasks["overdue"], before, unit_b1, progress=10, done="Khảo sát năm trước.",
           difficulties="Khó khăn của năm trước.")  # fmt: skip
    report(tasks["overdue"], q3, unit_b1, progress=40, done="Đang khảo sát các đơn vị.",
           difficulties="Thiếu kinh phí khảo sát.")  # fmt: skip
    # Sent, not accepted: not in the review.
    report(tasks["overdue"], year, unit_b1, status="submitted", progress=90,
           done="Báo cáo chưa được chấp nhận.", difficulties="Chưa duyệt.")  # fmt: skip
    # A coordinating agency's part: its proposal is listed, its progress does not count.
    report(tasks["overdue"], q3, dept_a, progress=90, done="Phối hợp khảo sát.",
           proposals="Đề nghị bổ sung biên chế cho trung tâm.")  # fmt: skip
    report(tasks["in_progress"], q3, unit_b1, progress=20, done="Đã xây dựng dự thảo.",
           difficulties="Thiếu kinh phí khảo sát.")  # fmt: skip
    report(tasks["done_after"], q4, dept_a, progress=50, done="Đã hoàn thành một nửa.",
           proposals="Đề nghị bổ sung biên chế cho trung tâm.")  # fmt: skip
    return {"document": document, "tasks": tasks, "q3": q3}


def open_docx(content: bytes):
    return docx.Document(BytesIO(content))


def table_rows(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def find_table(document, first_header: str, second_header: str):
    for table in document.tables:
        header = [cell.text.strip() for cell in table.rows[0].cells]
        if header[:2] == [first_header, second_header]:
            return table
    raise AssertionError(f"no table headed {first_header}, {second_header}")


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_header_title_and_page_follow_decree_30(plan):
    content = yearly_review(plan["document"], Y, today=date(Y + 1, 1, 5))
    document = open_docx(content)
    header = document.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in header.cell(0, 1).paragraphs if p.text]
    assert left == ["UBND THÀNH PHỐ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).text.startswith("Số:")
    assert header.cell(1, 0).text.endswith("/BC-SKHCN")
    date_line = header.cell(1, 1).paragraphs[0]
    assert date_line.text == f"Hà Nội, ngày 05 tháng 01 năm {Y + 1}"
    assert date_line.runs[0].italic
    # No borders on the header table.
    assert header._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"

    texts = paragraphs(document)
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1] == (
        f"Kết quả thực hiện Kế hoạch số 133/KH-UBND ngày 20/5/{Y - 1} của UBND Thành phố năm {Y}"
    )
    assert document.paragraphs[kind].runs[0].bold

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    # The signature block and "Nơi nhận".
    closing = next(t for t in document.tables if "Nơi nhận:" in t.cell(0, 0).text)
    assert "GIÁM ĐỐC" in closing.cell(0, 1).text
    lines = [p.text for p in closing.cell(0, 0).paragraphs]
    assert lines[0] == "Nơi nhận:"
    assert lines[1] == "- UBND Thành phố (để báo cáo);"
    assert lines[-1] == "- Lưu: VT, SKHCN."


def test_each_task_shows_its_status_on_31_december(plan):
    content = yearly_review(plan["document"], Y, today=date(Y + 1, 1, 5))
    document = open_docx(content)
    table = find_table(document, "STT", "Nội dung nhiệm vụ")
    first_row = table.rows[0]._tr
    assert first_row.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    rows = {row[0]: row for row in table_rows(table)[1:] if row[0] != row[1]}
    groups = [row[0] for row in table_rows(table)[1:] if row[0] == row[1]]
    assert groups == ["I. Cơ sở dữ liệu trí thức", "II. Tôn vinh trí thức"]
    assert list(rows) == ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3"]  # no proposed one
    status = {label: row[4] for label, row in rows.items()}
    assert status == {
        "I.1": f"Hoàn thành (15/06/{Y})",
        "I.2": f"Hoàn thành muộn (10/05/{Y})",
        "I.3": "Quá hạn",
        "I.4": "Đã hủy",
        "II.1": "Đang thực hiện",
        "II.2": "Chưa thực hiện",
        "II.3": "Đang thực hiện",  # completed on 15/01 of the year after
    }
    progress = {label: row[5] for label, row in rows.items()}
    assert progress == {"I.1": "100", "I.2": "100", "I.3": "40", "I.4": "0", "II.1": "20",
                        "II.2": "0", "II.3": "50"}  # fmt: skip
    # Lead agency (short name), deadline, result of the latest accepted lead report.
    assert rows["I.1"][2] == "Sở NV" and rows["I.1"][3] == f"30/06/{Y}"
    assert rows["I.1"][6] == "Đã tổng kết, hoàn thành."
    assert rows["I.3"][6] == "Đang khảo sát các đơn vị."  # not the coordinator's, not unaccepted
    assert rows["I.4"][6] == "Đã hủy: Đã lồng ghép vào Kế hoạch 200/KH-UBND"
    assert rows["II.2"][2] == "Các sở, ngành"
    assert "Chưa có báo cáo" in rows["I.2"][6]
    # The appendix is landscape.
    appendix = document.sections[-1]
    assert appendix.page_width > appendix.page_height


def test_summary_and_counts_by_lead_agency(plan):
    content = yearly_review(plan["document"], Y, today=date(Y + 1, 1, 5))
    document = open_docx(content)
    summary = next(t for t in paragraphs(document) if t.startswith("Tính đến ngày"))
    assert summary.startswith(f"Tính đến ngày 31/12/{Y}, Kế hoạch có 7 nhiệm vụ")
    assert "đã hoàn thành 2 nhiệm vụ (1 nhiệm vụ đúng hạn, 1 nhiệm vụ hoàn thành muộn)" in summary
    assert "quá hạn chưa hoàn thành 1 nhiệm vụ" in summary
    assert "Tỷ lệ hoàn thành đạt 33,3%" in summary  # 2 of the 6 not cancelled

    table = find_table(document, "STT", "Cơ quan chủ trì")
    assert table_rows(table)[0][2:] == [
        "Số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành muộn", "Đang thực hiện", "Quá hạn",
        "Chưa thực hiện", "Đã hủy",
    ]  # fmt: skip
    counts = {row[1]: row[2:] for row in table_rows(table)[1:]}
    assert counts == {
        "Các sở, ngành": ["1", "0", "0", "0", "0", "1", "0"],
        "Sở Nội vụ": ["4", "1", "1", "1", "0", "0", "1"],
        "Trung tâm Thông tin KH&CN": ["2", "0", "0", "1", "1", "0", "0"],
        "Tổng cộng": ["7", "1", "1", "2", "1", "1", "1"],
    }


def test_difficulties_and_proposals_of_the_year_once_per_agency(plan):
    document = open_docx(yearly_review(plan["document"], Y, today=date(Y + 1, 1, 5)))
    texts = paragraphs(document)
    start = texts.index("II. KHÓ KHĂN, VƯỚNG MẮC")
    middle = texts.index("III. ĐỀ XUẤT, KIẾN NGHỊ")
    difficulties, proposals = texts[start + 1 : middle], texts[middle + 1 : middle + 3]
    assert difficulties == [
        "- Trung tâm Thông tin KH&CN (nhiệm vụ I.3, II.1): Thiếu kinh phí khảo sát."
    ]
    assert proposals[0] == (
        "- Sở Nội vụ (nhiệm vụ I.3, II.3): Đề nghị bổ sung biên chế cho trung tâm."
    )
    assert proposals[1].startswith("Trên đây là báo cáo")
    assert not any("năm trước" in t or "Chưa duyệt" in t for t in texts)


def test_the_current_year_counts_on_today(plan):
    review = collect_review(plan["document"], Y, today=date(Y, 7, 1))
    status = {line.label: line.status for line in review.lines}
    assert review.as_of == date(Y, 7, 1)
    # Due 30/09: not yet overdue; completed on 10/05: done late already.
    assert status["I.3"] == "in_progress" and status["I.2"] == "done_late"
    assert status["II.3"] == "in_progress"


def test_text_pasted_from_word_does_not_break_the_file(plan):
    TaskReport.objects.filter(difficulties="Thiếu kinh phí khảo sát.").update(
        difficulties="Dòng một\x0bdòng hai\x01 \x0c"
    )
    document = open_docx(yearly_review(plan["document"], Y, today=date(Y + 1, 1, 5)))
    assert "Dòng một" in "\n".join(paragraphs(document))


@pytest.mark.parametrize("value", ["", None])
def test_parse_year_defaults_to_this_year(value):
    assert parse_year(value, date(2026, 11, 22)) == 2026


@pytest.mark.parametrize("value", ["abc", "1999", "2027", "20255", "-2025", "2025.0"])
def test_parse_year_refuses_what_is_not_a_year_to_review(value):
    assert parse_year(value, date(2026, 11, 22)) is None


# ---- the page -----------------------------------------------------------------------------------


def test_download_is_an_audited_attachment(plan, make_staff, client_for):
    coordinator = make_staff("plan_coordinator", plan["document"].organization)
    url = reverse("plans:document_review", args=[plan["document"].pk])
    response = client_for(coordinator).get(url, {"year": str(Y)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-133-kh-ubnd-{Y}.docx"'
    )
    document = open_docx(response.content)
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in document.tables[0].cell(0, 0).text
    event = AuditEvent.objects.get(kind="export")
    assert event.actor == coordinator and event.object_id == str(plan["document"].pk)
    assert event.details["filters"] == {"year": str(Y)} and event.details["rows"] == 7
    # Without a year: this year's review.
    response = client_for(coordinator).get(url)
    assert response["Content-Disposition"].endswith(f'-{Y + 1}.docx"')


@pytest.mark.parametrize("year", ["abc", "1999", str(Y + 2), "20255"])
def test_a_bad_year_is_a_400_page_in_vietnamese(plan, make_staff, client_for, year):
    coordinator = make_staff("plan_coordinator", plan["document"].organization)
    url = reverse("plans:document_review", args=[plan["document"].pk])
    response = client_for(coordinator).get(url, {"year": year})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Năm báo cáo “{year}” không hợp lệ" in page
    assert f"từ 2000 đến {Y + 1}" in page
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_outside_the_scope_the_plan_does_not_exist(plan, tree, make_staff, client_for):
    url = reverse("plans:document_review", args=[plan["document"].pk])
    # dept_a leads tasks of the plan, but does not follow the plan itself.
    other = make_staff("plan_coordinator", tree["dept_a"])
    assert client_for(other).get(url, {"year": str(Y)}).status_code == 404
    assert client_for(other).get(url, {"year": "abc"}).status_code == 404
    assert not AuditEvent.objects.filter(kind="export").exists()
    leader = make_staff("leader", tree["city"])
    assert client_for(leader).get(url, {"year": str(Y)}).status_code == 200


def add_tasks(document, lead, period, count):
    for index in range(count):
        task = PlanTask.objects.create(
            document=document,
            number=str(100 + index),
            order=100 + index,
            content="Nhiệm vụ thêm",
            lead=lead,
            lead_text=lead.name,
            due=date(Y, 12, 31),
        )
        report(task, period, lead, progress=30, difficulties=f"Khó khăn {index}")


def test_queries_do_not_grow_with_the_number_of_tasks(plan, tree, make_staff, client_for):
    document = plan["document"]
    client = client_for(make_staff("plan_coordinator", document.organization))
    url = reverse("plans:document_review", args=[document.pk])
    client.get(url, {"year": str(Y)})  # caches (content types, session) warmed

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": str(Y)}).status_code == 200
        return len(queries)

    few = count()
    add_tasks(document, tree["unit_b1"], plan["q3"], 40)
    many = count()
    assert many == few, f"{few} queries for 7 tasks, {many} for 47"
    # The review itself: organisation, tasks, the year's reports, the earlier ones.
    with CaptureQueriesContext(connection) as queries:
        collect_review(document, Y, today=date(Y + 1, 1, 5))
    assert len(queries) == 4

"""A plan coordinator imports a plan in a real browser: upload, review the agency names,
write; then the lead agency reports on a task with two evidence files and the monitoring
agency accepts it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from trithuc.plans.models import PlanDocument, TaskReport

from .conftest import make_staff_account
from .helpers import axe_violations, describe_violations, screenshot, sign_in, url

pytestmark = pytest.mark.browser

SEED = (
    Path(__file__).resolve().parents[1] / "plans" / "corpus" / "seeds" / "001_29bde5dc7e6a600c.txt"
)


def check_axe(page, name):
    screenshot(page, name)
    violations = axe_violations(page, name)
    assert not violations, describe_violations(violations)


def test_import_review_write_report_and_accept(
    page, browser, live_server, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monitor = make_staff_account(
        username="dieu.phoi.khcn", organization=tree["dept_b"], role="plan_coordinator"
    )
    sign_in(page, monitor)
    page.goto(url(page, "/plans/"))
    page.get_by_role("link", name="Nhập kế hoạch từ tệp").click()
    page.set_input_files("#id_file", str(SEED))
    page.fill("#id_organization", "DEPT_B")
    page.fill("#id_number", "133/KH-UBND")
    page.fill("#id_title", "Kế hoạch thực hiện Chương trình số 25-CTr/TU")
    page.fill("#id_issued_on", "2024-04-15")
    check_axe(page, "plans-import-form")
    page.get_by_role("button", name="Tải lên và đọc").click()
    expect(page.locator("main")).to_contain_text("Đọc được 30 nhiệm vụ trong 5 mục")
    page.get_by_role("link", name="Xem lại và ghi kế hoạch").click()
    expect(page.locator("h1")).to_contain_text("Xem lại kế hoạch trước khi ghi")
    first = page.locator("#id_agency_0")
    first.fill("DEPT_A")
    check_axe(page, "plans-import-review")
    page.get_by_role("button", name="Ghi kế hoạch").click()
    expect(page.locator("main")).to_contain_text("Đã ghi 30 nhiệm vụ")
    page.get_by_role("link", name="Mở kế hoạch").click()
    document = PlanDocument.objects.get()
    expect(page).to_have_url(url(page, document.get_absolute_url()))
    check_axe(page, "plans-document")

    task = document.tasks.filter(lead=tree["dept_a"]).order_by("order").first()
    assert task is not None, "the name settled at the review leads a task"
    lead = make_staff_account(
        username="dieu.phoi.noi.vu", organization=tree["dept_a"], role="plan_coordinator"
    )
    lead_context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    lead_context.set_default_timeout(15_000)
    lead_page = lead_context.new_page()
    lead_page.base_url = live_server.url
    sign_in(lead_page, lead)
    lead_page.goto(url(lead_page, task.get_absolute_url()))
    lead_page.get_by_role("link", name="Báo cáo quý này").first.click()
    lead_page.fill("#id_progress", "100")
    lead_page.fill("#id_done", "Đã hoàn thành và đưa vào vận hành.")
    lead_page.set_input_files(
        "#id_evidence_files",
        [
            {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"},
            {"name": "anh.png", "mimeType": "image/png", "buffer": b"\x89PNG x"},
        ],
    )
    check_axe(lead_page, "plans-task-report")
    lead_page.get_by_role("button", name="Gửi báo cáo").click()
    expect(lead_page.locator("main")).to_contain_text("bien-ban.pdf")
    lead_context.close()
    report = TaskReport.objects.get()
    assert report.status == "submitted" and report.evidence.count() == 2

    page.goto(url(page, task.get_absolute_url()))
    check_axe(page, "plans-task-review")
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.locator("main")).to_contain_text("Đã chấp nhận báo cáo.")
    task.refresh_from_db()
    assert task.progress == 100 and task.done_on is not None

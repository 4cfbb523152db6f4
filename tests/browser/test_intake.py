"""An HR officer imports their agency's list: upload, confirm the columns, read the report,
filter the errors, commit; every page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.intake.conftest import person_row, write_xlsx
from trithuc.registry.models import Person

from .helpers import axe_violations, describe_violations, screenshot, sign_in, url

pytestmark = pytest.mark.browser


def check_axe(page, name):
    violations = axe_violations(page, name)
    assert not violations, describe_violations(violations)


def test_upload_report_commit(page, officer, tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [person_row(i, **{"Mã đơn vị": "UNIT_A1"}) for i in range(6)]
    rows.append(person_row(7, Ngày_sinh="31/02/1980", **{"Mã đơn vị": "UNIT_A1"}))
    rows.append(person_row(8, Trình_độ_chuyên_môn="NCS", **{"Mã đơn vị": "UNIT_A1"}))
    path = write_xlsx(tmp_path / "danh-sach-so-noi-vu.xlsx", rows)

    sign_in(page, officer)
    page.goto(url(page, "/people/"))
    page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách trí thức từ Excel")
    check_axe(page, "intake-upload")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_organization", "DEPT_A")
    screenshot(page, "intake-upload")
    page.get_by_role("button", name="Tải lên").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ghép cột của tệp với thông tin trí thức"
    )
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("full_name")
    check_axe(page, "intake-mapping")
    screenshot(page, "intake-mapping")
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded")
    screenshot(page, "intake-job")
    page.get_by_role("link", name="Xem báo cáo kiểm tra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo kiểm tra tệp")
    expect(page.locator("[data-count=rows]")).to_have_text("8")
    expect(page.locator("[data-count=errors]")).to_have_text("2")
    issues = page.locator("#issues")
    expect(issues).to_contain_text("31/02/1980")
    expect(issues).to_contain_text("C (Ngày sinh)")
    check_axe(page, "intake-report")
    screenshot(page, "intake-report")
    page.get_by_role("link", name="Có lỗi").click()
    expect(issues.locator(".text-bg-danger")).to_have_count(2)
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Ghi vào hệ thống (6 người)").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded")
    expect(page.locator("#job-progress")).to_contain_text("Đã ghi tệp danh-sach-so-noi-vu.xlsx")
    screenshot(page, "intake-committed-job")
    page.get_by_role("link", name="Xem báo cáo kiểm tra").click()
    expect(page.locator("[data-count=new]")).to_have_text("6")
    check_axe(page, "intake-report-committed")
    screenshot(page, "intake-report-committed")
    assert Person.objects.filter(organization=tree["unit_a1"]).count() == 6

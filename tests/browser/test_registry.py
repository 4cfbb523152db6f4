"""An HR officer keeps a person's record in a real browser: create with an inline degree
added by "Thêm dòng", see the detail, reveal the sensitive fields (audited), filter."""

import pytest
from playwright.sync_api import expect

from trithuc.core.models import AuditEvent
from trithuc.registry.models import Person

from ..registry.conftest import citizen_id_for
from .helpers import axe_violations, describe_violations, screenshot, sign_in, url

pytestmark = pytest.mark.browser


def test_officer_creates_a_person_and_reads_the_sensitive_fields(page, officer, tree):
    sign_in(page, officer)
    page.get_by_role("navigation").get_by_role("link", name="Hồ sơ trí thức").click()
    expect(page).to_have_url(url(page, "/people/"))
    page.get_by_role("link", name="Thêm trí thức").click()

    page.fill("#id_full_name", "Trần Thị Hòa")
    page.fill("#id_birth", "15/03/1985")
    page.select_option("#id_gender", "female")
    number = citizen_id_for("female", 1985)
    page.fill("#id_citizen_id", number)
    page.select_option("#id_sector", "public_service")
    page.fill("#id_organization", tree["unit_a1"].code)
    page.select_option("#id_ethnicity", label="Kinh")

    degrees = page.locator("fieldset#degrees")
    degrees.get_by_role("button", name="Thêm dòng").click()
    expect(degrees.locator(".formset-row")).to_have_count(2)
    degrees.locator("#id_degrees-0-level").select_option(label="Tiến sĩ")
    degrees.locator("#id_degrees-0-year").fill("2015")
    degrees.locator("#id_degrees-0-major").fill("Khoa học máy tính")
    degrees.locator("#id_degrees-1-level").select_option(label="Thạc sĩ")
    degrees.locator("#id_degrees-1-year").fill("2010")
    screenshot(page, "registry-person-form")
    violations = axe_violations(page, "registry-person-form")
    assert not violations, describe_violations(violations)
    page.get_by_role("button", name="Lưu").click()

    person = Person.objects.get()
    expect(page).to_have_url(url(page, person.get_absolute_url()))
    expect(page.locator("h1")).to_contain_text("TS. Trần Thị Hòa")
    expect(page.locator("main")).to_contain_text("•••••••••" + number[-3:])
    expect(page.locator("main")).not_to_contain_text(number)
    assert person.degrees.count() == 2 and person.degree_group == "TS"

    page.get_by_role("link", name="Xem thông tin nhạy cảm").click()
    expect(page.locator("#sensitive-values")).to_contain_text(number)
    expect(page.locator("#sensitive-values")).to_contain_text("Kinh")
    assert AuditEvent.objects.filter(kind="sensitive_read", actor=officer.user).count() == 1
    screenshot(page, "registry-person-detail")
    violations = axe_violations(page, "registry-person-detail")
    assert not violations, describe_violations(violations)

    page.goto(url(page, "/people/?degree=TS&q=hoa"))
    expect(page.locator("main table tbody tr")).to_have_count(1)
    screenshot(page, "registry-person-list")
    violations = axe_violations(page, "registry-person-list")
    assert not violations, describe_violations(violations)

"""A data steward follows the KPI indicators in a real browser: the cards of the list, one
indicator's progress chart with its table, and the edit form's live preview of the counts."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from trithuc.insights import indicators
from trithuc.insights.indicator_examples import load_examples
from trithuc.insights.models import Indicator, IndicatorValue
from trithuc.registry.demo import seed_people

from .conftest import make_staff_account
from .helpers import axe_violations, describe_violations, screenshot, sign_in, url

pytestmark = pytest.mark.browser


def test_indicator_list_detail_and_preview(page, tree):
    seed_people(300, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"]], seed=7)
    load_examples(organization=tree["city"])
    # A past year of monthly values for one indicator, so the chart has a course to draw.
    doctors = Indicator.objects.get(code="VD-TS")
    now = indicators.compute(doctors).value
    doctors.baseline_value = max(now - 12, 0)  # the seeded number of doctors varies
    doctors.baseline_date = date(2024, 1, 1)
    doctors.target_value = now + 20
    doctors.save()
    # The demo people's number of doctors depends on the seeding: never a negative count.
    for month in range(1, 13):
        past = max(int(now) - 12 + month, 0)
        IndicatorValue.objects.update_or_create(
            indicator=doctors,
            measured_on=date(2025, month, 1),
            defaults={"numerator": past, "value": past},
        )
    steward = make_staff_account(
        username="quan.tri.du.lieu", organization=tree["city"], role="data_steward"
    )
    sign_in(page, steward)

    page.goto(url(page, "/insights/indicators/"))
    expect(page.locator("h1")).to_have_text("Chỉ tiêu của chương trình hành động")
    expect(page.locator("article.card")).to_have_count(5)
    card = page.locator("article", has_text="Số tiến sĩ, tiến sĩ khoa học")
    expect(card).to_contain_text(f"mục tiêu {int(now + 20)}")
    expect(card.get_by_role("progressbar")).to_be_visible()
    screenshot(page, "insights-indicator-list")
    violations = axe_violations(page, "insights-indicator-list")
    assert not violations, describe_violations(violations)

    card.get_by_role("link", name="Số tiến sĩ, tiến sĩ khoa học").click()
    expect(page).to_have_url(url(page, doctors.get_absolute_url()))
    expect(page.locator("[data-chart] svg")).to_be_visible()
    # Baseline, twelve months, today, target: the table says what the chart draws.
    expect(page.locator("table tbody tr")).to_have_count(15)
    screenshot(page, "insights-indicator-detail")
    violations = axe_violations(page, "insights-indicator-detail")
    assert not violations, describe_violations(violations)
    people_link = page.get_by_role("link", name="Xem danh sách").first
    href = people_link.get_attribute("href")
    assert href.startswith("/people/?") and "within=CITY" in href

    page.get_by_role("link", name="Sửa chỉ tiêu").click()
    preview = page.locator("#indicator-preview")
    expect(preview.locator("#preview-numerator-count")).to_have_text(str(int(now)))
    page.fill("#id_numerator", "degree=TS&degree=TSKH&gender=nu")
    expect(preview).to_contain_text("“gender”")
    page.fill("#id_numerator", "degree=TS&degree=TSKH&gender=female")
    women = indicators.count_people("degree=TS&degree=TSKH&gender=female", tree["city"])
    expect(preview.locator("#preview-numerator-count")).to_have_text(str(women))
    screenshot(page, "insights-indicator-edit")
    violations = axe_violations(page, "insights-indicator-edit")
    assert not violations, describe_violations(violations)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(page, doctors.get_absolute_url()))
    doctors.refresh_from_db()
    assert doctors.numerator == "degree=TS&degree=TSKH&gender=female&status=working"
    assert doctors.values.get(measured_on=indicators.timezone.localdate()).value == Decimal(women)

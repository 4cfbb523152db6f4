"""A leader opens the statistics dashboard in a real browser: charts drawn, tables beside
them, a figure followed to the list of people behind it; the cross-tab."""

import pytest
from playwright.sync_api import expect

from trithuc.registry.demo import seed_people
from trithuc.registry.models import Person

from .conftest import make_staff_account
from .helpers import axe_violations, describe_violations, screenshot, sign_in, url

pytestmark = pytest.mark.browser


def test_dashboard_charts_tables_and_drill_down(page, tree):
    seed_people(300, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"]], seed=3)
    leader = make_staff_account(username="lanh.dao", organization=tree["city"], role="leader")
    sign_in(page, leader)
    page.get_by_role("navigation").get_by_role("link", name="Thống kê").click()
    expect(page).to_have_url(url(page, "/insights/"))
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    # The trends panel comes a moment later (htmx) and is drawn too.
    expect(page.locator("section[aria-labelledby=panel-trends] [data-chart] svg")).to_be_visible()
    assert page.locator("[data-chart] svg").count() >= 11  # no administrative units here
    screenshot(page, "insights-dashboard")
    violations = axe_violations(page, "insights-dashboard")
    assert not violations, describe_violations(violations)

    degree = page.locator("section", has=page.locator("#panel-degree"))
    degree.locator("summary").click()
    link = degree.locator("tbody a").first
    label = link.inner_text()
    count = int(link.locator("xpath=ancestor::tr/td[1]").inner_text())
    link.click()
    page.wait_for_url("**/people/**")
    assert "/people/" in page.url and "degree=" in page.url
    expect(page.locator("main")).to_contain_text(f"{count}")
    assert (
        count
        == Person.objects.filter(status="working")
        .filter(degree_group__in=[v for v in page.url.split("degree=")[1].split("&")[:1]])
        .count()
    ), label

    page.goto(url(page, "/insights/crosstab/?rows=field&columns=gender&percent=row"))
    expect(page.locator("table caption")).to_contain_text("tổng")
    screenshot(page, "insights-crosstab")
    violations = axe_violations(page, "insights-crosstab")
    assert not violations, describe_violations(violations)

"""A data steward sets up a projection scenario in a real browser (a row added by "Thêm
dòng"), reads its projection (three ECharts charts, each with a table), compares it with a
second scenario; axe-core finds nothing serious; screenshots are left in test-results/."""

import random
from datetime import date

import pytest
from playwright.sync_api import expect

from trithuc.core.choices import Role
from trithuc.insights.models import Scenario
from trithuc.registry.models import CURRENT_FIELD_VERSION, FieldOfScience, Person

from .conftest import make_staff_account
from .helpers import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
    sign_in,
    url,
)

pytestmark = pytest.mark.browser

DEGREES = ["TS", "THS", "THS", "DH", "DH", "DH", "BSCKII"]
FIELDS = ["101", "102", "201", "202", "301", "302", "401", "502", "503", "602"]


@pytest.fixture
def steward(transactional_db, tree):
    return make_staff_account(
        username="nguoi.quan.ly.du.lieu",
        full_name="Đỗ Thu Hà",
        organization=tree["city"],
        role=Role.DATA_STEWARD.value,
    )


def workforce(organization, count=300):
    """People of every age from 24 to 61, in ten fields, some doctors."""
    rng = random.Random(45)
    fields = {
        f.code: f
        for f in FieldOfScience.objects.filter(version=CURRENT_FIELD_VERSION, code__in=FIELDS)
    }
    for _i in range(count):
        year = rng.randint(1965, 2002)
        person = Person(
            full_name="Nguyễn Văn Thử",
            birth_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            gender=rng.choice(["male", "female"]),
            sector="public_service",
            organization=organization,
            degree_group=rng.choice(DEGREES),
            primary_field=fields[rng.choice(FIELDS)],
        )
        person.save()


def test_steward_sets_up_reads_and_compares_projections(page, steward, tree):
    workforce(tree["unit_a1"])
    Scenario.objects.create(organization=tree["unit_a1"], name="Không bổ sung", attrition={"*": 3})
    sign_in(page, steward)
    page.goto(url(page, "/insights/scenarios/"))
    page.get_by_role("link", name="Thêm kịch bản").click()

    page.fill("#id_organization", tree["unit_a1"].code)
    page.fill("#id_name", "Thu hút tiến sĩ 2030")
    page.fill("#id_extension_years", "5")
    page.fill("#id_extension_share", "50")
    page.fill("#id_attrition_TS", "1.5")
    page.fill("#id_attrition_other", "2.5")
    inflows = page.locator("fieldset#inflows")
    inflows.locator("#id_inflows-0-field").select_option("1")
    inflows.locator("#id_inflows-0-year").fill("2027")
    inflows.locator("#id_inflows-0-count").fill("30")
    inflows.locator("#id_inflows-0-degree").select_option("TS")
    inflows.locator("#id_inflows-0-age").fill("32")
    inflows.locator("#id_inflows-0-female_share").fill("45")
    inflows.get_by_role("button", name="Thêm dòng").click()
    expect(inflows.locator(".formset-row")).to_have_count(2)
    inflows.locator("#id_inflows-1-field").select_option("3")
    inflows.locator("#id_inflows-1-year").fill("2028")
    inflows.locator("#id_inflows-1-count").fill("20")
    inflows.locator("#id_inflows-1-degree").select_option("BSCKII")
    inflows.locator("#id_inflows-1-age").fill("12")
    demand = page.locator("fieldset#demand")
    demand.locator("#id_demand-0-field").select_option("1")
    demand.locator("#id_demand-0-year").fill("2030")
    demand.locator("#id_demand-0-count").fill("120")
    page.get_by_role("button", name="Lưu").click()

    # The age 12 is refused, named by table, row and column.
    expect(page.locator("#error-summary")).to_contain_text(
        "Nguồn bổ sung, dòng 2, cột “Tuổi khi vào”"
    )
    screenshot(page, "projection-scenario-errors")
    violations = axe_violations(page, "projection-scenario-errors")
    assert not violations, describe_violations(violations)
    page.locator("#id_inflows-1-age").fill("35")
    page.get_by_role("button", name="Lưu").click()

    scenario = Scenario.objects.get(name="Thu hút tiến sĩ 2030")
    expect(page).to_have_url(url(page, scenario.get_absolute_url()))
    assert len(scenario.inflows) == 2 and scenario.demand[0]["count"] == 120
    expect(page.locator("h1")).to_contain_text("Dự báo: Thu hút tiến sĩ 2030")
    for chart in ("chart-stock", "chart-retire", "chart-field"):
        expect(page.locator(f'[data-source="{chart}"] svg')).to_have_count(1)
    expect(page.locator("table.projection-fields")).to_contain_text("Khoa học tự nhiên")
    assert horizontal_overflow(page) is None, horizontal_overflow(page)
    page.locator("details summary").first.click()
    screenshot(page, "projection-page")
    violations = axe_violations(page, "projection-page")
    assert not violations, describe_violations(violations)

    page.get_by_label("Không bổ sung").check()
    page.get_by_role("button", name="So sánh", exact=True).click()
    expect(page.locator("h1")).to_have_text("So sánh kịch bản dự báo")
    expect(page.locator('[data-source="cmp-stock"] svg')).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Thu hút tiến sĩ 2030")
    screenshot(page, "projection-compare")
    violations = axe_violations(page, "projection-compare")
    assert not violations, describe_violations(violations)

    page.goto(url(page, "/insights/scenarios/"))
    screenshot(page, "projection-scenario-list")
    violations = axe_violations(page, "projection-scenario-list")
    assert not violations, describe_violations(violations)

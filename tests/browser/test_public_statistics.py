"""Anyone opens the public statistics page in a real browser: the charts are drawn, hidden
cells read "ẩn" in the tables and are gaps (not zeros) in the charts, and axe finds nothing
serious."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from trithuc.registry.demo import seed_people

from ..registry.factories import AcademicTitleFactory, PersonFactory
from .helpers import axe_violations, describe_violations, screenshot, url

pytestmark = pytest.mark.browser


@pytest.fixture
def workforce(transactional_db, tree):
    cache.clear()
    seed_people(
        300, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"], tree["unit_b1"]],
        seed=5,
    )  # fmt: skip
    # Two professors over 70: a cell of 2 in the pyramid's 70+ row.
    for name in ("Nguyễn Văn Bảy", "Trần Văn Tám"):
        person = PersonFactory(
            organization=tree["dept_a"], full_name=name, birth_date=date(1950, 3, 1)
        )
        AcademicTitleFactory(person=person, kind="GS", appointment="appointed")
    yield
    cache.clear()


def test_anyone_reads_the_public_statistics(page, workforce):
    page.goto(url(page, "/insights/public/"))
    expect(page.locator("h1")).to_have_text("Thống kê đội ngũ trí thức của Thành phố")
    expect(page.get_by_role("link", name="Đăng xuất")).to_have_count(0)
    charts = page.locator("main .chart")
    assert charts.count() >= 5  # a table whose figures are all 0 or hidden has no chart
    for i in range(charts.count()):
        expect(charts.nth(i).locator("svg")).to_have_count(1)
    expect(page.locator("main [data-suppressed]").first).to_be_visible()

    # A hidden figure is a gap in the chart (null), never drawn as 0.
    pyramid = page.evaluate(
        """() => {
          const el = document.querySelector('[data-source=chart-pyramid]');
          const chart = echarts.getInstanceByDom(el);
          return chart.getOption().series.map(s => s.data);
        }"""
    )
    rows = page.locator("#table-pyramid tbody tr")
    old = rows.filter(has_text="70+")
    cells = [c.strip() for c in old.locator("td").all_inner_texts()]
    assert "ẩn" in cells[:2]
    for column, shown in enumerate(cells[:2]):
        drawn = pyramid[column][-1]
        assert (drawn is None) if shown == "ẩn" else abs(drawn) == int(shown)

    # The tooltip of the 70+ row (asked of the women's series, drawn there) reads "ẩn" for
    # the hidden figure, not 0.
    page.evaluate(
        """() => {
          const el = document.querySelector('[data-source=chart-pyramid]');
          const chart = echarts.getInstanceByDom(el);
          const rows = chart.getOption().yAxis[0].data.length;
          chart.dispatchAction({type: 'showTip', seriesIndex: 1, dataIndex: rows - 1});
        }"""
    )
    tooltip = page.locator("[data-source=chart-pyramid] > div").filter(has_text="Nam:")
    expect(tooltip.first).to_be_visible()
    for column, shown in enumerate(cells[:2]):
        name = ("Nam", "Nữ")[column]
        expect(tooltip.first).to_contain_text(f"{name}: {shown}")

    screenshot(page, "insights-public")
    violations = axe_violations(page, "insights-public")
    assert not violations, describe_violations(violations)

"""The public statistics page and the anonymous summary API: anyone reads them, no table
cell counts 1–4 people, the totals are those of an independent COUNT, the figures are one
cached snapshot for the page and the API."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from trithuc.insights import disclosure
from trithuc.insights.models import Indicator
from trithuc.registry.demo import seed_people
from trithuc.registry.models import Person

from ..registry.factories import AcademicTitleFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/insights/public/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(tree):
    """A sample of the demo's people, plus two professors of the 2025 field 6 born in 1950
    (a cell of 2 in the "by title" table and in the pyramid's 70+ row)."""
    seed_people(
        160, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"], tree["unit_b1"]],
        seed=3,
    )  # fmt: skip
    Person.objects.filter(title="GS").update(title="")
    for name in ("Nguyễn Văn Bảy", "Trần Thị Tám"):
        person = PersonFactory(
            organization=tree["dept_a"], full_name=name, birth_date=date(1950, 3, 1)
        )
        AcademicTitleFactory(person=person, kind="GS", appointment="appointed")
    return Person.objects.all()


def sql(query: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def working_count() -> int:
    return sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working'")[0][0]


def page(client: Client | None = None):
    response = (client or Client()).get(URL)
    assert response.status_code == 200
    return response, html.fromstring(response.content.decode())


def table_cells(tree) -> list[str]:
    return [
        " ".join(cell.text_content().split())
        for cell in tree.xpath("//main//table//td | //main//table//th")
    ]


def small_numbers(texts) -> list[str]:
    """Texts that are a whole number of 1 to 4 (thousands separators allowed)."""
    found = []
    for text in texts:
        plain = re.sub(r"[\s.,\u202f]", "", text)
        if plain.isdigit() and 1 <= int(plain) <= 4:
            found.append(text)
    return found


def chart_numbers(tree) -> list[int]:
    """Every number the charts are given (the JSON in the page)."""
    numbers: list[int] = []
    for script in tree.xpath("//script[@type='application/json']"):
        data = json.loads(script.text_content())
        for series in data.get("series", []):
            numbers += [v for v in series["data"] if v is not None]
        numbers += [cell[2] for cell in data.get("cells", [])]
    return numbers


def test_anyone_reads_the_page_without_signing_in(people):
    assert reverse("insights:public") == URL
    response, tree = page()
    assert "insights/public.html" in [t.name for t in response.templates]
    assert tree.xpath("//h1")[0].text_content().strip() == "Thống kê đội ngũ trí thức của Thành phố"
    note = tree.get_element_by_id("suppression-note").text_content()
    assert "từ 1 đến 4 người" in note and "ẩn" in note
    # The site's footer links the page for everyone.
    assert tree.xpath(f"//footer//a[@href='{URL}']")


def test_no_table_cell_and_no_chart_figure_counts_one_to_four_people(people):
    _response, tree = page()
    cells = table_cells(tree)
    assert not small_numbers(cells)
    assert not [n for n in chart_numbers(tree) if 1 <= n <= 4]
    # The two professors are there, hidden: the test looks at a page that has small cells.
    gs = tree.xpath("//table[@id='table-title']//tr[@data-key='GS']/td")[0]
    assert gs.text_content().strip() == "ẩn"
    hidden = tree.xpath("//main//table//*[@data-suppressed]")
    assert len(hidden) >= 2
    # A one-way table never hides a single cell (the total would give it).
    for table in tree.xpath("//main//table[starts-with(@id, 'table-')]"):
        rows = table.xpath("./tbody/tr")
        if table.get("id") in {"table-pyramid", "table-degree-field", "table-indicators"}:
            continue
        assert len([r for r in rows if r.xpath(".//*[@data-suppressed]")]) != 1, table.get("id")


def test_the_total_is_an_independent_count_and_published_cells_are_exact(people):
    _response, tree = page()
    total = tree.get_element_by_id("public-total").text_content().strip()
    assert int(total) == working_count()
    for table, column in (("gender", "gender"), ("sector", "sector"), ("title", "title")):
        counts = dict(
            sql(
                f"SELECT {column}, COUNT(*) FROM registry_person "  # noqa: S608 (constants)
                f"WHERE status = 'working' GROUP BY {column}"
            )
        )
        if table == "title":
            counts = {
                "GS": counts.get("GS", 0),
                "PGS": counts.get("PGS", 0),
                "none": sum(n for k, n in counts.items() if k not in ("GS", "PGS")),
            }
        for row in tree.xpath(f"//table[@id='table-{table}']/tbody/tr"):
            shown = row.xpath("./td")[0].text_content().strip()
            if shown != "ẩn":
                assert int(shown) == counts.get(row.get("data-key"), 0), (
                    table,
                    row.get("data-key"),
                )
        footer = tree.xpath(f"//table[@id='table-{table}']/tfoot//td")[0].text_content()
        assert int(footer) == working_count()
    # The degree × field table's margins are the "by degree" and "by field" tables.
    rows = tree.xpath("//table[@id='table-degree-field']/tbody/tr")
    by_degree = [r.xpath("./td")[0].text_content().strip() for r in tree.xpath(
        "//table[@id='table-degree']/tbody/tr")]  # fmt: skip
    assert [r.xpath("./td")[-1].text_content().strip() for r in rows] == by_degree
    by_field = [r.xpath("./td")[0].text_content().strip() for r in tree.xpath(
        "//table[@id='table-field']/tbody/tr")]  # fmt: skip
    footer = tree.xpath("//table[@id='table-degree-field']/tfoot//td")
    assert [c.text_content().strip() for c in footer[:-1]] == by_field
    # The pyramid's column totals are the "by gender" table.
    footer = tree.xpath("//table[@id='table-pyramid']/tfoot//td")
    by_gender = [r.xpath("./td")[0].text_content().strip() for r in tree.xpath(
        "//table[@id='table-gender']/tbody/tr")]  # fmt: skip
    assert [c.text_content().strip() for c in footer[:-1]] == by_gender


def test_the_figures_are_cached_and_change_with_the_window(people, tree, monkeypatch):
    page()
    PersonFactory(organization=tree["dept_b"], full_name="Lê Văn Mới")
    with CaptureQueriesContext(connection) as queries:
        _response, again = page()
    assert not [q for q in queries.captured_queries if "registry_person" in q["sql"]]
    assert int(again.get_element_by_id("public-total").text_content()) == working_count() - 1
    # The next window (aligned on the clock) computes the figures again.
    now = disclosure.time.time()
    monkeypatch.setattr(disclosure.time, "time", lambda: now + disclosure.cache_seconds())
    _response, later = page()
    assert int(later.get_element_by_id("public-total").text_content()) == working_count()


def test_the_page_offers_no_filter_no_date_and_no_list_of_people(people):
    _response, tree = page()
    baseline = table_cells(tree)
    cache.clear()
    response = Client().get(URL, {"gender": "female", "as_of": "2020-12-31", "degree": "TS"})
    assert table_cells(html.fromstring(response.content.decode())) == baseline
    main = tree.xpath("//main")[0]
    assert not main.xpath(".//form")
    assert not [a for a in main.xpath(".//a/@href") if "/people/" in a]
    for script in tree.xpath("//script[@type='application/json']"):
        assert "links" not in json.loads(script.text_content())


def walk_numbers(value):
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_numbers(item)


def test_the_anonymous_summary_has_no_count_of_one_to_four(people):
    payload = disclosure.public_summary()
    for key in ("total", "by_title", "by_degree", "by_gender", "by_age_band", "by_field",
                "by_sector", "suppressed", "as_of"):  # fmt: skip
        assert key in payload
    numbers = [n for k, v in payload.items() if k != "min_count" for n in walk_numbers(v)]
    assert not [n for n in numbers if 1 <= n <= 4]
    assert payload["by_title"]["GS"] is None
    assert payload["total"] == working_count()
    assert date.fromisoformat(payload["as_of"])
    for name in ("by_title", "by_degree", "by_gender", "by_age_band", "by_field", "by_sector"):
        values = list(payload[name].values())
        hidden = values.count(None)
        assert hidden != 1, name
        if not hidden:
            assert sum(values) == payload["total"], name


def test_the_api_answers_anonymous_callers_with_the_public_snapshot(people):
    _response, tree = page()
    response = Client().get("/api/insights/summary/", {"as_of": "2020-12-31", "gender": "male"})
    assert response.status_code == 200
    payload = response.json()
    assert payload == json.loads(json.dumps(disclosure.public_summary()))
    assert payload["total"] == int(tree.get_element_by_id("public-total").text_content())
    gs = tree.xpath("//table[@id='table-title']//tr[@data-key='GS']/td")[0].text_content()
    assert payload["by_title"]["GS"] is None and gs.strip() == "ẩn"


def test_public_indicators_show_value_and_target_unless_a_count_is_small(people, tree):
    common = {"organization": tree["city"], "target_date": date(2030, 12, 31)}
    Indicator.objects.create(
        code="CT1", name="Số giáo sư", kind="count", numerator="title=GS",
        target_value=Decimal(10), is_public=True, **common,
    )  # fmt: skip
    Indicator.objects.create(
        code="CT2", name="Tỷ lệ nữ", kind="ratio", numerator="gender=female",
        denominator="", target_value=Decimal(50), is_public=True, **common,
    )  # fmt: skip
    Indicator.objects.create(
        code="CT3", name="Chỉ tiêu nội bộ", kind="count", numerator="gender=male",
        target_value=Decimal(5), **common,
    )  # fmt: skip
    _response, page_tree = page()
    rows = page_tree.xpath("//table[@id='table-indicators']/tbody/tr")
    shown = {r.xpath("./th")[0].text_content().strip(): r for r in rows}
    assert set(shown) == {"Số giáo sư", "Tỷ lệ nữ"}  # not the one kept internal
    professors = [c.text_content().strip() for c in shown["Số giáo sư"].xpath("./td")]
    assert professors[0] == "ẩn" and professors[1] == "10,00" and professors[2] == "31/12/2030"
    women = sql("SELECT COUNT(*) FROM registry_person WHERE status = 'working' "
                "AND gender = 'female'")[0][0]  # fmt: skip
    expected = (Decimal(100 * women) / working_count()).quantize(Decimal("0.01"), ROUND_HALF_UP)
    value = shown["Tỷ lệ nữ"].xpath("./td")[0].text_content().strip()
    assert value == f"{expected} %".replace(".", ",")

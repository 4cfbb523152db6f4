"""Scenario pages, the projection page, its .xlsx, the comparison, the API and the command."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from trithuc.core.models import AuditEvent
from trithuc.insights.models import Scenario
from trithuc.insights.projection import first_year_of
from trithuc.registry.models import CURRENT_FIELD_VERSION, FieldOfScience, Person


def person(org, birth, gender, *, degree="THS", code="101"):
    p = Person(
        full_name="Trần Văn Thử",
        birth_date=birth,
        gender=gender,
        sector="public_service",
        organization=org,
        degree_group=degree,
        primary_field=FieldOfScience.objects.get(version=CURRENT_FIELD_VERSION, code=code),
    )
    p.save()
    return p


def form_data(org_code="UNIT_A1", name="Kịch bản cơ sở", inflows=(), demand=(), **extra):
    data = {
        "organization": org_code,
        "name": name,
        "description": "",
        "extension_years": "0",
        "extension_share": "0",
        "attrition_other": "2",
        "inflows-TOTAL_FORMS": str(len(inflows)),
        "inflows-INITIAL_FORMS": "0",
        "demand-TOTAL_FORMS": str(len(demand)),
        "demand-INITIAL_FORMS": "0",
        **extra,
    }
    for i, row in enumerate(inflows):
        data.update({f"inflows-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(demand):
        data.update({f"demand-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def steward(make_staff, tree):
    return make_staff("data_steward", tree["city"])


@pytest.fixture
def scenario(tree):
    return Scenario.objects.create(
        organization=tree["unit_a1"],
        name="Kịch bản cơ sở",
        attrition={"*": 10},
        inflows=[{"field": "1", "year": 2030, "count": 10, "degree": "TS", "age": 30,
                  "female_share": 0.5}],
        demand=[{"field": "1", "year": 2030, "count": 20}],
    )  # fmt: skip


def test_steward_creates_a_scenario_with_rows(client_for, steward, tree):
    client = client_for(steward)
    response = client.post(
        reverse("insights:scenario_add"),
        form_data(
            extension_years="5",
            extension_share="40",
            attrition_TS="1.5",
            inflows=[{"field": "3", "year": "2028", "count": "25", "degree": "BSCKII",
                      "age": "32", "female_share": "60"}],
            demand=[{"field": "3", "year": "2030", "count": "400"}],
        ),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = Scenario.objects.get()
    assert response["Location"] == scenario.get_absolute_url()
    assert scenario.organization == tree["unit_a1"]
    assert scenario.attrition == {"TS": 1.5, "*": 2.0}
    assert scenario.inflows == [
        {"field": "3", "year": 2028, "count": 25, "degree": "BSCKII", "age": 32,
         "female_share": 0.6}
    ]  # fmt: skip
    assert scenario.demand == [{"field": "3", "year": 2030, "count": 400}]
    assert scenario.history.count() == 1  # one save, rows included


def test_errors_name_the_table_the_row_and_the_column(client_for, steward):
    client = client_for(steward)
    response = client.post(
        reverse("insights:scenario_add"),
        form_data(
            attrition_other="150",
            inflows=[
                {"field": "1", "year": "2028", "count": "5", "degree": "TS", "age": "30"},
                {"field": "1", "year": "3000", "count": "5", "degree": "", "age": "30"},
            ],
            demand=[{"field": "1", "year": "2030", "count": "10"},
                    {"field": "1", "year": "2030", "count": "12"}],
        ),
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nguồn bổ sung, dòng 2, cột “Năm”: Năm phải từ 1990 đến 2100." in page
    assert "Nguồn bổ sung, dòng 2, cột “Trình độ”: Hãy chọn trình độ." in page
    assert "Tỷ lệ rời bỏ: Các trình độ khác" in page
    assert "Nguồn bổ sung, dòng 1" not in page
    assert not Scenario.objects.exists()
    # Duplicate demand rows, once the rest is right.
    response = client.post(
        reverse("insights:scenario_add"),
        form_data(demand=[{"field": "1", "year": "2030", "count": "10"},
                          {"field": "1", "year": "2030", "count": "12"}]),
    )  # fmt: skip
    assert response.status_code == 400
    assert "dòng 2: lĩnh vực 1 năm 2030 đã có ở dòng 1" in response.content.decode()
    assert not Scenario.objects.exists()


def test_editing_keeps_rows_left_alone_and_drops_ticked_ones(client_for, steward, scenario):
    client = client_for(steward)
    page = client.get(reverse("insights:scenario_edit", args=[scenario.pk]))
    assert page.status_code == 200
    assert 'value="50' in page.content.decode()  # the female share shown in percent
    data = form_data(attrition_other="10")
    data.update(
        {
            "inflows-TOTAL_FORMS": "1", "inflows-INITIAL_FORMS": "1",
            "inflows-0-field": "1", "inflows-0-year": "2030", "inflows-0-count": "10",
            "inflows-0-degree": "TS", "inflows-0-age": "30", "inflows-0-female_share": "50",
            "demand-TOTAL_FORMS": "1", "demand-INITIAL_FORMS": "1",
            "demand-0-field": "1", "demand-0-year": "2030", "demand-0-count": "20",
            "demand-0-DELETE": "on",
        }
    )  # fmt: skip
    response = client.post(reverse("insights:scenario_edit", args=[scenario.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario.refresh_from_db()
    assert scenario.inflows == [
        {"field": "1", "year": 2030, "count": 10, "degree": "TS", "age": 30, "female_share": 0.5}
    ]
    assert scenario.demand == []


def test_hr_officer_reads_but_cannot_add(client_for, make_staff, tree, scenario):
    officer = make_staff("hr_officer", tree["dept_a"])
    client = client_for(officer)
    assert client.get(reverse("insights:scenario_list")).status_code == 200
    assert client.get(reverse("insights:scenario_add")).status_code == 403
    other = make_staff("plan_coordinator", tree["dept_b"])
    assert client_for(other).get(scenario.get_absolute_url()).status_code == 404


def test_projection_page_shows_the_hand_computed_figures(client_for, steward, tree, scenario):
    person(tree["unit_a1"], date(1990, 1, 1), "male")
    person(tree["unit_b1"], date(1990, 1, 1), "male")  # outside the scenario's unit
    response = client_for(steward).get(scenario.get_absolute_url() + "?to=2030")
    assert response.status_code == 200
    ctx = response.context
    projection = ctx["projection"]
    first, share = first_year_of(timezone.localdate())
    assert projection.base_stock == 1
    # 10% a year: the first year prorated, then whole years; the inflow of 2030 at the end.
    kept = 0.9**share * 0.9 ** (2030 - first)
    assert projection.totals[2030].stock == pytest.approx(kept + 10)
    assert projection.gap("1", 2030) == pytest.approx(20 - kept - 10)
    page = response.content.decode()
    assert 'data-source="chart-stock"' in page and 'id="chart-stock"' in page
    assert 'id="chart-retire"' in page and 'id="chart-field"' in page
    assert "Khoa học tự nhiên" in page


def test_projection_page_explains_unusable_assumptions(client_for, steward, scenario):
    Scenario.objects.filter(pk=scenario.pk).update(
        inflows=[{"field": "9", "year": 2030, "count": 1, "degree": "TS", "age": 30}]
    )
    response = client_for(steward).get(scenario.get_absolute_url())
    assert response.status_code == 200
    assert "Nguồn bổ sung, dòng 1, “Lĩnh vực”" in response.content.decode()


def test_export_is_an_xlsx_of_the_projection_and_audited(client_for, steward, tree, scenario):
    person(tree["unit_a1"], date(1990, 1, 1), "male")
    response = client_for(steward).get(reverse("insights:scenario_export", args=[scenario.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo năm", "Theo lĩnh vực", "Giả định"]
    years = book["Theo năm"]
    assert years.cell(4, 1).value == "Năm"
    assert years.cell(5, 1).value == first_year_of(timezone.localdate())[0]
    last = years.max_row
    assert years.cell(last, 1).value == 2045
    fields = book["Theo lĩnh vực"]
    rows = [[c.value for c in r] for r in fields.iter_rows(min_row=2)]
    row_2030 = next(r for r in rows if r[0] == "1" and r[2] == 2030)
    assert row_2030[6] == 20  # demand
    assert AuditEvent.objects.filter(kind="export").count() == 1


def test_compare_two_scenarios(client_for, steward, tree, scenario):
    other = Scenario.objects.create(organization=tree["unit_a1"], name="Kéo dài 5 năm",
                                    extension_years=5, extension_share=100)  # fmt: skip
    client = client_for(steward)
    url = reverse("insights:scenario_compare")
    response = client.get(url, {"ids": [scenario.pk, other.pk], "to": 2030})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kịch bản cơ sở" in page and "Kéo dài 5 năm" in page
    assert len(response.context["runs"]) == 2
    one = client.get(url, {"ids": [scenario.pk]})
    assert "Hãy chọn ít nhất hai kịch bản" in one.content.decode()


def test_api_returns_the_commands_json_for_a_visible_scenario(
    client_for, steward, make_staff, tree, scenario
):
    person(tree["unit_a1"], date(1964, 3, 15), "male")  # retires 30/06/2025
    url = reverse("api:insights-projection")
    client = client_for(steward)
    response = client.get(url, {"scenario": scenario.pk, "to": 2035, "from": 2025})
    assert response.status_code == 200
    data = response.json()
    assert data["scenario"]["name"] == "Kịch bản cơ sở"
    assert [row["year"] for row in data["years"]][:2] == [2025, 2026]
    assert data["years"][-1]["year"] == 2035
    assert set(data["years"][0]) >= {"year", "stock", "retirements", "inflow", "attrition"}
    assert set(data["by_field"]) == {"1", "2", "3", "4", "5", "6"}
    out = io.StringIO()
    call_command("project_workforce", "--to", "2035", "--from", "2025",
                 "--scenario", "Kịch bản cơ sở", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue()) == data
    coordinator = make_staff("plan_coordinator", tree["dept_b"])
    hidden = client_for(coordinator).get(url, {"scenario": scenario.pk})
    assert hidden.status_code == 404
    bad = client.get(url, {"scenario": scenario.pk, "to": "2200"})
    assert bad.status_code == 400 and "2100" in bad.json()["to"][0]
    early = client.get(url, {"scenario": scenario.pk, "to": "2000"})
    assert early.status_code == 400 and "trước năm gốc" in json.dumps(
        early.json(), ensure_ascii=False
    )


def test_command_prints_one_json_object(tree):
    person(tree["unit_a1"], date(1964, 3, 15), "male")
    person(tree["unit_b1"], date(1969, 10, 10), "female", code="301")
    out = io.StringIO()
    call_command("project_workforce", "--to", "2030", "--from", "2025", stdout=out)
    # History: the people were created today, so at the end of 2024 nobody was recorded.
    assert json.loads(out.getvalue())["base_stock"] == 0
    out = io.StringIO()
    call_command("project_workforce", "--to", "2030", "--organization", "DEPT_A", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scenario"] is None
    assert data["base_stock"] == 1
    # His retirement date (30/06/2025) has passed but he is still recorded at work: he leaves
    # in the first projected year.
    assert data["years"][0]["retirements"] == 1
    assert data["years"][-1] == {
        "year": 2030, "stock": 0.0, "retirements": 0.0, "inflow": 0.0, "attrition": 0.0
    }  # fmt: skip


def test_command_refuses_bad_input_in_vietnamese(tree, scenario):
    Scenario.objects.create(organization=tree["unit_b1"], name="Kịch bản cơ sở")
    cases = [
        (["--to", "2101"], "không hợp lệ"),
        (["--to", "2000"], "trước năm gốc"),
        (["--to", "2030", "--scenario", "Không có"], "Không có kịch bản “Không có”"),
        (["--to", "2030", "--scenario", "Kịch bản cơ sở"], "--organization"),
        (["--to", "2030", "--organization", "NOPE"], "Không có đơn vị mã “NOPE”"),
        (["--to", "2030", "--from", "2999"], "không hợp lệ"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("project_workforce", *args, stdout=io.StringIO())
    out = io.StringIO()
    call_command("project_workforce", "--to", "2030", "--scenario", "Kịch bản cơ sở",
                 "--organization", "UNIT_A1", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["scenario"]["organization"]["code"] == "UNIT_A1"


def test_figures_are_whole_people_with_the_languages_separator():
    from django.utils import translation

    from trithuc.insights.templatetags.projection import people

    assert people(3289.4) == "3.289"
    assert people(None) == "—"
    with translation.override("en"):
        assert people(1234567.6) == "1,234,568"


def test_the_example_scenario_is_sized_on_the_people_and_made_once(tree):
    from trithuc.insights.scenario_examples import ensure_example_scenario

    for year in range(1970, 2000):
        person(tree["unit_a1"], date(year, 1, 1), "male", code="302")
    scenario, created = ensure_example_scenario(tree["city"])
    assert created and scenario.name == "Kịch bản cơ sở"
    assert {row["count"] for row in scenario.inflows if row["field"] == "3"} == {1}  # 3% of 30
    assert {"field": "3", "year": 2030, "count": 33} in scenario.demand
    assert ensure_example_scenario(tree["city"]) == (scenario, False)
    out = io.StringIO()
    call_command("project_workforce", "--scenario", "Kịch bản cơ sở", "--to", "2030", stdout=out)
    assert json.loads(out.getvalue())["base_stock"] == 30

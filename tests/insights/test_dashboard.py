"""The dashboard's figures against independent SQL on the same database; drill-down links
that select exactly the people counted; figures as of a past date; the cross-tab."""

from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from trithuc.insights import aggregates as agg
from trithuc.insights import selectors
from trithuc.registry.demo import seed_people
from trithuc.registry.filtersets import PersonFilterSet
from trithuc.registry.models import Degree, DegreeLevel, Person

from ..registry.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    seed_people(
        240, organizations=[tree["dept_a"], tree["unit_a1"], tree["dept_b"], tree["unit_b1"]],
        seed=7,
    )  # fmt: skip
    return Person.objects.all()


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def sql_counts(column, where="status = 'working'", params=()):
    # The columns and conditions are this module's constants, never input.
    query = f"SELECT {column}, COUNT(*) FROM registry_person WHERE {where} GROUP BY {column}"  # noqa: S608
    rows = sql(query, params)
    return {key: n for key, n in rows}


def test_distributions_equal_independent_sql(people, make_staff, tree):
    steward = make_staff("data_steward", tree["city"])
    population, _fs = agg.population(steward)
    figures = agg.summary(population)
    assert figures["gender"].total == sql("SELECT COUNT(*) FROM registry_person "
                                          "WHERE status = 'working'")[0][0]  # fmt: skip
    expected = sql_counts("gender")
    assert {k: v for k, v in figures["gender"].as_counts().items() if v} == expected
    assert {k: v for k, v in figures["sector"].as_counts().items() if v} == sql_counts("sector")
    titles = sql_counts("title")
    got = figures["title"].as_counts()
    assert got["GS"] == titles.get("GS", 0) and got["PGS"] == titles.get("PGS", 0)
    assert got["none"] == sum(n for k, n in titles.items() if k not in ("GS", "PGS"))
    degrees = sql_counts("degree_group")
    got = figures["degree"].as_counts()
    assert {k: v for k, v in got.items() if v and k != "none"} == {
        k: v for k, v in degrees.items() if k
    }
    # Fields of science, level 1: the parent's code of the main field (a join, in SQL).
    level1 = dict(
        sql(
            "SELECT COALESCE(parent.code, f.code), COUNT(*) FROM registry_person p "
            "JOIN registry_fieldofscience f ON f.id = p.primary_field_id "
            "LEFT JOIN registry_fieldofscience parent ON parent.id = f.parent_id "
            "WHERE p.status = 'working' GROUP BY 1"
        )
    )
    got = {k: v for k, v in figures["field"].as_counts().items() if v and k != "none"}
    assert got == level1


def test_age_bands_equal_ages_computed_by_hand(people, make_staff, tree):
    steward = make_staff("data_steward", tree["city"])
    population, _fs = agg.population(steward)
    today = timezone.localdate()
    expected = {}
    for born in Person.objects.filter(status="working").values_list("birth_date", flat=True):
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        band = next(b for b, _l, lo, hi in agg.AGE_BANDS if lo <= age <= hi)
        expected[band] = expected.get(band, 0) + 1
    got = {k: v for k, v in agg.by_age_band(population, today).as_counts().items() if v}
    assert got == expected


def test_every_drill_down_link_selects_exactly_the_people_counted(people, make_staff, tree, rf):
    steward = make_staff("data_steward", tree["city"])
    request = rf.get("/")
    request.user = steward
    population, filterset = agg.population(steward, request=request)
    page = selectors.dashboard(population, filterset, user=steward, as_of=None)
    checked = 0
    for panel in page["panels"]:
        for row in panel["rows"]:
            if not row["url"]:
                continue
            query = QueryDict(urlparse(row["url"]).query)
            listed = PersonFilterSet(query, queryset=Person.objects.all(), request=request)
            assert listed.is_valid(), (row["url"], listed.errors)
            assert listed.qs.count() == row["count"], (panel["key"], row["label"], row["url"])
            checked += 1
    for row in page["heat"]["rows"]:
        for cell in row["cells"]:
            if not cell["count"]:
                assert cell["url"] is None  # an empty cell opens no (empty) list
                continue
            query = QueryDict(urlparse(cell["url"]).query)
            listed = PersonFilterSet(query, queryset=Person.objects.all(), request=request)
            assert listed.qs.count() == cell["count"]
            checked += 1
    assert checked > 40


def test_scope_follows_the_viewer(people, make_staff, tree):
    officer = make_staff("hr_officer", tree["dept_a"])
    population, _fs = agg.population(officer)
    expected = sql(
        "SELECT COUNT(*) FROM registry_person p JOIN organizations_organization o "
        "ON o.id = p.organization_id WHERE p.status = 'working' AND o.path LIKE %s",
        [tree["dept_a"].path + "%"],
    )[0][0]
    assert agg.by_gender(population).total == expected > 0
    unit, _place = agg.by_unit(population, selectors.root_for(officer, _fs))
    # The officer's top organisation is dept_a: its people count under dept_a itself or
    # under its unit.
    assert {c.key for c in unit.categories} == {"=DEPT_A", "UNIT_A1"}
    assert unit.total == expected
    steward = make_staff("data_steward", tree["city"])
    everyone, fs = agg.population(steward)
    unit, _place = agg.by_unit(everyone, selectors.root_for(steward, fs))
    assert {c.key for c in unit.categories} == {"DEPT_A", "DEPT_B"}


def test_figures_as_of_a_past_date_come_from_history_and_dated_records(tree):
    person = PersonFactory(organization=tree["dept_a"], status="working")
    Degree.objects.create(person=person, level=DegreeLevel.objects.get(code="TS"), year=2020)
    history = Person.history.model
    history.objects.filter(id=person.pk).update(
        history_date=timezone.make_aware(timezone.datetime(2015, 1, 1))
    )
    # On 1/3/2024 the person retired (a new version of the record).
    person.status = "retired"
    person.save()
    history.objects.filter(id=person.pk, status="retired").update(
        history_date=timezone.make_aware(timezone.datetime(2024, 3, 1))
    )
    everyone = Person.objects.all()
    working_2019 = agg.as_of_population(everyone, date(2019, 6, 30), statuses=["working"])
    assert working_2019.count() == 1
    assert agg.by_degree(working_2019).as_counts()["TS"] == 0  # the doctorate came in 2020
    working_2023 = agg.as_of_population(everyone, date(2023, 12, 31), statuses=["working"])
    assert agg.by_degree(working_2023).as_counts()["TS"] == 1
    assert agg.as_of_population(everyone, date(2024, 6, 1), statuses=["working"]).count() == 0
    assert agg.as_of_population(everyone, date(2014, 6, 1), statuses=["working"]).count() == 0


def test_dashboard_page_and_bad_dates(people, make_staff, client_for, tree):
    client = client_for(make_staff("leader", tree["city"]))
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tháp tuổi theo giới tính" in page and "registry:person_list" not in page
    total = Person.objects.filter(status="working").count()
    assert f'<div class="fs-3 fw-semibold">{total}</div>' in page
    trends = client.get(reverse("insights:dashboard_trends")).content.decode()
    assert "Xu hướng theo năm" in trends and "chart-trends" in trends
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.get(reverse("insights:dashboard"), {"as_of": future})
    assert bad.status_code == 400 and "còn ở tương lai" in bad.content.decode()
    bad = client.get(reverse("insights:dashboard"), {"as_of": "31/12/2024"})
    assert bad.status_code == 400
    past = client.get(reverse("insights:dashboard"), {"as_of": "2025-01-01"})
    assert past.status_code == 200 and "Số liệu tại ngày 01/01/2025" in past.content.decode()


def test_crosstab_page_counts_percentages_and_xlsx(people, make_staff, client_for, tree):
    from io import BytesIO

    import openpyxl

    from trithuc.core.models import AuditEvent

    client = client_for(make_staff("data_steward", tree["city"]))
    url = reverse("insights:crosstab")
    response = client.get(url, {"rows": "degree", "columns": "gender", "percent": "row"})
    assert response.status_code == 200
    total = Person.objects.filter(status="working").count()
    assert f"tổng {total} người" in response.content.decode()
    same = client.get(url, {"rows": "gender", "columns": "gender"})
    assert same.status_code == 400 and "khác với hàng" in same.content.decode()
    export = client.get(url, {"rows": "sector", "columns": "field", "format": "xlsx"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng" and rows[-1][-1] == total
    by_sector = sql_counts("sector")
    for row in rows[1:-1]:
        _label, *cells, row_total = row
        assert sum(cells) == row_total
    assert sorted(r[-1] for r in rows[1:-1] if r[-1]) == sorted(by_sector.values())
    assert AuditEvent.objects.filter(kind="export", details__what="insights.crosstab").exists()


def test_api_summary_for_staff_is_scoped_and_filtered(people, make_staff, client_for, tree):
    client = client_for(make_staff("hr_officer", tree["dept_a"]))
    data = client.get("/api/insights/summary/", {"gender": "female"}).json()
    expected = sql(
        "SELECT COUNT(*) FROM registry_person p JOIN organizations_organization o "
        "ON o.id = p.organization_id WHERE p.status = 'working' AND p.gender = 'female' "
        "AND o.path LIKE %s",
        [tree["dept_a"].path + "%"],
    )[0][0]
    assert data["scope"] == "staff" and data["total"] == expected
    assert set(data) >= {"by_title", "by_degree", "by_gender", "by_age_band", "by_field",
                         "by_sector"}  # fmt: skip
    bad = client.get("/api/insights/summary/", {"as_of": "hôm qua"})
    assert bad.status_code == 400 and "as_of" in bad.json()
    cross = client.get("/api/insights/crosstab/", {"rows": "title", "columns": "sector"}).json()
    assert (
        cross["total"]
        == sql(
            "SELECT COUNT(*) FROM registry_person p JOIN organizations_organization o "
            "ON o.id = p.organization_id WHERE p.status = 'working' AND o.path LIKE %s",
            [tree["dept_a"].path + "%"],
        )[0][0]
    )


def test_units_drill_down_for_people_at_the_root_and_provinces(tree, make_staff, client_for, rf):
    from trithuc.organizations.models import AdministrativeUnit

    hanoi = AdministrativeUnit.objects.get(code="01")
    commune = AdministrativeUnit.objects.filter(parent=hanoi).first()
    tree["dept_a"].administrative_unit = hanoi
    tree["dept_a"].save()
    tree["unit_a1"].administrative_unit = commune
    tree["unit_a1"].save()
    for org, n in ((tree["dept_a"], 2), (tree["unit_a1"], 3)):
        for _ in range(n):
            PersonFactory(organization=org, status="working")
    officer = make_staff("hr_officer", tree["dept_a"])
    request = rf.get("/")
    request.user = officer
    population, filterset = agg.population(officer, request=request)
    page = selectors.dashboard(population, filterset, user=officer, as_of=None)
    panels = {p["key"]: p for p in page["panels"]}
    rows = {r["label"]: r for r in panels["unit"]["rows"]}
    direct = next(r for label, r in rows.items() if "trực tiếp" in label)
    assert direct["count"] == 2
    query = QueryDict(urlparse(direct["url"]).query)
    listed = PersonFilterSet(query, queryset=Person.objects.all(), request=request)
    assert listed.qs.count() == 2
    places = {r["key"]: r for r in panels["admin_unit"]["rows"]}
    assert places["01"]["count"] == 2 and places["01"]["url"] is None  # province level alone
    assert places[commune.code]["count"] == 3
    listed = PersonFilterSet(QueryDict(urlparse(places[commune.code]["url"]).query),
                             queryset=Person.objects.all(), request=request)  # fmt: skip
    assert listed.qs.count() == 3


def test_crosstab_button_with_filters_and_the_api_refuses_one_criterion_twice(
    people, make_staff, client_for, tree
):
    client = client_for(make_staff("data_steward", tree["city"]))
    response = client.get(reverse("insights:crosstab"), {"gender": "female"})
    assert response.status_code == 200
    assert (
        client.get("/api/insights/crosstab/", {"rows": "sector", "columns": "sector"}).status_code
        == 400
    )


def test_crosstab_by_admin_unit_names_communes_without_a_query_each(
    tree, django_assert_max_num_queries
):
    from trithuc.insights.dimensions import DIMENSIONS, Context, crosstab
    from trithuc.organizations.models import AdministrativeUnit

    hanoi = AdministrativeUnit.objects.get(code="01")
    communes = list(AdministrativeUnit.objects.filter(parent=hanoi)[:3])
    orgs = [tree["dept_a"], tree["unit_a1"], tree["dept_b"]]
    for org, commune in zip(orgs, communes, strict=False):
        org.administrative_unit = commune
        org.save()
        PersonFactory(organization=org, status="working")
    people, _filterset = agg.population(None)
    # The grouping, the workplaces with their units and provinces: no query per workplace.
    with django_assert_max_num_queries(2):
        table = crosstab(
            people, DIMENSIONS["admin_unit"], DIMENSIONS["gender"], Context(on=date.today())
        )
    labels = dict(table.row_keys)
    for commune in communes:
        assert labels[commune.code] == f"{commune.name}, {hanoi.name}"

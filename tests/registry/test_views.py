"""Staff pages of the registry: create and edit with inline rows, bad input, scope,
sensitive reads, history and revert, export, query counts."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from trithuc.core.crypto import decrypt
from trithuc.core.models import AuditEvent
from trithuc.registry.models import Degree, EthnicGroup, FieldOfScience, Person

from .conftest import citizen_id_for

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def person_post(organization, **overrides) -> dict[str, str]:
    data = {
        "full_name": "  Trần   Thị Hòa ",
        "birth": "15/03/1985",
        "gender": "female",
        "citizen_id": citizen_id_for("female", 1985),
        "nationality": "VN",
        "status": "working",
        "sector": "public_service",
        "organization": organization.code,
        "residence_country": "VN",
        "source": "staff",
        "verification": "unverified",
    }
    for prefix in ("positions", "titles", "degrees", "expertise", "languages"):
        data.update(management(prefix))
    data.update(overrides)
    return data


@pytest.fixture
def hr(tree, make_staff):
    return make_staff("hr_officer", tree["dept_a"])


def test_hr_officer_creates_a_person_with_a_degree(tree, hr, client_for):
    data = person_post(tree["unit_a1"])
    data.update(management("degrees", total=1))
    data.update({"degrees-0-level": "", "degrees-0-year": "2012", "degrees-0-country": "VN"})
    from trithuc.registry.models import DegreeLevel

    data["degrees-0-level"] = str(DegreeLevel.objects.get(code="TS").pk)
    response = client_for(hr).post(reverse("registry:person_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    assert person.full_name == "Trần Thị Hòa"
    assert person.organization == tree["unit_a1"]
    assert decrypt(person.citizen_id_encrypted) == data["citizen_id"]
    assert person.citizen_id_masked.endswith(data["citizen_id"][-3:])
    assert person.degree_group == "TS"
    assert person.retirement_date is not None
    assert AuditEvent.objects.filter(kind="object_created", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"citizen_id": "00108512345"[:10]}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "001485123456"}, "citizen_id", "người sinh từ năm 2100"),
        ({"citizen_id": "001085123456"}, "citizen_id", "giới tính nam"),
        ({"citizen_id": "001190123456"}, "citizen_id", "năm sinh"),
        ({"citizen_id": "001085123456"}, "citizen_id", "giới tính"),
        ({"birth": "15/03/2999"}, "birth_date", "tương lai"),
        ({"birth": "31/02/1985"}, "birth", "không có trên lịch"),
        ({"birth": "tháng ba"}, "birth", "Không đọc được"),
    ],
)
def test_bad_person_input_is_refused_on_the_field(tree, hr, client_for, overrides, field, fragment):
    response = client_for(hr).post(
        reverse("registry:person_add"), person_post(tree["unit_a1"], **overrides)
    )
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert not Person.objects.exists()


def test_duplicate_citizen_id_links_to_the_existing_record(tree, hr, client_for, make_person):
    number = citizen_id_for("female", 1985)
    existing = make_person(
        tree["unit_a1"], gender="female", birth_date=date(1985, 1, 2), citizen_id=number
    )
    response = client_for(hr).post(
        reverse("registry:person_add"), person_post(tree["unit_a1"], citizen_id=number)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "đã có trong hồ sơ" in page
    assert existing.get_absolute_url() in page
    assert Person.objects.count() == 1


def test_duplicate_outside_scope_is_refused_without_naming_anyone(
    tree, hr, client_for, make_person
):
    number = citizen_id_for("female", 1985)
    make_person(
        tree["unit_b1"],
        full_name="Lê Thị Bí Mật",
        gender="female",
        birth_date=date(1985, 1, 2),
        citizen_id=number,
    )
    response = client_for(hr).post(
        reverse("registry:person_add"), person_post(tree["unit_a1"], citizen_id=number)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "đơn vị khác" in page
    assert "Bí Mật" not in page


def test_degree_before_age_18_and_end_before_start_are_refused(tree, hr, client_for):
    from trithuc.registry.models import DegreeLevel

    data = person_post(tree["unit_a1"])
    data.update(management("degrees", total=1))
    data["degrees-0-level"] = str(DegreeLevel.objects.get(code="CN").pk)
    data["degrees-0-year"] = "1995"  # born 1985: aged 10
    data["degrees-0-country"] = "VN"
    data.update(management("positions", total=1))
    data.update(
        {
            "positions-0-organization": tree["unit_a1"].code,
            "positions-0-job_title": "Chuyên viên",
            "positions-0-start": "2015-01-01",
            "positions-0-end": "2010-01-01",
            "positions-0-is_primary": "on",
        }
    )
    response = client_for(hr).post(reverse("registry:person_add"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "chưa đủ 18 tuổi" in page
    assert "trước ngày bắt đầu" in page
    assert not Person.objects.exists()
    assert not Degree.objects.exists()


def test_officer_of_another_unit_gets_404_everywhere(tree, make_staff, client_for, make_person):
    person = make_person(tree["unit_a1"], full_name="Phạm Văn Kín")
    other = client_for(make_staff("hr_officer", tree["dept_b"]))
    for name in (
        "person_detail",
        "person_edit",
        "person_history",
        "person_sensitive",
        "person_photo",
    ):
        assert other.get(reverse(f"registry:{name}", args=[person.pk])).status_code == 404, name
    assert "Kín" not in other.get(reverse("registry:person_list")).content.decode()
    assert "Kín" not in other.get(reverse("registry:person_list") + "?q=kin").content.decode()


def test_sensitive_fields_are_for_granted_roles_and_each_read_is_audited(
    tree, hr, make_staff, client_for, make_person
):
    kinh = EthnicGroup.objects.get(code="01")
    person = make_person(tree["unit_a1"], ethnicity=kinh, religion="Không")
    url = reverse("registry:person_sensitive", args=[person.pk])
    leader = client_for(make_staff("leader", tree["city"]))
    assert leader.get(url).status_code == 403
    detail = leader.get(person.get_absolute_url()).content.decode()
    assert "Kinh" not in detail
    assert decrypt(person.citizen_id_encrypted) not in detail
    assert person.citizen_id_masked in detail

    response = client_for(hr).get(url)
    assert response.status_code == 200
    assert decrypt(person.citizen_id_encrypted) in response.content.decode()
    assert "Kinh" in response.content.decode()
    event = AuditEvent.objects.get(kind="sensitive_read")
    assert event.actor == hr and event.object_id == str(person.pk)
    assert "citizen_id" in event.details["read_fields"]


def test_list_filters_and_vietnamese_order(tree, hr, client_for, make_person):
    make_person(tree["unit_a1"], full_name="Trần Văn Bình", degree="TS")
    make_person(tree["unit_a1"], full_name="Nguyễn Văn An", degree="THS")
    make_person(tree["unit_a1"], full_name="Lê Thị Ánh", gender="female", degree="TS")
    client = client_for(hr)
    page = client.get(reverse("registry:person_list")).content.decode()
    assert page.index("Nguyễn Văn An") < page.index("Lê Thị Ánh") < page.index("Trần Văn Bình")
    page = client.get(reverse("registry:person_list") + "?degree=TS&gender=female").content
    assert "Lê Thị Ánh" in page.decode() and "Trần Văn Bình" not in page.decode()
    page = client.get(reverse("registry:person_list") + "?q=tran+van+binh").content.decode()
    assert "Trần Văn Bình" in page and "Nguyễn Văn An" not in page


def test_list_and_detail_query_counts_do_not_grow(
    tree, hr, client_for, make_person, django_assert_max_num_queries
):
    client = client_for(hr)
    first = make_person(tree["unit_a1"], degree="TS")
    client.get(reverse("registry:person_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small_list, small_detail = count("/people/"), count(first.get_absolute_url())
    for i in range(15):
        p = make_person(tree["unit_a1"], full_name=f"Người Số {i}", degree="THS")
        p.expertise.create(field=FieldOfScience.objects.get(version="2025", code="102"))
        p.trainings.create(category="digital_skills", name="Kỹ năng số", year=2020)
    assert count("/people/") == small_list
    busy = Person.objects.exclude(pk=first.pk).first()
    assert count(busy.get_absolute_url()) == small_detail


def test_revert_restores_an_earlier_version(tree, make_staff, client_for, make_person):
    steward = make_staff("data_steward", tree["city"])
    person = make_person(tree["unit_a1"], full_name="Đỗ Văn Cũ", email="cu@example.vn")
    first_version = person.history.earliest("history_date")
    person.full_name, person.email = "Đỗ Văn Mới", "moi@example.vn"
    person.save()
    client = client_for(steward)
    history = client.get(reverse("registry:person_history", args=[person.pk])).content.decode()
    assert "Đỗ Văn Cũ" in history and "Khôi phục" in history
    url = reverse("registry:person_revert", args=[person.pk, first_version.history_id])
    assert client.post(url).status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.email) == ("Đỗ Văn Cũ", "cu@example.vn")
    assert person.history.count() == 3
    # HR officers see the history but may not revert.
    hr = client_for(make_staff("hr_officer", tree["dept_a"]))
    assert hr.post(url).status_code == 403


def test_history_never_shows_sensitive_values(tree, make_staff, client_for, make_person):
    steward = make_staff("data_steward", tree["city"])
    person = make_person(tree["unit_a1"], religion="Phật giáo")
    person.religion = "Công giáo"
    person.save()
    page = client_for(steward).get(reverse("registry:person_history", args=[person.pk]))
    text = page.content.decode()
    assert "Phật giáo" not in text and "Công giáo" not in text
    assert "Tôn giáo" in text


def test_export_is_the_filtered_scoped_list(tree, hr, client_for, make_person):
    make_person(tree["unit_a1"], full_name="Trần Văn Bình", degree="TS")
    make_person(tree["unit_a1"], full_name="Nguyễn Văn An", degree="THS")
    make_person(tree["unit_b1"], full_name="Hoàng Văn Ngoài", degree="TS")
    response = client_for(hr).get(reverse("registry:person_export") + "?degree=TS")
    assert response.status_code == 200
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Văn Bình"]
    assert AuditEvent.objects.filter(kind="export").exists()


def test_section_page_adds_trainings(tree, hr, client_for, make_person):
    person = make_person(tree["unit_a1"])
    data = management("trainings", total=1)
    data.update(
        {
            "trainings-0-category": "international_integration",
            "trainings-0-name": "Bồi dưỡng kiến thức hội nhập quốc tế",
            "trainings-0-country": "VN",
            "trainings-0-year": "2024",
            "trainings-0-hours": "40",
        }
    )
    url = reverse("registry:person_section_edit", args=[person.pk, "trainings"])
    response = client_for(hr).post(url, data)
    assert response.status_code == 302
    assert person.trainings.get().hours == 40
    listed = (
        client_for(hr)
        .get("/people/?training=international_integration&training_from=2023")
        .content.decode()
    )
    assert person.full_name in listed
    listed = (
        client_for(hr)
        .get("/people/?training=international_integration&training_from=2025")
        .content.decode()
    )
    assert person.full_name not in listed


def test_home_page_counts_the_people_in_scope(tree, hr, client_for, make_person):
    make_person(tree["unit_a1"], degree="TS")
    make_person(tree["unit_a1"], degree="KS")
    make_person(tree["unit_b1"], degree="TS")  # outside the officer's subtree
    response = client_for(hr).get(reverse("home"))
    overview = response.context["registry"]
    assert overview["total"] == 2
    degrees = {row["label"]: row["n"] for row in overview["degrees"]}
    assert degrees == {"Tiến sĩ": 1, "Đại học": 1}
    assert "?degree=TS" in response.content.decode()


def test_a_deleted_degree_can_be_brought_back(tree, make_staff, client_for, make_person):
    steward = client_for(make_staff("data_steward", tree["city"]))
    person = make_person(tree["unit_a1"], degree="TS")
    person.degrees.get().delete()
    person.refresh_from_db()
    assert person.degree_group == ""
    page = steward.get(reverse("registry:person_history", args=[person.pk])).content.decode()
    assert "Khôi phục mục đã xóa" in page
    deletion = Degree.history.get(history_type="-")
    url = reverse("registry:person_record_revert", args=[person.pk, "degrees", deletion.history_id])
    assert steward.post(url).status_code == 302
    person.refresh_from_db()
    assert person.degrees.count() == 1 and person.degree_group == "TS"


def test_citizen_id_search_is_for_granted_roles_and_masked_in_the_audit_log(
    tree, hr, make_staff, client_for, make_person
):
    number = citizen_id_for("male", 1980)
    person = make_person(tree["unit_a1"], full_name="Đinh Văn Số", citizen_id=number)
    spaced = f"{number[:3]}-{number[3:6]}-{number[6:]}"
    listed = client_for(hr).get("/people/", {"q": spaced}).content.decode()
    assert person.full_name in listed
    leader = client_for(make_staff("leader", tree["city"]))
    assert person.full_name not in leader.get("/people/", {"q": number}).content.decode()
    client_for(hr).get(reverse("registry:person_export"), {"q": number})
    event = AuditEvent.objects.get(kind="export")
    assert number not in str(event.details)
    assert event.details["filters"]["q"].endswith(number[-3:])


def test_history_page_queries_do_not_grow_with_the_changes(
    tree, make_staff, client_for, make_person
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    steward = client_for(make_staff("data_steward", tree["city"]))
    person = make_person(tree["unit_a1"], degree="TS")
    url = reverse("registry:person_history", args=[person.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert steward.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    degree = person.degrees.get()
    for year in range(2010, 2025):
        degree.year = year
        degree.save()
    page = steward.get(url).content.decode()
    assert "2023" in page and "2024" in page and "Tiến sĩ" in page
    assert count() == few

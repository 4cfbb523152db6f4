"""The registry API: people with derived values, sub-records, taxonomies; bad input answered
under the field concerned in Vietnamese, scope (404 outside it), audited sensitive reads,
the list page's filters, and query counts that do not grow with the rows."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from trithuc.core.choices import AuditKind
from trithuc.core.crypto import decrypt
from trithuc.core.models import AuditEvent
from trithuc.core.permissions import PermissionPolicy, roles
from trithuc.registry import models as m

from .factories import (
    AcademicTitleFactory,
    DegreeFactory,
    ExpertiseFactory,
    PersonFactory,
    PositionFactory,
    TrainingFactory,
    one_of_each_record,
    valid_citizen_id,
)

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people/"


@pytest.fixture
def api_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def hr(tree, make_staff):
    return make_staff("hr_officer", tree["dept_a"])


@pytest.fixture
def hr_b(tree, make_staff):
    return make_staff("hr_officer", tree["dept_b"])


@pytest.fixture
def person_a(tree):
    """A person in unit_a1 (dept_a's subtree), with a citizen ID."""
    return PersonFactory(
        full_name="Nguyễn Văn Hùng", organization=tree["unit_a1"], citizen_id="001080123456"
    )


def person_data(organization, **overrides) -> dict:
    data = {
        "full_name": "  Lê   Văn Thành ",
        "birth_date": "1966-03-15",
        "gender": "male",
        "citizen_id": "001066765432",
        "sector": "public_service",
        "organization": organization.pk,
        "email": "thanh.le@example.invalid",
    }
    data.update(overrides)
    return data


def age_today(born: date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# ---- create, and the derived values ---------------------------------------------------------


def test_hr_officer_creates_a_person_and_sees_the_derived_values(tree, hr, api_for):
    api = api_for(hr)
    data = person_data(tree["unit_a1"], ethnicity="01", religion="Không")
    response = api.post(PEOPLE, data, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    person = m.Person.objects.get(pk=created["id"])
    assert person.full_name == "Lê Văn Thành"
    assert decrypt(person.citizen_id_encrypted) == "001066765432"
    assert (person.ethnicity.code, person.religion) == ("01", "Không")
    # Sensitive values are written, never echoed.
    assert not {"citizen_id", "ethnicity", "religion"} & set(created)
    assert created["citizen_id_masked"] == "•••••••••432"
    assert AuditEvent.objects.filter(
        kind=AuditKind.OBJECT_CREATED, object_id=str(person.pk), actor=hr
    ).exists()

    # Sub-records through their own endpoints; each refreshes the person's summary.
    ts = m.DegreeLevel.objects.get(code="TS")
    field = m.FieldOfScience.objects.get(version="2025", code="102")
    for url, body in [
        ("/api/degrees/", {"level": ts.pk, "year": 1995, "major": "Tin học"}),
        ("/api/academic-titles/", {"kind": "PGS", "year": 2015}),
        ("/api/academic-titles/", {"kind": "GS", "year": 2020, "revoked": True}),
        ("/api/expertise/", {"field": field.pk, "is_primary": True}),
    ]:
        answer = api.post(url, {"person": person.pk, **body}, format="json")
        assert answer.status_code == 201, (url, answer.json())

    shown = api.get(f"{PEOPLE}{person.pk}/").json()
    assert shown["highest_degree"] == {"code": "TS", "name": "Tiến sĩ", "group": "TS"}
    assert shown["titles"] == [{"kind": "PGS", "year": 2015}]  # the revoked GS is not held
    assert shown["fields"] == [
        {"code": "102", "name": "Khoa học máy tính và thông tin", "primary": True}
    ]
    assert shown["unit"] == {
        "id": tree["unit_a1"].pk,
        "code": "UNIT_A1",
        "name": "Trung tâm Lưu trữ",
    }
    assert shown["age"] == age_today(date(1966, 3, 15))
    assert shown["birth_year"] == 1966
    # Born 15/03/1966: the age required in 2026 (61y6m) falls in 2027; the one required in
    # 2027 (61y9m) is reached on 15/12/2027, in that same year: the end of that month.
    assert shown["retirement_date"] == "2027-12-31"
    assert shown["is_leader"] is False
    assert {"source", "source_detail", "verification", "recorded_at"} <= set(shown)


def test_a_woman_known_by_birth_year_only(tree, hr, api_for):
    data = person_data(
        tree["unit_a1"],
        full_name="Phạm Thị Lan",
        gender="female",
        birth_date="1970-08-20",
        birth_date_precision="year",
        citizen_id="001170123456",
    )
    response = api_for(hr).post(PEOPLE, data, format="json")
    assert response.status_code == 201, response.json()
    # Taken as born 1/1/1970; the age required in 2026 (57y0m) is reached on 1/1/2027, not in
    # 2026; the one of 2027 (57y4m) on 1/5/2027: retires 31/05/2027.
    assert response.json()["birth_date"] == "1970-01-01"
    assert response.json()["retirement_date"] == "2027-05-31"


# ---- bad input: a Vietnamese message under the field, nothing saved -------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"citizen_id": "0010661234"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "001166123456"}, "citizen_id", "giới tính"),  # digit 4 odd: a woman
        ({"citizen_id": "001266123456"}, "citizen_id", "năm sinh 2066"),  # 2 = born 2000–2099
        ({"citizen_id": "001065123456"}, "citizen_id", "năm sinh 1965"),
        ({"citizen_id": "003066123456"}, "citizen_id", "mã tỉnh"),
        ({"birth_date": "2999-03-15"}, "birth_date", "tương lai"),
        ({"status": "abroad"}, "residence_country", "nước cư trú"),
        ({"ethnicity": "99"}, "ethnicity", "Không có dân tộc"),
        ({"full_name": ""}, "full_name", "không được"),
    ],
)
def test_bad_person_input_is_refused_under_the_field(tree, hr, api_for, overrides, field, fragment):
    response = api_for(hr).post(PEOPLE, person_data(tree["unit_a1"], **overrides), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {field}, errors
    assert fragment in errors[field][0], errors[field]
    assert not m.Person.objects.exists()


def test_a_duplicate_citizen_id_names_the_record_only_when_visible(tree, hr, api_for, person_a):
    hidden = PersonFactory(full_name="Trần Văn Bí Mật", organization=tree["unit_b1"])
    hidden_number = valid_citizen_id("male", 1980)
    from trithuc.registry import services

    services.set_citizen_id(hidden, hidden_number)
    hidden.save()
    api = api_for(hr)

    visible = api.post(
        PEOPLE,
        person_data(tree["unit_a1"], birth_date="1980-05-17", citizen_id="001 080 123 456"),
        format="json",
    )
    assert visible.status_code == 400
    message = visible.json()["citizen_id"][0]
    assert "Nguyễn Văn Hùng" in message
    assert f"/api/people/{person_a.pk}/" in message

    elsewhere = api.post(
        PEOPLE,
        person_data(tree["unit_a1"], birth_date="1980-05-17", citizen_id=hidden_number),
        format="json",
    )
    assert elsewhere.status_code == 400
    message = elsewhere.json()["citizen_id"][0]
    assert "đơn vị khác" in message
    assert "Bí Mật" not in message
    assert str(hidden.pk) not in message
    assert m.Person.objects.count() == 2


def test_sub_record_rules_answer_under_the_field_and_save_nothing(tree, hr, api_for, person_a):
    api = api_for(hr)
    ts = m.DegreeLevel.objects.get(code="TS")
    young = api.post(
        "/api/degrees/", {"person": person_a.pk, "level": ts.pk, "year": 1990}, format="json"
    )
    assert young.status_code == 400
    assert "chưa đủ 18 tuổi" in young.json()["year"][0]
    assert not m.Degree.objects.exists()

    backwards = api.post(
        "/api/positions/",
        {
            "person": person_a.pk,
            "job_title": "Trưởng phòng",
            "employer_name": "Viện Toán học",
            "start": "2015-06-01",
            "end": "2014-01-01",
        },
        format="json",
    )
    assert backwards.status_code == 400
    assert "trước ngày bắt đầu" in backwards.json()["end"][0]
    assert not m.Position.objects.exists()

    doi = api.post(
        "/api/publications/",
        {"person": person_a.pk, "title": "Một bài báo", "year": 2010, "doi": "xyz"},
        format="json",
    )
    assert "10." in doi.json()["doi"][0]
    # The model's normalisation of a DOI URL is what gets stored.
    ok = api.post(
        "/api/publications/",
        {
            "person": person_a.pk,
            "title": "Một bài báo",
            "year": 2010,
            "doi": "https://doi.org/10.1000/xyz123",
        },
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["doi"] == "10.1000/xyz123"

    consent = api.post(
        "/api/consents/",
        {"person": person_a.pk, "purpose": "statistics", "parts": [], "given_on": "2024-01-02"},
        format="json",
    )
    assert "ít nhất một phần" in consent.json()["parts"][0]


def test_expertise_has_one_primary_field_and_no_duplicates(tree, hr, api_for, person_a):
    api = api_for(hr)
    first = ExpertiseFactory(person=person_a)  # 102, primary
    other = m.FieldOfScience.objects.get(version="2025", code="101")
    again = api.post(
        "/api/expertise/", {"person": person_a.pk, "field": first.field_id}, format="json"
    )
    assert "đã có trong danh sách" in again.json()["field"][0]
    second_primary = api.post(
        "/api/expertise/",
        {"person": person_a.pk, "field": other.pk, "is_primary": True},
        format="json",
    )
    assert "đã có lĩnh vực chính" in second_primary.json()["is_primary"][0]
    assert m.Expertise.objects.count() == 1


def test_sub_record_writes_refresh_the_summary_and_stay_with_their_person(
    tree, hr, api_for, person_a
):
    api = api_for(hr)
    degree = DegreeFactory(person=person_a)
    person_a.refresh_from_db()
    assert person_a.degree_group == "TS"
    ths = m.DegreeLevel.objects.get(code="THS")
    changed = api.patch(f"/api/degrees/{degree.pk}/", {"level": ths.pk}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["level_code"], changed.json()["level_name"]) == ("THS", "Thạc sĩ")
    person_a.refresh_from_db()
    assert person_a.degree_group == "THS"

    other = PersonFactory(organization=tree["unit_a1"])
    moved = api.patch(f"/api/degrees/{degree.pk}/", {"person": other.pk}, format="json")
    assert moved.status_code == 400
    assert "người khác" in moved.json()["person"][0]

    assert api.delete(f"/api/degrees/{degree.pk}/").status_code == 204
    person_a.refresh_from_db()
    assert person_a.highest_degree is None
    assert AuditEvent.objects.filter(kind=AuditKind.OBJECT_DELETED).exists()


def test_a_current_primary_position_outside_the_scope_is_refused(tree, hr, api_for, person_a):
    response = api_for(hr).post(
        "/api/positions/",
        {
            "person": person_a.pk,
            "job_title": "Chuyên viên",
            "organization": tree["unit_b1"].pk,
            "start": "2020-01-01",
            "is_primary": True,
        },
        format="json",
    )
    assert response.status_code == 400
    # Not even a valid choice: the officer does not see dept_b's organisations.
    assert "organization" in response.json()
    assert not m.Position.objects.exists()


# ---- updates --------------------------------------------------------------------------------


def test_citizen_id_omitted_is_kept_and_empty_clears_it(tree, hr, api_for, person_a):
    api = api_for(hr)
    url = f"{PEOPLE}{person_a.pk}/"
    kept = api.patch(url, {"phone": "0912345678"}, format="json")
    assert kept.status_code == 200
    person_a.refresh_from_db()
    assert decrypt(person_a.citizen_id_encrypted) == "001080123456"

    # A corrected gender must still agree with the stored number.
    wrong = api.patch(url, {"gender": "female"}, format="json")
    assert wrong.status_code == 400
    assert "số định danh đã lưu" in wrong.json()["gender"][0]

    cleared = api.patch(url, {"citizen_id": ""}, format="json")
    assert cleared.status_code == 200
    assert cleared.json()["citizen_id_masked"] == ""
    person_a.refresh_from_db()
    assert person_a.citizen_id_hash is None


def test_a_refused_update_changes_nothing(tree, hr, api_for, person_a):
    response = api_for(hr).patch(
        f"{PEOPLE}{person_a.pk}/",
        {"full_name": "Tên Mới", "birth_date": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "tương lai" in response.json()["birth_date"][0]
    person_a.refresh_from_db()
    assert (person_a.full_name, person_a.birth_date) == ("Nguyễn Văn Hùng", date(1980, 5, 17))


def test_only_a_data_steward_marks_a_record_verified(tree, hr, api_for, make_staff, person_a):
    url = f"{PEOPLE}{person_a.pk}/"
    refused = api_for(hr).patch(url, {"verification": "verified"}, format="json")
    assert refused.status_code == 400
    assert "quản lý dữ liệu" in refused.json()["verification"][0]
    steward = make_staff("data_steward", tree["city"])
    accepted = api_for(steward).patch(url, {"verification": "verified"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["verified_by"] == steward.pk
    person_a.refresh_from_db()
    assert person_a.verified_at is not None


def test_sensitive_fields_are_written_only_by_roles_allowed_them(
    tree, hr, api_for, person_a, monkeypatch
):
    from trithuc.core.choices import Role
    from trithuc.registry import services
    from trithuc.registry.api import serializers

    # A policy where HR officers keep the records but are not granted sensitive data.
    narrower = PermissionPolicy(view=roles(Role.DATA_STEWARD), org_lookup="organization")
    monkeypatch.setattr(services, "SENSITIVE_POLICY", narrower)
    monkeypatch.setattr(serializers, "SENSITIVE_POLICY", narrower)
    api = api_for(hr)
    response = api.patch(f"{PEOPLE}{person_a.pk}/", {"religion": "Phật giáo"}, format="json")
    assert response.status_code == 403
    assert "nhạy cảm" in response.json()["detail"]
    created = api.post(
        PEOPLE, person_data(tree["unit_a1"], citizen_id="", ethnicity="01"), format="json"
    )
    assert created.status_code == 403
    person_a.refresh_from_db()
    assert person_a.religion == ""
    assert m.Person.objects.count() == 1
    # Without sensitive fields the officer still edits the record.
    assert api.patch(f"{PEOPLE}{person_a.pk}/", {"phone": "0241234567"}).status_code == 200


# ---- scope ----------------------------------------------------------------------------------


def test_officer_of_another_subtree_gets_404_and_cannot_write_there(tree, hr_b, api_for, person_a):
    api = api_for(hr_b)
    degree = DegreeFactory(person=person_a)
    assert api.get(f"{PEOPLE}{person_a.pk}/").status_code == 404
    assert api.get(f"{PEOPLE}{person_a.pk}/sensitive/").status_code == 404
    assert api.patch(f"{PEOPLE}{person_a.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert api.get(f"/api/degrees/{degree.pk}/").status_code == 404
    assert api.get(PEOPLE).json()["count"] == 0
    assert api.get("/api/degrees/", {"person": person_a.pk}).json()["count"] == 0

    planted = api.post(
        PEOPLE, person_data(tree["unit_a1"], citizen_id="001066111111"), format="json"
    )
    assert planted.status_code in {400, 403}
    assert "organization" in planted.json()
    ts = m.DegreeLevel.objects.get(code="TS")
    foreign = api.post(
        "/api/degrees/", {"person": person_a.pk, "level": ts.pk, "year": 2005}, format="json"
    )
    assert foreign.status_code == 400
    assert "person" in foreign.json()
    assert m.Person.objects.count() == 1
    assert m.Degree.objects.count() == 1
    assert not AuditEvent.objects.filter(kind=AuditKind.SENSITIVE_READ).exists()


def test_sensitive_read_is_for_hr_officers_and_is_audited(tree, hr, api_for, make_staff, person_a):
    person_a.ethnicity = m.EthnicGroup.objects.get(code="06")
    person_a.religion = "Công giáo"
    person_a.save()
    url = f"{PEOPLE}{person_a.pk}/sensitive/"

    leader = make_staff("leader", tree["city"])
    leader_api = api_for(leader)
    assert leader_api.get(f"{PEOPLE}{person_a.pk}/").status_code == 200
    refused = leader_api.get(url)
    assert refused.status_code == 403
    assert "nhạy cảm" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(kind=AuditKind.SENSITIVE_READ).exists()

    response = api_for(hr).get(url)
    assert response.status_code == 200
    assert response.json() == {
        "citizen_id": "001080123456",
        "ethnicity": {"code": "06", "name": "Mường"},
        "religion": "Công giáo",
    }
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(kind="sensitive_read")
    assert (event.actor, event.object_id) == (hr, str(person_a.pk))


def test_data_steward_deletes_and_hr_officer_cannot(tree, hr, api_for, make_staff, person_a):
    assert api_for(hr).delete(f"{PEOPLE}{person_a.pk}/").status_code == 403
    steward = make_staff("data_steward", tree["dept_a"])
    assert api_for(steward).delete(f"{PEOPLE}{person_a.pk}/").status_code == 204
    assert not m.Person.objects.exists()


# ---- filters --------------------------------------------------------------------------------


@pytest.fixture
def people(tree):
    """A small population in dept_a's subtree, each person distinguishable by one filter."""
    unit = tree["unit_a1"]
    today = timezone.localdate()
    doctor = PersonFactory(
        full_name="Nguyễn Văn Đức", organization=unit, birth_date=date(1975, 1, 10), citizen_id=True
    )
    DegreeFactory(person=doctor)
    AcademicTitleFactory(person=doctor, kind="PGS", year=2016)
    ExpertiseFactory(person=doctor)  # 102, natural sciences
    TrainingFactory(person=doctor, category="state_management", year=2019)
    master = PersonFactory(
        full_name="Trần Thị Hoà",
        gender="female",
        organization=unit,
        birth_date=date(today.year - 25, 1, 1),
    )
    DegreeFactory(person=master, level=m.DegreeLevel.objects.get(code="THS"), year=today.year)
    ExpertiseFactory(person=master, field=m.FieldOfScience.objects.get(version="2025", code="302"))
    TrainingFactory(person=master, category="state_management", year=2024)
    engineer = PersonFactory(
        full_name="Lê Minh Khôi", organization=tree["dept_a"], birth_date=date(1962, 6, 1)
    )
    PositionFactory(
        person=engineer, organization=tree["dept_a"], leadership="head_division", is_primary=True
    )
    PersonFactory(full_name="Ngoài Phạm Vi", organization=tree["unit_b1"])
    return {"doctor": doctor, "master": master, "engineer": engineer}


def names(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {p["full_name"] for p in response.json()["results"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Nguyễn Văn Đức", "Trần Thị Hoà", "Lê Minh Khôi"}),
        ({"degree": "TS"}, {"Nguyễn Văn Đức"}),
        ({"degree": ["TS", "THS"]}, {"Nguyễn Văn Đức", "Trần Thị Hoà"}),
        ({"title": "PGS"}, {"Nguyễn Văn Đức"}),
        ({"field": "1"}, {"Nguyễn Văn Đức"}),  # 102 lies under 1
        ({"field": "302"}, {"Trần Thị Hoà"}),
        ({"age_band": "lt30"}, {"Trần Thị Hoà"}),
        ({"age_band": ["60-69", "ge70"]}, {"Lê Minh Khôi"}),
        ({"gender": "female"}, {"Trần Thị Hoà"}),
        ({"is_leader": "true"}, {"Lê Minh Khôi"}),
        ({"training": "state_management"}, {"Nguyễn Văn Đức", "Trần Thị Hoà"}),
        ({"training": "state_management", "training_from": 2023}, {"Trần Thị Hoà"}),
        ({"training": "state_management", "training_to": 2020}, {"Nguyễn Văn Đức"}),
        ({"q": "nguyen van duc"}, {"Nguyễn Văn Đức"}),
        ({"q": "TRẦN THỊ HÒA"}, {"Trần Thị Hoà"}),  # old-style tone placement
        ({"q": "Ngoài"}, set()),  # outside the caller's scope
    ],
)
def test_list_filters(tree, hr, api_for, people, params, expected):
    assert names(api_for(hr).get(PEOPLE, params)) == expected


def test_q_finds_a_full_citizen_id_and_within_a_unit(tree, hr, api_for, people):
    api = api_for(hr)
    number = decrypt(people["doctor"].citizen_id_encrypted)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert names(api.get(PEOPLE, {"q": spaced})) == {"Nguyễn Văn Đức"}
    assert names(api.get(PEOPLE, {"q": number[:9]})) == set()  # never a partial number
    assert names(api.get(PEOPLE, {"within": "UNIT_A1"})) == {"Nguyễn Văn Đức", "Trần Thị Hoà"}
    outside = api.get(PEOPLE, {"within": "UNIT_B1"})
    assert outside.status_code == 400
    assert "within" in outside.json()


def test_list_is_in_vietnamese_name_order_and_paginated(tree, hr, api_for, people):
    response = api_for(hr).get(PEOPLE, {"limit": 2})
    body = response.json()
    assert body["count"] == 3
    # Given name first: Đức < Hoà < Khôi.
    assert [p["full_name"] for p in body["results"]] == ["Nguyễn Văn Đức", "Trần Thị Hoà"]
    assert body["next"]


# ---- query counts ---------------------------------------------------------------------------


def _populate(organization, count: int) -> None:
    for i in range(count):
        person = PersonFactory(organization=organization, birth_date=date(1960 + i % 30, 1, 1))
        DegreeFactory(person=person)
        AcademicTitleFactory(person=person)
        ExpertiseFactory(person=person)


@pytest.mark.parametrize("size", [2, 25])
def test_list_query_count_does_not_grow_with_people(
    tree, hr, api_for, size, django_assert_max_num_queries
):
    _populate(tree["unit_a1"], size)
    api = api_for(hr)
    # Memberships, TOTP check, count, page, titles, fields of expertise.
    with django_assert_max_num_queries(6):
        response = api.get(PEOPLE)
    assert response.json()["count"] == size
    assert all(
        p["titles"] and p["fields"] and p["highest_degree"] for p in response.json()["results"]
    )


@pytest.mark.parametrize("size", [2, 25])
def test_sub_record_list_query_count_does_not_grow(
    tree, hr, api_for, size, django_assert_max_num_queries
):
    _populate(tree["unit_a1"], size)
    # Memberships, TOTP check, count, page (levels and fields joined).
    with django_assert_max_num_queries(4):
        response = api_for(hr).get("/api/degrees/")
    assert response.json()["count"] == size
    assert {d["level_code"] for d in response.json()["results"]} == {"TS"}


# ---- every sub-record endpoint and the taxonomies -------------------------------------------


SUB_RECORD_URLS = {
    "academic_title": "/api/academic-titles/",
    "degree": "/api/degrees/",
    "position": "/api/positions/",
    "expertise": "/api/expertise/",
    "language": "/api/languages/",
    "training": "/api/trainings/",
    "publication": "/api/publications/",
    "patent": "/api/patents/",
    "project": "/api/projects/",
    "award": "/api/awards/",
    "work": "/api/works/",
    "association_membership": "/api/association-memberships/",
    "consent": "/api/consents/",
}


def test_every_sub_record_endpoint_lists_and_reads_with_provenance(tree, hr, api_for, person_a):
    records = one_of_each_record(person_a)
    other = PersonFactory(organization=tree["unit_a1"])
    DegreeFactory(person=other)
    api = api_for(hr)
    for key, url in SUB_RECORD_URLS.items():
        listed = api.get(url, {"person": person_a.pk})
        assert listed.status_code == 200, url
        assert [r["id"] for r in listed.json()["results"]] == [records[key].pk], url
        detail = api.get(f"{url}{records[key].pk}/").json()
        assert detail["person"] == person_a.pk
        assert {"source", "source_detail", "verification", "recorded_at"} <= set(detail), url


def test_taxonomies_are_read_by_staff_roles_only(tree, api_for, make_staff):
    from tests.factories import UserFactory

    api = api_for(make_staff("plan_coordinator", tree["dept_b"]))
    fields = api.get("/api/fields-of-science/", {"version": "2025", "level": 2, "code": "1"})
    codes = [f["code"] for f in fields.json()["results"]]
    assert codes[:3] == ["101", "102", "103"]
    assert all(code.startswith("1") and len(code) == 3 for code in codes)
    levels = api.get("/api/degree-levels/").json()["results"]
    assert levels[0]["code"] == "TSKH"
    assert api.get("/api/ethnic-groups/").json()["count"] == 54
    assert api.get("/api/professorship-councils/").status_code == 200
    assert api.post("/api/degree-levels/", {"code": "X"}).status_code in {403, 405}
    assert not m.DegreeLevel.objects.filter(code="X").exists()
    assert api_for(UserFactory()).get("/api/ethnic-groups/").status_code == 403
    assert APIClient().get("/api/fields-of-science/").status_code in {401, 403}


def test_the_openapi_schema_has_no_warnings(tmp_path):
    # --fail-on-warn raises when drf-spectacular cannot describe a view or a field.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/people/{id}/sensitive/:" in schema
    assert "/api/association-memberships/{id}/:" in schema

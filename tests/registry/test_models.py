"""The person's derived values, the rules every way of writing shares, taxonomies."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trithuc.core.permissions import user_can
from trithuc.registry.models import (
    AcademicTitle,
    Consent,
    DegreeLevel,
    EthnicGroup,
    FieldOfScience,
    Person,
    Position,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("gender", "birth", "precision", "expected"),
    [
        # 2026 asks 61y6m (reached 15/09/2027, not in 2026); 2027 asks 61y9m: 15/12/2027.
        ("male", date(1966, 3, 15), "day", date(2027, 12, 31)),
        # 2027 asks 57y4m: 10/09/2027.
        ("female", date(1970, 5, 10), "day", date(2027, 9, 30)),
        # Before the reform: 60 in 2020.
        ("male", date(1960, 6, 20), "day", date(2020, 6, 30)),
        # Birth year only: 1 January; 62 from 2028 on, reached 1/1/2032.
        ("male", date(1970, 7, 9), "year", date(2032, 1, 31)),
        # 2033 asks 59y4m, 2034 59y8m (both reached later); 60 from 2035: 30/11/2035.
        ("female", date(1975, 11, 30), "day", date(2035, 11, 30)),
    ],
)
def test_retirement_date_is_computed_on_save(tree, make_person, gender, birth, precision, expected):
    person = make_person(
        tree["unit_a1"], gender=gender, birth_date=birth, birth_date_precision=precision
    )
    person.refresh_from_db()
    assert person.retirement_date == expected
    if precision == "year":
        assert person.birth_date == date(birth.year, 1, 1)
        assert person.birth_display == str(birth.year)


def test_summary_follows_the_sub_records(tree, make_person):
    person = make_person(tree["unit_a1"], degree="THS")
    assert (person.degree_group, person.title, person.is_leader) == ("THS", "", False)
    person.degrees.create(level=DegreeLevel.objects.get(code="TS"), year=2015)
    AcademicTitle.objects.create(person=person, kind="PGS", year=2020)
    field = FieldOfScience.objects.get(version="2025", code="102")
    person.expertise.create(field=field, is_primary=True)
    Position.objects.create(
        person=person,
        organization=tree["dept_a"],
        job_title="Phó Giám đốc",
        leadership="deputy_unit",
        start=date(2020, 1, 1),
    )
    person.refresh_from_db()
    assert person.degree_group == "TS" and person.title == "PGS"
    assert person.academic_prefix == "PGS.TS."
    assert person.primary_field == field
    assert person.is_leader
    assert person.organization == tree["dept_a"]  # the current primary position's unit
    # A revoked title no longer counts; an ended position makes no leader.
    person.titles.update(revoked=True)
    person.titles.get().save()
    Position.objects.filter(person=person).update(end=date(2021, 1, 1))
    person.positions.get().save()
    person.refresh_from_db()
    assert person.title == "" and not person.is_leader


def test_summary_does_not_add_versions_to_history(tree, make_person):
    person = make_person(tree["unit_a1"])
    versions = person.history.count()
    person.degrees.create(level=DegreeLevel.objects.get(code="TS"), year=2015)
    assert person.history.count() == versions


@pytest.mark.parametrize(
    ("model", "values", "field"),
    [
        (AcademicTitle, {"kind": "GS", "year": 1990}, "year"),  # born 1980: aged 10
        (AcademicTitle, {"kind": "GS", "year": 2015, "revoked_year": 2010, "revoked": True},
         "revoked_year"),
        (Position, {"job_title": "x", "employer_name": "Y", "start": date(2010, 1, 1),
                    "end": date(2009, 1, 1)}, "end"),
        (Position, {"job_title": "x", "start": date(2010, 1, 1)}, "organization"),
        (Consent, {"purpose": "public_profile", "parts": [], "given_on": date(2024, 1, 1)},
         "parts"),
        (Consent, {"purpose": "public_profile", "parts": ["basic"],
                   "given_on": date(2024, 1, 1), "withdrawn_on": date(2023, 1, 1)},
         "withdrawn_on"),
    ],
)  # fmt: skip
def test_sub_record_rules(tree, make_person, model, values, field):
    person = make_person(tree["unit_a1"])
    record = model(person=person, **values)
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert field in caught.value.message_dict


def test_person_rules(tree):
    person = Person(
        full_name="Vũ Thị Lan",
        birth_date=date(2999, 1, 1),
        gender="female",
        sector="overseas",
        status="abroad",
        residence_country="VN",
        organization=tree["unit_a1"],
    )
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert {"birth_date", "residence_country"} <= set(caught.value.message_dict)


def test_consent_in_force_gives_public_visibility(tree, make_person):
    person = make_person(tree["unit_a1"])
    assert not person.active_consent("public_profile", "basic")
    Consent.objects.create(
        person=person, purpose="public_profile", parts=["basic"], given_on=date(2024, 1, 1)
    )
    assert person.active_consent("public_profile", "basic")
    assert not person.active_consent("public_profile", "contacts")
    person.consents.update(withdrawn_on=date(2024, 6, 1))
    assert not person.active_consent("public_profile", "basic")


def test_taxonomies_are_loaded(db):
    assert FieldOfScience.objects.filter(version="2025", level=1).count() == 6
    assert FieldOfScience.objects.filter(version="2025", level=2).count() == 46
    assert FieldOfScience.objects.get(version="2025", code="604").parent.code == "6"
    assert EthnicGroup.objects.count() == 54
    assert EthnicGroup.objects.get(code="01").name == "Kinh"
    ranks = {level.code: level.rank for level in DegreeLevel.objects.all()}
    assert ranks["TSKH"] > ranks["TS"] > ranks["BSCKII"] > ranks["THS"] > ranks["BSCKI"]
    assert ranks["BSCKI"] > ranks["KS"] == ranks["CN"] == ranks["BS"]


def test_only_a_top_level_administrator_corrects_taxonomies(tree, make_staff, client_for):
    city_admin = make_staff("admin", tree["city"])
    dept_admin = make_staff("admin", tree["dept_a"])
    steward = make_staff("data_steward", tree["city"])
    assert user_can(city_admin, EthnicGroup, "change")
    assert not user_can(dept_admin, EthnicGroup, "change")
    assert not user_can(steward, EthnicGroup, "change")
    assert user_can(steward, EthnicGroup, "view")
    group = EthnicGroup.objects.get(code="37")
    url = reverse("registry:taxonomy_edit", args=["ethnic-groups", group.pk])
    data = {"code": "37", "name": "Lào", "name_en": "Lao", "other_names": "", "is_active": "on"}
    assert client_for(dept_admin).post(url, data).status_code == 403
    assert client_for(city_admin).post(url, data).status_code == 302
    group.refresh_from_db()
    assert group.name_en == "Lao"
    # The version loaded by migration, then the correction, which shows what it changed.
    assert group.history.count() == 2
    page = client_for(city_admin).get(
        reverse("registry:taxonomy_history", args=["ethnic-groups", group.pk])
    )
    assert "Lao" in page.content.decode()


def test_a_field_must_extend_its_parent_in_the_same_version(db):
    parent_2008 = FieldOfScience.objects.get(version="2008", code="1")
    field = FieldOfScience(version="2025", code="107", name="Mới", level=2, parent=parent_2008)
    with pytest.raises(ValidationError) as caught:
        field.full_clean()
    assert "parent" in caught.value.message_dict
    parent = FieldOfScience.objects.get(version="2025", code="1")
    field = FieldOfScience(version="2025", code="207", name="Sai mã", level=2, parent=parent)
    with pytest.raises(ValidationError) as caught:
        field.full_clean()
    assert "code" in caught.value.message_dict


def test_refresh_people_follows_time(tree, make_person, capsys):
    from django.core.management import call_command

    person = make_person(tree["unit_a1"])
    Position.objects.create(
        person=person,
        organization=tree["dept_a"],
        job_title="Trưởng phòng",
        leadership="head_division",
        start=date(2020, 1, 1),
        end=date(2099, 1, 1),
    )
    person.refresh_from_db()
    assert person.is_leader
    # The end date passes (here: is moved into the past without saving the position).
    Position.objects.filter(person=person).update(end=date(2021, 1, 1))
    call_command("refresh_people")
    assert '"changed": 1' in capsys.readouterr().out
    person.refresh_from_db()
    assert not person.is_leader

"""Synthetic people (trithuc/registry/demo.py) and `seed_demo --people`: valid, consistent,
plausible, deterministic, and safe to run twice."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.factories import OrganizationFactory
from trithuc.core.crypto import decrypt, keyed_hash
from trithuc.core.text import fold, vietnamese_name_collation_key
from trithuc.registry import choices, derived
from trithuc.registry.citizen_id import PROVINCE_CODES, CitizenId, parse
from trithuc.registry.demo import SOURCE_DETAIL, NoOrganizationsError, seed_people
from trithuc.registry.filtersets import PersonFilterSet
from trithuc.registry.models import (
    ADULT_AGE,
    SUB_RECORD_MODELS,
    AcademicTitle,
    Degree,
    Person,
    Position,
    Publication,
    Training,
    Work,
)

SUMMARY_COLUMNS = ("highest_degree", "degree_group", "title", "primary_field", "is_leader")


@pytest.fixture
def orgs(tree) -> dict:
    """The conftest tree plus a university, a hospital, an institute and the arts union."""
    city = tree["city"]
    extra = {
        "university": OrganizationFactory(
            code="UNI", name="Trường Đại học Thủ đô Hà Nội", type="public_university", parent=city
        ),
        "hospital": OrganizationFactory(
            code="HOSP", name="Bệnh viện Thanh Nhàn", type="hospital", parent=tree["dept_b"]
        ),
        "institute": OrganizationFactory(
            code="INST", name="Viện Nghiên cứu phát triển", type="research_institute", parent=city
        ),
        "arts": OrganizationFactory(
            code="ARTS",
            name="Hội Liên hiệp Văn học nghệ thuật Hà Nội",
            type="association",
            parent=city,
        ),
        "closed": OrganizationFactory(
            code="CLOSED", name="Đơn vị đã giải thể", parent=city, is_active=False
        ),
    }
    return {**tree, **extra}


@pytest.fixture
def seeded(orgs) -> dict:
    return {"added": seed_people(300, seed=11), **orgs}


@pytest.fixture
def people(seeded) -> list[Person]:
    return list(Person.objects.select_related("highest_degree", "primary_field", "organization"))


def test_adds_the_requested_number_to_active_organisations_below_the_top(seeded, people):
    assert seeded["added"] == 300
    assert len(people) == 300
    used = {p.organization_id for p in people}
    assert seeded["city"].pk not in used  # the top level holds no one
    assert seeded["closed"].pk not in used  # nor does an inactive organisation
    assert len(used) == 8


def test_citizen_ids_are_valid_and_consistent_with_gender_and_birth_year(people):
    with_id = [p for p in people if p.citizen_id_hash]
    assert len(with_id) >= 0.95 * len(people)
    provinces = Counter()
    for person in with_id:
        number = decrypt(person.citizen_id_encrypted)
        parsed = parse(number, gender=person.gender, birth_year=person.birth_date.year)
        assert isinstance(parsed, CitizenId), (number, person.gender, person.birth_date, parsed)
        assert parsed.province_code in PROVINCE_CODES
        assert person.citizen_id_hash == keyed_hash(number)
        assert person.citizen_id_last == number[-3:]
        provinces[parsed.province_code] += 1
    assert provinces["001"] > 0.6 * len(with_id)  # mostly Hà Nội
    assert len(provinces) > 5  # and some born elsewhere
    assert all(p.citizen_id_hash for p in people if p.status != choices.PersonStatus.ABROAD)


def test_every_person_and_sub_record_passes_validation(people):
    for person in people:
        person.full_clean()
    for model in SUB_RECORD_MODELS:
        for record in model.objects.select_related("person"):
            record.full_clean()


def test_columns_that_save_would_compute_are_set(people):
    for person in people:
        assert person.folded_name == fold(person.full_name)
        assert person.sort_key == vietnamese_name_collation_key(person.full_name)
        assert person.retirement_date == derived.retirement_date(person.gender, person.birth_date)
        if person.birth_date_precision == choices.BirthDatePrecision.YEAR:
            assert (person.birth_date.month, person.birth_date.day) == (1, 1)
        assert person.source == choices.Source.IMPORT
        assert person.source_detail == SOURCE_DETAIL
        assert person.email == "" or person.email.endswith("@example.invalid")
    assert Counter(p.birth_date_precision for p in people)[choices.BirthDatePrecision.YEAR] > 0


def test_summary_columns_are_what_derived_computes_from_the_stored_sub_records(people):
    today = timezone.localdate()
    for person in people:
        summary = derived.summary(person, today)
        for column in SUMMARY_COLUMNS:
            assert getattr(person, column) == summary[column], (person.pk, column)
        if "organization_id" in summary:
            assert person.organization_id == summary["organization_id"]
    assert any(p.is_leader for p in people)
    assert all(p.highest_degree_id for p in people)
    assert all(p.primary_field_id for p in people)


def test_ages_statuses_and_sectors_are_consistent(people):
    today = timezone.localdate()
    ages = [p.age(today) for p in people]
    assert min(ages) >= 24 and max(ages) <= 75
    statuses = Counter(p.status for p in people)
    assert statuses[choices.PersonStatus.WORKING] > 0.75 * len(people)
    assert statuses[choices.PersonStatus.RETIRED] > 0
    assert statuses[choices.PersonStatus.ABROAD] > 0
    for person in people:
        if person.status == choices.PersonStatus.ABROAD:
            assert person.sector == choices.Sector.OVERSEAS
            assert person.residence_country != "VN"
        elif person.status == choices.PersonStatus.RETIRED:
            assert person.sector == choices.Sector.INDEPENDENT
            assert not person.is_leader
        elif person.status == choices.PersonStatus.WORKING:
            assert person.sector in (
                choices.Sector.STATE_ADMINISTRATION,
                choices.Sector.PUBLIC_SERVICE,
                choices.Sector.ASSOCIATION,
            )
            # Past the retirement age only with the Decree 50 extension (at most 5 years).
            if person.retirement_date < today:
                assert person.retirement_date.year >= today.year - 5
                assert person.title or person.degree_group in ("TS", "TSKH", "BSCKII")
    retired = [p for p in people if p.status == choices.PersonStatus.RETIRED]
    past_age = [p for p in retired if p.retirement_date <= today]
    assert len(past_age) >= 0.8 * len(retired)


def test_degrees_and_titles_are_plausible(people, seeded):
    university = seeded["university"]
    lecturers = [p for p in people if p.organization_id == university.pk]
    assert len(lecturers) > 50
    doctors = [p for p in lecturers if p.degree_group in ("TS", "TSKH")]
    assert 0.25 <= len(doctors) / len(lecturers) <= 0.6
    groups = Counter(p.degree_group for p in people)
    assert groups["THS"] > 0.2 * len(people)
    assert groups["DH"] > 0.1 * len(people)
    assert groups["BSCKI"] + groups["BSCKII"] > 0
    titled = [p for p in people if p.title]
    assert 0 < len(titled) < 0.15 * len(people)
    for title in AcademicTitle.objects.select_related("person"):
        assert title.council_id is not None
        assert title.person.degree_group in ("TS", "TSKH")
        doctorate = title.person.degrees.filter(level__code="TS").get()
        assert title.year > doctorate.year
    bachelor_levels = set(
        Degree.objects.filter(level__group="DH").values_list("level__code", flat=True)
    )
    assert {"CN", "BS"} <= bachelor_levels
    for degree in Degree.objects.select_related("person"):
        assert degree.person.birth_date.year + ADULT_AGE <= degree.year <= date.today().year


def test_women_and_men_by_field(people):
    by_group: dict[str, Counter] = {}
    for person in people:
        by_group.setdefault(person.primary_field.code[0], Counter())[person.gender] += 1
    health, engineering = by_group["3"], by_group.get("2", Counter())
    assert health["female"] > health["male"]
    assert engineering["male"] >= engineering["female"]


def test_positions_records_and_filters_find_people(people):
    today = timezone.localdate()
    working = [p for p in people if p.status == choices.PersonStatus.WORKING]
    current = Position.objects.filter(is_primary=True, end=None, organization__isnull=False)
    assert current.values("person").distinct().count() >= len(working)
    assert Position.objects.exclude(leadership="").exists()
    assert Position.objects.exclude(rank="").exists()
    assert Position.objects.filter(start__gt=today).count() == 0
    categories = set(Training.objects.values_list("category", flat=True))
    assert categories == set(choices.TrainingCategory.values)
    assert Publication.objects.filter(indexed_wos=True).exists()
    assert Publication.objects.filter(indexed_scopus=True).exists()
    assert all(
        doi.startswith("10.")
        for doi in Publication.objects.exclude(doi="").values_list("doi", flat=True)
    )
    assert Work.objects.exists()
    filtered = PersonFilterSet(
        {"training": "international_integration", "training_from": "2020"},
        queryset=Person.objects.all(),
    ).qs
    assert filtered.exists()


def test_every_person_has_a_created_version_in_the_history(people):
    versions = Person.history.filter(history_type="+")
    assert versions.count() == len(people)
    version = versions.get(id=people[0].pk)
    assert version.full_name == people[0].full_name
    assert version.citizen_id_hash == people[0].citizen_id_hash
    assert version.history_change_reason == SOURCE_DETAIL
    assert people[0].history.count() == 1


def test_history_rows_are_those_simple_history_writes(orgs):
    seed_people(3, seed=2)
    person = Person.objects.order_by("pk").first()
    ours = Person.history.get(id=person.pk)
    [theirs] = Person.history.bulk_history_create([person], default_change_reason=SOURCE_DETAIL)
    theirs = Person.history.get(history_id=theirs.history_id)
    for field in Person.history.model._meta.concrete_fields:
        if not field.attname.startswith("history_"):
            assert getattr(ours, field.attname) == getattr(theirs, field.attname), field.attname
    assert (ours.history_type, ours.history_user_id) == ("+", None)
    # A later edit is a change against that first version.
    theirs.delete()
    person.keywords = "thử nghiệm"
    person.save()
    changes = person.history.first().diff_against(ours).changed_fields
    assert "keywords" in changes and set(changes) <= {"keywords", "updated_at"}


def snapshot() -> list[tuple]:
    rows = []
    for person in Person.objects.order_by("pk").prefetch_related("degrees", "positions"):
        rows.append(
            (
                person.full_name,
                person.birth_date,
                person.gender,
                person.organization_id,
                person.status,
                person.degree_group,
                person.title,
                decrypt(person.citizen_id_encrypted) if person.citizen_id_encrypted else "",
                sorted((d.level_id, d.year) for d in person.degrees.all()),
                sorted((p.job_title, p.start) for p in person.positions.all()),
            )
        )
    return rows


def test_the_same_seed_gives_the_same_people(orgs):
    seed_people(40, seed=5)
    first = snapshot()
    Person.objects.all().delete()
    seed_people(40, seed=5)
    assert snapshot() == first
    Person.objects.all().delete()
    seed_people(40, seed=6)
    assert [row[0] for row in snapshot()] != [row[0] for row in first]


def test_running_twice_adds_without_citizen_id_collisions(orgs):
    # The same seed draws the same numbers first: they must be drawn again.
    seed_people(60, seed=3, batch_size=25)
    seed_people(60, seed=3, batch_size=25)
    assert Person.objects.count() == 120
    numbers = [
        decrypt(value)
        for value in Person.objects.exclude(citizen_id_encrypted="").values_list(
            "citizen_id_encrypted", flat=True
        )
    ]
    assert len(numbers) == len(set(numbers)) >= 110
    assert not Person.objects.filter(organization=orgs["closed"]).exists()


def test_progress_is_reported_per_batch(orgs):
    seen = []
    seed_people(30, seed=1, batch_size=12, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(12, 30), (24, 30), (30, 30)]


def test_no_organisation_is_a_clear_error(db):
    with pytest.raises(NoOrganizationsError, match="Chưa có cơ quan, đơn vị"):
        seed_people(5)
    OrganizationFactory(code="ONLY", parent=None)  # a top level alone is not enough
    with pytest.raises(NoOrganizationsError):
        seed_people(5)
    assert not Person.objects.exists()


def run_seed_demo(*args: str, tmp_path) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, accounts_file=str(tmp_path / "accounts.txt"), stdout=out)
    return out.getvalue()


def test_seed_demo_if_empty_adds_people_only_into_an_empty_registry(orgs, tmp_path):
    out = run_seed_demo("--if-empty", "--people", "25", tmp_path=tmp_path)
    assert Person.objects.count() == 25
    assert "Đã thêm 25 trí thức giả lập" in out and "giây" in out
    out = run_seed_demo("--if-empty", "--people", "25", tmp_path=tmp_path)
    assert Person.objects.count() == 25
    assert "không thêm trí thức giả lập" in out


def test_seed_demo_without_organisations_below_the_top_says_what_to_do(db, tmp_path):
    OrganizationFactory(code="ONLY", parent=None)  # the tree is not built: one exists
    with pytest.raises(CommandError, match="Chưa có cơ quan, đơn vị"):
        run_seed_demo("--if-empty", "--people", "3", tmp_path=tmp_path)


def test_seed_demo_refuses_people_in_production(orgs, settings, tmp_path):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="máy chủ thật"):
        run_seed_demo("--people", "5", tmp_path=tmp_path)
    assert not Person.objects.exists()

"""People in the registry for the linkage tests: a background of invented people and two
known duplicates, one within Sở Nội vụ (dept_a) and one across two departments."""

from datetime import date
from types import SimpleNamespace

import pytest

from trithuc.linkage import synthetic
from trithuc.registry import services
from trithuc.registry.models import DegreeLevel, FieldOfScience, Person

from ..registry.conftest import citizen_id_for


def _person(organization, name, born, gender="female", **kwargs):
    with_id = kwargs.pop("with_id", False)
    person = Person(
        full_name=name,
        birth_date=born,
        gender=gender,
        sector=kwargs.pop("sector", "public_service"),
        organization=organization,
        **kwargs,
    )
    if with_id:
        services.set_citizen_id(person, citizen_id_for(gender, born.year))
    person.save()
    return person


@pytest.fixture
def people(db, tree):
    return make_people(tree)


def make_people(tree):
    """120 invented people spread over the four units, then the duplicates:
    khue_a / khue_b: the same woman from two agencies of Sở Nội vụ (accents dropped, the old
    tone placement, day and month swapped), each with records of her own;
    binh_a / binh_b: the same man in Sở Nội vụ and in Sở Khoa học và Công nghệ."""
    units = [tree["unit_a1"], tree["dept_a"], tree["unit_b1"], tree["dept_b"]]
    background = synthetic.generate(120, duplicate_rate=0.0, seed=11).records
    for i, row in enumerate(background.itertuples()):
        _person(
            units[i % 4],
            row.full_name,
            row.birth_date.date(),
            gender=row.gender,
            with_id=i % 3 == 0,
        )
    ts = DegreeLevel.objects.get(code="TS")
    ths = DegreeLevel.objects.get(code="THS")
    field = FieldOfScience.objects.get(version="2025", code="102")
    khue_a = _person(
        tree["unit_a1"],
        "Trần Thị Hòa Khuê",
        date(1981, 3, 5),
        with_id=True,
        email="khue@example.invalid",
        source="agency",
        source_detail="Công văn 12/SNV",
    )
    khue_a.degrees.create(level=ts, year=2012, field=field, major="Khoa học máy tính")
    khue_a.expertise.create(field=field, is_primary=True)
    khue_b = _person(
        tree["dept_a"],
        "Tran Thi Hoa Khue",
        date(1981, 5, 3),
        phone="0912 345 678",
        source="import",
        source_detail="Tệp danh-sach.xlsx, dòng 5",
    )
    khue_b.degrees.create(level=ths, year=2007, field=field, major="Tin học")
    khue_b.expertise.create(field=field, is_primary=True)
    khue_b.publications.create(title="Phân tích dữ liệu dân cư", year=2015)
    binh_a = _person(tree["unit_a1"], "Lê Văn Bình Nguyên", date(1975, 11, 20), gender="male")
    binh_b = _person(tree["unit_b1"], "Lê Văn Bình Nguyên", date(1975, 11, 20), gender="male")
    for person in (khue_a, khue_b, binh_a, binh_b):
        person.refresh_from_db()
    return SimpleNamespace(khue_a=khue_a, khue_b=khue_b, binh_a=binh_a, binh_b=binh_b)


@pytest.fixture
def steward(make_staff, tree):
    """A data steward of the whole city."""
    return make_staff("data_steward", tree["city"])


@pytest.fixture
def dept_steward(make_staff, tree):
    """A data steward of Sở Nội vụ (dept_a) only."""
    return make_staff("data_steward", tree["dept_a"])

"""Factories of the registry (Faker vi_VN, made-up people with consistent citizen IDs)."""

import itertools
from datetime import date

import factory
from faker import Faker

from trithuc.core.fakes import vietnamese_full_name
from trithuc.registry import models as m
from trithuc.registry import services

fake = Faker("vi_VN")
_serial = itertools.count(200001)


def valid_citizen_id(gender: str, birth_year: int, province: str = "001") -> str:
    """A structurally valid citizen ID matching gender and birth year (never a real one)."""
    marker = 2 * ((birth_year - 1900) // 100) + (1 if gender == "female" else 0)
    return f"{province}{marker}{birth_year % 100:02d}{next(_serial):06d}"


class PersonFactory(factory.django.DjangoModelFactory):
    """A person; `citizen_id=True` gives them a valid number, a string that number."""

    class Meta:
        model = m.Person

    full_name = factory.LazyAttribute(
        lambda o: vietnamese_full_name(fake, female=o.gender == "female")
    )
    birth_date = date(1980, 5, 17)
    gender = "male"
    sector = "public_service"
    organization = None
    citizen_id = False

    @classmethod
    def _create(cls, model_class, *args, citizen_id=False, **kwargs):  # type: ignore[no-untyped-def]
        person = model_class(**kwargs)
        if citizen_id:
            number = (
                citizen_id
                if isinstance(citizen_id, str)
                else valid_citizen_id(person.gender, person.birth_date.year)
            )
            services.set_citizen_id(person, number)
        person.save()
        return person


def _level(code: str) -> m.DegreeLevel:
    return m.DegreeLevel.objects.get(code=code)


def _field(code: str) -> m.FieldOfScience:
    return m.FieldOfScience.objects.get(version=m.CURRENT_FIELD_VERSION, code=code)


class DegreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Degree

    level = factory.LazyFunction(lambda: _level("TS"))
    major = "Khoa học máy tính"
    institution = "Đại học Bách khoa Hà Nội"
    year = factory.LazyAttribute(lambda o: o.person.birth_date.year + 30)


class AcademicTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.AcademicTitle

    kind = "PGS"
    year = factory.LazyAttribute(lambda o: o.person.birth_date.year + 40)


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Expertise

    field = factory.LazyFunction(lambda: _field("102"))
    is_primary = True


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Training

    category = "state_management"
    name = "Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính"
    provider = "Học viện Hành chính Quốc gia"
    year = 2020


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Position

    job_title = "Chuyên viên"
    start = date(2010, 1, 1)
    is_primary = False
    employer_name = "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"


def one_of_each_record(person: m.Person) -> dict[str, object]:
    """One sub-record of every kind for `person`, keyed by the names the permission matrix
    uses (tests/permission_matrix.py), with the taxonomy entries the API serves."""
    year = person.birth_date.year + 30
    return {
        "academic_title": AcademicTitleFactory(person=person),
        "degree": DegreeFactory(person=person),
        "position": PositionFactory(person=person),
        "expertise": ExpertiseFactory(person=person),
        "language": m.LanguageSkill.objects.create(person=person, language="en", level="C1"),
        "training": TrainingFactory(person=person),
        "publication": m.Publication.objects.create(
            person=person, title="Phân tích dữ liệu dân cư đô thị", year=year
        ),
        "patent": m.Patent.objects.create(
            person=person, kind="utility_solution", title="Thiết bị lọc nước", year=year
        ),
        "project": m.ResearchProject.objects.create(
            person=person,
            title="Đề tài cấp thành phố về chuyển đổi số",
            level="provincial",
            role="lead",
            status="accepted",
            start_year=year,
        ),
        "award": m.Award.objects.create(
            person=person, name="Bằng khen của Ủy ban nhân dân", level="provincial", year=year
        ),
        "work": m.Work.objects.create(person=person, kind="literature", title="Mùa sen", year=year),
        "association_membership": m.AssociationMembership.objects.create(
            person=person, association="Hội Tin học Việt Nam"
        ),
        "consent": m.Consent.objects.create(
            person=person, purpose="statistics", parts=["basic"], given_on=date(2024, 1, 2)
        ),
        "degree_level": _level("TS"),
        "ethnic_group": m.EthnicGroup.objects.get(code="01"),
        "council": m.ProfessorshipCouncil.objects.order_by("code").first(),
    }

"""Fixtures of the registry tests: people built through the ORM with valid citizen IDs."""

import itertools
from collections.abc import Callable
from datetime import date

import pytest

from trithuc.registry import services
from trithuc.registry.models import DegreeLevel, Person

_serial = itertools.count(100001)


def citizen_id_for(gender: str, birth_year: int, province: str = "001") -> str:
    """A structurally valid citizen ID consistent with gender and birth year."""
    century = (birth_year - 1900) // 100
    marker = 2 * century + (1 if gender == "female" else 0)
    return f"{province}{marker}{birth_year % 100:02d}{next(_serial):06d}"


@pytest.fixture
def make_person(db) -> Callable[..., Person]:
    def make(organization, **kwargs) -> Person:
        kwargs.setdefault("full_name", "Nguyễn Văn An")
        kwargs.setdefault("birth_date", date(1980, 5, 17))
        kwargs.setdefault("gender", "male")
        kwargs.setdefault("sector", "public_service")
        with_id = kwargs.pop("citizen_id", True)
        degree = kwargs.pop("degree", None)
        person = Person(organization=organization, **kwargs)
        if with_id:
            number = (
                with_id
                if isinstance(with_id, str)
                else citizen_id_for(person.gender, person.birth_date.year)
            )
            services.set_citizen_id(person, number)
        person.save()
        if degree:
            person.degrees.create(
                level=DegreeLevel.objects.get(code=degree), year=person.birth_date.year + 30
            )
        return person

    return make

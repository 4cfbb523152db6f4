"""Made-up Vietnamese people for demo data and tests (never real personal data)."""

from __future__ import annotations

from typing import Any


def vietnamese_full_name(faker: Any, *, female: bool | None = None) -> str:
    """Family, middle and given name in Vietnamese order ("Nguyễn Thị Minh Khai").

    Faker's vi_VN `name()` writes Western order, adds honorifics ("Cô", "Quý ông") and its
    `first_name()` can return "John"; this builds the name from its parts instead.
    """
    if female is None:
        female = faker.boolean()
    family = faker.last_name()
    if female:
        middle = "Thị" if faker.boolean(chance_of_getting_true=40) else faker.middle_name()
        given = faker.first_name_female()
    else:
        middle = faker.middle_name()
        given = faker.first_name_male()
    if middle == given:
        middle = "Thị" if female else "Văn"
    return f"{family} {middle} {given}"

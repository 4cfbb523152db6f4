from faker import Faker
from faker.providers.person.vi_VN import Provider

from trithuc.core.fakes import vietnamese_full_name
from trithuc.core.text import split_vietnamese_name


def test_names_are_family_middle_given_without_honorifics():
    faker = Faker("vi_VN")
    faker.seed_instance(7)
    family_names = set(Provider.last_names)
    for _ in range(200):
        name = vietnamese_full_name(faker)
        family, middle, given = split_vietnamese_name(name)
        assert family in family_names, name
        assert middle and given and given != "John", name
        assert not name.startswith(("Cô ", "Quý ", "Bà ", "Ông ", "Anh ", "Chị ", "Em ")), name

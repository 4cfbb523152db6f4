"""Factories with Vietnamese data (Faker vi_VN); never real personal data."""

import factory
from faker import Faker

from trithuc.accounts.models import Membership, User
from trithuc.core.fakes import vietnamese_full_name
from trithuc.organizations.choices import OrganizationType
from trithuc.organizations.models import Organization

fake = Faker("vi_VN")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm số {n}")
    short_name = factory.Sequence(lambda n: f"ĐV{n}")
    type = OrganizationType.DEPARTMENT
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(lambda: vietnamese_full_name(fake))
    email = factory.Sequence(lambda n: f"user{n}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem-1")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "hr_officer"


PASSWORD = "mat-khau-thu-nghiem-1"

"""Shared fixtures: an organisation tree and one signed-in client per role."""

from collections.abc import Callable

import pytest
from django.test import Client

from trithuc.accounts.models import User
from trithuc.accounts.services import totp_enrol
from trithuc.core.choices import Role

from .factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def tree(db) -> dict:
    """city ─┬─ dept_a ── unit_a1
    └─ dept_b ── unit_b1"""
    city = OrganizationFactory(
        code="CITY", name="Ủy ban nhân dân Thành phố", parent=None, type="peoples_committee"
    )
    dept_a = OrganizationFactory(code="DEPT_A", name="Sở Nội vụ", parent=city)
    dept_b = OrganizationFactory(code="DEPT_B", name="Sở Khoa học và Công nghệ", parent=city)
    unit_a1 = OrganizationFactory(code="UNIT_A1", name="Trung tâm Lưu trữ", parent=dept_a)
    unit_b1 = OrganizationFactory(code="UNIT_B1", name="Trung tâm Thông tin KH&CN", parent=dept_b)
    return {
        "city": city,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "unit_a1": unit_a1,
        "unit_b1": unit_b1,
    }


@pytest.fixture
def make_staff(db) -> Callable[..., User]:
    """A user holding `role` at `organization`, enrolled in TOTP (so pages are served)."""

    def make(role: str | Role, organization, **kwargs) -> User:
        user = UserFactory(organization=organization, **kwargs)
        MembershipFactory(user=user, organization=organization, role=str(role))
        totp_enrol(user=user)
        return user

    return make


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    """Each test starts in the default language, whatever the previous one switched to."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data loaded by migrations (taxonomies) is wiped by the flush that ends a
    transactional test (browser tests, the worker); load it again for the tests after."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    # The database set up by pytest-django (by a db fixture or the django_db marker).
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from trithuc.registry.models import FieldOfScience
    from trithuc.registry.taxonomies import load

    if not FieldOfScience.objects.exists():
        load(apps)

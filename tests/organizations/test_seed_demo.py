"""`seed_demo` builds the Hà Nội demo tree and one account per role; `demo_totp` prints codes."""

import io
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trithuc.accounts.models import Membership, User
from trithuc.accounts.services import totp_current_code
from trithuc.core.choices import Role
from trithuc.core.permissions import user_can
from trithuc.organizations.data import load_administrative_units
from trithuc.organizations.management.commands.seed_demo import DEMO_ACCOUNTS, read_accounts
from trithuc.organizations.models import AdministrativeUnit, Organization


@pytest.fixture
def accounts_file(tmp_path):
    return tmp_path / "var" / "demo-accounts.txt"


@pytest.fixture
def seed(db, accounts_file):
    if not AdministrativeUnit.objects.exists():
        load_administrative_units(AdministrativeUnit)

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("seed_demo", *args, accounts_file=str(accounts_file), stdout=out)
        return out.getvalue()

    return run


def totp_validates(user: User, code: str) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return TOTP(authenticator).validate_code(code)


def test_builds_the_ha_noi_tree(seed):
    seed()
    top = set(Organization.objects.filter(parent=None).values_list("name", flat=True))
    assert top == {"Thành ủy Hà Nội", "Ủy ban nhân dân Thành phố Hà Nội"}
    city = Organization.objects.get(code="UBND")
    departments = city.children.filter(type="department")
    assert departments.count() >= 15
    for name in ["Sở Nội vụ", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường"]:
        assert departments.filter(name=name).exists(), name
    # Departments merged away in 2025 are gone.
    assert not Organization.objects.filter(name="Sở Kế hoạch và Đầu tư").exists()
    health = Organization.objects.get(code="SYT")
    hospitals = set(health.subtree().filter(type="hospital").values_list("name", flat=True))
    assert {
        "Bệnh viện Đa khoa Xanh Pôn",
        "Bệnh viện Thanh Nhàn",
        "Bệnh viện Tim Hà Nội",
    } <= hospitals
    assert Organization.objects.filter(type="public_university", name__contains="Thủ đô").exists()
    assert Organization.objects.filter(type="association").count() == 2
    assert not Organization.objects.filter(name_en="", type="department").exists()


def test_communes_are_linked_to_their_real_administrative_unit(seed):
    seed()
    communes = Organization.objects.filter(type="commune_committee").select_related(
        "administrative_unit__parent", "parent"
    )
    assert communes.count() >= 25
    for org in communes:
        unit = org.administrative_unit
        assert unit.level == "commune" and not unit.is_legacy
        assert unit.parent.code == "01"
        assert org.parent.code == "UBND"
        assert org.code == f"XP{unit.code}"
        place = unit.name.split(" ", 1)[1]
        assert org.name.endswith(place)
    hoan_kiem = communes.get(code="XP00070")
    assert hoan_kiem.name == "Ủy ban nhân dân phường Hoàn Kiếm"
    assert hoan_kiem.name_en == "Hoan Kiem Ward People's Committee"


def test_one_account_per_role_with_totp_for_staff(seed, accounts_file):
    seed()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    entries = read_accounts(accounts_file)
    assert set(entries) == {spec.username for spec in DEMO_ACCOUNTS}
    for entry in entries.values():
        user = User.objects.get(username=entry.username)
        assert user.check_password(entry.password)
        assert user.email.endswith("@example.invalid")
        if entry.role == "-":
            assert not user.memberships.exists()
            assert entry.totp_secret == ""
        else:
            assert user.memberships.get().role == entry.role
            assert user.memberships.get().organization.code == entry.organization
            assert totp_validates(user, totp_current_code(entry.totp_secret))
    steward = User.objects.get(username="demo.steward")
    assert steward.memberships.get().organization.parent is None  # the whole city
    assert user_can(steward, Organization, "add")
    hr = User.objects.get(username="demo.hr")
    assert hr.memberships.get().organization.type == "hospital"
    assert not user_can(hr, Organization, "add")


def test_the_accounts_file_is_private(seed, accounts_file):
    seed()
    mode = stat.S_IMODE(accounts_file.stat().st_mode)
    assert mode == 0o600


def test_running_twice_changes_nothing(seed, accounts_file):
    seed()
    first_file = accounts_file.read_text(encoding="utf-8")
    counts = (Organization.objects.count(), User.objects.count(), Membership.objects.count())
    paths = dict(Organization.objects.values_list("code", "path"))
    out = seed()
    assert "0 mới, 0 cập nhật" in out
    assert accounts_file.read_text(encoding="utf-8") == first_file
    assert (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert dict(Organization.objects.values_list("code", "path")) == paths


def test_a_lost_accounts_file_gets_fresh_working_passwords(seed, accounts_file):
    seed()
    accounts_file.unlink()
    seed()
    entries = read_accounts(accounts_file)
    admin = User.objects.get(username="demo.admin")
    assert admin.check_password(entries["demo.admin"].password)
    assert totp_validates(admin, totp_current_code(entries["demo.admin"].totp_secret))


def test_if_empty_skips_when_organisations_exist_but_still_prints(seed, accounts_file, tree):
    out = seed("--if-empty", "--print-accounts")
    assert not Organization.objects.filter(code="UBND").exists()
    assert "bỏ qua" in out
    assert "seed_demo" in out  # says how to create the accounts


def test_print_accounts_explains_totp(seed):
    seed()
    out = seed("--if-empty", "--print-accounts")
    assert "demo.admin" in out and "demo.intellectual" in out
    assert "python manage.py demo_totp" in out
    assert "ứng dụng xác thực" in out


def test_refuses_to_run_in_production(seed, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        seed()
    assert not Organization.objects.exists()


def test_demo_totp_prints_the_current_code(seed, accounts_file):
    seed()
    out = io.StringIO()
    call_command("demo_totp", "demo.plan", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert totp_validates(User.objects.get(username="demo.plan"), code)


def test_demo_totp_refuses_unknown_users_users_without_totp_and_production(seed, settings):
    seed()
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("demo_totp", "khong-ton-tai", stdout=io.StringIO())
    with pytest.raises(CommandError, match="chưa bật"):
        call_command("demo_totp", "demo.intellectual", stdout=io.StringIO())
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="máy chủ thật"):
        call_command("demo_totp", "demo.admin", stdout=io.StringIO())

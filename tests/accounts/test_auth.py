"""Sign-in: Vietnamese messages, no user enumeration, lockout, TOTP for staff, audit."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from trithuc.core.choices import AuditKind
from trithuc.core.models import AuditEvent

LOGIN_URL = "/accounts/login/"


def login(client: Client, username: str, password: str):
    return client.post(LOGIN_URL, {"login": username, "password": password})


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def test_login_page_is_vietnamese(db):
    response = Client().get("/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_message(db):
    UserFactory(username="nguyenvana")
    wrong_password = login(Client(), "nguyenvana", "sai-mat-khau")
    unknown_user = login(Client(), "khongtontai", "sai-mat-khau")
    assert wrong_password.status_code == unknown_user.status_code == 200
    errors_a = wrong_password.context["form"].non_field_errors()
    errors_b = unknown_user.context["form"].non_field_errors()
    assert list(errors_a) == list(errors_b)
    message = str(errors_a[0])
    assert "không đúng" in message.lower(), message
    # The page says nothing else either: only the typed name differs between the two.
    page_a = wrong_password.content.decode().replace("nguyenvana", "X")
    page_b = unknown_user.content.decode().replace("khongtontai", "X")
    strip = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    assert strip.sub("", page_a) == strip.sub("", page_b)


def test_tenth_failure_locks_the_account_even_with_the_right_password(db):
    UserFactory(username="tranthib")
    client = Client()
    for _ in range(9):
        assert login(client, "tranthib", "sai-mat-khau").status_code == 200
    tenth = login(client, "tranthib", "sai-mat-khau")
    assert tenth.status_code == 429
    assert "Tạm khóa đăng nhập" in tenth.content.decode()
    locked = login(Client(), "tranthib", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKOUT, actor_name="tranthib").exists()


def test_unknown_accounts_lock_the_same_way(db):
    # Otherwise a lockout would reveal which names exist.
    client = Client()
    statuses = [login(client, "khongtontai", "x").status_code for _ in range(10)]
    assert statuses[-1] == 429


def test_failed_login_and_login_are_audited_with_ip(db):
    UserFactory(username="lethic")
    login(Client(REMOTE_ADDR="10.1.2.3"), "lethic", "sai")
    event = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert event.actor_name == "lethic"
    assert event.ip == "10.1.2.3"
    assert event.actor is None
    response = login(Client(), "lethic", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN, actor__username="lethic").exists()


def test_staff_without_totp_must_enrol_before_any_page(tree, client_for):
    from tests.factories import MembershipFactory

    user = UserFactory()
    MembershipFactory(user=user, organization=tree["dept_a"], role="hr_officer")
    client = client_for(user)
    response = client.get(reverse("organizations:organization_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/organizations/")
    assert api.status_code == 403
    assert "xác thực hai lớp" in api.content.decode()


def test_staff_with_totp_signs_in_in_two_steps(tree, make_staff):
    from trithuc.accounts.services import totp_current_code, totp_secret

    user = make_staff("hr_officer", tree["dept_a"])
    secret = totp_secret(user=user)
    assert secret not in str(user.authenticator_set.get().data)  # encrypted at rest
    client = Client()
    first = login(client, user.username, PASSWORD)
    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    second = client.post(reverse("mfa_authenticate"), {"code": totp_current_code(secret)})
    assert second.status_code == 302
    assert client.get(reverse("organizations:organization_list")).status_code == 200


def test_intellectual_without_role_needs_no_totp(db):
    UserFactory(username="tri_thuc")
    client = Client()
    assert login(client, "tri_thuc", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_sign_up_is_closed(db):
    response = Client().get(reverse("account_signup"))
    assert response.status_code == 200
    assert "form" not in response.context or response.context.get("form") is None


def test_real_settings_hash_with_argon2():
    settings_module = importlib.import_module("trithuc.settings")
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_role_change_is_audited_and_shown_on_the_audit_page(tree, make_staff, client_for):
    from trithuc.accounts.services import membership_grant

    admin = make_staff("admin", tree["city"])
    officer = UserFactory(username="canbo_moi", organization=tree["dept_a"])
    membership_grant(
        user=officer, organization=tree["dept_a"], role="hr_officer", acting_user=admin
    )
    login(Client(), "canbo_moi", "sai-mat-khau")
    page = client_for(admin).get(reverse("core:audit_list"))
    html = page.content.decode()
    assert 'data-kind="role_granted"' in html
    assert 'data-kind="login_failed"' in html
    filtered = client_for(admin).get(reverse("core:audit_list"), {"kind": "role_granted"})
    assert 'data-kind="login_failed"' not in filtered.content.decode()
    assert 'data-kind="role_granted"' in filtered.content.decode()


def test_staff_cannot_switch_totp_off_but_an_intellectual_can(tree, make_staff):
    from allauth.mfa.adapter import get_adapter

    from trithuc.accounts.services import totp_enrol

    staff = make_staff("leader", tree["city"])
    intellectual = UserFactory()
    totp_enrol(user=intellectual)
    adapter = get_adapter()
    assert not adapter.can_delete_authenticator(staff.authenticator_set.get(type="totp"))
    assert adapter.can_delete_authenticator(intellectual.authenticator_set.get(type="totp"))

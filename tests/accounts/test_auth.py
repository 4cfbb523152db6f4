"""Sign-in: Vietnamese messages, no user enumeration, lockout, TOTP for staff, audit."""

import importlib
import re

import pytest
from django.core.cache import cache
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
    # Lockouts (axes, in the database) and rate limits (allauth, in the cache) start afresh.
    from axes.utils import reset

    reset()
    cache.clear()


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
    # Later attempts, even with the right password, are refused: by allauth's per-name limit
    # while it lasts (15 minutes), by the axes lockout (30 minutes) in any case.
    locked = login(Client(), "tranthib", PASSWORD)
    assert "_auth_user_id" not in locked.client.session
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page or "quá nhiều lần" in page
    cache.clear()  # past allauth's window: axes alone still refuses
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


def test_totp_guessing_is_limited_and_audited(tree, make_staff):
    from trithuc.accounts.services import totp_current_code, totp_secret

    user = make_staff("hr_officer", tree["dept_a"])
    client = Client()
    login(client, user.username, PASSWORD)
    right = totp_current_code(totp_secret(user=user))
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(10):
        response = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert response.status_code == 200
    # The eleventh try is refused even with the right code.
    blocked = client.post(reverse("mfa_authenticate"), {"code": right})
    assert blocked.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind=AuditKind.MFA_FAILED, actor=user).count() == 10


def test_a_role_granted_mid_session_requires_totp_at_the_next_click(tree, client_for):
    from trithuc.accounts.services import membership_grant

    user = UserFactory()
    client = client_for(user)
    assert client.get("/").status_code == 200
    membership_grant(user=user, organization=tree["dept_a"], role="leader", acting_user=None)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_granting_a_role_on_the_page_is_one_event_with_the_ip(tree, make_staff):
    admin = make_staff("admin", tree["city"])
    officer = UserFactory(organization=tree["unit_a1"])
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.force_login(admin)
    response = client.post(
        reverse("accounts:membership_add"),
        {"user": officer.pk, "organization": tree["dept_a"].code, "role": "hr_officer"},
    )
    assert response.status_code == 302
    events = AuditEvent.objects.exclude(kind=AuditKind.LOGIN).filter(actor=admin)
    assert [(e.kind, e.ip) for e in events] == [("role_granted", "10.9.8.7")]
    assert officer.memberships.get().granted_by == admin


def test_lockout_page_states_the_configured_duration(db, settings):
    settings.AXES_COOLOFF_TIME = 2  # hours
    UserFactory(username="phamd")
    client = Client()
    for _ in range(10):
        response = login(client, "phamd", "sai")
    assert "120 phút" in response.content.decode()

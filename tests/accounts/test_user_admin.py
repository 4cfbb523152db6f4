"""Administrators manage accounts in their subtree: create, edit, deactivate, resets."""

from django.test import Client
from django.urls import reverse

from trithuc.accounts.models import User
from trithuc.accounts.services import totp_enrol
from trithuc.core.models import AuditEvent


def test_admin_creates_an_account_and_sees_its_password_once(tree, make_staff, client_for):
    admin = make_staff("admin", tree["dept_a"])
    client = client_for(admin)
    response = client.post(
        reverse("accounts:user_add"),
        {
            "username": "Le.Van.C",
            "full_name": "Lê Văn C",
            "email": "",
            "organization": tree["unit_a1"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="le.van.c")
    assert user.check_password(password)
    assert password not in client.get(user.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(kind="account_created", actor=admin).count() == 1
    # The new user can sign in with it.
    signed_in = Client().post("/accounts/login/", {"login": "le.van.c", "password": password})
    assert signed_in.status_code == 302


def test_admin_cannot_create_accounts_outside_their_subtree(tree, make_staff, client_for):
    client = client_for(make_staff("admin", tree["dept_a"]))
    response = client.post(
        reverse("accounts:user_add"),
        {
            "username": "ngoai",
            "full_name": "Người ngoài",
            "organization": tree["dept_b"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="ngoai").exists()
    assert "Hãy chọn" in response.content.decode()  # Django's "select a valid choice", in vi


def test_duplicate_username_is_refused_case_insensitively(tree, make_staff, client_for):
    admin = make_staff("admin", tree["dept_a"], username="quantri.a")
    response = client_for(admin).post(
        reverse("accounts:user_add"),
        {"username": "QuanTri.A", "full_name": "X", "organization": tree["dept_a"].pk},
    )
    assert response.status_code == 400
    assert "Tên đăng nhập này đã có người dùng." in response.content.decode()


def test_deactivating_ends_sessions_for_new_requests_and_tokens(tree, make_staff, client_for):
    from rest_framework.authtoken.models import Token

    admin = make_staff("admin", tree["city"])
    officer = make_staff("hr_officer", tree["dept_a"])
    Token.objects.create(user=officer)
    officer_client = client_for(officer)
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[officer.pk]),
        {
            "username": officer.username,
            "full_name": officer.full_name,
            "organization": tree["dept_a"].pk,
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert not Token.objects.filter(user=officer).exists()
    assert officer_client.get("/").status_code == 302  # signed out: inactive users are refused


def test_admin_cannot_deactivate_themselves(tree, make_staff, client_for):
    admin = make_staff("admin", tree["city"])
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {"username": admin.username, "full_name": "A", "organization": tree["city"].pk},
    )
    assert response.status_code == 400
    assert "tự vô hiệu hóa" in response.content.decode()


def test_password_reset_unlocks_and_mfa_reset_forces_re_enrolment(tree, make_staff, client_for):
    from axes.models import AccessAttempt

    admin_client = client_for(make_staff("admin", tree["city"]))
    officer = make_staff("hr_officer", tree["dept_a"])
    for _ in range(10):
        Client().post("/accounts/login/", {"login": officer.username, "password": "sai"})
    assert AccessAttempt.objects.filter(username=officer.username).exists()

    response = admin_client.post(reverse("accounts:user_reset_password", args=[officer.pk]))
    password = response.context["password"]
    assert not AccessAttempt.objects.filter(username=officer.username).exists()

    admin_client.post(reverse("accounts:user_reset_mfa", args=[officer.pk]))
    assert not officer.authenticator_set.exists()
    client = Client()
    client.post("/accounts/login/", {"login": officer.username, "password": password})
    assert client.get("/").url == reverse("mfa_activate_totp")
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {"password_reset", "mfa_reset"} <= kinds
    totp_enrol(user=officer)

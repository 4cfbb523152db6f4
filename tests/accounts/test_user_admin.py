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
            "organization": tree["unit_a1"].code,
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
            "organization": tree["dept_b"].code,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="ngoai").exists()
    assert "trong phạm vi của bạn" in response.content.decode()


def test_duplicate_username_is_refused_case_insensitively(tree, make_staff, client_for):
    admin = make_staff("admin", tree["dept_a"], username="quantri.a")
    response = client_for(admin).post(
        reverse("accounts:user_add"),
        {"username": "QuanTri.A", "full_name": "X", "organization": tree["dept_a"].code},
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
            "organization": tree["dept_a"].code,
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
        {"username": admin.username, "full_name": "A", "organization": tree["city"].code},
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
    # First the temporary password must be replaced, then TOTP set up again.
    assert client.get("/").url == reverse("account_change_password")
    assert client.get("/api/organizations/").status_code == 403
    changed = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
        },
    )
    assert changed.status_code == 302
    officer.refresh_from_db()
    assert not officer.must_change_password
    client.post("/accounts/login/", {"login": officer.username, "password": "Mat-khau-moi-2026!"})
    assert client.get("/").url == reverse("mfa_activate_totp")
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {"password_reset", "mfa_reset"} <= kinds
    totp_enrol(user=officer)


def test_a_department_admin_cannot_take_over_wider_accounts(tree, make_staff, client_for):
    from tests.factories import MembershipFactory, UserFactory

    dept_admin = make_staff("admin", tree["dept_a"])
    # A city administrator whose account sits in dept_a, and a superuser placed there too.
    city_admin = UserFactory(organization=tree["dept_a"])
    MembershipFactory(user=city_admin, organization=tree["city"], role="admin")
    superuser = UserFactory(organization=tree["dept_a"], is_superuser=True)
    # A plain officer of dept_a who also holds a role in dept_b.
    two_hats = make_staff("hr_officer", tree["unit_a1"])
    MembershipFactory(user=two_hats, organization=tree["dept_b"], role="leader")
    local = make_staff("hr_officer", tree["unit_a1"])

    client = client_for(dept_admin)
    for target in (city_admin, superuser, two_hats):
        for name in (
            "accounts:user_reset_password",
            "accounts:user_reset_mfa",
            "accounts:user_edit",
            "accounts:user_detail",
        ):
            url = reverse(name, args=[target.pk])
            assert client.get(url).status_code == 404, (name, target)
            if name != "accounts:user_detail":
                assert client.post(url).status_code == 404, (name, target)
    assert client.post(reverse("accounts:user_reset_password", args=[local.pk])).status_code == 200
    form = client.get(reverse("accounts:membership_add")).context["form"]
    assert set(form.fields["user"].queryset) == {dept_admin, local}


def test_api_token_does_not_skip_totp(tree, client_for):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    token = Token.objects.create(user=user)
    MembershipFactory(user=user, organization=tree["city"], role="data_steward")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/organizations/")
    assert response.status_code == 403
    assert "xác thực hai lớp" in response.json()["detail"]
    totp_enrol(user=user)
    assert api.get("/api/organizations/").status_code == 200


def test_resets_end_api_tokens(tree, make_staff, client_for):
    from rest_framework.authtoken.models import Token

    admin_client = client_for(make_staff("admin", tree["city"]))
    officer = make_staff("hr_officer", tree["dept_a"])
    for name in ("accounts:user_reset_mfa", "accounts:user_reset_password"):
        Token.objects.create(user=officer)
        admin_client.post(reverse(name, args=[officer.pk]))
        assert not Token.objects.filter(user=officer).exists()

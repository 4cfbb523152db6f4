from django.test import RequestFactory

from trithuc.core.audit import client_ip


def test_direct_connection_ignores_forwarded_header(settings):
    settings.TRITHUC_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_a_forged_first_hop_is_ignored(settings):
    settings.TRITHUC_TRUSTED_PROXIES = 1
    # The client sent "6.6.6.6"; nginx appended the address it really saw.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies(settings):
    settings.TRITHUC_TRUSTED_PROXIES = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.2, 10.0.0.1"
    )
    assert client_ip(request) == "198.51.100.2"


def test_events_without_an_object_belong_to_the_actors_unit(tree, make_staff, client_for):
    from django.test import Client
    from django.urls import reverse

    dept_admin = make_staff("admin", tree["dept_a"])
    officer = make_staff("hr_officer", tree["unit_a1"])
    outsider = make_staff("hr_officer", tree["unit_b1"])
    for user in (officer, outsider):
        Client().post("/accounts/login/", {"login": user.username, "password": "sai"})
        client_for(user).get(reverse("organizations:organization_export"))
    client = client_for(dept_admin)
    html = client.get(reverse("core:audit_list"), {"kind": "login_failed"}).content
    assert officer.username.encode() in html
    assert outsider.username.encode() not in html
    exports = client.get(reverse("core:audit_list"), {"kind": "export"}).context["object_list"]
    assert [e.actor for e in exports] == [officer]


def test_a_top_level_admin_sees_only_their_own_tree(tree, make_staff, client_for):
    from django.urls import reverse

    from tests.factories import OrganizationFactory

    other_root = OrganizationFactory(code="PARTY", name="Thành ủy", parent=None)
    other_unit = OrganizationFactory(code="PARTY_1", name="Ban Tổ chức", parent=other_root)
    outsider = make_staff("hr_officer", other_unit)
    client_for(outsider).get(reverse("organizations:organization_export"))
    admin = make_staff("admin", tree["city"])
    events = client_for(admin).get(reverse("core:audit_list"), {"kind": "export"})
    assert list(events.context["object_list"]) == []


def test_deactivating_an_organisation_does_not_switch_off_its_roles(tree, make_staff, client_for):
    from django.urls import reverse

    admin = make_staff("admin", tree["dept_a"])
    tree["dept_a"].is_active = False
    tree["dept_a"].save()
    assert client_for(admin).get(reverse("accounts:user_list")).status_code == 200


def test_audit_details_read_as_labels(tree, make_staff, client_for):
    from django.urls import reverse

    admin = make_staff("admin", tree["city"])
    client = client_for(admin)
    client.get(reverse("organizations:organization_export"), {"q": "so"})
    html = client.get(reverse("core:audit_list"), {"kind": "export"}).content.decode()
    assert "Số dòng:" in html
    assert "Dữ liệu:</span> tổ chức" in html
    assert "Bộ lọc:</span> q=so" in html


def test_events_tied_to_no_organisation_are_for_superusers_only(tree, make_staff, client_for):
    from django.test import Client
    from django.urls import reverse

    from tests.factories import UserFactory

    Client().post("/accounts/login/", {"login": "khong-ai-ca", "password": "x"})
    top_admin = make_staff("admin", tree["city"])
    assert (
        not client_for(top_admin)
        .get(reverse("core:audit_list"), {"kind": "login_failed"})
        .context["object_list"]
    )
    superuser = UserFactory(is_superuser=True)
    from trithuc.accounts.services import totp_enrol

    totp_enrol(user=superuser)
    events = client_for(superuser).get(reverse("core:audit_list"), {"kind": "login_failed"})
    assert [e.actor_name for e in events.context["object_list"]] == ["khong-ai-ca"]


def test_reference_data_is_read_by_staff_and_written_by_superusers_only(tree, make_staff):
    from trithuc.core.permissions import user_can
    from trithuc.organizations.models import AdministrativeUnit

    admin = make_staff("admin", tree["dept_a"])
    assert AdministrativeUnit.objects.restrict(admin, "view").count() > 3000
    assert not AdministrativeUnit.objects.restrict(admin, "change").exists()
    assert not user_can(admin, AdministrativeUnit, "delete")

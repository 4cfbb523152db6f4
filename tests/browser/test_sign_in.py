"""Signing in: Vietnamese first, no account enumeration, TOTP for every staff account."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from trithuc.core.choices import Role

from .helpers import enter_password, fresh_totp_code, path_of, screenshot, submit, url

pytestmark = pytest.mark.browser

VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
TOTP_ACTIVATE = "/accounts/2fa/totp/activate/"


def login_error(page) -> str:  # type: ignore[no-untyped-def]
    alert = page.locator("main [role=alert], main .alert-danger, main .invalid-feedback").first
    expect(alert).to_be_visible()
    return " ".join(alert.inner_text().split())


def test_home_redirects_to_a_vietnamese_login_page(page):
    page.goto(url(page, "/"))
    assert path_of(page).startswith("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    screenshot(page, "login-desktop")


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_error(page, officer):
    enter_password(page, officer.username, "sai-mat-khau-123")
    assert path_of(page).startswith("/accounts/login/")
    wrong_password = login_error(page)
    screenshot(page, "login-wrong-password")

    enter_password(page, "khong.co.tai.khoan.nay", "sai-mat-khau-123")
    unknown_user = login_error(page)

    assert wrong_password == unknown_user
    assert VIETNAMESE_LETTERS.search(wrong_password.lower()), wrong_password
    assert "password" not in wrong_password.lower()
    assert "tồn tại" not in wrong_password.lower()  # "does not exist"
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_staff_signs_in_with_password_then_totp_and_sees_their_role(page, officer):
    enter_password(page, officer.username, officer.password)
    expect(page).to_have_url(url(page, "/accounts/2fa/authenticate/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "totp-authenticate")
    page.fill("input[name=code]", fresh_totp_code(officer.secret))
    with page.expect_navigation():
        submit(page)

    expect(page).to_have_url(url(page, "/"))
    with translation.override("vi"):
        role = str(Role.HR_OFFICER.label)
    main = page.locator("main")
    expect(main).to_contain_text(role)
    expect(main).to_contain_text("Sở Nội vụ")
    expect(main).to_contain_text(officer.user.full_name)
    screenshot(page, "home-officer")


def test_staff_without_totp_must_enrol_before_any_page(page, officer_without_totp):
    account = officer_without_totp
    enter_password(page, account.username, account.password)
    confirm_password_if_asked(page, account.password)
    expect(page).to_have_url(url(page, TOTP_ACTIVATE))

    page.goto(url(page, "/organizations/"))
    expect(page).to_have_url(url(page, TOTP_ACTIVATE))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "totp-activate")

    secret = displayed_secret(page)
    page.fill("input[name=code]", fresh_totp_code(secret))
    with page.expect_navigation():
        submit(page)
    assert not path_of(page).startswith(TOTP_ACTIVATE), login_error(page)

    page.goto(url(page, "/organizations/"))
    expect(page).to_have_url(url(page, "/organizations/"))
    expect(page.locator("main table")).to_contain_text("Sở Nội vụ")


def confirm_password_if_asked(page, password: str) -> None:  # type: ignore[no-untyped-def]
    """allauth asks for the password again before TOTP enrolment, even right after sign-in.

    Its reauthentication check only counts an explicit reauthentication, not the sign-in
    itself; see the browser-test report for the change that would skip this step.
    """
    if path_of(page).startswith("/accounts/reauthenticate/"):
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            submit(page)


def displayed_secret(page) -> str:  # type: ignore[no-untyped-def]
    """The TOTP secret the enrolment page shows for typing into an authenticator app."""
    field = page.locator("#authenticator_secret")
    if field.count():
        value = field.input_value().strip()
    else:  # a template that shows the secret as text
        found = re.search(r"\b[A-Z2-7]{32}\b", page.locator("main").inner_text())
        assert found, "the enrolment page shows no TOTP secret"
        value = found.group(0)
    return value.replace(" ", "")

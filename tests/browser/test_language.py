"""The language switch turns the interface English and back."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .helpers import enter_password, screenshot, submit, url

pytestmark = pytest.mark.browser

# allauth's own English: it does not depend on our English catalogue.
ALLAUTH_LOGIN_ERROR = "The username and/or password you specified are not correct."


def english(source: str) -> str:
    """The English of one of our Vietnamese strings, as far as the catalogue has it."""
    with translation.override("en"):
        return translation.gettext(source)


def switch_language(page, code: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.select_option("#language-select", code)


def test_language_switch_turns_the_page_english_and_back(page, officer):
    page.goto(url(page, "/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url(page, "/accounts/login/"))
    # Tolerant of an incomplete English catalogue: expects whatever the catalogue says.
    expect(page.locator("h1")).to_have_text(english("Đăng nhập"))

    page.fill("#id_login", officer.username)
    page.fill("#id_password", "wrong-password-123")
    with page.expect_navigation():
        submit(page)
    expect(page.locator("main")).to_contain_text(ALLAUTH_LOGIN_ERROR)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "login-english")

    # The choice survives signing in (cookie) and can be undone.
    enter_password(page, officer.username, officer.password)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch_language(page, "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

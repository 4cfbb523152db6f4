"""Layouts on an office screen (1366×768) and a phone (390×844): nothing wider than the window.

Also writes the README's screenshot: TRITHUC_UPDATE_SCREENSHOTS=1 make test-browser copies
the demo leader's home page to docs/img/screenshot-home.png.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from trithuc.core.choices import Role
from trithuc.organizations.management.commands.seed_demo import read_accounts

from .conftest import make_staff_account
from .helpers import DESKTOP, PHONE, ROOT, horizontal_overflow, screenshot, sign_in, url

pytestmark = pytest.mark.browser

PAGES = {"login": "/accounts/login/", "home": "/", "organizations": "/organizations/"}
README_SCREENSHOT = ROOT / "docs" / "img" / "screenshot-home.png"


@pytest.fixture
def steward(transactional_db, tree):
    return make_staff_account(
        username="quan.ly.du.lieu",
        full_name="Nguyễn Thị Hoa",
        organization=tree["city"],
        role=Role.DATA_STEWARD.value,
    )


@pytest.mark.parametrize("size_name", ["desktop", "phone"])
def test_pages_fit_the_window(page, steward, size_name):
    size = DESKTOP if size_name == "desktop" else PHONE
    page.set_viewport_size(size)
    problems = {}
    for name, path in PAGES.items():
        if name == "home":
            sign_in(page, steward)
        page.goto(url(page, path))
        overflow = horizontal_overflow(page)
        if overflow:
            problems[path] = overflow
        screenshot(page, f"{name}-{size_name}")
    assert not problems, f"horizontal scroll at {size['width']}×{size['height']}: {problems}"


def test_demo_leader_home_page_screenshot(page, transactional_db, tmp_path: Path):
    """The home page of the demo leader (seed_demo's Hà Nội tree), as the README shows it."""
    accounts_file = tmp_path / "demo-accounts.txt"
    call_command("seed_demo", accounts_file=str(accounts_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    entry = read_accounts(accounts_file)["demo.leader"]
    leader = type(
        "Account",
        (),
        {"username": entry.username, "password": entry.password, "secret": entry.totp_secret},
    )
    sign_in(page, leader)
    page.goto(url(page, "/"))  # again, without the "signed in" message
    expect(page.locator("main")).to_contain_text("Ủy ban nhân dân Thành phố Hà Nội")
    page.mouse.move(0, 0)
    path = screenshot(page, "home-demo-leader-1366x768", full_page=False)
    if os.environ.get("TRITHUC_UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOT)

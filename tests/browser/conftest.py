"""Browser fixtures: Debian's Chromium, driven by Playwright's sync API, against live_server.

Chromium comes from Debian (`apt-get install chromium`), never from `playwright install`.
Without it the browser tests are skipped on a developer's machine, but they fail in CI
(CI=true), so a CI run can never pass by skipping them.
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from trithuc.accounts.services import totp_enrol
from trithuc.core.choices import Role

from ..factories import PASSWORD, MembershipFactory, UserFactory
from .helpers import DESKTOP, RESULTS_DIR

CHROMIUM = Path(os.environ.get("TRITHUC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; in CI a missing browser is a failure, not a pass."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop "running" in this thread while it is
    started, so Django would refuse the tests' own ORM calls (creating users) as
    async-unsafe. They are not: the loop only drives the browser.

    Set for the browser modules only, never at import: the variable would leak into the rest
    of the suite (and into `manage.py check --deploy` run by it, which warns about it).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Module scope: Playwright (and its loop) stops after each browser module, so tests that run
# after them in the same session see a normal thread.
@pytest.fixture(scope="module")
def browser(allow_orm_beside_playwright) -> Iterator:
    if not CHROMIUM.exists():
        skip_or_fail(
            f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium) "
            "to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def result_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("tests/browser/")[-1]).strip("_")


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    """A fresh browser context (no cookies) on a 1366×768 screen with an English browser.

    An English browser on purpose: the platform must still open in Vietnamese. Uncaught
    JavaScript errors and static files that fail to load fail the test; a failed test leaves
    a full-page screenshot in test-results/.
    """
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        # A screenshot that cannot be taken must not hide the real failure.
        with contextlib.suppress(Exception):
            page.screenshot(
                path=RESULTS_DIR / f"FAILED-{result_name(request.node.nodeid)}.png", full_page=True
            )
    context.close()
    if problems and not (report is not None and report.failed):
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def make_staff_account(
    *, username: str, organization, role: str = Role.HR_OFFICER.value, totp: bool = True, **kw
) -> SimpleNamespace:
    user = UserFactory(username=username, organization=organization, **kw)
    MembershipFactory(user=user, organization=organization, role=role)
    secret = totp_enrol(user=user) if totp else None
    return SimpleNamespace(user=user, username=username, password=PASSWORD, secret=secret)


@pytest.fixture
def officer(transactional_db, tree) -> SimpleNamespace:
    """An HR officer of Sở Nội vụ (dept_a), enrolled in TOTP."""
    return make_staff_account(
        username="can.bo.noi.vu", full_name="Trần Thị Bình", organization=tree["dept_a"]
    )


@pytest.fixture
def officer_without_totp(transactional_db, tree) -> SimpleNamespace:
    """An HR officer of Sở Nội vụ who has not enrolled in TOTP yet."""
    return make_staff_account(
        username="can.bo.moi", full_name="Lê Văn Cường", organization=tree["dept_a"], totp=False
    )

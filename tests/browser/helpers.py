"""What the browser journeys share: signing in, axe-core, layout checks, screenshots."""

import json
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from trithuc.accounts.services import totp_current_code

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "test-results"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined]


def path_of(page: Page) -> str:
    return page.url.removeprefix(page.base_url)  # type: ignore[attr-defined]


def submit(page: Page) -> None:
    """Press the submit button of the page's main form (not the language switch)."""
    page.locator("main form button[type=submit]").first.click()


def fresh_totp_code(secret: str) -> str:
    """The current code, but never one about to expire (a 30-second window)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_current_code(secret)


def enter_password(page: Page, username: str, password: str) -> None:
    page.goto(url(page, "/accounts/login/"))
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        submit(page)


def sign_in(page: Page, account) -> None:  # type: ignore[no-untyped-def]
    """Password, then the TOTP code; ends on the home page."""
    enter_password(page, account.username, account.password)
    expect(page).to_have_url(url(page, "/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", fresh_totp_code(account.secret))
    with page.expect_navigation():
        submit(page)
    expect(page).to_have_url(url(page, "/"))


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


def axe_violations(page: Page, name: str) -> list[dict]:
    """Run axe-core's default rule set on the page; returns the serious and critical ones.

    Every violation, whatever its impact, is written to test-results/axe-<name>.json.
    """
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = result["violations"]
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"axe-{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def horizontal_overflow(page: Page) -> dict | None:
    """None when the page fits the window's width, else the widths and the widest elements."""
    return page.evaluate(
        """() => {
          const doc = document.scrollingElement;
          if (doc.scrollWidth <= window.innerWidth) return null;
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 8)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (el.className && typeof el.className === 'string'
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                 ' right=' + Math.round(el.getBoundingClientRect().right));
          return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide};
        }"""
    )

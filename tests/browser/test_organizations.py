"""The organisation tree shows the user's own subtree and nothing else."""

import pytest
from playwright.sync_api import expect

from .helpers import screenshot, sign_in, url

pytestmark = pytest.mark.browser


def test_organization_tree_lists_only_the_users_subtree(page, officer, tree):
    sign_in(page, officer)
    page.get_by_role("navigation").get_by_role("link", name="Tổ chức").click()
    expect(page).to_have_url(url(page, "/organizations/"))

    rows = page.locator("main table tbody")
    for org in ("dept_a", "unit_a1"):
        expect(rows).to_contain_text(tree[org].name)
    for org in ("city", "dept_b", "unit_b1"):
        expect(rows).not_to_contain_text(tree[org].name)
    expect(rows.locator("tr")).to_have_count(2)
    screenshot(page, "organizations-officer")

    # Outside the subtree is "not found", not "forbidden": its existence is not revealed.
    response = page.goto(url(page, tree["dept_b"].get_absolute_url()))
    assert response is not None and response.status == 404

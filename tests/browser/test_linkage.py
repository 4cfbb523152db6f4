"""A data steward finds duplicates, compares two records of one woman side by side, merges
them choosing a value, then undoes the merge: in a real browser, each page axe-clean."""

import pytest
from playwright.sync_api import expect

from trithuc.core.choices import Role
from trithuc.registry.models import Person

from ..linkage.conftest import make_people
from .conftest import make_staff_account
from .helpers import axe_violations, describe_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]


def check(page, name):
    screenshot(page, name)
    violations = axe_violations(page, name)
    assert not violations, describe_violations(violations)


def test_steward_merges_two_records_and_undoes_it(page, transactional_db, tree):
    people = make_people(tree)
    steward = make_staff_account(
        username="quan.ly.du.lieu",
        full_name="Phạm Thị Dung",
        organization=tree["city"],
        role=Role.DATA_STEWARD.value,
    )
    sign_in(page, steward)
    page.get_by_role("navigation").get_by_role("link", name="Hồ sơ trùng").click()
    expect(page.locator("h1")).to_have_text("Hồ sơ nghi trùng cần xem xét")
    page.get_by_role("button", name="Tìm hồ sơ trùng").click()
    expect(page.locator("[data-status]")).to_have_text("Hoàn thành", timeout=60_000)
    check(page, "linkage-job")
    page.get_by_role("link", name="Xem danh sách hồ sơ trùng").click()
    row = page.locator("main table tbody tr", has_text="Tran Thi Hoa Khue")
    expect(row).to_have_count(1)
    check(page, "linkage-queue")

    row.get_by_role("link", name="So sánh").click()
    table = page.locator("#comparison")
    expect(table).to_contain_text("ngày và tháng bị đảo")
    expect(table).to_contain_text("05/03/1981")
    expect(table).to_contain_text("03/05/1981")
    check(page, "linkage-pair")

    a, b = people.khue_a, people.khue_b
    first, second = sorted((a, b), key=lambda p: p.pk)
    page.get_by_label("Điện thoại theo hồ sơ B: 0912 345 678").check()
    page.get_by_label(f"Hồ sơ A (#{first.pk})").check()
    page.get_by_role("button", name="Hợp nhất hai hồ sơ").click()
    expect(page.locator(".alert")).to_contain_text("Đã hợp nhất hồ sơ")
    expect(page.locator("#merge-status")).to_have_text("Đã hợp nhất")
    assert not Person.objects.filter(pk=second.pk).exists()
    assert Person.objects.get(pk=first.pk).phone == "0912 345 678"
    check(page, "linkage-merge")

    page.get_by_role("button", name="Hoàn tác hợp nhất").click()
    expect(page.locator(".alert")).to_contain_text("Đã hoàn tác")
    expect(page.locator("#merge-status")).to_contain_text("Đã hoàn tác lúc")
    assert Person.objects.filter(pk=second.pk).exists()
    check(page, "linkage-undone")

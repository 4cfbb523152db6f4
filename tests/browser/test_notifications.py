"""Notifications in a real browser: the bell counts them, the page marks them read."""

import pytest
from playwright.sync_api import expect

from trithuc.notifications.models import Notification

from .conftest import make_staff_account
from .helpers import (
    PHONE,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
    sign_in,
    url,
)

pytestmark = pytest.mark.browser


def test_bell_and_notification_page(page, tree):
    coordinator = make_staff_account(
        username="dieu.phoi.noi.vu", organization=tree["dept_a"], role="plan_coordinator"
    )
    for i, title in enumerate(
        ("Nhắc hạn: 1 việc của kế hoạch hành động sắp đến hạn", "Quá hạn: 2 việc chưa xong")
    ):
        Notification.objects.create(
            recipient=coordinator.user, kind="reminder", title=title, key=f"k{i}",
            body="• Báo cáo Quý 2/2025, hạn 30/06/2025, còn 7 ngày", url="/plans/tasks/",
        )  # fmt: skip
    sign_in(page, coordinator)
    bell = page.locator("#notification-bell")
    expect(bell).to_contain_text("2")
    expect(bell).to_have_accessible_name("Thông báo (2 chưa đọc)")
    bell.click()
    expect(page).to_have_url(url(page, "/notifications/"))
    screenshot(page, "notifications")
    violations = axe_violations(page, "notifications")
    assert not violations, describe_violations(violations)

    page.get_by_role("button", name="Đánh dấu đã đọc").first.click()
    expect(page.locator("#notification-bell")).to_have_accessible_name("Thông báo (1 chưa đọc)")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đánh dấu 1 thông báo là đã đọc.")
    expect(page.locator("#notification-bell")).to_have_accessible_name("Thông báo")
    assert not Notification.objects.filter(read_at__isnull=True).exists()

    page.set_viewport_size(PHONE)
    page.reload()
    assert horizontal_overflow(page) is None

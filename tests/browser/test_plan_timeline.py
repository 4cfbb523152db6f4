"""A plan's timeline (signed in) and its public progress page (anonymous) in a real browser:
axe-core finds nothing serious, the chart fits an office screen, and screenshots of both
(screen and print) are left in test-results/ and /tmp for a person to look at."""

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from trithuc.core.choices import Role

from .conftest import make_staff_account
from .helpers import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
    sign_in,
)
from .helpers import url as url_of

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db, tree):
    return make_staff_account(
        username="lanh.dao.ke.hoach",
        full_name="Phạm Minh Đức",
        organization=tree["city"],
        role=Role.LEADER.value,
    )


def demo_plan(tree):
    """A published plan with a task of every kind of deadline and every status."""
    from trithuc.plans.models import PlanDocument, PlanSection, PlanTask

    document = PlanDocument.objects.create(
        kind="plan", number="133/KH-UBND",
        title="Kế hoạch thực hiện Chương trình hành động của Thành ủy về xây dựng và phát huy "
        "vai trò của đội ngũ trí thức trong giai đoạn mới",
        issuing_body="Ủy ban nhân dân Thành phố", organization=tree["dept_b"],
        issued_on=date(2024, 3, 15), is_public=True,
    )  # fmt: skip
    awareness, policy, people = (
        PlanSection.objects.create(document=document, number=n, title=t, order=i)
        for i, (n, t) in enumerate(
            [
                ("I", "Nâng cao nhận thức, trách nhiệm của các cấp, các ngành"),
                ("II", "Hoàn thiện cơ chế, chính sách đối với đội ngũ trí thức"),
                ("III", "Phát triển đội ngũ trí thức, thu hút chuyên gia"),
            ]
        )
    )
    dept_a, dept_b, unit = tree["dept_a"], tree["dept_b"], tree["unit_a1"]
    rows = [
        (awareness, "1.", "Quán triệt, tuyên truyền Nghị quyết 45-NQ/TW đến cán bộ, đảng viên",
         dept_a, {"deadline_kind": "recurring", "recurrence": "ongoing",
                  "deadline_text": "Thường xuyên"}),
        (awareness, "2.", "Tổ chức hội nghị đối thoại giữa lãnh đạo Thành phố và trí thức",
         dept_b, {"deadline_kind": "recurring", "recurrence": "yearly",
                  "deadline_text": "Hằng năm"}),
        (awareness, "3.", "Sơ kết 3 năm thực hiện Kế hoạch", dept_b,
         {"deadline_kind": "quarter", "due": date(2027, 6, 30), "deadline_text": "Quý II/2027"}),
        (policy, "1.", "Xây dựng cơ sở dữ liệu đội ngũ trí thức của Thành phố", dept_a,
         {"deadline_kind": "quarter", "due": date(2024, 12, 31), "deadline_text": "Quý IV/2024",
          "done_on": date(2024, 12, 10), "progress": 100}),
        (policy, "2.", "Ban hành chính sách thu hút, trọng dụng chuyên gia, nhà khoa học",
         dept_b, {"deadline_kind": "year", "due": date(2025, 12, 31),
                  "deadline_text": "Năm 2025", "done_on": date(2026, 3, 2), "progress": 100}),
        (policy, "3.", "Quy chế phối hợp lấy ý kiến phản biện của trí thức", unit,
         {"deadline_kind": "date", "due": date(2026, 6, 30), "deadline_text": "Trước 30/6/2026",
          "progress": 60}),
        (policy, "4.", "Đề án quỹ hỗ trợ nghiên cứu của trí thức trẻ", dept_b,
         {"deadline_kind": "year", "due": date(2025, 12, 31), "deadline_text": "Năm 2025",
          "cancelled": True}),
        (people, "1.", "Đào tạo, bồi dưỡng 500 tiến sĩ cho các ngành trọng điểm", dept_a,
         {"deadline_kind": "year", "start": date(2025, 1, 1), "due": date(2030, 12, 31),
          "deadline_text": "Giai đoạn 2025–2030", "progress": 35}),
        (people, "2.", "Thu hút trí thức Việt Nam ở nước ngoài về làm việc", dept_b,
         {"deadline_kind": "from", "start": date(2026, 1, 1), "deadline_text": "Từ năm 2026"}),
        (people, "3.", "Tổng kết, đánh giá việc thực hiện Kế hoạch", dept_a,
         {"deadline_kind": "none"}),
        (None, "", "Báo cáo Thành ủy kết quả thực hiện", None,
         {"deadline_kind": "date", "due": date(2027, 11, 30), "deadline_text": "30/11/2027",
          "lead_text": "Văn phòng UBND Thành phố"}),
    ]  # fmt: skip
    for order, (section, number, content, lead, extra) in enumerate(rows):
        extra.setdefault("lead_text", lead.name if lead else "")
        PlanTask.objects.create(
            document=document, section=section, number=number, order=order, content=content,
            lead=lead, **extra,
        )  # fmt: skip
    PlanTask.objects.create(
        document=document, section=people, number="4.", order=99, is_public=False,
        content="Rà soát nhân sự nhạy cảm", lead=dept_a, lead_text=dept_a.name,
        deadline_kind="quarter", due=date(2026, 3, 31),
    )  # fmt: skip
    return document


def keep(path: Path, name: str) -> None:
    shutil.copyfile(path, Path(tempfile.gettempdir()) / name)


def test_timeline_and_public_page(page, browser, live_server, leader, tree):
    plan = demo_plan(tree)
    sign_in(page, leader)
    page.goto(url_of(page, f"/plans/{plan.pk}/timeline/"))
    expect(page.locator("h1")).to_have_text("Tiến độ theo thời gian")
    table = page.locator("table.tl")
    expect(table.locator("tbody tr[data-status]")).to_have_count(12)
    expect(table.locator(".tl-bar.tl-ongoing")).to_have_count(3)
    expect(table.locator(".tl-none")).to_have_count(1)
    # Hidden from the public page: said so to those who keep the plan.
    hidden = table.locator("tr", has_text="Rà soát nhân sự nhạy cảm")
    expect(hidden).to_contain_text("không công khai")
    expect(hidden).to_contain_text("Quý I/2026")
    assert horizontal_overflow(page) is None, horizontal_overflow(page)
    # The chart is wide enough to read: a quarter column at least 20 px on 1366 px.
    width = page.locator("th.tl-q").first.bounding_box()["width"]
    assert width >= 20, f"a quarter is {width:.0f} px wide"
    # Bars end where their quarter ends: "Quý IV/2024" ends at the right edge of Q4/2024.
    bar = table.locator("tr[data-status=done] .tl-bar").bounding_box()
    q4 = page.locator("th.tl-q").nth(3).bounding_box()
    assert abs(bar["x"] + bar["width"] - (q4["x"] + q4["width"])) <= 2
    keep(screenshot(page, "plan-timeline"), "timeline.png")
    violations = axe_violations(page, "plan-timeline")
    assert not violations, describe_violations(violations)

    page.select_option("#tl-status", "in_progress")
    page.get_by_role("button", name="Lọc").click()
    expect(table.locator("tbody tr[data-status]")).to_have_count(4)
    expect(page.locator("#tl-summary")).to_contain_text("Đang thực hiện")

    # On a phone the chart scrolls inside its frame; the page itself does not.
    page.set_viewport_size(PHONE)
    page.goto(url_of(page, f"/plans/{plan.pk}/timeline/"))
    assert horizontal_overflow(page) is None, horizontal_overflow(page)
    page.locator(".tl-wrap").evaluate("wrap => { wrap.scrollLeft = 300; }")
    page.locator("tr[data-status=done]").scroll_into_view_if_needed()
    keep(screenshot(page, "plan-timeline-phone", full_page=False), "timeline-phone.png")
    page.set_viewport_size(DESKTOP)
    page.goto(url_of(page, f"/plans/{plan.pk}/timeline/"))
    page.emulate_media(media="print")
    keep(screenshot(page, "plan-timeline-print"), "timeline-print.png")
    page.emulate_media(media="screen")

    # The public pages, for someone not signed in.
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    public = context.new_page()
    public.base_url = live_server.url
    public.goto(url_of(public, "/accounts/login/"))
    public.get_by_role("link", name="Tiến độ thực hiện kế hoạch").click()
    expect(public.locator("h1")).to_have_text("Tiến độ thực hiện kế hoạch")
    violations = axe_violations(public, "plan-public-list")
    assert not violations, describe_violations(violations)
    keep(screenshot(public, "plan-public-list"), "public-list.png")
    public.get_by_role("link", name=plan.title).click()
    expect(public.locator("h1")).to_have_text(plan.title)
    expect(public.locator("main")).not_to_contain_text("Rà soát nhân sự nhạy cảm")
    expect(public.locator("main table tbody tr")).to_have_count(11)
    assert horizontal_overflow(public) is None, horizontal_overflow(public)
    violations = axe_violations(public, "plan-public-detail")
    assert not violations, describe_violations(violations)
    keep(screenshot(public, "plan-public-detail"), "public.png")
    context.close()

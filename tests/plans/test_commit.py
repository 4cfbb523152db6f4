"""A parsed plan becomes a document with sections and tasks, agencies matched."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from trithuc.core.models import AuditEvent
from trithuc.plans.services import commit_plan

pytestmark = pytest.mark.django_db


def parsed_task(number, section, content, lead, coordinators, kind, due=None, start=None,
                recurrence=None, text=""):  # fmt: skip
    return SimpleNamespace(
        number=number,
        section=section,
        section_title=f"Mục {section}",
        content=content,
        lead=lead,
        coordinators=coordinators,
        directed_by="",
        deadline=SimpleNamespace(kind=kind, due=due, start=start, recurrence=recurrence, text=text),
        warnings=[],
        proposed=False,
    )


@pytest.fixture
def parsed():
    return SimpleNamespace(
        tasks=[
            parsed_task("1.", "I", "Tuyên truyền", "Sở Khoa học và Công nghệ",
                        ["Các Sở, ngành, đơn vị liên quan"], "recurring",
                        recurrence="ongoing", text="Thường xuyên"),
            parsed_task("1.", "II", "Xây dựng cơ sở dữ liệu", "Sở Nội vụ",
                        ["Sở Khoa học và Công nghệ", "Sở Tài chính"], "year",
                        due="2025-12-31", text="2025"),
            parsed_task("2.", "II", "Đề án", "Ban Không Có Thật", [], "from",
                        start=date(2024, 4, 1), text="Thực hiện từ Quý II/2024"),
            parsed_task("3.", "II", "Quán triệt", "Các Sở, ngành, địa phương", [], "recurring",
                        recurrence="ongoing", text="Thường xuyên"),
        ],
        warnings=[],
    )  # fmt: skip


def test_commit_creates_sections_tasks_and_matches_agencies(tree, parsed, make_staff):
    coordinator = make_staff("plan_coordinator", tree["dept_b"])
    document = commit_plan(
        parsed,
        organization=tree["dept_b"],
        title="Kế hoạch thực hiện",
        number="133/KH-UBND",
        user=coordinator,
    )
    assert [s.number for s in document.sections.order_by("order")] == ["I", "II"]
    first, second, third, fourth = document.tasks.order_by("order")
    assert fourth.lead is None and fourth.lead_groups == ["all_departments", "all_localities"]
    assert first.lead == tree["dept_b"]
    assert first.coordinator_groups == ["all_departments", "all_related"]
    assert second.lead == tree["dept_a"]
    assert list(second.coordinators.all()) == [tree["dept_b"]]
    assert second.due == date(2025, 12, 31) and second.deadline_kind == "year"
    assert third.lead is None and third.lead_text == "Ban Không Có Thật"
    assert third.start == date(2024, 4, 1)
    assert AuditEvent.objects.filter(kind="import", object_id=str(document.pk)).exists()


def test_importing_the_same_document_twice_is_refused(tree, parsed):
    commit_plan(parsed, organization=tree["dept_b"], title="Kế hoạch", number="133/KH-UBND")
    with pytest.raises(ValidationError):
        commit_plan(parsed, organization=tree["dept_b"], title="Kế hoạch", number="133/KH-UBND")


def test_a_document_without_number_is_not_imported_twice_under_the_same_title(tree, parsed):
    commit_plan(parsed, organization=tree["dept_b"], title="Kế hoạch năm 2025")
    with pytest.raises(ValidationError):
        commit_plan(parsed, organization=tree["dept_b"], title="Kế hoạch năm 2025")
    commit_plan(parsed, organization=tree["dept_b"], title="Kế hoạch năm 2026")

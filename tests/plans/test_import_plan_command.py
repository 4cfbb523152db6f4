"""`manage.py import_plan FILE [--dry-run]`: one JSON object with the spec's keys and types,
agency matching against the organisations in the database, a clean failure otherwise."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from trithuc.organizations.models import Organization
from trithuc.plans.management.commands.import_plan import Command
from trithuc.plans.models import PlanDocument

from ..factories import OrganizationFactory

SEED_001 = Path(__file__).resolve().parent / "corpus" / "seeds" / "001_29bde5dc7e6a600c.txt"
CORPUS = Path(__file__).resolve().parent / "corpus"


TASK_KEYS = {"number", "section", "content", "lead", "coordinators", "deadline", "warnings"}
DEADLINE_KEYS = {"kind", "due", "start", "recurrence", "text"}


def run(*args: str) -> dict:
    """Run the command (by its class: the app may not be registered yet) and parse stdout."""
    out = io.StringIO()
    call_command(Command(), *args, stdout=out)
    text = out.getvalue()
    decoder = json.JSONDecoder()
    report, end = decoder.raw_decode(text)
    assert text[end:].strip() == "", "stdout must hold exactly one JSON object"
    return report


@pytest.fixture
def hanoi_departments(db):
    city = OrganizationFactory(
        code="UBND",
        name="Ủy ban nhân dân Thành phố Hà Nội",
        short_name="UBND TP",
        parent=None,
        type="peoples_committee",
    )
    names = {
        "SNV": "Sở Nội vụ",
        "STC": "Sở Tài chính",
        "SKHCN": "Sở Khoa học và Công nghệ",
        "SNGV": "Sở Ngoại vụ",
        "SVHTT": "Sở Văn hóa và Thể thao",
        "DHTDHN": "Trường Đại học Thủ đô Hà Nội",
        "VNCPT": "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
        "TLHP": "Trường Đào tạo cán bộ Lê Hồng Phong",
        "LHHHN": "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội",
        "VHNTHN": "Hội Liên hiệp Văn học nghệ thuật Hà Nội",
        "SNNMT": "Sở Nông nghiệp và Môi trường",
    }
    return {
        code: OrganizationFactory(code=code, name=name, parent=city) for code, name in names.items()
    } | {"UBND": city}


@pytest.mark.django_db
def test_dry_run_on_the_seed_prints_the_spec_json():
    report = run(str(SEED_001), "--dry-run")
    assert set(report) >= {"tasks", "warnings", "counts", "sections", "dry_run"}
    assert report["dry_run"] is True
    assert isinstance(report["warnings"], list)
    tasks = report["tasks"]
    assert len(tasks) == 30
    for task in tasks:
        assert set(task) >= TASK_KEYS
        assert isinstance(task["number"], str) and task["number"]
        assert task["section"] in {"I", "II", "III", "IV", "V"}
        assert isinstance(task["content"], str) and task["content"]
        assert isinstance(task["lead"], str) and task["lead"]
        assert all(isinstance(name, str) for name in task["coordinators"])
        assert isinstance(task["warnings"], list)
        deadline = task["deadline"]
        assert set(deadline) == DEADLINE_KEYS
        assert deadline["kind"] in {"date", "quarter", "year", "recurring", "from", "none"}
        assert deadline["recurrence"] in {"ongoing", "yearly", "quarterly", None}
        for key in ("due", "start"):
            assert deadline[key] is None or len(deadline[key]) == 10  # ISO date
    assert report["counts"]["by_section"] == {"I": 3, "II": 4, "III": 5, "IV": 13, "V": 5}
    first = tasks[0]
    assert (first["number"], first["section"], first["lead"]) == (
        "1.",
        "I",
        "Sở Thông tin và Truyền thông",
    )
    assert first["directed_by"] == ["Ban Tuyên giáo Thành ủy"]
    q2 = tasks[2]
    assert q2["deadline"] == {"kind": "quarter", "due": "2024-06-30", "start": None,
                              "recurrence": None, "text": "Quý II/2024"}  # fmt: skip


@pytest.mark.django_db
def test_without_organisations_matching_is_skipped_and_said():
    report = run(str(SEED_001), "--dry-run")
    assert report["matching"] == "skipped"
    assert any("tổ chức" in warning for warning in report["warnings"])
    assert "lead_match" not in report["tasks"][0]


def test_dry_run_matches_agencies_and_writes_nothing(hanoi_departments):
    before = Organization.objects.count()
    report = run(str(SEED_001), "--dry-run")
    assert Organization.objects.count() == before
    assert report["matching"] == "done"
    tasks = {f"{t['section']}.{t['number'].rstrip('.')}": t for t in report["tasks"]}
    home = tasks["III.5"]["lead_match"]
    assert (home["status"], home["organization_id"]) == ("matched", hanoi_departments["SNV"].pk)
    assert tasks["I.2"]["lead_match"]["status"] == "group"
    assert tasks["I.2"]["lead_match"]["groups"] == ["all_departments", "all_localities"]
    assert tasks["II.1"]["coordinator_matches"][1]["groups"] == ["all_localities"]
    # The merged Department of Information and Communications: proposed, to be confirmed.
    ict = tasks["I.1"]["lead_match"]
    assert (ict["how"], ict["code"], ict["needs_review"]) == ("successor", "SKHCN", True)
    review = {item["text"]: item for item in report["agencies_to_review"]}
    assert "Ngân hàng nhà nước Việt Nam chi nhánh Hà Nội" in review
    assert review["Ngân hàng nhà nước Việt Nam chi nhánh Hà Nội"]["tasks"] == ["IV.10"]
    assert "Ban Quản lý Khu Công nghệ cao Hòa Lạc" in review
    assert report["counts"]["agencies_to_review"] == len(review)
    bank_task = tasks["IV.10"]
    assert any("Chưa khớp" in w for w in bank_task["warnings"])


def test_prose_plan_tasks_are_proposed(db):
    report = run(str(CORPUS / "prose_agencies.txt"), "--dry-run")
    assert report["source_kind"] == "prose"
    assert report["counts"]["proposed"] == len(report["tasks"]) == 8
    assert all(task["proposed"] for task in report["tasks"])
    assert report["warnings"]


def test_year_option_fills_deadlines_without_a_year(db, tmp_path):
    path = tmp_path / "phu-luc.txt"
    path.write_text(
        "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n"
        "1.\tRà soát đội ngũ trí thức\tSở Nội vụ\t\tQuý III\n",
        encoding="utf-8",
    )
    report = run(str(path), "--dry-run", "--year", "2026")
    assert report["tasks"][0]["deadline"]["due"] == "2026-09-30"
    with pytest.raises(CommandError, match="Năm"):
        run(str(path), "--dry-run", "--year", "hai nghìn")


def test_unreadable_file_is_a_command_error(db, tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(b"\x00\x01 junk" * 100)
    with pytest.raises(CommandError, match=r"ke-hoach\.docx"):
        run(str(path), "--dry-run")


def test_exit_status_and_stderr_from_the_command_line(db, tmp_path, capsys):
    path = tmp_path / "trong.csv"
    path.write_bytes(b"")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "import_plan", str(path), "--dry-run"])
    assert exited.value.code != 0
    captured = capsys.readouterr()
    assert "trống" in captured.err
    assert captured.out == ""


def test_without_dry_run_and_no_commit_service_only_dry_run_is_offered(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "trithuc.plans.services", None)
    with pytest.raises(CommandError, match="--dry-run"):
        run(str(CORPUS / "table_synonyms.txt"))


def test_without_dry_run_the_plan_is_written(hanoi_departments):
    from trithuc.plans.models import PlanDocument

    report = run(str(CORPUS / "table_synonyms.txt"), "--organization", "skhcn",
                 "--number", "88/KH-UBND")  # fmt: skip
    assert report["dry_run"] is False
    document = PlanDocument.objects.get()
    assert report["commit"] == {"document_id": document.pk, "tasks": 5}
    assert (document.title, document.number) == ("table_synonyms", "88/KH-UBND")
    assert document.organization == hanoi_departments["SKHCN"]
    assert document.tasks.count() == 5
    # The same document again is refused, and nothing is doubled.
    with pytest.raises(CommandError, match="88/KH-UBND"):
        run(str(CORPUS / "table_synonyms.txt"), "--organization", "skhcn",
            "--number", "88/KH-UBND")  # fmt: skip
    assert PlanDocument.objects.count() == 1


def test_writing_needs_the_monitoring_agency(db):
    with pytest.raises(CommandError, match="--organization"):
        run(str(CORPUS / "table_synonyms.txt"))
    with pytest.raises(CommandError, match="KHONGCO"):
        run(str(CORPUS / "table_synonyms.txt"), "--organization", "KHONGCO")


def test_writing_with_the_real_service(hanoi_departments):
    services = pytest.importorskip("trithuc.plans.services")
    if not hasattr(services, "commit_plan"):
        pytest.skip("commit_plan not written yet")
    report = run(str(CORPUS / "table_synonyms.txt"), "--organization", "SKHCN")
    document_id = report["commit"]["document_id"]
    from django.apps import apps

    document = apps.get_model("plans", "PlanDocument").objects.get(pk=document_id)
    assert document.organization == hanoi_departments["SKHCN"]
    assert document.tasks.count() == 5


@pytest.mark.skipif(
    "trithuc.plans" not in settings.INSTALLED_APPS, reason="plans app not registered yet"
)
def test_the_command_is_found_by_name(db):
    out = io.StringIO()
    call_command("import_plan", str(CORPUS / "table_synonyms.txt"), "--dry-run", stdout=out)
    assert len(json.loads(out.getvalue())["tasks"]) == 5


def test_user_option_writes_only_within_that_account_scope(hanoi_departments):
    from ..factories import MembershipFactory, UserFactory

    outsider = UserFactory(username="ngoai.pham.vi")
    MembershipFactory(user=outsider, organization=hanoi_departments["SNV"], role="plan_coordinator")
    with pytest.raises(CommandError, match="không có quyền thêm kế hoạch"):
        run(str(CORPUS / "table_synonyms.txt"), "--organization", "SKHCN",
            "--user", "ngoai.pham.vi")  # fmt: skip
    assert not PlanDocument.objects.exists()
    insider = UserFactory(username="dieu.phoi")
    MembershipFactory(
        user=insider, organization=hanoi_departments["SKHCN"], role="plan_coordinator"
    )
    report = run(str(CORPUS / "table_synonyms.txt"), "--organization", "SKHCN",
                 "--user", "dieu.phoi")  # fmt: skip
    assert report["commit"]["document_id"] == PlanDocument.objects.get().pk

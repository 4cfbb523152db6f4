"""Staging writes nothing; a commit is an idempotent upsert with provenance; a corrected file
gives updates, not duplicates; the command line prints one JSON report."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trithuc.core.choices import AuditKind
from trithuc.core.models import AuditEvent
from trithuc.core.tabular import TabularFileError
from trithuc.intake.models import ImportBatch
from trithuc.intake.services import intake_file
from trithuc.organizations.models import Organization
from trithuc.registry.models import Degree, Person

from .conftest import HEADER, person_row, write_csv, write_xlsx


def run(path, agency, user, *, commit=False, mapping=None):
    return intake_file(
        path,
        filename=path.name,
        organization=agency,
        mapping=mapping or {},
        acting_user=user,
        commit=commit,
    )


def test_a_dry_run_writes_nothing_and_says_what_a_commit_would_do(agency, officer, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(i) for i in range(4)])
    result = run(path, agency, officer)
    assert result.counts() == {"rows": 4, "valid": 4, "errors": 0, "warnings": 1, "new": 4,
                               "updated": 0, "unchanged": 0}  # fmt: skip
    # Positions without a start date: one note for the file, not one per row.
    assert [i["code"] for i in result.file_issues] == ["position_start_assumed"]
    assert Person.objects.count() == 0


def test_commit_creates_people_with_records_and_provenance(agency, officer, tmp_path):
    job = {"Chức vụ, chức danh": "Trưởng phòng"}
    row = person_row(0, Học_hàm="PGS", Năm_công_nhận_học_hàm=2015,
                     Trình_độ_chuyên_môn="PGS.TS", **job)  # fmt: skip
    path = write_xlsx(tmp_path / "a.xlsx", [row])
    result = run(path, agency, officer, commit=True)
    assert (result.new, result.errors) == (1, 0)
    person = Person.objects.get()
    unit = Organization.objects.get(code="DEPT_A-P1")
    assert person.organization == unit
    assert person.full_name == "Nguyễn Văn Anh" and person.title == "PGS"
    assert person.highest_degree.code == "TS" and person.primary_field.code == "102"
    assert person.is_leader  # "Trưởng phòng" is a leading post
    assert person.has_citizen_id and person.citizen_id_last == row[4][-3:]
    assert person.source == "import" and person.source_organization == agency
    assert "a.xlsx" in person.source_detail and "dòng 2" in person.source_detail
    degree = person.degrees.get()
    assert degree.source == "import" and degree.source_detail == person.source_detail
    assert person.history.first().history_change_reason.startswith("Nhập từ tệp")


def test_the_same_file_twice_changes_nothing(agency, officer, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(i) for i in range(5)])
    run(path, agency, officer, commit=True)
    versions = sum(p.history.count() for p in Person.objects.all())
    again = run(path, agency, officer, commit=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert Person.objects.count() == 5 and Degree.objects.count() == 5
    assert sum(p.history.count() for p in Person.objects.all()) == versions


def test_a_corrected_file_updates_instead_of_duplicating(agency, officer, tmp_path):
    rows = [person_row(0), person_row(1, Ngày_sinh="31/02/1971")]
    first = run(write_xlsx(tmp_path / "a.xlsx", rows), agency, officer, commit=True)
    assert (first.new, first.errors) == (1, 1)  # the bad row is left out
    rows = [person_row(0, Trình_độ_chuyên_môn="TSKH", Năm_tốt_nghiệp=2012), person_row(1)]
    second = run(write_xlsx(tmp_path / "b.xlsx", rows), agency, officer, commit=True)
    assert (second.new, second.updated, second.unchanged) == (1, 1, 0)
    assert Person.objects.count() == 2
    person = Person.objects.get(full_name="Nguyễn Văn Anh")
    assert person.highest_degree.code == "TSKH"
    assert sorted(person.degrees.values_list("level__code", flat=True)) == ["TS", "TSKH"]


def test_without_citizen_id_people_are_matched_by_name_birth_date_and_unit(
    agency, officer, tmp_path
):
    rows = [person_row(i, Số_định_danh_cá_nhân="") for i in range(3)]
    run(write_xlsx(tmp_path / "a.xlsx", rows), agency, officer, commit=True)
    rows = [person_row(i, Số_định_danh_cá_nhân="", Họ_và_tên=person_row(i)[1].upper())
            for i in range(3)]  # fmt: skip
    again = run(write_xlsx(tmp_path / "b.xlsx", rows), agency, officer, commit=True)
    assert (again.new, again.unchanged) == (0, 3)


def test_a_number_held_outside_the_users_scope_is_an_error_not_a_takeover(
    agency, officer, tree, tmp_path
):
    from tests.registry.factories import PersonFactory

    row = person_row(0)
    PersonFactory(organization=tree["dept_b"], citizen_id=row[4], birth_date=__import__(
        "datetime").date(1970, 1, 1))  # fmt: skip
    result = run(write_xlsx(tmp_path / "a.xlsx", [row]), agency, officer, commit=True)
    assert result.errors == 1 and result.new == 0
    assert {i["code"] for i in result.issues} >= {"citizen_id_elsewhere"}


def test_rows_are_checked_before_the_registry_sees_them(agency, officer, tmp_path):
    rows = [
        person_row(0, Trình_độ_chuyên_môn="NCS"),
        person_row(1, Năm_tốt_nghiệp=""),
        person_row(2, Mã_đơn_vị="KHONG_CO"),
    ]
    result = run(write_xlsx(tmp_path / "a.xlsx", rows), agency, officer)
    by_row = {i["row"]: i for i in result.issues if i["severity"] == "error"}
    assert by_row[2]["code"] == "unknown_degree" and by_row[2]["column"].startswith("J ")
    assert by_row[3]["code"] == "degree_year_missing"
    assert by_row[4]["code"] == "unknown_unit" and by_row[4]["column"] == "F (Mã đơn vị)"


def test_commit_is_atomic(agency, officer, tmp_path, monkeypatch):
    from trithuc.intake import services

    path = write_xlsx(tmp_path / "a.xlsx", [person_row(i) for i in range(4)])
    original = services._Writer.write
    calls = []

    def failing(self, staged, plan):
        calls.append(staged.row)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original(self, staged, plan)

    monkeypatch.setattr(services._Writer, "write", failing)
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        run(path, agency, officer, commit=True)
    assert Person.objects.count() == 0


def test_a_saved_mapping_reads_an_agencys_own_headers(agency, officer, tmp_path):
    header = ["Cán bộ", "Ngày tháng", "Phái", *HEADER[4:]]
    rows = [person_row(i)[1:] for i in range(2)]
    path = write_csv(tmp_path / "a.csv", rows, header)
    with pytest.raises(TabularFileError) as refused:
        run(path, agency, officer)
    assert refused.value.code == "no_header"
    mapping = {"can bo": "full_name", "ngay thang": "birth", "phai": "gender"}
    result = run(path, agency, officer, mapping=mapping)
    assert (result.rows, result.errors) == (2, 0), result.issues


def command(*args):
    out = io.StringIO()
    try:
        call_command("import_people", *args, stdout=out)
        status = 0
    except CommandError:
        status = 1
    return status, json.loads(out.getvalue())


def test_command_prints_one_json_report_and_commits(agency, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(0), person_row(1, Giới_tính="X")])
    status, report = command(str(path), "--org", "DEPT_A", "--dry-run")
    assert status == 0
    assert set(report) == {"rows", "valid", "errors", "warnings", "new", "updated",
                           "unchanged", "issues"}  # fmt: skip
    assert (report["rows"], report["valid"], report["new"]) == (2, 1, 1)
    problem = next(i for i in report["issues"] if i["severity"] == "error")
    assert {"row", "column", "code", "message"} <= set(problem)
    assert problem["row"] == 3 and problem["code"] == "invalid_gender"
    assert Person.objects.count() == 0
    status, report = command(str(path), "--org", "DEPT_A", "--commit")
    assert status == 0 and report["new"] == 1 and Person.objects.count() == 1
    batch = ImportBatch.objects.get()
    assert batch.status == "committed" and batch.new == 1
    assert AuditEvent.objects.filter(kind=AuditKind.IMPORT).exists()
    status, report = command(str(path), "--org", "DEPT_A", "--commit")
    assert (report["new"], report["unchanged"]) == (0, 1)


def test_command_exits_non_zero_when_the_file_cannot_be_read(agency, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("không phải bảng tính")
    status, report = command(str(path), "--org", "DEPT_A")
    assert status == 1 and report["issues"][0]["code"] == "not_a_spreadsheet"
    status, report = command(str(tmp_path / "none.xlsx"), "--org", "DEPT_A")
    assert status == 1 and report["issues"][0]["code"] == "file_not_found"
    status, report = command(str(path), "--org", "NOPE")
    assert status == 1 and report["issues"][0]["code"] == "unknown_org"


def test_command_uses_a_saved_mapping(agency, tmp_path):
    from trithuc.intake.models import ColumnMapping

    ColumnMapping.objects.create(
        organization=agency, name="Mẫu sở", mapping={"ten can bo": "full_name"}
    )
    book = openpyxl.Workbook()
    book.active.append(["Tên cán bộ", "Ngày sinh", "Giới tính"])
    book.active.append(["Lê Thị Hoa", "1980", "Nữ"])
    book.save(tmp_path / "a.xlsx")
    status, report = command(str(tmp_path / "a.xlsx"), "--org", "DEPT_A", "--mapping", "Mẫu sở")
    assert status == 0 and report["valid"] == 1, report


def test_command_user_option_acts_within_that_account_scope(agency, officer, tree, tmp_path):
    from tests.factories import MembershipFactory, UserFactory

    path = write_xlsx(tmp_path / "a.xlsx", [person_row(0)])
    outsider = UserFactory(username="ngoai.pham.vi")
    MembershipFactory(user=outsider, organization=tree["dept_b"], role="hr_officer")
    status, report = command(str(path), "--org", "DEPT_A", "--commit", "--user", "ngoai.pham.vi")
    assert status == 1 and report["issues"][0]["code"] == "forbidden_user"
    assert Person.objects.count() == 0
    status, report = command(str(path), "--org", "DEPT_A", "--commit", "--user",
                             officer.username)  # fmt: skip
    assert status == 0 and report["new"] == 1

"""Importing organisations from .xlsx/.csv: checks, idempotent atomic commit, jobs and pages."""

import io
import json
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from trithuc.core.choices import AuditKind, JobStatus
from trithuc.core.models import AuditEvent, Job
from trithuc.organizations import importers
from trithuc.organizations.data import load_administrative_units
from trithuc.organizations.importers import ImportFileError, read_organization_file
from trithuc.organizations.models import AdministrativeUnit, Organization
from trithuc.organizations.services import organizations_import

HEADER = ["Mã", "Tên", "Tên tiếng Anh", "Tên viết tắt", "Loại hình", "Mã đơn vị cấp trên",
          "Đơn vị hành chính"]  # fmt: skip
GOOD_ROWS = [
    ["DEPT_A-P1", "Phòng Công chức", "Civil Servants Division", "PCC", "Khác", "DEPT_A", "01"],
    ["DEPT_A-P1-T", "Tổ Hồ sơ", "", "", "other", "DEPT_A-P1", "Phường Hoàn Kiếm, Hà Nội"],
    ["DEPT_A-P2", "Phòng Đào tạo", "Training Division", "PĐT", "Sở, ban, ngành", "DEPT_A",
     "quận Cầu Giấy"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def units(db):
    if not AdministrativeUnit.objects.exists():
        load_administrative_units(AdministrativeUnit)


@pytest.fixture
def steward(tree, make_staff, units):
    """A data steward over DEPT_A's subtree only (so the rest of the city is out of scope)."""
    return make_staff("data_steward", tree["dept_a"])


def xlsx(tmp_path: Path, rows: list[list], name: str = "to-chuc.xlsx", header=HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def run(path: Path, user, *, dry_run: bool = False) -> dict:
    try:
        parsed = read_organization_file(path)
    except ImportFileError as exc:
        return {"file_error": exc.code, "issues": exc.issues, "message": exc.message}
    return organizations_import(
        rows=parsed.rows, acting_user=user, dry_run=dry_run, issues=parsed.issues
    )


def codes(report: dict) -> set[str]:
    return {item["code"] for item in report["issues"]}


def test_good_file_creates_the_tree_with_administrative_units(tree, steward, tmp_path):
    report = run(xlsx(tmp_path, GOOD_ROWS), steward)
    assert (report["rows"], report["valid"], report["errors"]) == (3, 3, 0)
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["committed"]
    team = Organization.objects.select_related("parent", "administrative_unit").get(
        code="DEPT_A-P1-T"
    )
    assert team.parent.code == "DEPT_A-P1"
    assert team.is_descendant_of(tree["dept_a"])
    assert team.administrative_unit.code == "00070"
    division = Organization.objects.get(code="DEPT_A-P2")
    assert division.type == "department"
    assert division.name_en == "Training Division"
    # quận Cầu Giấy no longer exists: recorded as Hà Nội, with a warning, not an error.
    assert division.administrative_unit.code == "01"
    assert codes(report) == {"legacy_administrative_unit"}
    event = AuditEvent.objects.get(kind=AuditKind.IMPORT)
    assert event.actor == steward
    assert event.details["created"] == 3


def test_dry_run_writes_nothing_and_says_what_a_commit_would_do(tree, steward, tmp_path):
    report = run(xlsx(tmp_path, GOOD_ROWS), steward, dry_run=True)
    assert report["created"] == 3 and not report["committed"]
    assert not Organization.objects.filter(code__startswith="DEPT_A-").exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.IMPORT).exists()


def test_reimporting_the_same_file_changes_nothing(tree, steward, tmp_path):
    path = xlsx(tmp_path, GOOD_ROWS)
    run(path, steward)
    before = list(Organization.objects.order_by("code").values())
    history = Organization.history.count()
    report = run(path, steward)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert list(Organization.objects.order_by("code").values()) == before
    assert Organization.history.count() == history


def test_changed_rows_update_by_code_and_missing_columns_are_left_alone(tree, steward, tmp_path):
    run(xlsx(tmp_path, GOOD_ROWS), steward)
    renamed = [["DEPT_A-P1", "Phòng Công chức - Viên chức", "Khác"]]
    report = run(xlsx(tmp_path, renamed, "b.xlsx", header=["Ma", "TEN", "loai hinh"]), steward)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 0)
    org = Organization.objects.get(code="DEPT_A-P1")
    assert org.name == "Phòng Công chức - Viên chức"
    assert org.name_en == "Civil Servants Division"  # no such column: kept
    assert org.parent.code == "DEPT_A"  # no parent column: kept


def test_a_moved_organisation_takes_its_subtree_along(tree, steward, tmp_path):
    run(xlsx(tmp_path, GOOD_ROWS), steward)
    moved = [["DEPT_A-P1", "Phòng Công chức", "Khác", "UNIT_A1"]]
    header = ["Mã", "Tên", "Loại hình", "Mã đơn vị cấp trên"]
    report = run(xlsx(tmp_path, moved, "m.xlsx", header=header), steward)
    assert report["updated"] == 1
    team = Organization.objects.get(code="DEPT_A-P1-T")
    assert team.is_descendant_of(tree["unit_a1"])
    assert team.depth == 4


def test_english_and_unaccented_headers_are_recognised(tree, steward, tmp_path):
    header = ["CODE", "Name", "Name (English)", "Short name", "Type", "Parent code",
              "Administrative unit"]  # fmt: skip
    report = run(xlsx(tmp_path, GOOD_ROWS, header=header), steward)
    assert report["errors"] == 0 and report["created"] == 3


def test_unknown_parent_code_names_row_and_column(tree, steward, tmp_path):
    rows = [*GOOD_ROWS, ["DEPT_A-P3", "Phòng 3", "", "", "Khác", "KHONG-CO", ""]]
    report = run(xlsx(tmp_path, rows), steward)
    [problem] = [i for i in report["issues"] if i["severity"] == "error"]
    assert problem["row"] == 5
    assert problem["column"] == "F (Mã đơn vị cấp trên)"
    assert problem["code"] == "unknown_parent"
    assert "KHONG-CO" in problem["message"]
    assert report["created"] == 0 and not report["committed"]
    assert not Organization.objects.filter(code__startswith="DEPT_A-").exists()


def test_cycle_inside_the_file_is_refused(tree, steward, tmp_path):
    rows = [
        ["DEPT_A-X", "X", "", "", "Khác", "DEPT_A-Y", ""],
        ["DEPT_A-Y", "Y", "", "", "Khác", "DEPT_A-Z", ""],
        ["DEPT_A-Z", "Z", "", "", "Khác", "DEPT_A-X", ""],
        ["DEPT_A-W", "W", "", "", "Khác", "DEPT_A-X", ""],
    ]
    report = run(xlsx(tmp_path, rows), steward)
    cycles = [i for i in report["issues"] if i["code"] == "cycle"]
    assert [i["row"] for i in cycles] == [2, 3, 4]
    assert "vòng lặp" in cycles[0]["message"]
    assert "DEPT_A-X → DEPT_A-Y → DEPT_A-Z → DEPT_A-X" in cycles[0]["message"]
    assert not Organization.objects.filter(code__startswith="DEPT_A-").exists()


def test_moving_an_organisation_under_its_own_descendant_is_a_cycle(tree, steward, tmp_path):
    rows = [["DEPT_A", "Sở Nội vụ", "", "", "Sở, ban, ngành", "UNIT_A1", ""]]
    report = run(xlsx(tmp_path, rows), steward)
    assert codes(report) == {"cycle"}
    tree["dept_a"].refresh_from_db()
    assert tree["dept_a"].parent == tree["city"]


def test_self_parent_is_refused(tree, steward, tmp_path):
    report = run(xlsx(tmp_path, [["DEPT_A-S", "S", "", "", "Khác", "dept_a-s", ""]]), steward)
    assert "self_parent" in codes(report)


def test_duplicate_code_in_the_file_points_at_the_first_row(tree, steward, tmp_path):
    rows = [*GOOD_ROWS, ["DEPT_A-P1", "Trùng", "", "", "Khác", "DEPT_A", ""]]
    report = run(xlsx(tmp_path, rows), steward)
    [problem] = [i for i in report["issues"] if i["code"] == "duplicate_code"]
    assert problem["row"] == 5 and problem["column"] == "A (Mã)"
    assert "dòng 2" in problem["message"]
    assert not Organization.objects.filter(code__startswith="DEPT_A-").exists()


def test_cell_errors_name_the_column_and_say_what_to_do(tree, steward, tmp_path):
    rows = [
        ["", "Không mã", "", "", "Khác", "DEPT_A", ""],
        ["DEPT_A-T", "Sai loại", "", "", "Sở xyz", "DEPT_A", ""],
        ["DEPT_A-U", "Sai địa bàn", "", "", "Khác", "DEPT_A", "Atlantis"],
        ["DEPT_A-V", "Địa bàn mơ hồ", "", "", "Khác", "DEPT_A", "huyện Châu Thành"],
        ["DEPT A", "Mã có dấu cách", "", "", "Khác", "DEPT_A", ""],
        ["DEPT_A-L", "x" * 300, "", "", "Khác", "DEPT_A", ""],
    ]
    report = run(xlsx(tmp_path, rows), steward)
    by_row = {i["row"]: i for i in report["issues"]}
    assert by_row[2]["code"] == "required" and by_row[2]["column"] == "A (Mã)"
    assert by_row[3]["code"] == "unknown_type" and "Sở, ban, ngành" in by_row[3]["message"]
    assert by_row[4]["code"] == "unknown_administrative_unit"
    assert by_row[5]["code"] == "ambiguous_administrative_unit"
    assert "Bến Tre" in by_row[5]["message"]
    assert by_row[6]["code"] == "invalid_code"
    assert by_row[7]["code"] == "too_long" and by_row[7]["column"] == "B (Tên)"
    assert report["valid"] == 0 and not Organization.objects.filter(name="Sai loại").exists()


def test_one_bad_row_means_nothing_is_written(tree, steward, tmp_path):
    rows = [*GOOD_ROWS, ["DEPT_A-P9", "Phòng 9", "", "", "Loại lạ", "DEPT_A", ""]]
    report = run(xlsx(tmp_path, rows), steward)
    assert report["errors"] == 1
    assert (report["created"], report["updated"]) == (0, 0)
    assert not Organization.objects.filter(code__startswith="DEPT_A-").exists()


def test_everything_written_must_be_within_the_users_scope(tree, steward, tmp_path):
    rows = [
        ["DEPT_B-P1", "Ngoài phạm vi", "", "", "Khác", "DEPT_B", ""],
        ["TOP", "Cấp cao nhất", "", "", "Ủy ban nhân dân", "", ""],
        ["UNIT_B1", "Sửa đơn vị của Sở khác", "", "", "Khác", "DEPT_B", ""],
        ["DEPT_A-OK", "Trong phạm vi", "", "", "Khác", "DEPT_A", ""],
    ]
    report = run(xlsx(tmp_path, rows), steward)
    by_row = {i["row"]: i["code"] for i in report["issues"]}
    assert by_row == {2: "out_of_scope", 3: "top_level_forbidden", 4: "out_of_scope"}
    assert not Organization.objects.filter(code__in=["DEPT_B-P1", "TOP", "DEPT_A-OK"]).exists()
    assert Organization.objects.get(code="UNIT_B1").name == "Trung tâm Thông tin KH&CN"


def test_a_steward_may_update_their_own_root_in_place(tree, steward, tmp_path):
    rows = [["DEPT_A", "Sở Nội vụ Thành phố", "", "", "Sở, ban, ngành", "CITY", ""]]
    report = run(xlsx(tmp_path, rows), steward)
    assert report["errors"] == 0 and report["updated"] == 1


def test_the_command_line_acts_as_the_system(tree, units, tmp_path):
    rows = [["TOP", "Cấp cao nhất", "", "", "Ủy ban nhân dân", "", ""]]
    report = run(xlsx(tmp_path, rows), None)
    assert report["created"] == 1
    assert Organization.objects.get(code="TOP").parent is None


def test_formulas_are_read_by_their_cached_value_and_trailing_rows_ignored(tree, steward, tmp_path):
    path = tmp_path / "formula.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_formula(1, 0, '=UPPER("dept_a-f")', None, "DEPT_A-F")
    sheet.write_row(1, 1, ["Phòng F", "", "", "Khác", "DEPT_A", ""])
    for row in range(2, 300):  # formatted but empty rows, as Excel leaves them
        sheet.write_blank(row, 0, None, book.add_format({"bold": True}))
    book.close()
    report = run(path, steward)
    assert (report["rows"], report["created"]) == (1, 1)
    assert Organization.objects.filter(code="DEPT_A-F").exists()


def test_csv_utf8_with_bom_and_semicolons(tree, steward, tmp_path):
    path = tmp_path / "to-chuc.csv"
    lines = [";".join(HEADER)] + [";".join(row) for row in GOOD_ROWS[:2]]
    path.write_bytes("\n".join(lines).encode("utf-8-sig"))
    report = run(path, steward)
    assert report["errors"] == 0 and report["created"] == 2


def test_csv_in_a_legacy_encoding_is_refused_with_advice(tree, steward, tmp_path):
    path = tmp_path / "to-chuc.csv"
    path.write_bytes(",".join(HEADER).encode("cp1258", errors="replace") + b"\n\xe0\xe1,x")
    report = run(path, steward)
    assert report["file_error"] == "not_utf8"
    assert "UTF-8" in report["message"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("to-chuc.txt", b"Ma,Ten\n", "wrong_extension"),
        ("to-chuc.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "wrong_extension"),
        ("to-chuc.xlsx", b"", "empty_file"),
        ("to-chuc.xlsx", b"Ma,Ten\nA,B\n", "not_a_spreadsheet"),
        ("to-chuc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "password_protected"),
        ("to-chuc.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "not_a_spreadsheet"),
    ],
)
def test_unusable_files_are_refused_with_a_message(tree, steward, tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    report = run(path, steward)
    assert report["file_error"] == code
    assert name in report["message"]
    assert report["issues"][0]["message"] == report["message"]


def test_a_zip_that_is_not_a_workbook_is_refused(tree, steward, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert run(path, steward)["file_error"] == "not_a_spreadsheet"


def test_missing_required_column_is_named(tree, steward, tmp_path):
    header = ["Mã", "Tên", "Mã đơn vị cấp trên"]
    report = run(xlsx(tmp_path, [["A", "B", "DEPT_A"]], header=header), steward)
    assert report["file_error"] == "missing_column"
    assert "Loại hình" in report["message"]
    assert [i["column"] for i in report["issues"]] == ["Loại hình"]


def test_header_only_and_empty_sheet(tree, steward, tmp_path):
    assert run(xlsx(tmp_path, []), steward)["file_error"] == "no_data"
    assert run(xlsx(tmp_path, [], "e.xlsx", header=None), steward)["file_error"] == "no_data"


def test_too_many_rows(tree, steward, tmp_path):
    path = tmp_path / "big.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for i in range(importers.MAX_ROWS + 1):
        sheet.append([f"DEPT_A-{i}", f"Phòng {i}", "", "", "Khác", "DEPT_A", ""])
    book.save(path)
    report = run(path, steward)
    assert report["file_error"] == "too_many_rows"
    assert "20.000" in report["message"]


def test_file_too_large(tree, steward, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1000)
    path = xlsx(tmp_path, GOOD_ROWS * 20)
    assert run(path, steward)["file_error"] == "file_too_large"


# ---- the command line -----------------------------------------------------------------------


def test_command_prints_one_json_report(tree, units, tmp_path):
    path = xlsx(tmp_path, GOOD_ROWS)
    out = io.StringIO()
    call_command("import_organizations", str(path), stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) >= {"rows", "valid", "errors", "created", "updated", "unchanged", "issues"}
    assert report["created"] == 3
    assert not Organization.objects.filter(code="DEPT_A-P1").exists()  # no --commit

    out = io.StringIO()
    call_command("import_organizations", str(path), "--commit", stdout=out)
    assert json.loads(out.getvalue())["created"] == 3
    assert Organization.objects.filter(code="DEPT_A-P1").exists()


def test_command_exits_0_with_errors_in_a_readable_file_and_1_otherwise(tree, units, tmp_path):
    out = io.StringIO()
    bad_rows = [["X", "Y", "", "", "Loại lạ", "DEPT_A", ""]]
    call_command("import_organizations", str(xlsx(tmp_path, bad_rows)), stdout=out)
    assert json.loads(out.getvalue())["errors"] == 1

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organizations", str(broken), stdout=out)
    assert json.loads(out.getvalue())["issues"][0]["code"] == "not_a_spreadsheet"


# ---- pages and jobs -------------------------------------------------------------------------


def upload(client, path: Path, name: str | None = None):
    with path.open("rb") as handle:
        content = io.BytesIO(handle.read())
    content.name = name or path.name
    return client.post(reverse("organizations:organization_import"), {"file": content})


def test_list_page_offers_the_import_to_those_who_may_add(tree, steward, make_staff, client_for):
    html = client_for(steward).get(reverse("organizations:organization_list")).content.decode()
    assert reverse("organizations:organization_import") in html
    officer = make_staff("hr_officer", tree["dept_a"])
    html = client_for(officer).get(reverse("organizations:organization_list")).content.decode()
    assert reverse("organizations:organization_import") not in html


def test_only_users_who_may_add_organisations_reach_the_import(
    tree, steward, make_staff, client_for
):
    officer = client_for(make_staff("hr_officer", tree["dept_a"]))
    for name in ["organization_import", "organization_import_template"]:
        url = reverse(f"organizations:{name}")
        assert client_for(steward).get(url).status_code == 200
        assert officer.get(url).status_code == 403


def test_upload_check_confirm_commit(
    tree, steward, client_for, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(steward)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(tmp_path, GOOD_ROWS))
    assert response.status_code == 302
    check = Job.objects.get(kind="organizations.import_check")
    assert response["Location"] == reverse("core:job_detail", args=[check.pk])
    assert check.status == JobStatus.SUCCEEDED, check.message
    assert "tạo mới 3" in check.result["summary"]
    assert check.result["next_label"] == "Ghi vào hệ thống"
    assert not Organization.objects.filter(code="DEPT_A-P1").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Ghi vào hệ thống" in page and "quận Cầu Giấy" in page  # the warning is listed

    commit_url = check.result["next_url"]
    confirm = client.get(commit_url)
    assert confirm.status_code == 200
    assert "to-chuc.xlsx" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(commit_url)
    commit = Job.objects.get(kind="organizations.import_commit")
    assert commit.status == JobStatus.SUCCEEDED, commit.message
    assert commit.result["created"] == 3
    assert Organization.objects.filter(code__startswith="DEPT_A-P").count() == 3
    # The upload is gone once written.
    assert client.get(commit_url).status_code == 404


def test_a_file_with_errors_gets_no_commit_button(
    tree, steward, client_for, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(steward)
    rows = [["DEPT_A-X", "X", "", "", "Khác", "KHONG-CO", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(tmp_path, rows))
    job = Job.objects.get()
    assert job.result["errors"] == 1
    assert job.result["next_url"] == reverse("organizations:organization_import")
    page = client.get(response["Location"]).content.decode()
    assert "KHONG-CO" in page and "Ghi vào hệ thống" not in page


def test_a_broken_workbook_fails_the_job_with_a_message_not_a_500(
    tree, steward, client_for, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    client = client_for(steward)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, path)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "hong.xlsx" in job.message
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("to-chuc.pdf", b"%PDF-1.4", "không phải bảng tính"),
        ("to-chuc.xlsx", b"", "trống"),
        ("to-chuc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "mật khẩu"),
    ],
)
def test_bad_uploads_are_refused_on_the_form(
    tree, steward, client_for, tmp_path, name, content, text
):
    path = tmp_path / name
    path.write_bytes(content)
    response = upload(client_for(steward), path)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Job.objects.exists()


def test_only_the_uploader_may_commit(
    tree, steward, make_staff, client_for, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(steward), xlsx(tmp_path, GOOD_ROWS))
    commit_url = Job.objects.get().result["next_url"]
    other = client_for(make_staff("data_steward", tree["city"]))
    assert other.get(commit_url).status_code == 404
    assert other.post(commit_url).status_code == 404
    bogus = reverse("organizations:organization_import_commit", args=["x" * 32])
    assert client_for(steward).get(bogus).status_code == 404


def test_template_has_notes_a_type_drop_down_and_an_example_that_must_be_replaced(
    tree, steward, client_for, tmp_path
):
    response = client_for(steward).get(reverse("organizations:organization_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(response.content)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.label for c in importers.COLUMNS]
    assert all(c.comment is not None for c in sheet[1])
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and "E2" in str(validation.sqref)
    assert sheet["F2"].value == "DEPT_A"  # the example sits under the user's own unit
    # Left in the file, the example row is refused rather than created as an organisation.
    report = run(path, steward, dry_run=True)
    assert [i["code"] for i in report["issues"]] == ["example_row"]
    assert report["issues"][0]["row"] == 2
    # Replaced by real data, the same template imports.
    sheet["B2"] = "Trung tâm Thông tin và Thống kê"
    book.save(path)
    report = run(path, steward, dry_run=True)
    assert report["errors"] == 0 and report["created"] == 1


def test_a_repeated_warning_is_listed_once_with_a_count(tree, steward, tmp_path):
    rows = [
        [f"DEPT_A-Q{i}", f"Phòng {i}", "", "", "Khác", "DEPT_A", "Q. Cầu Giấy"] for i in range(3)
    ]
    report = run(xlsx(tmp_path, rows), steward, dry_run=True)
    [warning] = report["issues"]
    assert warning["row"] == 2 and warning["severity"] == "warning"
    assert "2 dòng khác" in warning["message"]
    assert report["errors"] == 0 and report["warnings"] == 1


def test_uploads_are_private_names_and_old_ones_are_removed(steward):
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = importers.store_upload(SimpleUploadedFile("a.xlsx", b"PK\x03\x04"), user=steward)
    path, meta = importers.stored_upload(first)
    assert path.parent == importers.uploads_dir() and path.name == f"{first}.xlsx"
    assert meta["filename"] == "a.xlsx" and meta["user_id"] == steward.pk
    old = time.time() - importers.UPLOAD_MAX_AGE - 60
    os.utime(importers.uploads_dir() / f"{first}.json", (old, old))
    second = importers.store_upload(SimpleUploadedFile("b.csv", b"Ma\n"), user=steward)
    assert importers.stored_upload(first) is None and not path.exists()
    assert importers.stored_upload(second) is not None
    assert importers.stored_upload("../../etc/passwd") is None


def test_a_lowercase_code_updates_the_existing_organisation(tree, steward, tmp_path):
    rows = [["unit_a1", "Trung tâm Lưu trữ mới", "", "", "Khác", "dept_a", ""]]
    report = run(xlsx(tmp_path, rows), steward, dry_run=False)
    assert report["errors"] == 0 and report["updated"] == 1 and report["created"] == 0


def test_an_export_from_the_english_interface_imports_back_unchanged(
    tree, steward, client_for, tmp_path
):
    client = client_for(steward)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("organizations:organization_export"))
    path = tmp_path / "export-en.xlsx"
    path.write_bytes(response.content)
    report = run(path, steward, dry_run=True)
    assert report["errors"] == 0, report["issues"]
    assert report["created"] == 0 and report["updated"] == 0


def test_a_chain_deeper_than_the_tree_allows_is_refused_before_writing(tree, steward, tmp_path):
    from trithuc.organizations.models import MAX_DEPTH

    rows, parent = [], "DEPT_A"  # DEPT_A is at depth 1
    for i in range(MAX_DEPTH):
        rows.append([f"L{i}", f"Cấp {i}", "", "", "Khác", parent, ""])
        parent = f"L{i}"
    report = run(xlsx(tmp_path, rows), steward, dry_run=True)
    assert codes(report) == {"too_deep"}
    assert [i["row"] for i in report["issues"]] == [MAX_DEPTH, MAX_DEPTH + 1]
    assert not Organization.objects.filter(code="L0").exists()


def test_a_move_that_pushes_database_children_too_deep_is_refused(tree, steward, tmp_path):
    from trithuc.organizations.models import MAX_DEPTH

    # A deep branch already in the database, under UNIT_B1 …
    parent = tree["unit_b1"]
    for i in range(MAX_DEPTH - 4):
        parent = Organization.objects.create(
            code=f"D{i}", name=f"Cấp {i}", type="other", parent=parent
        )
    # … moved (with its parent DEPT_B) under UNIT_A1 by a file that also adds a new unit.
    rows = [
        ["NEW1", "Phòng mới", "", "", "Khác", "DEPT_A", ""],
        ["DEPT_B", "Sở Khoa học và Công nghệ", "", "", "Sở, ban, ngành", "UNIT_A1", ""],
    ]
    # As the command line runs it (no scope limit), so that only the depth can refuse. The
    # check already sees that DEPT_B's children in the database would go too deep.
    check = run(xlsx(tmp_path, rows), None, dry_run=True)
    assert codes(check) == {"too_deep"} and check["issues"][0]["row"] == 3
    report = run(xlsx(tmp_path, rows), None, dry_run=False)
    assert report["errors"] == 1 and not report["committed"]
    assert report["issues"][-1]["row"] == 3
    assert not Organization.objects.filter(code="NEW1").exists()
    assert Organization.objects.get(code="DEPT_B").parent == tree["city"]


def test_a_csv_cell_beyond_the_csv_limit_is_named_as_such(tree, steward, tmp_path):
    path = tmp_path / "dai.csv"
    path.write_text("Mã,Tên,Loại hình\nA," + "x" * 140_000 + ",Khác\n", encoding="utf-8")
    report = run(path, steward, dry_run=True)
    assert report["file_error"] == "cell_too_long"
    assert "dài hơn" in report["message"]


def test_a_refusal_at_write_time_becomes_a_row_error_and_writes_nothing(
    tree, steward, tmp_path, monkeypatch
):
    from django.core.exceptions import ValidationError

    original_save = Organization.save

    def save(self, *args, **kwargs):
        # Another session changed the tree between the check and the write.
        if self.code == "NEW2":
            raise ValidationError({"parent": "Cây tổ chức vừa thay đổi."})
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Organization, "save", save)
    rows = [
        ["NEW1", "Phòng 1", "", "", "Khác", "DEPT_A", ""],
        ["NEW2", "Phòng 2", "", "", "Khác", "DEPT_A", ""],
    ]
    report = run(xlsx(tmp_path, rows), steward, dry_run=False)
    assert not report["committed"] and report["errors"] == 1
    assert report["issues"][-1]["row"] == 3
    assert "vừa thay đổi" in report["issues"][-1]["message"]
    assert not Organization.objects.filter(code="NEW1").exists()

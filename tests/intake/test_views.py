"""The pages: upload → mapping → checking job → report → marked copy → commit; the template;
the export in the template's layout, which imports back unchanged."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trithuc.core.models import Job
from trithuc.intake.models import ColumnMapping, ImportBatch
from trithuc.intake.services import intake_file
from trithuc.registry.models import Person

from .conftest import HEADER, person_row, write_xlsx


def upload(client, path, agency, **extra):
    with path.open("rb") as handle:
        data = {"file": SimpleUploadedFile(path.name, handle.read()), "organization": agency.code}
    data.update(extra)
    return client.post(reverse("intake:upload"), data)


def job_of(response) -> Job:
    assert response.status_code == 302, getattr(response, "content", b"")[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.fixture
def client(officer, client_for):
    return client_for(officer)


@pytest.fixture
def post_job(django_capture_on_commit_callbacks):
    """POST, then run the job it queued (jobs are queued once the transaction commits)."""

    def post(client, url, data=None) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        job = job_of(response)
        job.refresh_from_db()
        return job

    return post


def test_the_whole_journey(agency, officer, client, tmp_path, post_job):
    rows = [person_row(i) for i in range(3)] + [person_row(7, Ngày_sinh="31/02/1980")]
    response = upload(client, write_xlsx(tmp_path / "ds.xlsx", rows), agency)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("intake:batch_mapping", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Họ và tên" in page.content.decode()
    form = {f"col_{i}": batch.mapping[c["key"]] for i, c in enumerate(batch.layout["columns"])}
    job = post_job(client, response["Location"], {**form, "save_as": "Mẫu của sở"})
    assert job.status == "succeeded", job.message
    assert job.result["next_url"] == reverse("intake:batch_detail", args=[batch.pk])
    assert ColumnMapping.objects.filter(organization=agency, name="Mẫu của sở").exists()
    assert Person.objects.count() == 0  # nothing before the commit
    report = client.get(job.result["next_url"])
    text = report.content.decode()
    assert "31/02/1980" in text and "C (Ngày sinh)" in text
    errors_only = client.get(job.result["next_url"] + "?show=errors").content.decode()
    assert "31/02/1980" in errors_only and "position_start" not in errors_only
    annotate = post_job(client, reverse("intake:batch_annotate", args=[batch.pk]))
    assert annotate.status == "succeeded", annotate.message
    download = client.get(annotate.result["next_url"])
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = book.active
    assert sheet.cell(1, len(HEADER) + 1).value == "Kết quả kiểm tra"
    bad = sheet.cell(5, 3)
    assert bad.value == "31/02/1980" and bad.fill.fgColor.rgb.endswith("F8CBAD")
    assert "31/02/1980" in bad.comment.text
    assert "Ngày sinh" in sheet.cell(5, len(HEADER) + 1).value
    commit = post_job(client, reverse("intake:batch_commit", args=[batch.pk]))
    assert commit.status == "succeeded", commit.message
    assert Person.objects.count() == 3
    batch.refresh_from_db()
    assert (batch.status, batch.new, batch.errors) == ("committed", 3, 1)
    assert "Đã ghi" in commit.result["summary"]
    # A second commit of the same batch does nothing.
    again = client.post(reverse("intake:batch_commit", args=[batch.pk]))
    assert again.status_code == 302 and Person.objects.count() == 3


def test_a_broken_file_is_refused_on_the_form_in_vietnamese(agency, client, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = upload(client, path, agency)
    assert response.status_code == 400
    assert "mật khẩu" in response.content.decode()
    path = write_xlsx(tmp_path / "ds2.xlsx", [person_row(0)], header=["A", "B"])
    response = upload(client, path, agency)
    assert response.status_code == 400
    assert "dòng tiêu đề" in response.content.decode()


def test_a_missing_column_is_named_on_the_mapping_step(agency, client, tmp_path):
    response = upload(client, write_xlsx(tmp_path / "ds.xlsx", [person_row(0)]), agency)
    batch = ImportBatch.objects.get()
    form = {f"col_{i}": batch.mapping[c["key"]] for i, c in enumerate(batch.layout["columns"])}
    birth = next(i for i, c in enumerate(batch.layout["columns"]) if c["header"] == "Ngày sinh")
    form[f"col_{birth}"] = ""
    page = client.post(response["Location"], form)
    assert page.status_code == 400
    assert "thiếu cột bắt buộc “Ngày sinh”" in page.content.decode()


def test_another_agencys_batch_is_not_found(agency, officer, tree, make_staff, client_for):
    batch = ImportBatch.objects.create(organization=tree["dept_b"], file_name="x.xlsx")
    other = client_for(make_staff("hr_officer", tree["dept_a"]))
    assert other.get(reverse("intake:batch_detail", args=[batch.pk])).status_code == 404
    assert other.post(reverse("intake:batch_commit", args=[batch.pk])).status_code == 404


def test_registry_list_links_to_the_import(client):
    page = client.get(reverse("registry:person_list")).content.decode()
    assert reverse("intake:upload") in page and "Nhập từ Excel" in page


def test_the_template_has_notes_drop_downs_and_a_version(client):
    response = client.get(reverse("intake:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Danh sách"]
    assert sheet["B1"].value == "Họ và tên" and sheet["B1"].comment is not None
    assert "Bắt buộc" in sheet["B1"].comment.text
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert len(formulas) >= 4
    assert book["Danh mục"].sheet_state == "hidden"
    guide = " ".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)
    assert "2025.1" in guide
    # The template as downloaded (with its example row) is refused until the row is replaced.
    path = io.BytesIO(response.content)
    assert sheet["B2"].value.endswith("hãy xóa)")
    _ = path


def test_the_template_filled_in_imports(agency, client, tmp_path):
    content = client.get(reverse("intake:template")).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Danh sách"]
    sheet["B2"] = "Phạm Thu Hà"
    sheet["E2"] = ""
    path = tmp_path / "mau.xlsx"
    book.save(path)
    result = intake_file(path, filename="mau.xlsx", organization=agency, mapping={},
                         acting_user=None, commit=False)  # fmt: skip
    assert (result.rows, result.errors) == (1, 0), result.issues


def test_export_in_the_template_layout_imports_back_unchanged(agency, client, officer, tmp_path):
    rows = [
        person_row(0, Học_hàm="GS", Năm_công_nhận_học_hàm=2012),
        person_row(1, Ngày_sinh="1975", Số_định_danh_cá_nhân=""),
        person_row(2, **{"Chức vụ, chức danh": "Phó Giám đốc"}),
    ]
    intake_file(write_xlsx(tmp_path / "a.xlsx", rows), filename="a.xlsx", organization=agency,
                mapping={}, acting_user=officer, commit=True)  # fmt: skip
    assert Person.objects.count() == 3
    response = client.get(reverse("intake:export"), {"gender": "male"})
    assert response.status_code == 200
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(response.content)
    book = openpyxl.load_workbook(exported)
    assert [c.value for c in book.active[1]][:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    result = intake_file(exported, filename="export.xlsx", organization=agency, mapping={},
                         acting_user=officer, commit=True)  # fmt: skip
    assert (result.rows, result.new, result.updated, result.unchanged) == (3, 0, 0, 3), [
        i for i in result.issues if i["severity"] == "error"
    ]
    assert Person.objects.count() == 3


def test_export_respects_the_scope(agency, tree, make_staff, client_for, tmp_path):
    from tests.registry.factories import PersonFactory

    PersonFactory(
        organization=tree["dept_b"], full_name="Ngoài Phạm Vi", birth_date=date(1980, 1, 1)
    )
    PersonFactory(organization=agency, full_name="Trong Phạm Vi", birth_date=date(1980, 1, 1))
    client = client_for(make_staff("hr_officer", agency))
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("intake:export")).content))
    names = [row[1].value for row in book.active.iter_rows(min_row=2)]
    assert names == ["Trong Phạm Vi"]

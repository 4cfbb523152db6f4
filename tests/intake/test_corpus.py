"""Every malformed or messy file of the corpus gets a clear Vietnamese message, never a crash,
writes nothing to the registry, and stays within bounded memory."""

import io
import json
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trithuc.intake import reading
from trithuc.intake.choices import BatchStatus
from trithuc.intake.services import batch_layout, batch_stage
from trithuc.registry.models import Person

from .corpus import CASES

VIETNAMESE = set("ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ")
# Python-side allocations while reading a case (calamine's own memory is bounded by the
# checks before it runs: tests/intake/test_reading.py).
MEMORY_LIMIT = 150 * 1024 * 1024


def test_the_corpus_has_at_least_forty_files():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def _apply_limits(case, monkeypatch):
    if "max_rows" in case.extra:
        monkeypatch.setattr(reading, "MAX_ROWS", case.extra["max_rows"])
    if "max_bytes" in case.extra:
        monkeypatch.setattr(reading, "MAX_FILE_BYTES", case.extra["max_bytes"])


def run_command(path, org="DEPT_A"):
    out = io.StringIO()
    try:
        call_command("import_people", str(path), "--org", org, "--dry-run", stdout=out)
        status = 0
    except CommandError:
        status = 1
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_file_through_the_command(case, agency, tmp_path, monkeypatch):
    _apply_limits(case, monkeypatch)
    path = tmp_path / case.filename
    case.build(path)
    before = Person.objects.count()
    if case.heavy:
        tracemalloc.start()
    try:
        status, report = run_command(path)
    finally:
        if case.heavy:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    if case.heavy:
        assert peak < MEMORY_LIMIT, f"{case.name}: {peak / 1e6:.0f} MB"
    assert Person.objects.count() == before
    messages = [issue["message"] for issue in report["issues"]]
    assert all(messages), report
    assert all(VIETNAMESE & set(message.lower()) for message in messages), messages
    codes = {issue["code"] for issue in report["issues"]}
    if case.file_error:
        assert status == 1, report
        assert case.file_error in codes, report["issues"]
        first = report["issues"][0]
        assert first["severity"] == "error"
    else:
        assert status == 0, report
        if case.rows is not None:
            assert report["rows"] == case.rows, report
        assert set(case.row_codes) <= codes, (codes, report["issues"][:10])
        for issue in report["issues"]:
            if issue["row"] is not None:
                assert issue["column"], issue
    if "name" in case.extra:
        assert report["errors"] == 0, report["issues"]


LIGHT = [c for c in CASES if not c.heavy]


@pytest.mark.parametrize("case", LIGHT, ids=[c.name for c in LIGHT])
def test_corpus_file_through_the_staging_job(case, agency, officer, tmp_path, monkeypatch):
    """The same files through the web's path (batch, layout, staging): a failed or staged
    batch with the message, nothing written."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trithuc.core.tabular import TabularFileError
    from trithuc.intake.services import batch_create

    _apply_limits(case, monkeypatch)
    path = tmp_path / case.filename
    case.build(path)
    try:
        reading.check_upload(case.filename, path.stat().st_size, path.read_bytes()[:8])
    except TabularFileError as exc:
        assert exc.code == case.file_error
        return
    uploaded = SimpleUploadedFile(case.filename, path.read_bytes())
    batch = batch_create(uploaded=uploaded, organization=agency, acting_user=officer)
    try:
        batch_layout(batch, saved={})
    except TabularFileError as exc:
        assert exc.code == case.file_error, exc.message
        return
    batch_stage(batch)
    batch.refresh_from_db()
    assert Person.objects.count() == 0
    if case.file_error:
        assert batch.status == BatchStatus.FAILED
        assert batch.file_issues[0]["code"] == case.file_error
    else:
        assert batch.status == BatchStatus.STAGED, batch.file_issues
        if case.rows is not None:
            assert batch.rows == case.rows
        found = {i["code"] for row in batch.issue_rows.all() for i in row.issues}
        assert set(case.row_codes) <= found

"""Staging and committing an agency's file of people (HackSoft-style services and the jobs
that run them).

One function reads, checks, matches and (when committing) writes, a chunk of rows at a time,
so a dry run, the staging job and the commit check exactly the same things and memory stays
bounded whatever the size of the file:

    result = intake_file(path, filename=..., organization=org, mapping={}, acting_user=user,
                         commit=False)

A commit is one transaction: rows with errors are left out (the report names them), every
other row is written or found unchanged, and a second commit of the same file changes
nothing. Every value written keeps its provenance: source "import", the batch, sheet and
row, the agency; the person's history records the change with that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.core import audit, uploads
from trithuc.core.choices import AuditKind
from trithuc.core.jobs import JobError, job_progress, job_task
from trithuc.core.models import Job
from trithuc.core.tabular import ERROR, WARNING, TabularFileError, issue
from trithuc.organizations.models import Organization
from trithuc.registry import choices as registry_choices
from trithuc.registry.models import AcademicTitle, Degree, Expertise, Person, Position
from trithuc.registry.services import set_citizen_id

from . import reading
from .choices import BatchStatus
from .columns import COLUMN_BY_FIELD
from .lookups import Lookups
from .matching import NEW, UNCHANGED, UPDATED, Matcher, Plan
from .models import ImportBatch, ImportRow
from .validation import Staged, check_record, default_sector

CHUNK = 2_000
UPLOADS = uploads.UploadStore("intake", reading.EXTENSIONS)


@dataclass
class IntakeResult:
    """The counts of a run, its issues (file-level first) and how the file was read."""

    rows: int = 0
    valid: int = 0
    errors: int = 0
    warnings: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    file_issues: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    layout: reading.FileLayout | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    committed: bool = False

    COUNTS = ("rows", "valid", "errors", "warnings", "new", "updated", "unchanged")

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def report(self) -> dict[str, Any]:
        """The command line's JSON: the counts and every issue."""
        return {**self.counts(), "issues": [*self.file_issues, *self.issues]}


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def layout_for(
    path: Path, *, filename: str, mapping: Mapping[str, str]
) -> tuple[reading.FileLayout, dict[str, str]]:
    """How the file is laid out, and the mapping completed by the headers' synonyms."""
    extra = {key.split("#")[0]: name for key, name in mapping.items() if name}
    layout = reading.inspect_file(path, filename=filename, extra=extra)
    return layout, reading.auto_mapping(layout, saved=mapping)


def intake_file(
    path: Path | str,
    *,
    filename: str,
    organization: Organization,
    mapping: Mapping[str, str],
    acting_user: Any,
    commit: bool,
    batch: ImportBatch | None = None,
    keep_issues: bool = True,
    on_chunk: Callable[[list[Staged]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> IntakeResult:
    """Read, check and match every row; with `commit`, write the valid ones (the caller
    holds the transaction). Raises TabularFileError when the file cannot be used at all.

    `acting_user=None` is the system (the command line): no scope limit. `on_chunk` receives
    each chunk of checked rows (the staging job keeps those with issues).
    """
    path = Path(path)
    today = today or timezone.localdate()
    result = IntakeResult()
    layout, full_mapping = layout_for(path, filename=filename, mapping=mapping)
    result.layout, result.mapping = layout, full_mapping
    result.file_issues = list(layout.notes)
    lookups = Lookups.build(organization)
    matcher = Matcher(
        organization=organization,
        acting_user=acting_user,
        today=today,
        default_sector=default_sector(organization.type),
    )
    writer = _Writer(batch, organization, lookups, filename, today) if commit else None
    total = [0]

    def estimate(rows: int) -> None:
        total[0] += rows

    records = reading.iter_records(path, layout, full_mapping, estimate=estimate)
    for chunk in _chunks(records, CHUNK):
        staged = [check_record(record, lookups, today=today) for record in chunk]
        plans = matcher.plan(staged)
        for row, plan in zip(staged, plans, strict=True):
            result.rows += 1
            row_errors = sum(1 for i in row.issues if i["severity"] == ERROR)
            result.errors += row_errors
            result.warnings += len(row.issues) - row_errors
            if not row.valid or not plan.kind:
                continue
            result.valid += 1
            if plan.kind == NEW:
                result.new += 1
            elif plan.kind == UPDATED:
                result.updated += 1
            else:
                result.unchanged += 1
            if writer is not None and plan.kind != UNCHANGED:
                writer.write(row, plan)
        if keep_issues:
            for row in staged:
                result.issues.extend({**i, "sheet": row.sheet} for i in row.issues)
        if on_chunk is not None:
            on_chunk(staged)
        if progress is not None:
            progress(result.rows, max(total[0], result.rows))
    if result.rows == 0:
        raise TabularFileError(
            _(
                "Tệp %(name)s không có dòng dữ liệu nào dưới dòng tiêu đề. Hãy điền mỗi người "
                "một dòng, bắt đầu ngay dưới dòng tiêu đề."
            )
            % {"name": filename},
            code="no_data",
        )
    if matcher.assumed_starts:
        result.file_issues.append(
            issue(
                None, COLUMN_BY_FIELD["job_title"].label, "position_start_assumed",
                _(
                    "%(n)s dòng có chức vụ nhưng chưa ghi ngày giữ chức vụ: ghi tạm là ngày nhập "
                    "(%(date)s). Hãy bổ sung cột “Ngày giữ chức vụ” khi có."
                )
                % {"n": matcher.assumed_starts, "date": today.strftime("%d/%m/%Y")},
                WARNING,
            )
        )  # fmt: skip
    result.warnings += len(result.file_issues)
    result.committed = commit
    return result


class _Writer:
    """Writes one planned row with the registry's models and services; history is kept by
    the models' history (with the batch and row as the reason), provenance on every record."""

    def __init__(
        self,
        batch: ImportBatch | None,
        organization: Organization,
        lookups: Lookups,
        filename: str,
        today: date,
    ) -> None:
        self.batch = batch
        self.organization = organization
        self.lookups = lookups
        self.filename = filename
        self.today = today
        self.now = timezone.now()

    def provenance(self, staged: Staged) -> dict[str, Any]:
        where = (
            _("trang %(sheet)s, dòng %(row)s") % {"sheet": staged.sheet, "row": staged.row}
            if staged.sheet
            else _("dòng %(row)s") % {"row": staged.row}
        )
        batch = _("đợt nhập %(n)s, ") % {"n": self.batch.pk} if self.batch is not None else ""
        detail = f"{batch}{self.filename}, {where}"
        return {
            "source": registry_choices.Source.IMPORT,
            "source_detail": detail[:255],
            "source_organization": self.organization,
            "recorded_at": self.now,
        }

    def write(self, staged: Staged, plan: Plan) -> None:
        provenance = self.provenance(staged)
        reason = _("Nhập từ tệp: %(detail)s") % {"detail": provenance["source_detail"]}
        values = dict(staged.person)
        if plan.kind == NEW:
            unit_id = values.pop("organization_id", None) or self.organization.pk
            values.setdefault("sector", default_sector(self.lookups.unit_types.get(unit_id, "")))
            person = Person(organization_id=unit_id, **values, **provenance)
            if staged.citizen_id:
                set_citizen_id(person, staged.citizen_id)
            person._change_reason = reason  # type: ignore[attr-defined]
            person.save()
        else:
            person = plan.person  # type: ignore[assignment]
            assert person is not None
            if plan.changes:
                for name in plan.changes:
                    if name != "citizen_id":
                        setattr(person, name, values[name])
                if plan.set_citizen_id:
                    set_citizen_id(person, staged.citizen_id)
                for name, value in provenance.items():
                    setattr(person, name, value)
                person._change_reason = reason  # type: ignore[attr-defined]
                person.save()
        wrote = self._records(person, staged, plan, provenance, reason)
        if wrote:
            person.refresh_summary()

    def _records(
        self,
        person: Person,
        staged: Staged,
        plan: Plan,
        provenance: dict[str, Any],
        reason: str,
    ) -> bool:
        """The degree, title, position and field of the row; the summary is refreshed once
        by the caller (PersonRecord.save would refresh it after each)."""
        records: list[models.Model] = []
        degree = staged.degree
        if degree is not None and plan.new_degree:
            records.append(
                Degree(
                    person=person,
                    level_id=self.lookups.degree_ids[degree["level"]],
                    year=degree["year"],
                    major=degree["major"],
                    institution=degree["institution"],
                    country=degree["country"] or "VN",
                    **provenance,
                )
            )
        elif degree is not None and plan.degree_updates and plan.degree_id:
            current = Degree.objects.get(pk=plan.degree_id)
            for name, value in plan.degree_updates.items():
                setattr(current, name, value)
            for name, value in provenance.items():
                setattr(current, name, value)
            records.append(current)
        title = staged.title
        if title is not None and plan.new_title:
            records.append(
                AcademicTitle(person=person, kind=title["kind"], year=title["year"], **provenance)
            )
        elif title is not None and plan.title_updates and plan.title_id:
            current_title = AcademicTitle.objects.get(pk=plan.title_id)
            current_title.year = plan.title_updates["year"]
            for name, value in provenance.items():
                setattr(current_title, name, value)
            records.append(current_title)
        position = staged.position
        if position is not None and plan.new_position:
            records.append(
                Position(
                    person=person,
                    organization_id=position["organization_id"],
                    job_title=position["job_title"],
                    leadership=position["leadership"],
                    start=position["start"] or self.today,
                    is_primary=True,
                    **provenance,
                )
            )
        if staged.field_id is not None and plan.new_expertise:
            records.append(
                Expertise(
                    person=person,
                    field_id=staged.field_id,
                    is_primary=plan.primary_expertise,
                    **provenance,
                )
            )
        for record in records:
            record._change_reason = reason  # type: ignore[attr-defined]
            # models.Model.save: PersonRecord.save would refresh the summary after each one.
            models.Model.save(record)
        return bool(records)


# ---- the batch: stage, commit -----------------------------------------------------------------


def batch_create(
    *, uploaded: Any, organization: Organization, acting_user: Any, mapping_name: str = ""
) -> ImportBatch:
    """Store the upload and open a batch for it (nothing read yet beyond the first bytes)."""
    upload_id = UPLOADS.save(uploaded, user=acting_user)
    return ImportBatch.objects.create(
        organization=organization,
        uploaded_by=acting_user,
        file_name=Path(uploaded.name).name[:255],
        upload_id=upload_id,
        mapping_name=mapping_name,
    )


def batch_path(batch: ImportBatch) -> Path:
    found = UPLOADS.get(batch.upload_id)
    if found is None:
        raise JobError(
            _("Không còn tệp đã tải lên trên máy chủ (tệp được giữ 7 ngày). Hãy tải tệp lên lại.")
        )
    return found[0]


def batch_layout(batch: ImportBatch, *, saved: Mapping[str, str]) -> reading.FileLayout:
    """Read the file's layout for the mapping step and remember it on the batch."""
    path = batch_path(batch)
    layout, mapping = layout_for(path, filename=batch.file_name, mapping=saved)
    batch.layout = {
        "sheets": [
            {"name": s.name, "header_row": s.header_row, "headers": s.headers, "keys": s.keys}
            for s in layout.sheets
        ],
        "skipped": layout.skipped,
        "encoding": layout.encoding,
        "columns": [
            {"key": key, "header": header, "sheets": sheets}
            for key, header, sheets in layout.columns()
        ],
    }
    batch.mapping = mapping
    batch.save(update_fields=["layout", "mapping", "updated_at"])
    return layout


def _rows_with_issues(batch: ImportBatch, staged: list[Staged]) -> None:
    rows = [
        ImportRow(
            batch=batch,
            sheet=row.sheet[:100],
            row=row.row,
            has_error=not row.valid,
            has_warning=any(i["severity"] != ERROR for i in row.issues),
            name=str(row.person.get("full_name", ""))[:150],
            issues=row.issues,
        )
        for row in staged
        if row.issues
    ]
    ImportRow.objects.bulk_create(rows, batch_size=500)


def _file_failure(batch: ImportBatch, exc: TabularFileError) -> None:
    batch.status = BatchStatus.FAILED
    batch.file_issues = exc.issues
    batch.save(update_fields=["status", "file_issues", "updated_at"])


def batch_stage(batch: ImportBatch, *, progress: Callable[[int, int], None] | None = None) -> None:
    """Read and check the batch's file with its mapping; keep the rows with issues. Nothing
    is written to the registry."""
    path = batch_path(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.STAGING)
    batch.issue_rows.all().delete()
    try:
        result = intake_file(
            path,
            filename=batch.file_name,
            organization=batch.organization,
            mapping=batch.mapping,
            acting_user=batch.uploaded_by,
            commit=False,
            batch=batch,
            keep_issues=False,
            on_chunk=lambda staged: _rows_with_issues(batch, staged),
            progress=progress,
        )
    except TabularFileError as exc:
        batch.issue_rows.all().delete()
        _file_failure(batch, exc)
        return
    for name, value in result.counts().items():
        setattr(batch, name, value)
    batch.mapping = result.mapping
    batch.file_issues = result.file_issues
    batch.status = BatchStatus.STAGED
    batch.staged_at = timezone.now()
    batch.annotated_id = ""
    batch.save()


def batch_commit(
    batch: ImportBatch, *, acting_user: Any, progress: Callable[[int, int], None] | None = None
) -> IntakeResult | None:
    """Check the file again against the registry as it is now and write it, in one
    transaction. A batch is committed once: a second call does nothing."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.STAGED:
            return None
        locked.status = BatchStatus.COMMITTING
        locked.save(update_fields=["status", "updated_at"])
    path = batch_path(batch)
    try:
        with transaction.atomic():
            batch.issue_rows.all().delete()
            result = intake_file(
                path,
                filename=batch.file_name,
                organization=batch.organization,
                mapping=batch.mapping,
                acting_user=acting_user,
                commit=True,
                batch=batch,
                keep_issues=False,
                on_chunk=lambda staged: _rows_with_issues(batch, staged),
                progress=progress,
            )
            for name, value in result.counts().items():
                setattr(batch, name, value)
            batch.status = BatchStatus.COMMITTED
            batch.committed_at = timezone.now()
            batch.file_issues = result.file_issues
            batch.save()
            audit.record(
                AuditKind.IMPORT,
                actor=acting_user,
                obj=batch,
                organization=batch.organization,
                details={
                    "what": "people",
                    "file": batch.file_name,
                    "batch": batch.pk,
                    **result.counts(),
                },
            )
    except TabularFileError as exc:
        _file_failure(batch, exc)
        return None
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.STAGED)
        raise
    return result


# ---- jobs -------------------------------------------------------------------------------------


def _batch_for_job(job: Job, batch_id: int, action: str) -> ImportBatch:
    batch = ImportBatch.objects.select_related("organization", "uploaded_by").filter(pk=batch_id)
    found = batch.first()
    user = job.created_by
    if found is None or user is None:
        raise JobError(_("Không còn đợt nhập này. Hãy tải tệp lên lại."))
    if not ImportBatch.objects.restrict(user, action).filter(pk=found.pk).exists():
        raise JobError(_("Tài khoản của bạn không còn quyền nhập dữ liệu cho cơ quan này."))
    return found


def _reporter(job: Job, message: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=message)

    return report


@job_task
def intake_stage_job(job: Job, *, batch_id: int) -> dict[str, Any]:
    """Job: read and check a batch's file (the validation report)."""
    batch = _batch_for_job(job, batch_id, "change")
    batch_stage(batch, progress=_reporter(job, _("Đang đọc và kiểm tra tệp…")))
    batch.refresh_from_db()
    job_progress(job, done=batch.rows, total=batch.rows)
    return job_result(batch)


@job_task
def intake_commit_job(job: Job, *, batch_id: int) -> dict[str, Any]:
    """Job: check the batch's file again and write it in one transaction."""
    batch = _batch_for_job(job, batch_id, "change")
    user = job.created_by
    if batch.status == BatchStatus.COMMITTED:
        return job_result(batch)
    result = batch_commit(batch, acting_user=user, progress=_reporter(job, _("Đang ghi…")))
    batch.refresh_from_db()
    if result is None and batch.status != BatchStatus.COMMITTED:
        raise JobError(
            _("Đợt nhập này chưa sẵn sàng để ghi (hãy kiểm tra tệp trước, hoặc đợi lần ghi trước).")
        )
    return job_result(batch)


@job_task
def intake_annotate_job(job: Job, *, batch_id: int) -> dict[str, Any]:
    """Job: the copy of the file with problem cells highlighted and a comment column."""
    from .annotate import annotate_batch

    batch = _batch_for_job(job, batch_id, "view")
    annotate_batch(batch, progress=_reporter(job, _("Đang tạo bản có đánh dấu…")))
    return {
        "summary": _("Đã tạo bản sao của tệp %(file)s có tô màu các ô có vấn đề.")
        % {"file": batch.file_name},
        "next_url": reverse("intake:batch_annotated", args=[batch.pk]),
        "next_label": _("Tải bản có đánh dấu (.xlsx)"),
    }


def job_result(batch: ImportBatch) -> dict[str, Any]:
    """What the job page shows: a summary and the way on (the report page)."""
    numbers = {"file": batch.file_name, "rows": batch.rows, "valid": batch.valid,
               "errors": batch.errors, "warnings": batch.warnings, "new": batch.new,
               "updated": batch.updated, "unchanged": batch.unchanged}  # fmt: skip
    if batch.status == BatchStatus.FAILED:
        message = batch.file_issues[0]["message"] if batch.file_issues else ""
        summary = _("Không dùng được tệp %(file)s: %(message)s") % {
            "file": batch.file_name,
            "message": message,
        }
    elif batch.status == BatchStatus.COMMITTED:
        summary = (
            _(
                "Đã ghi tệp %(file)s: tạo mới %(new)s, cập nhật %(updated)s, giữ nguyên "
                "%(unchanged)s người."
            )
            % numbers
        )
        if batch.rows > batch.valid:
            summary += " " + _("%(n)s dòng có lỗi không được ghi.") % {
                "n": batch.rows - batch.valid
            }
    else:
        summary = (
            _(
                "Đã kiểm tra tệp %(file)s: %(rows)s dòng, %(valid)s dòng hợp lệ, %(errors)s lỗi, "
                "%(warnings)s lưu ý. Chưa có gì được ghi."
            )
            % numbers
        )
    return {
        "summary": summary,
        "batch": batch.pk,
        **{k: v for k, v in numbers.items() if k != "file"},
        "next_url": reverse("intake:batch_detail", args=[batch.pk]),
        "next_label": _("Xem báo cáo kiểm tra"),
    }

"""Writes with business meaning on organisations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.jobs import JobError, job_progress, job_task
from trithuc.core.models import Job
from trithuc.core.permissions import paths_for, policy_of, user_can

from .importers import (
    ERROR,
    ImportFileError,
    OrganizationRow,
    delete_upload,
    has_errors,
    issue,
    read_organization_file,
    store_upload_check,
    stored_upload,
)
from .models import MAX_DEPTH, Organization, subtree_height

# SQLite allows at most 32,766 parameters in one statement; an import may name 40,000 codes.
QUERY_CHUNK = 900
PROGRESS_EVERY = 200

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = QUERY_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Change:
    row: OrganizationRow
    org: Organization | None  # None: to be created
    fields: dict[str, Any]
    parent_code: str | None
    changed: list[str] = field(default_factory=list)
    depth: int = 0


class _Plan:
    """The organisations of the file and of the database they touch, as one tree to check."""

    def __init__(self, rows: Sequence[OrganizationRow]) -> None:
        self.rows = [row for row in rows if row.code]
        self.by_code: dict[str, OrganizationRow] = {}
        for row in self.rows:
            self.by_code.setdefault(row.code, row)  # a duplicate is an error of its own row
        referenced = set(self.by_code) | {row.parent_code for row in self.rows if row.parent_code}
        self.db: dict[str, Organization] = {}
        for chunk in _chunks(sorted(referenced)):
            self.db.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
        # The ancestors of those organisations, to follow the tree above the file.
        ancestor_ids = sorted(
            {int(seg) for o in self.db.values() for seg in o.path.strip("/").split("/") if seg}
            - {o.pk for o in self.db.values()}
        )
        self.known: dict[str, Organization] = dict(self.db)
        for id_chunk in _chunks(ancestor_ids):
            self.known.update(
                (o.code, o)
                for o in Organization.objects.filter(pk__in=id_chunk).only(
                    "id", "code", "parent_id", "path"
                )
            )
        self.code_by_id = {o.pk: o.code for o in self.known.values()}

    def exists(self, code: str) -> bool:
        return code in self.by_code or code in self.known

    def db_parent(self, code: str) -> str | None:
        org = self.known.get(code)
        if org is None or not org.parent_id:
            return None
        return self.code_by_id.get(org.parent_id)

    def parent(self, code: str) -> str | None:
        """The parent after the import: the file's when it says, else the database's."""
        row = self.by_code.get(code)
        if row is not None and "parent_code" in row.present:
            return row.parent_code or None
        return self.db_parent(code)

    def resolve(self, roots: set[str] | None) -> None:
        """Depth, scope and cycles of every organisation of the file in the tree after import.

        One walk up from each row, memoised, so a file that is one long chain costs linear
        time. `roots` are the codes whose subtrees the user may add to (None: everywhere).
        """
        self.depth: dict[str, int] = {}
        self.in_scope: dict[str, bool] = {}
        self.cycles: dict[str, list[str]] = {}
        self.under_cycle: set[str] = set()
        for start in self.by_code:
            path: list[str] = []
            position: dict[str, int] = {}
            current: str | None = start
            loop: list[str] = []
            while current is not None and current not in self.depth:
                if current in self.cycles or current in self.under_cycle:
                    break
                if current in position:
                    loop = path[position[current] :]
                    break
                position[current] = len(path)
                path.append(current)
                parent = self.parent(current)
                current = parent if parent is not None and self.exists(parent) else None
            if loop:
                for i, code in enumerate(loop):
                    self.cycles[code] = loop[i:] + loop[:i] + [code]
                self.under_cycle.update(path[: len(path) - len(loop)])
                continue
            if current is not None and (current in self.cycles or current in self.under_cycle):
                self.under_cycle.update(path)
                continue
            depth = self.depth[current] if current is not None else 0
            scoped = self.in_scope[current] if current is not None else False
            for code in reversed(path):
                depth += 1
                scoped = scoped or roots is None or code in roots
                self.depth[code] = depth
                self.in_scope[code] = scoped


def _scope_roots(user: Any) -> set[str] | None:
    """Codes of the organisations whose subtrees the user may add to; None means everywhere."""
    if user is None or user.is_superuser:
        return None
    paths = paths_for(user, policy_of(Organization).roles_for("add"))
    ids = [int(path.strip("/").split("/")[-1]) for path in paths]
    return set(Organization.objects.filter(pk__in=ids).values_list("code", flat=True))


@transaction.atomic
def organizations_import(
    *,
    rows: Sequence[OrganizationRow],
    acting_user: Any,
    dry_run: bool,
    issues: Iterable[dict[str, Any]] = (),
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Check parsed rows against the database and, unless `dry_run` or any error, upsert them.

    Upsert by code, all or nothing: an error anywhere writes nothing. Refuses cycles, unknown
    parents and anything outside the acting user's scope (`acting_user=None` is the system,
    e.g. the command line, with no scope limit). Returns the report
    `{rows, valid, errors, warnings, created, updated, unchanged, issues}`.
    """
    issues = list(issues)
    plan = _Plan(rows)
    roots = _scope_roots(acting_user)
    plan.resolve(roots)
    changeable: set[str] | None = None
    if roots is not None:
        changeable = set()
        existing = sorted(code for code in plan.by_code if code in plan.db)
        for chunk in _chunks(existing):
            changeable.update(
                Organization.objects.restrict(acting_user, "change")
                .filter(code__in=chunk)
                .values_list("code", flat=True)
            )

    changes: list[_Change] = []
    for row in plan.rows:
        if plan.by_code[row.code] is not row:
            continue  # a duplicate code, already reported
        # Rows with errors of their own are checked too, so the user sees every error at once.
        row_issues = _check_row(row, plan, roots, changeable)
        issues.extend(row_issues)
        if row.valid and not has_errors(row_issues):
            changes.append(_diff(row, plan))

    issues.sort(key=lambda item: (item["row"] or 0, item["column"]))
    error_rows = {item["row"] for item in issues if item["severity"] == ERROR}
    report: dict[str, Any] = {
        "rows": len(rows),
        "valid": sum(1 for row in rows if row.row not in error_rows and row.valid),
        "errors": sum(1 for item in issues if item["severity"] == ERROR),
        "warnings": sum(1 for item in issues if item["severity"] != ERROR),
        "created": sum(1 for change in changes if change.org is None),
        "updated": sum(1 for change in changes if change.org is not None and change.changed),
        "unchanged": sum(1 for change in changes if change.org is not None and not change.changed),
        "issues": issues,
        "dry_run": dry_run,
        "committed": False,
    }
    if report["errors"] and not dry_run:
        # Nothing is written: say so rather than what would have been.
        report.update(created=0, updated=0, unchanged=0)
    if report["errors"] or dry_run:
        return report
    try:
        with transaction.atomic():
            _apply(changes, progress)
    except _RowRefused as refused:
        # A rule only the write can check (the tree under its lock: e.g. a subtree of the
        # database pushed below the depth limit by a move). Nothing of the file is kept.
        report["issues"] = [*issues, refused.issue]
        report.update(errors=report["errors"] + 1, created=0, updated=0, unchanged=0)
        return report
    report["committed"] = True
    audit.record(
        AuditKind.IMPORT,
        actor=acting_user,
        organization=getattr(acting_user, "organization", None),
        details={
            "what": "organizations",
            "file": filename,
            **{key: report[key] for key in ("rows", "created", "updated", "unchanged")},
        },
    )
    return report


def _check_row(
    row: OrganizationRow,
    plan: _Plan,
    roots: set[str] | None,
    changeable: set[str] | None,
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    parent_column = row.columns.get("parent_code", "")
    code_column = row.columns.get("code", "")
    existing = plan.db.get(row.code)
    if row.parent_code and not plan.exists(row.parent_code):
        found.append(
            issue(
                row.row, parent_column, "unknown_parent",
                _(
                    "Không tìm thấy đơn vị cấp trên có mã %(code)s, trong tệp cũng như trong hệ "
                    "thống. Hãy sửa mã, hoặc thêm đơn vị đó vào tệp."
                )
                % {"code": row.parent_code},
            )
        )  # fmt: skip
        return found
    if row.code in plan.cycles:
        found.append(
            issue(
                row.row, parent_column or code_column, "cycle",
                _(
                    "Đơn vị cấp trên tạo vòng lặp: %(chain)s. Một tổ chức không thể nằm "
                    "dưới chính nó; hãy sửa cột Mã đơn vị cấp trên."
                )
                % {"chain": " → ".join(plan.cycles[row.code])},
            )
        )  # fmt: skip
        return found
    if row.code in plan.under_cycle:
        return found  # the rows of the loop itself carry the error
    below = 0
    if existing is not None and plan.parent(row.code) != plan.db_parent(row.code):
        # Its children in the database move with it: count how far they reach below it.
        below = subtree_height(existing.path)
    if plan.depth.get(row.code, 0) + below > MAX_DEPTH:
        found.append(
            issue(
                row.row, parent_column or code_column, "too_deep",
                _(
                    "Tổ chức %(code)s sẽ nằm ở cấp %(depth)s, quá %(max)s cấp của cây tổ chức. "
                    "Hãy chọn một đơn vị cấp trên ở cấp cao hơn."
                )
                % {"code": row.code, "depth": plan.depth[row.code] + below, "max": MAX_DEPTH},
            )
        )  # fmt: skip
        return found
    if roots is None:
        return found
    if existing is not None and changeable is not None and row.code not in changeable:
        found.append(
            issue(
                row.row, code_column, "out_of_scope",
                _(
                    "Tổ chức %(code)s đã có trong hệ thống nhưng nằm ngoài phạm vi bạn được sửa. "
                    "Hãy xóa dòng này hoặc nhờ người quản lý dữ liệu cấp trên."
                )
                % {"code": row.code},
            )
        )  # fmt: skip
        return found
    parent = plan.parent(row.code)
    if existing is not None and parent == plan.db_parent(row.code):
        return found  # stays where it is, which is already within scope
    if parent is None:
        found.append(
            issue(
                row.row, parent_column or code_column, "top_level_forbidden",
                _(
                    "Chỉ tài khoản quản trị tối cao (superuser) mới tạo được tổ chức cấp cao nhất. "
                    "Hãy điền Mã đơn vị cấp trên (một đơn vị trong phạm vi của bạn)."
                ),
            )
        )  # fmt: skip
    elif not plan.in_scope.get(parent, False):
        found.append(
            issue(
                row.row, parent_column, "out_of_scope",
                _(
                    "Đơn vị cấp trên %(code)s nằm ngoài phạm vi bạn được thêm tổ chức. Hãy chọn "
                    "một đơn vị cấp trên trong phạm vi của bạn."
                )
                % {"code": parent},
            )
        )  # fmt: skip
    return found


def _diff(row: OrganizationRow, plan: _Plan) -> _Change:
    values: dict[str, Any] = {"name": row.name, "type": row.type}
    for name in ("name_en", "short_name"):
        if name in row.present:
            values[name] = getattr(row, name)
    if "administrative_unit" in row.present:
        values["administrative_unit_id"] = row.administrative_unit_id
    parent_code = plan.parent(row.code)
    org = plan.db.get(row.code)
    change = _Change(row=row, org=org, fields=values, parent_code=parent_code)
    change.depth = plan.depth.get(row.code, 0)
    if org is not None:
        change.changed = [name for name, value in values.items() if getattr(org, name) != value]
        if parent_code != plan.db_parent(row.code):
            change.changed.append("parent")
    return change


class _RowRefused(Exception):
    def __init__(self, issue: dict[str, Any]) -> None:
        super().__init__(issue["message"])
        self.issue = issue


def _apply(changes: list[_Change], progress: Callable[[int, int], None] | None) -> None:
    # Parents before children, so each new path is computed from its parent's final one.
    todo = sorted(
        (c for c in changes if c.org is None or c.changed), key=lambda c: (c.depth, c.row.row)
    )
    saved: dict[str, Organization] = {}

    def parent_of(code: str | None) -> Organization | None:
        if code is None:
            return None
        if code not in saved:
            saved[code] = Organization.objects.get(code=code)
        return saved[code]

    for done, change in enumerate(todo, start=1):
        if change.org is None:
            org = Organization(code=change.row.code, **change.fields)
        else:
            # Fresh from the database: an earlier move in this import may have changed its path.
            org = Organization.objects.get(pk=change.org.pk)
            for name, value in change.fields.items():
                setattr(org, name, value)
        org.parent = parent_of(change.parent_code)
        try:
            org.save()
        except ValidationError as exc:
            column = change.row.columns.get("parent_code") or change.row.columns.get("code", "")
            raise _RowRefused(
                issue(change.row.row, column, "refused", " ".join(exc.messages))
            ) from exc
        saved[org.code] = org
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(todo))


# ---- background jobs: check an uploaded file, then commit it ----------------------------------

MAX_ISSUES_SHOWN = 500


@job_task
def organizations_import_check(job: Job, *, upload_id: str) -> dict[str, Any]:
    """Job: read and check a stored upload without writing (the report the user reviews)."""
    return _run_import_job(job, upload_id=upload_id, dry_run=True)


@job_task
def organizations_import_commit(job: Job, *, upload_id: str) -> dict[str, Any]:
    """Job: check the stored upload again and write it in one transaction."""
    return _run_import_job(job, upload_id=upload_id, dry_run=False)


def _run_import_job(job: Job, *, upload_id: str, dry_run: bool) -> dict[str, Any]:
    found = stored_upload(upload_id)
    user = job.created_by
    if found is None or user is None or found[1].get("user_id") != user.pk:
        raise JobError(
            _("Không còn tệp đã tải lên trên máy chủ. Hãy tải tệp lên lại ở trang Nhập từ Excel.")
        )
    if not user_can(user, Organization, "add"):
        raise JobError(_("Tài khoản của bạn không còn quyền thêm tổ chức."))
    path, meta = found
    filename = meta.get("filename", path.name)

    def reading(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=_("Đang đọc và kiểm tra tệp…"))

    def writing(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=_("Đang ghi vào hệ thống…"))

    try:
        parsed = read_organization_file(path, filename=filename, progress=reading)
    except ImportFileError as exc:
        raise JobError(exc.message) from exc
    report = organizations_import(
        rows=parsed.rows,
        acting_user=user,
        dry_run=dry_run,
        issues=parsed.issues,
        filename=filename,
        progress=writing,
    )
    job_progress(job, done=report["rows"], total=report["rows"])
    if report["committed"]:
        delete_upload(upload_id)
    elif dry_run:
        store_upload_check(upload_id, report)
    return import_job_result(report, filename=filename, upload_id=upload_id)


def import_job_result(report: dict[str, Any], *, filename: str, upload_id: str) -> dict[str, Any]:
    """What the job page shows: a summary, the issues and the next step."""
    counts = {key: report[key] for key in ("created", "updated", "unchanged")}
    numbers = {"file": filename, "rows": report["rows"], **counts}
    result: dict[str, Any] = {
        key: report[key] for key in ("rows", "valid", "errors", "warnings", *counts)
    }
    if report["errors"]:
        summary = _(
            "Tệp %(file)s có %(errors)s lỗi (%(rows)s dòng). Chưa có gì được ghi: hãy sửa các "
            "lỗi dưới đây trong tệp rồi tải lên lại."
        ) % {**numbers, "errors": report["errors"]}
        result.update(
            next_url=reverse("organizations:organization_import"),
            next_label=_("Tải lên tệp đã sửa"),
        )
    elif report["committed"]:
        summary = (
            _(
                "Đã ghi tệp %(file)s: tạo mới %(created)s, cập nhật %(updated)s, giữ nguyên "
                "%(unchanged)s tổ chức."
            )
            % numbers
        )
        result.update(
            next_url=reverse("organizations:organization_list"),
            next_label=_("Xem cây tổ chức"),
        )
    elif counts["created"] or counts["updated"]:
        summary = (
            _(
                "Tệp %(file)s hợp lệ (%(rows)s dòng). Khi ghi sẽ tạo mới %(created)s, cập nhật "
                "%(updated)s, giữ nguyên %(unchanged)s tổ chức. Chưa có gì được ghi."
            )
            % numbers
        )
        result.update(
            next_url=reverse("organizations:organization_import_commit", args=[upload_id]),
            next_label=_("Ghi vào hệ thống"),
        )
    else:
        summary = (
            _(
                "Tệp %(file)s hợp lệ và trùng khớp với dữ liệu hiện có (%(unchanged)s tổ chức): "
                "không có gì cần ghi."
            )
            % numbers
        )
        result.update(
            next_url=reverse("organizations:organization_list"),
            next_label=_("Xem cây tổ chức"),
        )
    issues = report["issues"]
    if report["warnings"]:
        summary += " " + _("Có %(n)s lưu ý, không chặn việc ghi.") % {"n": report["warnings"]}
    if len(issues) > MAX_ISSUES_SHOWN:
        summary += " " + _("Chỉ hiện %(shown)s trên %(total)s vấn đề đầu tiên.") % {
            "shown": MAX_ISSUES_SHOWN,
            "total": len(issues),
        }
    result["summary"] = summary
    result["issues"] = issues[:MAX_ISSUES_SHOWN]
    return result

"""Importing a plan through the web: upload, read and match (a job), review, commit (a job).

The upload is kept under MEDIA_ROOT/imports/plans/ with the document's details the user
entered; the checking job stores what it read beside it, and the review page shows the tasks
and the agency names that need a person's choice. The commit job reads the file again and
applies those choices, so what is written is what the file says now.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from trithuc.core.jobs import JobError, job_progress, job_task
from trithuc.core.models import Job
from trithuc.core.permissions import organizations_for
from trithuc.core.uploads import UploadStore

from .agencies import MATCHED, UNMATCHED, AgencyMatch, AgencyMatcher
from .parsing import PlanParse, PlanParseError, parse_plan

UPLOADS = UploadStore("imports/plans", (".docx", ".xlsx", ".csv", ".txt", ".tsv"))
MAX_ISSUES_SHOWN = 300


def _review_note(kind: str, match: AgencyMatch) -> str:
    if match.status == UNMATCHED:
        return _(
            "Chưa khớp %(kind)s “%(name)s” với tổ chức nào trong hệ thống; hãy chọn ở bước rà soát."
        ) % {"kind": kind, "name": match.text}
    note = match.note or _(
        "%(kind)s “%(name)s” được khớp gần đúng với “%(org)s”; hãy xác nhận."
    ) % {"kind": kind, "name": match.text, "org": match.name}
    return note[:1].upper() + note[1:]


def report_of(parse: PlanParse, matcher: AgencyMatcher | None, *, dry_run: bool) -> dict[str, Any]:
    """The JSON the command prints: the parse, with agency matches when there is a matcher."""
    report = parse.to_dict()
    report["dry_run"] = dry_run
    report["matching"] = "done" if matcher is not None else "skipped"
    review: dict[str, dict[str, Any]] = {}
    for task, data in zip(parse.tasks, report["tasks"], strict=True):
        if matcher is None:
            continue
        named = [(_("cơ quan chủ trì"), task.lead)] if task.lead else []
        named += [(_("cơ quan phối hợp"), name) for name in task.coordinators]
        matches = {name: matcher.match(name) for _kind, name in named}
        data["lead_match"] = matches[task.lead].to_dict() if task.lead else None
        data["coordinator_matches"] = [matches[name].to_dict() for name in task.coordinators]
        lead_id = matches[task.lead].organization_id if task.lead else None
        for name in task.coordinators:
            if lead_id is not None and matches[name].organization_id == lead_id:
                # "Sở Kế hoạch và Đầu tư" leads, "Sở Tài chính" coordinates: both are now one.
                data["warnings"].append(
                    _(
                        "Cơ quan phối hợp “%(name)s” và cơ quan chủ trì cùng khớp với “%(org)s”; "
                        "hãy kiểm tra."
                    )
                    % {"name": name, "org": matches[name].name}
                )
        for kind, name in named:
            match = matches[name]
            if not match.needs_review:
                continue
            data["warnings"].append(_review_note(kind, match))
            entry = review.setdefault(
                name,
                {
                    "text": name,
                    "status": match.status,
                    "proposed": match.to_dict() if match.status == MATCHED else None,
                    "candidates": [c.to_dict() for c in match.candidates],
                    "tasks": [],
                },
            )
            entry["tasks"].append(task.ref)
    report["agencies_to_review"] = list(review.values())
    by_section = Counter(task.section for task in parse.tasks)
    report["counts"] = {
        "tasks": len(parse.tasks),
        "sections": len(parse.sections),
        "by_section": {section.number: by_section[section.number] for section in parse.sections},
        "proposed": sum(1 for task in parse.tasks if task.proposed),
        "tasks_with_warnings": sum(1 for data in report["tasks"] if data["warnings"]),
        "deadline_kinds": dict(Counter(task.deadline.kind for task in parse.tasks)),
        "agencies_to_review": len(review),
    }
    return report


def _matcher_with(choices: dict[str, int]) -> AgencyMatcher:
    matcher = AgencyMatcher.from_database()
    for name, org_id in choices.items():
        matcher.decide(name, int(org_id))
    return matcher


def _read(job: Job, upload_id: str) -> tuple[Any, dict[str, Any], PlanParse]:
    from .models import PlanDocument

    found = UPLOADS.get(upload_id)
    user = job.created_by
    if found is None or user is None or found[1].get("user_id") != user.pk:
        raise JobError(
            _("Không còn tệp đã tải lên trên máy chủ. Hãy tải tệp lên lại ở trang Nhập kế hoạch.")
        )
    path, meta = found
    allowed = organizations_for(user, PlanDocument, "add")
    if not allowed.filter(pk=meta.get("organization_id")).exists():
        raise JobError(_("Tài khoản của bạn không còn quyền thêm kế hoạch cho cơ quan đã chọn."))
    job_progress(job, done=1, total=3, message=_("Đang đọc tệp…"))
    try:
        parsed = parse_plan(path, document_year=meta.get("year"), filename=meta["filename"])
    except PlanParseError as exc:
        UPLOADS.delete(upload_id)
        raise JobError(exc.message) from exc
    return path, meta, parsed


@job_task
def plans_import_check(job: Job, *, upload_id: str) -> dict[str, Any]:
    """Job: read the plan, match agency names, keep the result for the review page."""
    _path, meta, parsed = _read(job, upload_id)
    job_progress(job, done=2, total=3, message=_("Đang khớp tên cơ quan…"))
    report = report_of(parsed, _matcher_with(meta.get("choices", {})), dry_run=True)
    UPLOADS.update(upload_id, report=report)
    counts = report["counts"]
    issues = [
        {"row": task["ref"] or task["number"], "column": "",
         "message": warning}
        for task in report["tasks"]
        for warning in task["warnings"]
    ] + [{"row": "", "column": "", "message": w} for w in report.get("warnings", [])]  # fmt: skip
    return {
        "summary": _(
            "Đọc được %(tasks)s nhiệm vụ trong %(sections)s mục; %(review)s tên cơ quan cần "
            "chọn; %(proposed)s nhiệm vụ đề xuất từ lời văn. Chưa ghi gì: hãy xem lại rồi ghi."
        )
        % {
            "tasks": counts["tasks"],
            "sections": counts["sections"],
            "review": counts["agencies_to_review"],
            "proposed": counts["proposed"],
        },
        "issues": issues[:MAX_ISSUES_SHOWN],
        "next_url": reverse("plans:import_review", args=[upload_id]),
        "next_label": _("Xem lại và ghi kế hoạch"),
        "tasks": counts["tasks"],
    }


@job_task
def plans_import_commit(job: Job, *, upload_id: str) -> dict[str, Any]:
    """Job: read the plan again, apply the agency choices, write the document."""
    from django.core.exceptions import ValidationError

    from trithuc.organizations.models import Organization

    from .models import PlanDocument
    from .services import commit_plan

    _path, meta, parsed = _read(job, upload_id)
    job_progress(job, done=2, total=3, message=_("Đang ghi vào hệ thống…"))
    parent = None
    if meta.get("parent_id"):
        parent = (
            PlanDocument.objects.restrict(job.created_by, "view")
            .filter(pk=meta["parent_id"])
            .first()
        )
    issued_on = date.fromisoformat(meta["issued_on"]) if meta.get("issued_on") else None
    try:
        document = commit_plan(
            parsed,
            organization=Organization.objects.get(pk=meta["organization_id"]),
            title=meta.get("title") or meta["filename"],
            kind=meta.get("kind") or "plan",
            number=meta.get("number", ""),
            issuing_body=meta.get("issuing_body", ""),
            issued_on=issued_on,
            parent=parent,
            source_file=meta["filename"],
            user=job.created_by,
            matcher=_matcher_with(meta.get("choices", {})),
        )
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from exc
    UPLOADS.delete(upload_id)
    return {
        "summary": _("Đã ghi %(n)s nhiệm vụ vào “%(document)s”.")
        % {"n": len(parsed.tasks), "document": document},
        "next_url": document.get_absolute_url(),
        "next_label": _("Mở kế hoạch"),
        "document_id": document.pk,
    }

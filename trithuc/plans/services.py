"""Writing plans: a parsed plan (parsing.py) becomes a document with sections and tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trithuc.core import audit
from trithuc.core.choices import AuditKind

from .agencies import GROUP, MATCHED, AgencyMatcher
from .models import PlanDocument, PlanSection, PlanTask


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def commit_plan(
    parsed: Any,
    *,
    organization: Any,
    title: str,
    kind: str = "plan",
    number: str = "",
    issuing_body: str = "",
    issued_on: date | None = None,
    parent: PlanDocument | None = None,
    source_file: str = "",
    user: Any = None,
    matcher: AgencyMatcher | None = None,
) -> PlanDocument:
    """Create the document, its sections and tasks in one transaction.

    Agency names are matched to organisations; a name that matches none is kept as written
    (the page marks it for review); groups ("các Sở, ngành") are kept as groups. A document
    with the same number already monitored by the same agency is refused: importing twice
    must not double the tasks (the same number, or the same title when there is none).
    """
    same = PlanDocument.objects.filter(organization=organization)
    same = same.filter(number=number) if number else same.filter(number="", title=title)
    if same.exists():
        raise ValidationError(
            _(
                "Văn bản “%(document)s” đã được nhập cho %(organization)s; nhập lại sẽ nhân đôi "
                "các nhiệm vụ. Hãy mở văn bản đã có."
            )
            % {"document": number or title, "organization": organization}
        )
    matcher = matcher or AgencyMatcher.from_database()
    with transaction.atomic():
        document = PlanDocument.objects.create(
            kind=kind,
            number=number,
            title=title,
            issuing_body=issuing_body,
            issued_on=issued_on,
            parent=parent,
            organization=organization,
            source_file=source_file[:255],
        )
        sections: dict[str, PlanSection] = {}
        for order, task in enumerate(parsed.tasks, start=1):
            section = None
            key = getattr(task, "section", "") or ""
            if key:
                section = sections.get(key)
                if section is None:
                    section = PlanSection.objects.create(
                        document=document,
                        number=key,
                        title=getattr(task, "section_title", "") or "",
                        order=len(sections) + 1,
                    )
                    sections[key] = section
            lead_text = getattr(task, "lead", "") or ""
            lead = matcher.match(lead_text) if lead_text else None
            coordinator_ids: list[int] = []
            groups: list[str] = []
            for name in getattr(task, "coordinators", []) or []:
                found = matcher.match(name)
                org_id = found.organization_id
                if org_id is not None and _settled(found) and org_id not in coordinator_ids:
                    coordinator_ids.append(org_id)
                elif found.status == GROUP:
                    groups.extend(g for g in found.groups if g not in groups)
            deadline = task.deadline
            created = PlanTask.objects.create(
                document=document,
                section=section,
                number=str(getattr(task, "number", "") or "")[:16],
                order=order,
                content=task.content,
                # A match flagged for review (a merged agency's successor, a spelling that
                # scores below the matcher's threshold) waits for the coordinator: the name
                # stays as written, marked for review.
                lead_id=lead.organization_id if lead is not None and _settled(lead) else None,
                lead_text=lead_text[:500],
                lead_groups=list(lead.groups) if lead is not None and lead.status == GROUP else [],
                directed_by=", ".join(_as_list(getattr(task, "directed_by", "")))[:255],
                coordinator_groups=groups,
                coordinators_text=", ".join(getattr(task, "coordinators", []) or []),
                deadline_kind=deadline.kind,
                due=_as_date(deadline.due),
                start=_as_date(deadline.start),
                recurrence=deadline.recurrence or "",
                deadline_text=(deadline.text or "")[:255],
                proposed=bool(getattr(task, "proposed", False)),
                import_warnings=list(getattr(task, "warnings", []) or []),
            )
            if coordinator_ids:
                created.coordinators.set(coordinator_ids)
        audit.record(
            AuditKind.IMPORT,
            actor=user,
            obj=document,
            details={
                "what": "plans.PlanTask",
                "file": source_file,
                "created": len(parsed.tasks),
            },
        )
    return document


def _settled(match: Any) -> bool:
    """A match the importer may apply without asking: matched, and not flagged for review."""
    return bool(match.status == MATCHED and match.organization_id and not match.needs_review)


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]

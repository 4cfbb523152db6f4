from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import TaskReport

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
# What agencies attach as evidence: office documents, PDFs, scans and archives of them.
EVIDENCE_SUFFIXES = frozenset(
    [
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".odt",
        ".ods",
        ".ppt",
        ".pptx",
        ".jpg",
        ".jpeg",
        ".png",
        ".zip",
        ".rar",
        ".7z",
        ".txt",
    ]
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input: each checked for size and type, named in the message."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(_("Chọn tối đa %(n)s tệp mỗi lần.") % {"n": MAX_EVIDENCE_FILES})
        errors = []
        for upload in files:
            name = getattr(upload, "name", "") or ""
            suffix = PurePath(name).suffix.lower()
            if suffix not in EVIDENCE_SUFFIXES:
                errors.append(
                    _(
                        "Tệp “%(name)s”: không nhận loại tệp này; hãy gửi PDF, Word, Excel, "
                        "ảnh JPG/PNG hoặc tệp nén ZIP."
                    )
                    % {"name": name}
                )
            elif getattr(upload, "size", 0) > MAX_EVIDENCE_BYTES:
                errors.append(
                    _("Tệp “%(name)s” nặng %(size)s MB; hãy chọn tệp dưới 10 MB (hoặc nén lại).")
                    % {"name": name, "size": round(upload.size / 1024 / 1024, 1)}
                )
        if errors:
            raise ValidationError(errors)
        return list(files)


class TaskReportForm(forms.ModelForm):
    evidence_files = EvidenceField(
        label=gettext_lazy("Tài liệu minh chứng"),
        required=False,
        help_text=gettext_lazy(
            "Có thể chọn nhiều tệp (PDF, Word, Excel, ảnh, ZIP), mỗi tệp dưới 10 MB."
        ),
    )

    class Meta:
        model = TaskReport
        fields = ["progress", "done", "difficulties", "proposals"]
        widgets = {
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "done": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, lead: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not lead:
            # A coordinating agency reports its part; the task's progress is the lead's.
            del self.fields["progress"]
            self.fields["done"].label = _("Phần việc cơ quan phối hợp đã thực hiện")


# ---- editing plans and tasks ----------------------------------------------------------------


class OrganizationListField(forms.CharField):
    """Several agencies, one per line (or separated by “;”), each a code, a suggestion
    picked from the list, or a name the plan matcher recognises; groups ("các sở, ngành")
    are accepted as groups. Cleans to (organisations, groups)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> tuple[list[Any], list[str]]:
        from trithuc.organizations.fields import SEPARATOR
        from trithuc.organizations.models import Organization, normalize_code

        from .agencies import GROUP, MATCHED, AgencyMatcher

        text = super().clean(value) or ""
        lines = [p.strip() for line in text.splitlines() for p in line.split(";") if p.strip()]
        organizations: list[Any] = []
        groups: list[str] = []
        errors = []
        matcher: AgencyMatcher | None = None
        for number, line in enumerate(lines, start=1):
            head = line.split(SEPARATOR, 1)[0].strip()
            found = Organization.objects.filter(code=normalize_code(head)).first()
            if found is None:
                matcher = matcher or AgencyMatcher.from_database()
                match = matcher.match(line)
                if match.status == GROUP:
                    groups.extend(g for g in match.groups if g not in groups)
                    continue
                if match.status == MATCHED and match.organization_id and not match.needs_review:
                    found = Organization.objects.get(pk=match.organization_id)
            if found is None:
                errors.append(
                    _(
                        "Mục %(n)s “%(text)s”: không tìm thấy cơ quan này. Hãy ghi mã cơ quan "
                        "(ví dụ SKHCN) hoặc tên đầy đủ như trong danh mục đơn vị."
                    )
                    % {"n": number, "text": line[:120]}
                )
            elif found not in organizations:
                organizations.append(found)
        if errors:
            raise ValidationError(errors)
        return organizations, groups


class PlanDocumentForm(forms.ModelForm):
    report_periods = forms.MultipleChoiceField(
        label=gettext_lazy("Kỳ báo cáo"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Các kỳ mà cơ quan chủ trì, phối hợp phải gửi báo cáo."),
    )

    class Meta:
        from .models import PlanDocument

        model = PlanDocument
        fields = [
            "kind",
            "number",
            "title",
            "issuing_body",
            "issued_on",
            "parent",
            "organization",
            "report_periods",
            "report_due_days",
            "is_public",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from trithuc.core.permissions import organizations_for
        from trithuc.organizations.fields import OrganizationChoiceField

        from .choices import PeriodKind
        from .models import PlanDocument

        super().__init__(*args, **kwargs)
        document = self.instance
        action = "change" if document.pk else "add"
        self.fields["report_periods"].choices = PeriodKind.choices
        self.fields["organization"] = OrganizationChoiceField(
            organizations_for(user, PlanDocument, action),
            action=action,
            label=_("Cơ quan thường trực theo dõi"),
            help_text=_("Cơ quan tổng hợp báo cáo và xem xét kết quả (ví dụ Sở KH&CN)."),
        )
        parents = PlanDocument.objects.restrict(user, "view")
        if document.pk:
            parents = parents.exclude(pk__in=_descendants(document))
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False

    def save(self, commit: bool = True) -> Any:
        from datetime import timedelta

        document = super().save(commit=commit)
        if commit and document.pk and "report_due_days" in self.changed_data:
            # Periods already opened take the new due date too.
            for period in document.periods.all():
                due = period.end + timedelta(days=document.report_due_days)
                if period.due != due:
                    period.due = due
                    period.save(update_fields=["due", "updated_at"])
        return document

    def clean_report_periods(self) -> list[str]:
        return list(self.cleaned_data.get("report_periods") or [])

    def clean_report_due_days(self) -> int:
        days = self.cleaned_data.get("report_due_days") or 0
        if not -90 <= days <= 90:
            raise ValidationError(
                _("Hạn báo cáo phải trong khoảng −90 đến 90 ngày so với cuối kỳ.")
            )
        return days


def _descendants(document: Any) -> set[int]:
    """The document and every document implementing it, however deep (no cycles)."""
    from .models import PlanDocument

    found = {document.pk}
    frontier = {document.pk}
    while frontier:
        frontier = (
            set(PlanDocument.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


class PlanTaskForm(forms.ModelForm):
    coordinator_list = OrganizationListField(
        label=gettext_lazy("Cơ quan phối hợp"),
        required=False,
        help_text=gettext_lazy(
            "Mỗi dòng một cơ quan: mã (ví dụ SNV) hoặc tên đầy đủ; có thể ghi nhóm như "
            "“Các sở, ban, ngành”."
        ),
    )

    class Meta:
        from .models import PlanTask

        model = PlanTask
        fields = [
            "section",
            "number",
            "content",
            "expected_output",
            "lead",
            "directed_by",
            "deadline_kind",
            "start",
            "due",
            "recurrence",
            "yearly_month",
            "yearly_day",
            "deadline_text",
            "is_public",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, document: Any = None, **kwargs: Any) -> None:
        from trithuc.organizations.fields import OrganizationChoiceField
        from trithuc.organizations.models import Organization

        super().__init__(*args, **kwargs)
        task = self.instance
        document = document or task.document
        self.fields["section"].queryset = document.sections.all()
        self.fields["lead"] = OrganizationChoiceField(
            Organization.objects.filter(is_active=True),
            required=False,
            label=_("Cơ quan chủ trì"),
            help_text=_("Gõ mã hoặc tên rồi chọn trong gợi ý."),
        )
        if task.pk:
            self.initial["lead"] = task.lead
            names = [f"{o.code} · {o.name}" for o in task.coordinators.all()]
            labels = dict(choices_groups())
            names += [str(labels.get(g, g)) for g in task.coordinator_groups]
            self.initial["coordinator_list"] = "\n".join(names)

    def clean(self) -> dict[str, Any]:
        from .choices import DeadlineKind

        data = super().clean()
        kind, start, due = data.get("deadline_kind"), data.get("start"), data.get("due")
        month, day = data.get("yearly_month"), data.get("yearly_day")
        if kind in (DeadlineKind.DATE, DeadlineKind.QUARTER, DeadlineKind.YEAR) and not due:
            self.add_error("due", _("Thời hạn loại này cần ngày hoàn thành."))
        if kind == DeadlineKind.FROM and not start:
            self.add_error("start", _("“Thực hiện từ” cần ngày bắt đầu."))
        if kind == DeadlineKind.RECURRING and not data.get("recurrence"):
            self.add_error(
                "recurrence", _("Nhiệm vụ định kỳ cần chọn thường xuyên, hằng năm hay hằng quý.")
            )
        if start and due and due < start:
            self.add_error("due", _("Hạn hoàn thành trước ngày bắt đầu; hãy kiểm tra lại."))
        if (month is None) != (day is None):
            self.add_error("yearly_day", _("Hạn hằng năm cần cả ngày và tháng."))
        elif month is not None and day is not None:
            import calendar

            if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
                self.add_error(
                    "yearly_day", _("Ngày %(d)s/%(m)s không có trên lịch.") % {"d": day, "m": month}
                )
        if not data.get("lead") and not (self.instance.lead_text or self.instance.lead_groups):
            self.add_error("lead", _("Hãy chọn cơ quan chủ trì."))
        return data

    def save(self, commit: bool = True) -> Any:
        task = super().save(commit=False)
        organizations, groups = self.cleaned_data.get("coordinator_list") or ([], [])
        if task.lead is not None:
            task.lead_text = task.lead.name[:500]
            task.lead_groups = []
        task.coordinator_groups = groups
        if "coordinator_list" in self.changed_data:
            labels = dict(choices_groups())
            task.coordinators_text = ", ".join(
                [o.name for o in organizations] + [str(labels.get(g, g)) for g in groups]
            )
        if commit:
            task.save()
            task.coordinators.set(organizations)
        return task


def choices_groups() -> list[tuple[str, Any]]:
    from .choices import AgencyGroup

    return list(AgencyGroup.choices)

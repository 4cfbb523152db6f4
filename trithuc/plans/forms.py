from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import TaskReport

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class TaskReportForm(forms.ModelForm):
    class Meta:
        model = TaskReport
        fields = ["progress", "done", "difficulties", "proposals", "evidence"]
        widgets = {
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "done": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_evidence(self) -> Any:
        evidence = self.cleaned_data.get("evidence")
        if evidence and getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                _("Tệp minh chứng nặng %(size)s MB; hãy chọn tệp dưới 10 MB (hoặc nén lại).")
                % {"size": round(evidence.size / 1024 / 1024, 1)}
            )
        return evidence

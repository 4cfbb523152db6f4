"""Importing a plan from its document: upload with the document's details, review what was
read (tasks, deadlines, agency names to settle), then write. See importing.py."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from trithuc.core.jobs import job_enqueue
from trithuc.core.permissions import organizations_for
from trithuc.core.views.generic import ObjectPermissionMixin
from trithuc.organizations.fields import OrganizationChoiceField
from trithuc.organizations.models import Organization

from . import importing
from .choices import DocumentKind
from .models import PlanDocument
from .parsing_files import MAX_FILE_BYTES

# The reader refuses larger files: refused here first, with the file named.
MAX_PLAN_BYTES = MAX_FILE_BYTES


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp kế hoạch"),
        help_text=gettext_lazy(
            "Văn bản kế hoạch hoặc phụ lục nhiệm vụ: .docx, .xlsx, .csv hoặc văn bản thuần "
            "(.txt), tối đa 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.csv,.txt,.tsv"}),
        allow_empty_file=True,
    )
    organization = OrganizationChoiceField(
        Organization.objects.none(),
        action="add",
        label=gettext_lazy("Cơ quan thường trực theo dõi"),
        help_text=gettext_lazy("Cơ quan tổng hợp báo cáo và xem xét kết quả (ví dụ Sở KH&CN)."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại văn bản"), choices=DocumentKind.choices, initial="plan"
    )
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=64, required=False)
    title = forms.CharField(
        label=gettext_lazy("Trích yếu"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Để trống thì lấy tên tệp."),
    )
    issuing_body = forms.CharField(
        label=gettext_lazy("Cơ quan ban hành"), max_length=255, required=False
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Ngày ban hành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    parent = forms.ModelChoiceField(
        PlanDocument.objects.none(), label=gettext_lazy("Thực hiện văn bản"), required=False
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm của các thời hạn không ghi năm"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=gettext_lazy("Ví dụ “Quý II” trong kế hoạch năm 2024. Mặc định: năm ban hành."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for(user, PlanDocument, "add")
        self.fields["parent"].queryset = PlanDocument.objects.restrict(user, "view")

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        name = uploaded.name or ""
        if PurePath(name).suffix.lower() not in importing.UPLOADS.extensions:
            raise forms.ValidationError(
                _(
                    "Tệp “%(name)s” không phải loại chương trình đọc được; hãy gửi .docx, .xlsx, "
                    ".csv hoặc .txt (tệp .doc cũ: mở bằng Word và lưu lại thành .docx)."
                )
                % {"name": name}
            )
        if uploaded.size == 0:
            raise forms.ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
        if uploaded.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(
                _("Tệp “%(name)s” nặng hơn 10 MB; hãy chỉ gửi phần phụ lục nhiệm vụ.")
                % {"name": name}
            )
        return uploaded


class PlanImportMixin(ObjectPermissionMixin):
    queryset = PlanDocument.objects.all()
    action = "add"


class PlanImportView(PlanImportMixin, View):
    template_name = "plans/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(PlanImportForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        uploaded = data["file"]
        upload_id = importing.UPLOADS.save(
            uploaded,
            user=request.user,
            organization_id=data["organization"].pk,
            kind=data["kind"],
            number=data["number"],
            title=data["title"] or PurePath(uploaded.name).stem,
            issuing_body=data["issuing_body"],
            issued_on=data["issued_on"].isoformat() if data["issued_on"] else "",
            parent_id=data["parent"].pk if data["parent"] else None,
            year=data["year"] or (data["issued_on"].year if data["issued_on"] else None),
            choices={},
        )
        job = job_enqueue(
            importing.plans_import_check,
            acting_user=request.user,
            title=_("Đọc kế hoạch: %(file)s") % {"file": uploaded.name},
            kind="plans.import_check",
            organization=data["organization"],
            upload_id=upload_id,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))

    def render_form(self, form: PlanImportForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form}, status=status)


class PlanImportReviewView(PlanImportMixin, View):
    """What the importer read: tasks by section, and for each agency name it could not settle
    a choice among its candidates or any organisation (typed). POST saves the choices and
    writes the plan (a job); "Đọc lại" re-checks with the choices made so far."""

    template_name = "plans/import_review.html"

    def upload(self, upload_id: str) -> dict[str, Any]:
        found = importing.UPLOADS.get(upload_id)
        if found is None or found[1].get("user_id") != self.request.user.pk:
            raise Http404
        meta = found[1]
        if "report" not in meta:
            raise Http404
        return meta

    def get(self, request: HttpRequest, upload_id: str) -> HttpResponse:
        meta = self.upload(upload_id)
        return self.render_page(upload_id, meta, self.choice_form(meta))

    def post(self, request: HttpRequest, upload_id: str) -> HttpResponse:
        meta = self.upload(upload_id)
        form = self.choice_form(meta, request.POST)
        if not form.is_valid():
            return self.render_page(upload_id, meta, form, status=400)
        choices = dict(meta.get("choices", {}))
        for index, entry in enumerate(meta["report"].get("agencies_to_review", [])):
            org = form.cleaned_data.get(f"agency_{index}")
            if org is not None:
                choices[entry["text"]] = org.pk
        importing.UPLOADS.update(upload_id, choices=choices)
        task = importing.plans_import_check
        title = _("Đọc lại kế hoạch: %(file)s")
        kind = "plans.import_check"
        if request.POST.get("action") == "commit":
            task, title, kind = importing.plans_import_commit, _("Ghi kế hoạch: %(file)s"), ""
            kind = "plans.import_commit"
        job = job_enqueue(
            task,
            acting_user=request.user,
            title=title % {"file": meta.get("filename", "")},
            kind=kind,
            organization=Organization.objects.filter(pk=meta.get("organization_id")).first(),
            upload_id=upload_id,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))

    def choice_form(self, meta: dict[str, Any], data: Any = None) -> forms.Form:
        form = forms.Form(data)
        chosen = meta.get("choices", {})
        for index, entry in enumerate(meta["report"].get("agencies_to_review", [])):
            field = OrganizationChoiceField(
                Organization.objects.filter(is_active=True),
                required=False,
                label=entry["text"],
                help_text=_("Để trống: giữ tên như văn bản ghi, chọn sau khi sửa nhiệm vụ."),
            )
            form.fields[f"agency_{index}"] = field
            # A proposal (a merged department's successor, a close spelling) is shown beside
            # the field, never chosen for the person: they decide.
            initial = chosen.get(entry["text"])
            if initial:
                form.initial[f"agency_{index}"] = int(initial)
        return form

    def render_page(
        self, upload_id: str, meta: dict[str, Any], form: forms.Form, status: int = 200
    ) -> HttpResponse:
        report = meta["report"]
        sections: dict[str, dict[str, Any]] = {}
        for task in report["tasks"]:
            key = task["section"] or ""
            entry = sections.setdefault(key, {"title": task["section_title"], "tasks": []})
            entry["tasks"].append(task)
        agencies = [
            {"entry": entry, "field": form[f"agency_{index}"]}
            for index, entry in enumerate(report.get("agencies_to_review", []))
        ]
        context = {
            "upload_id": upload_id,
            "meta": meta,
            "report": report,
            "counts": report["counts"],
            "sections": sections,
            "agencies": agencies,
            "form": form,
            "organization": Organization.objects.filter(pk=meta.get("organization_id")).first(),
        }
        return render(self.request, self.template_name, context, status=status)

"""Importing an organisation list from Excel: upload, check (a job), confirm, commit (a job).

Only users who may add organisations get here (the generic permission mixin, action "add").
The upload is stored under MEDIA_ROOT/imports/ with a random name that only its uploader can
use; both jobs read it again, so the commit checks the database as it is then.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from trithuc.core.jobs import job_enqueue
from trithuc.core.views.generic import ObjectPermissionMixin

from . import importers, services
from .models import Organization

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách tổ chức"),
        help_text=_("Bảng tính .xlsx hoặc .csv (UTF-8), tối đa 10 MB và 20.000 dòng."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        allow_empty_file=True,  # check_upload says it in our words, naming the file
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        head = uploaded.read(8)
        uploaded.seek(0)
        try:
            importers.check_upload(uploaded.name, uploaded.size, head)
        except importers.ImportFileError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return uploaded


class ImportPermissionMixin(ObjectPermissionMixin):
    queryset = Organization.objects.all()
    action = "add"


class OrganizationImportView(ImportPermissionMixin, View):
    """The upload page; a valid upload starts the checking job and goes to its page."""

    template_name = "organizations/organization_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(OrganizationImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=400)
        uploaded = form.cleaned_data["file"]
        upload_id = importers.store_upload(uploaded, user=request.user)
        job = job_enqueue(
            services.organizations_import_check,
            acting_user=request.user,
            title=gettext("Kiểm tra danh sách tổ chức: %(file)s") % {"file": uploaded.name},
            kind="organizations.import_check",
            organization=getattr(request.user, "organization", None),
            upload_id=upload_id,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))

    def render_form(self, form: OrganizationImportForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "columns": importers.COLUMNS,
            "max_rows": f"{importers.MAX_ROWS:,}".replace(",", "."),
            "meta": self.model_meta,
        }
        return render(self.request, self.template_name, context, status=status)


class OrganizationImportCommitView(ImportPermissionMixin, View):
    """Confirm (GET), then write (POST) a checked upload; only its uploader may."""

    template_name = "organizations/organization_import_commit.html"

    def upload(self, upload_id: str) -> tuple[Any, dict[str, Any]]:
        found = importers.stored_upload(upload_id)
        if found is None or found[1].get("user_id") != self.request.user.pk:
            raise Http404
        return found

    def get(self, request: HttpRequest, upload_id: str) -> HttpResponse:
        _path, meta = self.upload(upload_id)
        return render(
            request,
            self.template_name,
            {"meta": self.model_meta, "upload": meta, "checked": meta.get("checked")},
        )

    def post(self, request: HttpRequest, upload_id: str) -> HttpResponse:
        _path, meta = self.upload(upload_id)
        job = job_enqueue(
            services.organizations_import_commit,
            acting_user=request.user,
            title=gettext("Ghi danh sách tổ chức: %(file)s") % {"file": meta.get("filename", "")},
            kind="organizations.import_commit",
            organization=getattr(request.user, "organization", None),
            upload_id=upload_id,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))


class OrganizationImportTemplateView(ImportPermissionMixin, View):
    """The .xlsx template, with an example row under an organisation the user may add to."""

    def get(self, request: HttpRequest) -> HttpResponse:
        parent = (
            Organization.objects.restrict(request.user, "add")
            .order_by("depth", "path")
            .values_list("code", flat=True)
            .first()
        )
        # The template is the Vietnamese administrative form whatever the interface language:
        # its headers, type list and example row are what the importer expects.
        with translation.override("vi"):
            content = importers.build_template(example_parent=parent or "")
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-to-chuc.xlsx"'
        return response

"""Pages of the intake: upload, mapping, the report (after the checking job), commit, the
marked copy, the template, exports in the template layout.

Who may: the registry's writers (HR officers, data stewards) for the organisations of
their subtree (INTAKE_POLICY); a batch of another agency is 404. The long work (checking,
writing, marking the copy) runs as jobs whose page shows progress and leads back here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.exports import XLSX_TYPE
from trithuc.core.jobs import job_enqueue
from trithuc.core.tabular import TabularFileError
from trithuc.core.views.generic import ObjectListView, ObjectPermissionMixin
from trithuc.registry.filtersets import PersonFilterSet
from trithuc.registry.models import Person

from . import services, template
from .annotate import ANNOTATED
from .choices import BatchStatus
from .columns import COLUMN_BY_FIELD, TEMPLATE_COLUMNS
from .forms import MAX_ROWS_TEXT, MappingForm, UploadForm
from .models import ColumnMapping, ImportBatch
from .reading import REQUIRED_COLUMNS

SHOWS = {"all", "errors", "warnings"}
PER_PAGE = 100


class BatchMixin(ObjectPermissionMixin):
    queryset = ImportBatch.objects.select_related("organization", "uploaded_by")

    def batch(self, pk: int) -> ImportBatch:
        return self.get_restricted_object(pk=pk)


class UploadView(BatchMixin, View):
    """The upload page; a readable file goes on to the mapping step."""

    action = "add"
    template_name = "intake/upload.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(UploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(form, status=400)
        saved = form.cleaned_data["mapping"]
        batch = services.batch_create(
            uploaded=form.cleaned_data["file"],
            organization=form.cleaned_data["organization"],
            acting_user=request.user,
            mapping_name=saved.name if saved else "",
        )
        try:
            services.batch_layout(batch, saved=saved.mapping if saved else {})
        except TabularFileError as exc:
            batch.status = BatchStatus.FAILED
            batch.file_issues = exc.issues
            batch.save(update_fields=["status", "file_issues", "updated_at"])
            form.add_error("file", exc.message)
            return self.render_form(form, status=400)
        return HttpResponseRedirect(reverse("intake:batch_mapping", args=[batch.pk]))

    def render_form(self, form: UploadForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "columns": [c for c in TEMPLATE_COLUMNS if c.field not in {"row_number", "note"}],
            "max_rows": MAX_ROWS_TEXT,
            "meta": self.model_meta,
        }
        return render(self.request, self.template_name, context, status=status)


class BatchMappingView(BatchMixin, View):
    """The columns found in the file, each mapped to a field or left out; confirming starts
    the checking job."""

    action = "change"
    template_name = "intake/mapping.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        return self.render_form(batch, MappingForm(batch=batch))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        if batch.status in (BatchStatus.COMMITTED, BatchStatus.COMMITTING, BatchStatus.STAGING):
            messages.error(request, _("Đợt nhập này đang chạy hoặc đã ghi, không ghép lại cột."))
            return HttpResponseRedirect(batch.get_absolute_url())
        form = MappingForm(request.POST, batch=batch)
        if not form.is_valid():
            return self.render_form(batch, form, status=400)
        with transaction.atomic():
            batch.mapping = form.mapping()
            name = form.cleaned_data["save_as"].strip()
            if name:
                ColumnMapping.objects.update_or_create(
                    organization=batch.organization, name=name, defaults={"mapping": batch.mapping}
                )
                batch.mapping_name = name
            batch.status = BatchStatus.STAGING
            batch.save(update_fields=["mapping", "mapping_name", "status", "updated_at"])
            job = job_enqueue(
                services.intake_stage_job,
                acting_user=request.user,
                title=_("Kiểm tra danh sách trí thức: %(file)s") % {"file": batch.file_name},
                kind="intake.stage",
                organization=batch.organization,
                batch_id=batch.pk,
            )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))

    def render_form(self, batch: ImportBatch, form: MappingForm, status: int = 200) -> HttpResponse:
        context = {
            "batch": batch,
            "form": form,
            "layout": batch.layout,
            "required": [COLUMN_BY_FIELD[name].label for name in REQUIRED_COLUMNS],
            "meta": self.model_meta,
        }
        return render(self.request, self.template_name, context, status=status)


class BatchDetailView(BatchMixin, View):
    """The validation report: counts, the file's problems, the rows with issues."""

    template_name = "intake/batch_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        show = request.GET.get("show", "all")
        show = show if show in SHOWS else "all"
        rows = batch.issue_rows.order_by("sheet", "row")
        if show == "errors":
            rows = rows.filter(has_error=True)
        elif show == "warnings":
            rows = rows.filter(has_warning=True, has_error=False)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        may_change = ImportBatch.objects.restrict(request.user, "change").filter(pk=pk).exists()
        context = {
            "batch": batch,
            "object": batch,
            "show": show,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "rows": page.object_list,
            "error_rows": batch.issue_rows.filter(has_error=True).count(),
            "may_commit": may_change
            and batch.status == BatchStatus.STAGED
            and batch.committable > 0,
            "may_remap": may_change
            and batch.status in (BatchStatus.STAGED, BatchStatus.UPLOADED, BatchStatus.FAILED)
            and bool(batch.layout),
            "several_sheets": len(batch.layout.get("sheets", [])) > 1,
            "meta": self.model_meta,
        }
        return render(request, self.template_name, context)


class BatchCommitView(BatchMixin, View):
    """POST: write a checked batch (a job); GET is not offered (405)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        if batch.status != BatchStatus.STAGED:
            messages.error(request, _("Đợt nhập này không ở trạng thái chờ ghi."))
            return HttpResponseRedirect(batch.get_absolute_url())
        job = job_enqueue(
            services.intake_commit_job,
            acting_user=request.user,
            title=_("Ghi danh sách trí thức: %(file)s") % {"file": batch.file_name},
            kind="intake.commit",
            organization=batch.organization,
            batch_id=batch.pk,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))


class BatchAnnotateView(BatchMixin, View):
    """POST: build the marked copy of the file (a job)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        job = job_enqueue(
            services.intake_annotate_job,
            acting_user=request.user,
            title=_("Bản có đánh dấu: %(file)s") % {"file": batch.file_name},
            kind="intake.annotate",
            organization=batch.organization,
            batch_id=batch.pk,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))


class BatchAnnotatedView(BatchMixin, View):
    """The marked copy, once built."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        found = ANNOTATED.get(batch.annotated_id) if batch.annotated_id else None
        if found is None:
            raise Http404
        path, meta = found
        response = FileResponse(path.open("rb"), content_type=XLSX_TYPE)
        name = meta.get("filename", "kiem-tra.xlsx")
        response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
        return response


def _ascii(name: str) -> str:
    from django.utils.text import slugify

    stem, _dot, suffix = name.rpartition(".")
    return f"{slugify(stem) or 'tep'}.{suffix or 'xlsx'}"


class BatchListView(ObjectListView):
    queryset = ImportBatch.objects.select_related("organization", "uploaded_by")
    template_name = "intake/batch_list.html"
    paginate_by = 50


class TemplateView(BatchMixin, View):
    """The .xlsx template, its example row under an organisation the user may import to."""

    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        from trithuc.core.permissions import organizations_for

        unit = (
            organizations_for(request.user, ImportBatch, "add")
            .order_by("depth", "path")
            .values_list("code", flat=True)
            .first()
        )
        content = template.build_template(unit_code=unit or "")
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-tri-thuc.xlsx"'
        return response


class ExportView(ObjectPermissionMixin, View):
    """The registry list's filtered people in the template's layout (same filterset, same
    scope as the list), audited; importing it again changes nothing."""

    queryset = Person.objects.all()

    def get(self, request: HttpRequest) -> HttpResponse:
        people = self.get_queryset()
        fs = PersonFilterSet(request.GET or None, queryset=people, request=request)
        if fs.is_bound and not fs.is_valid():
            return HttpResponse(
                _("Bộ lọc không hợp lệ. Hãy sửa bộ lọc ở danh sách rồi xuất lại."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        if fs.is_bound:
            people = fs.qs
        people = template.export_queryset(people.order_by("sort_key", "pk"))
        count = people.count()
        content = template.export_people(people.iterator(chunk_size=2000), timezone.localdate())
        filters = {k: v for k, v in request.GET.items() if v and k != "q"}
        audit.record(
            AuditKind.EXPORT,
            request=request,
            details={"what": "intake.template", "rows": count, "filters": filters},
        )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="tri-thuc-theo-mau.xlsx"'
        return response


def context_columns() -> list[Any]:
    return list(TEMPLATE_COLUMNS)

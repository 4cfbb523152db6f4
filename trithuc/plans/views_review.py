"""The yearly review of a plan as a Word document, for those who may see the plan."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.text import fold
from trithuc.core.views import generic

from . import review
from .models import PlanDocument


class DocumentReviewView(generic.ObjectPermissionMixin, View):
    """GET ?year=YYYY (this year by default): "BÁO CÁO Kết quả thực hiện ... năm YYYY" as
    .docx, audited as an export."""

    queryset = PlanDocument.objects.select_related("organization")
    template_name = "plans/document_review_invalid.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_restricted_object(pk=pk)
        today = timezone.localdate()
        raw = request.GET.get("year")
        year = review.parse_year(raw, today)
        if year is None:
            message = _(
                "Năm báo cáo “%(value)s” không hợp lệ. Hãy chọn một năm từ %(first)s đến "
                "%(last)s, ví dụ ?year=%(last)s."
            ) % {"value": raw, "first": review.FIRST_YEAR, "last": today.year}
            context = {"object": document, "message": message, "this_year": today.year,
                       "first_year": review.FIRST_YEAR}  # fmt: skip
            return render(request, self.template_name, context, status=400)
        data = review.collect_review(document, year, today=today)
        content = review.render_review(data)
        audit.record(
            AuditKind.EXPORT,
            request=request,
            obj=document,
            details={
                "what": "plans.yearly_review",
                "rows": len(data.lines),
                "filters": {"year": str(year)},
            },
        )
        response = HttpResponse(content, content_type=review.DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename(document, year)}"'
        return response


def filename(document: PlanDocument, year: int) -> str:
    """ "bao-cao-133-kh-ubnd-2025.docx" (ASCII: every browser and mail client keeps it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(document.number)).strip("-")[:60].strip("-")
    return f"bao-cao-{slug or f'ke-hoach-{document.pk}'}-{year}.docx"

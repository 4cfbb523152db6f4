"""Job progress and the audit log."""

import django_filters
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trithuc.core.choices import AuditKind
from trithuc.core.filtersets import BaseFilterSet, DateInput
from trithuc.core.models import AuditEvent, Job
from trithuc.core.views import generic


class JobDetailView(generic.ObjectDetailView):
    """The job's page; htmx polls the progress fragment until the job has finished."""

    queryset = Job.objects.all()
    template_name = "core/job_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        job = self.get_restricted_object(pk=pk)
        template = "core/_job_progress.html" if request.htmx else self.template_name  # type: ignore[attr-defined]
        return render(request, template, {"job": job, "object": job})


class JobListView(generic.ObjectListView):
    queryset = Job.objects.select_related("created_by")
    template_name = "core/job_list.html"


class AuditEventFilterSet(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=AuditKind.choices, label=_("Loại sự kiện"))
    actor_name = django_filters.CharFilter(lookup_expr="icontains", label=_("Tên đăng nhập"))
    ip = django_filters.CharFilter(lookup_expr="startswith", label=_("Địa chỉ IP"))
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("Từ ngày"), widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("Đến ngày"), widget=DateInput()
    )
    object_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("Đối tượng"))

    class Meta:
        model = AuditEvent
        fields = ["kind", "actor_name", "ip", "since", "until", "object_repr"]


class AuditEventListView(generic.ObjectListView):
    queryset = AuditEvent.objects.select_related("actor", "organization")
    filterset = AuditEventFilterSet
    template_name = "core/audit_list.html"

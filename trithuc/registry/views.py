"""Staff pages of the registry: list, detail with sections, edit with inline sub-records,
history with revert, sensitive fields on request (audited), export, taxonomies."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.views import generic

from . import citizen_id, filtersets, forms, services
from .models import (
    CURRENT_FIELD_VERSION,
    DegreeLevel,
    EthnicGroup,
    FieldOfScience,
    Person,
    ProfessorshipCouncil,
)
from .selectors import sub_record_history

LIST_QUERYSET = Person.objects.select_related("organization", "highest_degree", "primary_field")


class PersonListView(generic.ObjectListView):
    queryset = LIST_QUERYSET
    filterset = filtersets.PersonFilterSet
    template_name = "registry/person_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx


def _detail_queryset() -> Any:
    prefetches = [
        Prefetch("positions", queryset=forms.m.Position.objects.select_related("organization")),
        Prefetch("titles", queryset=forms.m.AcademicTitle.objects.select_related("council")),
        Prefetch("degrees", queryset=forms.m.Degree.objects.select_related("level", "field")),
        Prefetch("expertise", queryset=forms.m.Expertise.objects.select_related("field")),
    ]
    others = [
        s.related_name
        for s in forms.SECTIONS
        if s.key not in {"positions", "titles", "degrees", "expertise"}
    ]
    return Person.objects.select_related(
        "organization",
        "highest_degree",
        "primary_field",
        "residence_unit__parent",
        "source_organization",
        "verified_by",
    ).prefetch_related(*prefetches, *others)


class PersonDetailView(generic.ObjectDetailView):
    queryset = Person.objects.all()
    template_name = "registry/person_detail.html"

    def get_queryset(self) -> Any:
        return _detail_queryset().restrict(self.request.user, "view")

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        today = timezone.localdate()
        ctx.update(
            today=today,
            age=obj.age(today),
            sections=[section_table(section, obj) for section in forms.SECTIONS],
            may_read_sensitive=services.may_read_sensitive(self.request.user, obj),
        )
        return ctx


def field_display(obj: Any, name: str) -> str:
    """A stored value as a reader sees it: choice labels, names, dates, yes/no."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return _("Có") if value else ""
    if getattr(field, "choices", None) and not isinstance(value, list):
        return str(getattr(obj, f"get_{name}_display")())
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if name == "parts" and hasattr(obj, "parts_display"):
        return ", ".join(obj.parts_display())
    if name == "country":
        return str(value.name)
    return str(value)


def section_table(section: forms.Section, person: Person) -> dict[str, Any]:
    """One section of the detail page: its column headers and a row of values per record."""
    records = list(getattr(person, section.related_name).all())
    columns = [
        capfirst(str(section.model._meta.get_field(name).verbose_name)) for name in section.fields
    ]
    return {
        "section": section,
        "columns": columns,
        "rows": [(r, [field_display(r, name) for name in section.fields]) for r in records],
    }


class PersonEditView(generic.ObjectEditView):
    """Create or edit a person with the main sub-records inline."""

    queryset = Person.objects.all()
    form = forms.PersonForm
    template_name = "registry/person_edit.html"
    section_keys: ClassVar[list[str]] = forms.MAIN_SECTIONS

    def get_formsets(self, obj: Any, data: Any = None, files: Any = None) -> dict[str, Any]:
        result = {}
        for key in self.section_keys:
            section = forms.SECTIONS_BY_KEY[key]
            formset = section.formset_class()(
                data=data, files=files, instance=obj, prefix=key, user=self.request.user
            )
            formset.section = section
            result[key] = formset
        return result

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        person = self.get_object(pk)
        form = self.get_form(person)
        # The form shows ethnicity and religion to the roles allowed them: a read.
        if person.pk and form.shows_sensitive and (person.ethnicity_id or person.religion):
            audit.record(
                AuditKind.SENSITIVE_READ,
                obj=person,
                request=request,
                details={"read_fields": ["ethnicity", "religion"], "source": "edit_form"},
            )
        return self.render_form(person, form, self.get_formsets(person))


class PersonSectionEditView(PersonEditView):
    """One kind of sub-record of a person, edited as a list of rows."""

    template_name = "registry/person_section_edit.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        section = kwargs.pop("section")
        if section not in forms.SECTIONS_BY_KEY:
            raise Http404
        self.section_keys = [section]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        person = self.get_object(pk)
        return self.render_form(person, None, self.get_formsets(person))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        person = self.get_object(pk)
        formsets = self.get_formsets(person, request.POST, request.FILES)
        formset = next(iter(formsets.values()))
        if not formset.is_valid():
            return self.render_form(person, None, formsets, status=400)
        with transaction.atomic():
            formset.save()
            if formset.has_changed():
                audit.record(
                    AuditKind.OBJECT_CHANGED,
                    obj=person,
                    request=request,
                    details={"fields": [formset.section.key]},
                )
        messages.success(request, _("Đã lưu %(section)s.") % {"section": formset.section.label})
        return HttpResponseRedirect(person.get_absolute_url() + f"#{formset.section.key}")


class PersonDeleteView(generic.ObjectDeleteView):
    queryset = Person.objects.all()
    success_url = reverse_lazy("registry:person_list")


# Fields whose values the history page never shows (sensitive, or ciphertext): it says only
# that they changed.
MASKED_HISTORY_FIELDS = {
    "ethnicity": gettext_lazy("Dân tộc"),
    "religion": gettext_lazy("Tôn giáo"),
    "citizen_id_hash": gettext_lazy("Số định danh cá nhân"),
}


class PersonHistoryView(generic.ObjectHistoryView):
    queryset = Person.objects.all()
    masked_fields = MASKED_HISTORY_FIELDS

    template_name = "registry/person_history.html"

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        return {
            "can_revert": services.may_revert(self.request.user, obj),
            "revert_url_name": "registry:person_revert",
            "sub_records": sub_record_history(obj, forms.SECTIONS),
        }


class PersonRevertView(generic.ObjectPermissionMixin, View):
    """POST: restore a person's own fields to an earlier version (data stewards)."""

    queryset = Person.objects.all()

    def post(self, request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
        person = self.get_restricted_object(pk=pk)
        if not services.may_revert(request.user, person):
            raise PermissionDenied
        try:
            services.revert_person(person, history_id, user=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã khôi phục phiên bản đã chọn."))
        return HttpResponseRedirect(reverse("registry:person_history", args=[pk]))


class PersonRecordRevertView(generic.ObjectPermissionMixin, View):
    """POST: restore one sub-record to a version (a deleted degree comes back)."""

    queryset = Person.objects.all()

    def post(self, request: HttpRequest, pk: int, section: str, history_id: int) -> HttpResponse:
        person = self.get_restricted_object(pk=pk)
        if section not in forms.SECTIONS_BY_KEY:
            raise Http404
        if not services.may_revert(request.user, person):
            raise PermissionDenied
        model = forms.SECTIONS_BY_KEY[section].model
        try:
            services.revert_record(person, model, history_id, user=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã khôi phục phiên bản đã chọn."))
        return HttpResponseRedirect(reverse("registry:person_history", args=[pk]))


class PersonSensitiveView(generic.ObjectPermissionMixin, View):
    """The sensitive fields of one person, on request; each request is an audit event."""

    queryset = Person.objects.select_related("ethnicity")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_restricted_object(pk=pk)
        if not services.may_read_sensitive(request.user, person):
            raise PermissionDenied
        values = services.read_sensitive(person, user=request.user, request=request, purpose="page")
        template = (
            "registry/_sensitive.html"
            if getattr(request, "htmx", False)
            else "registry/person_sensitive.html"
        )
        return render(request, template, {"object": person, "values": values})


class PersonPhotoView(generic.ObjectPermissionMixin, View):
    """A person's photo, served only to those who may view the person (never /media/)."""

    queryset = Person.objects.all()

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_restricted_object(pk=pk)
        if not person.photo:
            raise Http404
        try:
            handle = person.photo.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle)
        response["Cache-Control"] = "private, max-age=300"
        return response


def _title_and_degree(person: Person) -> str:
    parts = [person.title] if person.title else []
    if person.highest_degree:
        parts.append(person.highest_degree.abbreviation or person.highest_degree.name)
    return ".".join(parts)


EXPORT_COLUMNS = [
    (gettext_lazy("Mã hồ sơ"), lambda p: p.pk),
    (gettext_lazy("Họ và tên"), lambda p: p.full_name),
    (gettext_lazy("Ngày sinh"), lambda p: p.birth_display),
    (gettext_lazy("Giới tính"), lambda p: p.get_gender_display()),
    (gettext_lazy("Học hàm"), lambda p: p.get_title_display() if p.title else ""),
    (gettext_lazy("Trình độ cao nhất"), lambda p: str(p.highest_degree or "")),
    (gettext_lazy("Lĩnh vực chính"), lambda p: str(p.primary_field or "")),
    (gettext_lazy("Đơn vị"), lambda p: p.organization.name),
    (gettext_lazy("Mã đơn vị"), lambda p: p.organization.code),
    (gettext_lazy("Khu vực công tác"), lambda p: p.get_sector_display()),
    (gettext_lazy("Tình trạng"), lambda p: p.get_status_display()),
    (gettext_lazy("Giữ chức vụ lãnh đạo"), lambda p: _("Có") if p.is_leader else ""),
    (gettext_lazy("Tuổi"), lambda p: p.age()),
    (
        gettext_lazy("Ngày nghỉ hưu theo quy định"),
        lambda p: p.retirement_date.strftime("%d/%m/%Y") if p.retirement_date else "",
    ),
    (gettext_lazy("Thư điện tử"), lambda p: p.email),
    (gettext_lazy("Điện thoại"), lambda p: p.phone),
    (gettext_lazy("Nguồn"), lambda p: p.get_source_display()),
    (gettext_lazy("Xác minh"), lambda p: p.get_verification_display()),
]


class PersonExportView(generic.ObjectExportView):
    queryset = LIST_QUERYSET
    filterset = filtersets.PersonFilterSet
    export_columns = EXPORT_COLUMNS
    filename = "tri-thuc.xlsx"

    def filters_for_audit(self, filters: dict[str, str]) -> dict[str, str]:
        # A search by citizen ID must not leave the number readable in the audit log.
        number, _fixes = citizen_id.normalize(filters.get("q", ""))
        if number.isdigit() and len(number) == 12:
            filters = {**filters, "q": citizen_id.masked_last_digits(number[-3:])}
        return filters


# ---- taxonomies -----------------------------------------------------------------------------

TAXONOMIES: dict[str, tuple[type, list[str]]] = {
    "fields": (FieldOfScience, ["version", "code", "name", "name_en", "level", "parent", "note",
                               "is_active"]),
    "degrees": (DegreeLevel, ["code", "name", "name_en", "abbreviation", "group", "rank",
                              "nqf_level", "synonyms", "is_active"]),
    "ethnic-groups": (EthnicGroup, ["code", "name", "name_en", "other_names", "is_active"]),
    "councils": (ProfessorshipCouncil, ["code", "name", "name_en", "is_active"]),
}  # fmt: skip


class TaxonomyMixin:
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = kwargs.pop("kind")
        if kind not in TAXONOMIES:
            raise Http404
        self.kind = kind
        model, fields = TAXONOMIES[kind]
        self.queryset = model.objects.all()
        self.form = django_forms.modelform_factory(model, form=_TaxonomyForm, fields=fields)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class _TaxonomyForm(django_forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            # A parent of the same version only (2008 and 2025 share their codes).
            version = getattr(self.instance, "version", None) or CURRENT_FIELD_VERSION
            self.fields["parent"].queryset = FieldOfScience.objects.filter(version=version)


class TaxonomyListView(TaxonomyMixin, generic.ObjectListView):
    template_name = "registry/taxonomy_list.html"
    paginate_by = 200

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            kind=self.kind,
            kinds=[(k, m._meta.verbose_name_plural) for k, (m, _f) in TAXONOMIES.items()],
        )
        return ctx


class TaxonomyEditView(TaxonomyMixin, generic.ObjectEditView):
    pass


class TaxonomyHistoryView(TaxonomyMixin, generic.ObjectHistoryView):
    pass

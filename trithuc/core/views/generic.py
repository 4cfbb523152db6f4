"""Generic object views that apply `restrict(user, action)` themselves.

A concrete view is a few class attributes (NetBox style). Anything outside the user's scope is
a 404, so an officer cannot even learn that another agency's object exists; a user with no
role allowing the action at all gets 403.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.permissions import user_can


class ObjectPermissionMixin(LoginRequiredMixin):
    """Checks page access and gives the restricted queryset for `action`."""

    queryset: ClassVar[models.QuerySet]
    action: ClassVar[str] = "view"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not user_can(
            request.user, self.queryset.model, self.action
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_queryset(self) -> models.QuerySet:
        return self.queryset.restrict(self.request.user, self.action)  # type: ignore[attr-defined]

    def get_restricted_object(self, **lookup: Any) -> Any:
        try:
            return self.get_queryset().get(**lookup)
        except self.queryset.model.DoesNotExist as exc:
            raise Http404 from exc

    @property
    def model_meta(self) -> Any:
        return self.queryset.model._meta


class ObjectListView(ObjectPermissionMixin, ListView):
    """A filtered, paginated list of what the user may view."""

    filterset: ClassVar[Any] = None
    paginate_by = 50
    template_name = "core/object_list.html"
    columns: ClassVar[list[tuple[str, str]]] = []

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        self.filter_form = None
        if self.filterset is not None:
            fs = self.filterset(self.request.GET or None, queryset=qs, request=self.request)
            self.filter_form = fs.form
            if fs.is_bound:
                # A filter that cannot be read shows its error and no rows, rather than
                # silently the whole list as if it had not been asked for.
                qs = fs.qs if fs.is_valid() else qs.none()
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            meta=self.model_meta,
            columns=self.columns,
            filter_form=self.filter_form,
            can_add=user_can(self.request.user, self.queryset.model, "add"),
        )
        return ctx


class ObjectDetailView(ObjectPermissionMixin, View):
    template_name: ClassVar[str] = "core/object_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_restricted_object(pk=pk)
        return render(request, self.template_name, self.get_context(obj))

    def get_context(self, obj: Any) -> dict[str, Any]:
        model = self.queryset.model
        user = self.request.user
        change_q = model.objects.restrict(user, "change")
        return {
            "object": obj,
            "meta": self.model_meta,
            "can_change": change_q.filter(pk=obj.pk).exists(),
            "can_delete": model.objects.restrict(user, "delete").filter(pk=obj.pk).exists(),
        }


class ObjectEditView(ObjectPermissionMixin, View):
    """Create (no pk) or update (pk) through a form whose `save()` may call a service."""

    form: ClassVar[Any]
    template_name: ClassVar[str] = "core/object_edit.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = "change" if kwargs.get("pk") else "add"  # type: ignore[misc]
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, pk: int | None) -> Any:
        if pk is None:
            return self.queryset.model()
        return self.get_restricted_object(pk=pk)

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        return self.form(data=data, files=files, instance=obj, user=self.request.user)

    def get_formsets(self, obj: Any, data: Any = None, files: Any = None) -> dict[str, Any]:
        """Inline formsets edited with the object (sub-records), by name; none by default."""
        return {}

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render_form(obj, self.get_form(obj), self.get_formsets(obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.get_form(obj, request.POST, request.FILES)
        # Validate the object first: its cleaned values (a birth date) are what the inline
        # rows are checked against.
        form_valid = form.is_valid()
        formsets = self.get_formsets(form.instance, request.POST, request.FILES)
        formsets_valid = all([fs.is_valid() for fs in formsets.values()])
        if not (form_valid and formsets_valid):
            return self.render_form(obj, form, formsets, status=400)
        created = obj.pk is None
        form.request = request  # for forms whose save() calls a service that audits
        try:
            with transaction.atomic():
                obj = self._save(form, created, request, formsets)
        except ValidationError as exc:
            # A rule that only the write itself can check (the tree, under its lock).
            form.add_error(None, exc)
            return self.render_form(form.instance, form, formsets, status=400)
        messages.success(request, _("Đã lưu %(object)s.") % {"object": obj})
        return HttpResponseRedirect(obj.get_absolute_url())

    def _save(
        self, form: Any, created: bool, request: HttpRequest, formsets: dict[str, Any] | None = None
    ) -> Any:
        obj = form.save()
        changed = set(form.changed_data)
        for name, formset in (formsets or {}).items():
            formset.instance = obj
            formset.save()
            if formset.has_changed():
                changed.add(name)
        # A form that saves through a service records its own, more precise event.
        if not getattr(form, "audited_by_service", False):
            audit.record(
                AuditKind.OBJECT_CREATED if created else AuditKind.OBJECT_CHANGED,
                obj=obj,
                request=request,
                details={"fields": sorted(changed)},
            )
        return obj

    def render_form(
        self, obj: Any, form: Any, formsets: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        formsets = formsets or {}
        context = {
            "object": obj,
            "form": form,
            "formsets": formsets,
            "formsets_have_errors": any(
                fs.is_bound and fs.total_error_count() for fs in formsets.values()
            ),
            "meta": self.model_meta,
        }
        return render(self.request, self.template_name, context, status=status)


class ObjectDeleteView(ObjectPermissionMixin, View):
    """Confirm, then delete; refused with the list of dependents when something still needs it."""

    action = "delete"
    template_name: ClassVar[str] = "core/object_delete.html"
    success_url: ClassVar[str] = "/"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_restricted_object(pk=pk)
        return self.render_page(obj, obj.delete_blockers())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_restricted_object(pk=pk)
        with transaction.atomic():
            blockers = obj.delete_blockers()
            if blockers:
                return self.render_page(obj, blockers, status=409)
            audit.record(AuditKind.OBJECT_DELETED, obj=obj, request=request)
            label = str(obj)
            obj.delete()
        messages.success(request, _("Đã xóa %(object)s.") % {"object": label})
        return HttpResponseRedirect(self.success_url)

    def render_page(self, obj: Any, blockers: list[str], status: int = 200) -> HttpResponse:
        ctx = {"object": obj, "blockers": blockers, "meta": self.model_meta}
        return render(self.request, self.template_name, ctx, status=status)


class ObjectHistoryView(ObjectPermissionMixin, View):
    """Field-level change history of one object: who changed which field from what to what.

    Newest first, 50 versions a page; each page reads one version more than it shows, to
    diff its oldest entry, and names related objects with one query per field.
    """

    template_name: ClassVar[str] = "core/object_history.html"
    per_page: ClassVar[int] = 50
    # Fields whose values are never shown (sensitive data, ciphertext): only that they changed.
    masked_fields: ClassVar[dict[str, Any]] = {}

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def describe(self, obj: Any, change: Any, names: dict[tuple[str, Any], str]) -> dict | None:
        """One changed field as the page shows it, or None to leave it out."""
        if change.field in self.masked_fields:
            changed = gettext("(đã thay đổi, không hiển thị)")
            return {"field": self.masked_fields[change.field], "old": "", "new": changed}
        field = obj._meta.get_field(change.field)
        if not getattr(field, "editable", True):
            return None
        return {
            "field": field.verbose_name,
            "old": _display(field, change.old, names),
            "new": _display(field, change.new, names),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_restricted_object(pk=pk)
        history = obj.history.select_related("history_user").order_by("-history_date", "-pk")
        paginator = Paginator(history, self.per_page)
        page = paginator.get_page(request.GET.get("page"))
        start = (page.number - 1) * self.per_page
        records = list(history[start : start + self.per_page + 1])
        pairs = []
        for index, record in enumerate(records[: self.per_page]):
            older = records[index + 1] if index + 1 < len(records) else None
            changes = record.diff_against(older).changes if older is not None else []
            pairs.append((record, changes))
        names = _related_names(obj, [c for _r, changes in pairs for c in changes], request.user)
        entries = []
        for record, changes in pairs:
            described = (self.describe(obj, c, names) for c in changes)
            entries.append({"record": record, "changes": [d for d in described if d]})
        context = {
            "object": obj,
            "meta": self.model_meta,
            "entries": entries,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            **self.get_extra_context(obj),
        }
        return render(request, self.template_name, context)


def _related_names(obj: Any, changes: list[Any], user: Any) -> dict[tuple[str, Any], str]:
    """Names of the related objects the changes point to, one query per related field; an
    object outside the viewer's scope (a former parent elsewhere) is not named."""
    wanted: dict[str, set[Any]] = {}
    for change in changes:
        field = obj._meta.get_field(change.field)
        if field.is_relation and field.related_model is not None:
            wanted.setdefault(change.field, set()).update(
                v for v in (change.old, change.new) if v not in (None, "")
            )
    names: dict[tuple[str, Any], str] = {}
    for field_name, keys in wanted.items():
        model = obj._meta.get_field(field_name).related_model
        manager = model._default_manager
        visible = manager.restrict(user, "view") if hasattr(manager, "restrict") else manager
        found = visible.in_bulk(list(keys))
        for key in keys:
            related = found.get(key)
            names[(field_name, key)] = str(related) if related else gettext("(ngoài phạm vi)")
    return names


def _display(field: Any, value: Any, names: dict[tuple[str, Any], str]) -> str:
    """A stored value as a person reads it: choice labels, related objects' names."""
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        return names.get((field.name, value), f"#{value}")
    return str(value)


class ObjectExportView(ObjectPermissionMixin, View):
    """The list page's filtered rows as .xlsx (same filterset, same scope), audited."""

    filterset: ClassVar[Any] = None
    # (header, function of the object) per column.
    export_columns: ClassVar[list[tuple[Any, Any]]] = []
    filename: ClassVar[str] = "export.xlsx"

    def filters_for_audit(self, filters: dict[str, str]) -> dict[str, str]:
        """The filters as the audit event keeps them (a subclass masks personal data)."""
        return filters

    def get(self, request: HttpRequest) -> HttpResponse:
        from trithuc.core.exports import xlsx_download

        qs = self.get_queryset()
        filters = self.filters_for_audit({k: v for k, v in request.GET.items() if v})
        if self.filterset is not None:
            fs = self.filterset(request.GET or None, queryset=qs, request=request)
            if fs.is_bound and not fs.is_valid():
                problems = "; ".join(
                    f"{fs.form.fields[name].label}: {' '.join(errors)}"
                    for name, errors in fs.form.errors.items()
                )
                return HttpResponse(
                    _("Bộ lọc không hợp lệ (%(problems)s). Hãy sửa bộ lọc rồi xuất lại.")
                    % {"problems": problems},
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            if fs.is_bound:
                qs = fs.qs
        objects = list(qs)
        rows = ([fn(obj) for _h, fn in self.export_columns] for obj in objects)
        return xlsx_download(
            request=request,
            filename=self.filename,
            sheet_name=str(self.model_meta.verbose_name_plural),
            headers=[str(h) for h, _fn in self.export_columns],
            rows=rows,
            row_count=len(objects),
            what=self.model_meta.label,
            filters=filters,
        )

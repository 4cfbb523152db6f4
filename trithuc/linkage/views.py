"""The data stewards' review queue: likely duplicates side by side, merge with a choice per
field, "not the same person", undo a merge; and the search for duplicates as a job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from trithuc.core.jobs import job_enqueue
from trithuc.core.permissions import user_can
from trithuc.core.views import generic
from trithuc.registry.choices import Source
from trithuc.registry.models import Person

from . import engine, services, tasks
from .choices import PairStatus
from .models import CandidatePair, LinkRun, Merge

# What each level of each comparison means, for the side-by-side table.
LEVEL_LABELS = {
    "exact": gettext_lazy("trùng khớp"),
    "unaccented": gettext_lazy("trùng khớp khi bỏ dấu (một bên viết không dấu)"),
    "accents_differ": gettext_lazy("cùng chữ, khác dấu"),
    "typo": gettext_lazy("khác một chữ cái (có thể gõ nhầm)"),
    "one_letter": gettext_lazy("khác một chữ cái"),
    "typo2": gettext_lazy("khác hai chữ cái (có thể gõ nhầm)"),
    "day_month_swapped": gettext_lazy("ngày và tháng bị đảo"),
    "year_only": gettext_lazy("cùng năm sinh (một bên chỉ có năm)"),
    "one_digit": gettext_lazy("khác một chữ số"),
    "same_year": gettext_lazy("cùng năm sinh, khác ngày"),
    "same_department": gettext_lazy("khác đơn vị, cùng cơ quan cấp trên"),
    "same_group": gettext_lazy("cùng nhóm lĩnh vực"),
    "different": gettext_lazy("khác nhau"),
    "missing": gettext_lazy("thiếu ở một bên"),
    "both_missing": gettext_lazy("cả hai hồ sơ đều trống"),
}
STATUS_LABELS = {
    engine.AGREE: gettext_lazy("Khớp"),
    engine.PARTIAL: gettext_lazy("Gần khớp"),
    # "Khác" alone is also "other" (a choice): this one says the values differ.
    engine.DISAGREE: pgettext_lazy("so khớp hai hồ sơ", "Khác"),
    engine.MISSING: gettext_lazy("Thiếu"),
}
# Icons beside the words: the status is never told by colour alone.
STATUS_ICONS = {
    engine.AGREE: "bi-check-circle-fill",
    engine.PARTIAL: "bi-circle-half",
    engine.DISAGREE: "bi-x-circle-fill",
    engine.MISSING: "bi-dash-circle",
}
STATUS_CLASSES = {
    engine.AGREE: "text-success-emphasis",
    engine.PARTIAL: "text-warning-emphasis",
    engine.DISAGREE: "text-danger-emphasis",
    engine.MISSING: "text-body-secondary",
}
# The comparisons as the queue names them.
COMPARISON_LABELS = {
    "name": gettext_lazy("Họ tên"),
    "birth": gettext_lazy("Ngày sinh"),
    "gender": gettext_lazy("Giới tính"),
    "unit": gettext_lazy("Đơn vị"),
    "degree": gettext_lazy("Trình độ"),
    "field": gettext_lazy("Lĩnh vực"),
    "citizen_id": gettext_lazy("Số định danh"),
}
# The merge field a comparison speaks for.
COMPARISON_OF_FIELD = {
    "full_name": "name",
    "birth": "birth",
    "gender": "gender",
    "citizen_id": "citizen_id",
    "organization": "unit",
}
PAIR_QUERYSET = CandidatePair.objects.select_related(
    "person_a__organization", "person_b__organization"
)


def _status(code: str, status: str) -> dict[str, Any]:
    return {
        "status": status,
        "label": STATUS_LABELS[status],
        "detail": LEVEL_LABELS.get(code, code),
        "icon": STATUS_ICONS[status],
        "css": STATUS_CLASSES[status],
    }


def _plain_status(a: Any, b: Any) -> dict[str, Any]:
    if a in (None, "") and b in (None, ""):
        return _status("both_missing", engine.MISSING)
    if a in (None, "") or b in (None, ""):
        return _status("missing", engine.MISSING)
    return _status("exact", engine.AGREE) if a == b else _status("different", engine.DISAGREE)


def _display(person: Person, key: str) -> str:
    if key == "birth":
        return person.birth_display
    if key == "gender":
        return person.get_gender_display()
    if key == "citizen_id":
        return person.citizen_id_masked
    if key == "organization":
        return person.organization.name
    if key in ("sector", "status"):
        return str(getattr(person, f"get_{key}_display")())
    return str(getattr(person, key) or "")


def comparison_rows(pair: CandidatePair) -> list[dict[str, Any]]:
    """One row per field: both values, whether they agree (and how), and the merge choice."""
    a, b = pair.person_a, pair.person_b
    rows = []
    for field in services.MERGE_FIELDS:
        comparison = COMPARISON_OF_FIELD.get(field.key)
        found = pair.agreements.get(comparison) if comparison else None
        if found:
            status = _status(found["level"], found["status"])
        else:
            status = _plain_status(_display(a, field.key), _display(b, field.key))
        value_a, value_b = _display(a, field.key), _display(b, field.key)
        rows.append(
            {
                "key": field.key,
                "label": field.label,
                "a": value_a,
                "b": value_b,
                "agreement": status,
                # Nothing to choose when neither has a value; B's value is proposed only
                # where A has none.
                "choosable": bool(value_a or value_b),
                "default": "b" if value_b and not value_a else "a",
            }
        )
    for key, label, value in (
        ("degree", gettext_lazy("Trình độ cao nhất"), lambda p: str(p.highest_degree or "")),
        ("field", gettext_lazy("Lĩnh vực chính"), lambda p: str(p.primary_field or "")),
    ):
        found = pair.agreements.get(key) or {"level": "missing", "status": engine.MISSING}
        rows.append(
            {
                "key": key,
                "label": label,
                "a": value(a),
                "b": value(b),
                "agreement": _status(found["level"], found["status"]),
                "choosable": False,
            }
        )
    return rows


class QueueView(generic.ObjectListView):
    """Open pairs in the steward's scope, most likely first, with their cluster."""

    queryset = PAIR_QUERYSET.filter(status=PairStatus.OPEN)
    template_name = "linkage/queue.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        for pair in ctx["object_list"]:
            pair.summary = [
                {**_status(v["level"], v["status"]), "field": COMPARISON_LABELS.get(name, name)}
                for name, v in pair.agreements.items()
            ]
        open_pairs = self.get_queryset()
        ctx.update(
            last_run=LinkRun.objects.first(),
            can_run=user_can(user, LinkRun, "add"),
            threshold=engine.DEFAULT_THRESHOLD,
            clusters=open_pairs.aggregate(n=Count("cluster", distinct=True))["n"],
        )
        return ctx


class PairDetailView(generic.ObjectDetailView):
    """The two people side by side, the merge form and "not the same person"."""

    queryset = PAIR_QUERYSET
    template_name = "linkage/pair_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        a, b = obj.person_a, obj.person_b
        chosen = services.default_choices(a, b)
        others = (
            PAIR_QUERYSET.restrict(self.request.user, "view")
            .filter(cluster=obj.cluster, status=PairStatus.OPEN)
            .exclude(pk=obj.pk)
        )
        ctx.update(
            rows=comparison_rows(obj),
            chosen=chosen,
            may_decide=services.may_decide(self.request.user, a, b),
            others=others,
            records=[(a, _record_counts(a)), (b, _record_counts(b))],
            probability_percent=round(obj.probability * 100, 1),
        )
        return ctx


def _record_counts(person: Person) -> list[tuple[str, int]]:
    from trithuc.registry.forms import SECTIONS

    counts = Person.objects.filter(pk=person.pk).aggregate(
        **{s.key: Count(s.related_name, distinct=True) for s in SECTIONS}
    )
    return [(s.label, counts[s.key]) for s in SECTIONS if counts[s.key]]


class _PairAction(generic.ObjectPermissionMixin, View):
    queryset = PAIR_QUERYSET
    action = "change"

    def pair(self, pk: int) -> CandidatePair:
        pair = self.get_restricted_object(pk=pk)
        if not services.may_decide(self.request.user, pair.person_a, pair.person_b):
            raise PermissionDenied
        return pair


class PairMergeView(_PairAction):
    """POST: merge the pair, keeping the chosen record and the chosen value of each field."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pair = self.pair(pk)
        keep = request.POST.get("survivor")
        if keep not in {str(pair.person_a_id), str(pair.person_b_id)}:
            messages.error(request, _("Hãy chọn hồ sơ giữ lại."))
            return HttpResponseRedirect(pair.get_absolute_url())
        survivor, absorbed = (
            (pair.person_a, pair.person_b)
            if keep == str(pair.person_a_id)
            else (pair.person_b, pair.person_a)
        )
        # The form names a side (A or B) for each field; the service speaks of survivor and
        # absorbed.
        choices = {}
        for field in services.MERGE_FIELDS:
            side = request.POST.get(f"field_{field.key}")
            if side in {str(survivor.pk), str(absorbed.pk)}:
                choices[field.key] = (
                    services.SURVIVOR if side == str(survivor.pk) else services.ABSORBED
                )
        try:
            merge = services.merge_people(
                survivor=survivor,
                absorbed=absorbed,
                choices=choices,
                acting_user=request.user,
                request=request,
                pair=pair,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(pair.get_absolute_url())
        messages.success(
            request,
            _("Đã hợp nhất hồ sơ #%(absorbed)s vào hồ sơ #%(survivor)s. Có thể hoàn tác.")
            % {"absorbed": merge.absorbed_pk, "survivor": survivor.pk},
        )
        return HttpResponseRedirect(merge.get_absolute_url())


class PairNotSameView(_PairAction):
    """POST: the two are different people; the pair is never proposed again."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pair = self.pair(pk)
        services.mark_not_same(pair=pair, acting_user=request.user, request=request)
        messages.success(
            request,
            _("Đã ghi nhận: %(a)s và %(b)s không phải cùng một người.")
            % {"a": pair.person_a.full_name, "b": pair.person_b.full_name},
        )
        return HttpResponseRedirect(reverse("linkage:queue"))


class RunView(generic.ObjectPermissionMixin, View):
    """POST: search the whole registry for duplicates, as a background job."""

    queryset = LinkRun.objects.all()
    action = "add"

    def post(self, request: HttpRequest) -> HttpResponse:
        raw = request.POST.get("threshold", "").replace(",", ".").strip()
        try:
            threshold = float(raw) if raw else engine.DEFAULT_THRESHOLD
        except ValueError:
            threshold = -1.0
        if not 0 < threshold < 1:
            messages.error(
                request, _("Ngưỡng xác suất phải là một số lớn hơn 0 và nhỏ hơn 1, ví dụ 0,8.")
            )
            return HttpResponseRedirect(reverse("linkage:queue"))
        job = job_enqueue(
            tasks.link_people_job,
            acting_user=request.user,
            title=_("Tìm hồ sơ trùng (ngưỡng %(t)s)") % {"t": threshold},
            kind="link_people",
            threshold=threshold,
        )
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))


class MergeListView(generic.ObjectListView):
    queryset = Merge.objects.select_related("survivor", "merged_by", "undone_by")
    template_name = "linkage/merge_list.html"
    paginate_by = 50


class MergeDetailView(generic.ObjectDetailView):
    queryset = Merge.objects.select_related(
        "survivor__organization", "absorbed_organization", "merged_by", "undone_by"
    )
    template_name = "linkage/merge_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        ctx = super().get_context(obj)
        labels = {f.key: f.label for f in services.MERGE_FIELDS}
        sources = dict(Source.choices)
        for provenance in obj.provenances:
            provenance["source_label"] = sources.get(provenance["source"], provenance["source"])
        ctx.update(
            may_undo=services.may_undo(self.request.user, obj),
            taken=[labels[k] for k, v in obj.choices.items() if v == services.ABSORBED],
            moved=sum(len(v) for v in obj.moved.values()),
            removed=len(obj.adjusted.get("removed", [])),
        )
        return ctx


class MergeUndoView(generic.ObjectPermissionMixin, View):
    """POST: undo a merge (data stewards of both people)."""

    queryset = Merge.objects.all()
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        merge = self.get_restricted_object(pk=pk)
        if not services.may_undo(request.user, merge) and not merge.undone_at:
            raise PermissionDenied
        try:
            restored = services.undo_merge(merge=merge, acting_user=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(merge.get_absolute_url())
        messages.success(
            request,
            _("Đã hoàn tác: hồ sơ #%(pk)s (%(name)s) đã trở lại cùng các mục của nó.")
            % {"pk": restored.pk, "name": restored.full_name},
        )
        return HttpResponseRedirect(merge.get_absolute_url())

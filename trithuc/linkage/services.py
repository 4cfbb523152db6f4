"""Linkage runs, and the stewards' decisions on their pairs: merge, not the same, undo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.permissions import organizations_for
from trithuc.core.tabular import thousands
from trithuc.registry.models import SUB_RECORD_MODELS, Expertise, Person

from . import engine
from .choices import Method, PairStatus, RunStatus
from .models import CandidatePair, LinkRun, Merge, NotSamePerson
from .sources import registry_records

Progress = Callable[[str], None]


# ---- runs -------------------------------------------------------------------------------------


# A search never takes this long (1,000,000 records: about a minute and a half).
STALE_RUN_HOURS = 3


def not_same_pairs() -> set[tuple[int, int]]:
    return set(NotSamePerson.objects.values_list("person_low", "person_high"))


def run_linkage(
    *, threshold: float = engine.DEFAULT_THRESHOLD, acting_user: Any = None, progress: Any = None
) -> LinkRun:
    """Search the whole registry for duplicates and refresh the review queue: new pairs are
    added, pairs still proposed get their new figures, open pairs no longer proposed go.
    Pairs a steward has said are two people are never proposed again."""
    if not 0 < threshold < 1:
        raise ValidationError(_("Ngưỡng xác suất phải lớn hơn 0 và nhỏ hơn 1."))
    # One search at a time: two would write the same pairs. A search still "running" after
    # STALE_RUN hours was killed (out of memory, a restart): it is marked failed.
    stale = timezone.now() - timedelta(hours=STALE_RUN_HOURS)
    LinkRun.objects.filter(status=RunStatus.RUNNING, created_at__lt=stale).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        message=_("Bị ngắt giữa chừng (tiến trình dừng trước khi xong)."),
    )
    if LinkRun.objects.filter(status=RunStatus.RUNNING).exists():
        raise ValidationError(
            _("Đang có một lần tìm hồ sơ trùng chạy; hãy đợi lần đó xong rồi tìm lại.")
        )
    run = LinkRun.objects.create(
        threshold=threshold,
        started_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    try:
        _say(progress, _("Đang đọc hồ sơ trong cơ sở dữ liệu…"))
        records = registry_records()
        _say(progress, _("Đang so sánh %(n)s hồ sơ…") % {"n": thousands(len(records))})
        result = engine.link(records, threshold=threshold, exclude=not_same_pairs())
        _say(progress, _("Đang lưu các cặp nghi trùng…"))
        new_pairs = _persist(run, result)
    except Exception:
        # The queue page shows the message: Vietnamese, not the engine's (English) exception,
        # which the job's log keeps.
        LinkRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Lỗi hệ thống khi tìm hồ sơ trùng. Hãy báo quản trị hệ thống."),
        )
        raise
    clusters = result.clusters
    run.status = RunStatus.SUCCEEDED
    run.records = result.records
    run.comparisons = result.comparisons
    run.pairs = len(result.pairs)
    run.clusters = result.cluster_count
    run.people_in_clusters = len(clusters)
    run.new_pairs = new_pairs
    run.timings = {k: round(v, 3) for k, v in result.timings.items()}
    run.parameters = result.parameters
    run.finished_at = timezone.now()
    run.save()
    audit.record(
        AuditKind.OBJECT_CREATED,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        obj=run,
        details={"source": "link_people", "rows": run.pairs, "created": new_pairs},
    )
    return run


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


@transaction.atomic
def _persist(run: LinkRun, result: engine.LinkResult) -> int:
    clusters = dict(
        zip(
            result.clusters["unique_id"].astype("int64"),
            result.clusters["cluster_id"].astype("int64"),
            strict=True,
        )
    )
    alive = set(Person.objects.values_list("pk", flat=True))
    existing = {(p.person_a_id, p.person_b_id): p for p in CandidatePair.objects.all()}
    proposed: set[tuple[int, int]] = set()
    to_create, to_update = [], []
    for pair in engine.iter_pairs(result):
        key = (pair["a"], pair["b"])
        if pair["a"] not in alive or pair["b"] not in alive:
            continue
        proposed.add(key)
        values = {
            "run": run,
            "probability": pair["probability"],
            "method": pair["method"],
            "agreements": pair["agreements"],
            "cluster": int(clusters.get(pair["a"], pair["a"])),
        }
        current = existing.get(key)
        if current is None:
            to_create.append(CandidatePair(person_a_id=key[0], person_b_id=key[1], **values))
        elif current.status == PairStatus.OPEN:
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    CandidatePair.objects.bulk_create(to_create, batch_size=2000)
    CandidatePair.objects.bulk_update(
        to_update, ["run", "probability", "method", "agreements", "cluster"], batch_size=2000
    )
    gone = [
        p.pk for key, p in existing.items() if p.status == PairStatus.OPEN and key not in proposed
    ]
    for start in range(0, len(gone), 2000):
        CandidatePair.objects.filter(pk__in=gone[start : start + 2000]).delete()
    return len(to_create)


# ---- scope ------------------------------------------------------------------------------------


def may_decide(user: Any, *people: Person) -> bool:
    """Whether `user` is a data steward of every one of `people` (the registry's delete
    role: a merge removes a record)."""
    pks = {p.pk for p in people}
    return Person.objects.restrict(user, "delete").filter(pk__in=pks).count() == len(pks)


def _require(user: Any, *people: Person) -> None:
    if not may_decide(user, *people):
        raise PermissionError("not a data steward of both people")


# ---- not the same person ------------------------------------------------------------------------


@transaction.atomic
def mark_not_same(*, pair: CandidatePair, acting_user: Any, request: Any = None) -> CandidatePair:
    """Record that the two people are different; no later run proposes them again."""
    _require(acting_user, pair.person_a, pair.person_b)
    low, high = sorted((pair.person_a_id, pair.person_b_id))
    NotSamePerson.objects.get_or_create(
        person_low=low, person_high=high, defaults={"decided_by": acting_user}
    )
    pair.status = PairStatus.NOT_SAME
    pair.decided_by = acting_user
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    for person, other in ((pair.person_a, pair.person_b), (pair.person_b, pair.person_a)):
        audit.record(
            AuditKind.OBJECT_CHANGED,
            actor=acting_user,
            obj=person,
            request=request,
            details={"source": "not_same", "what": f"#{other.pk}"},
        )
    return pair


# ---- merge ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeField:
    key: str
    label: Any
    attnames: tuple[str, ...]


# The person's own values a steward chooses between; everything computed from sub-records
# (highest degree, title, main field) is recomputed from both people's records together.
MERGE_FIELDS: tuple[MergeField, ...] = (
    MergeField("full_name", gettext_lazy("Họ và tên"), ("full_name",)),
    MergeField("other_names", gettext_lazy("Tên gọi khác"), ("other_names",)),
    MergeField("birth", gettext_lazy("Ngày sinh"), ("birth_date", "birth_date_precision")),
    MergeField("gender", gettext_lazy("Giới tính"), ("gender",)),
    MergeField(
        "citizen_id",
        gettext_lazy("Số định danh cá nhân"),
        ("citizen_id_encrypted", "citizen_id_hash", "citizen_id_last"),
    ),
    MergeField("organization", gettext_lazy("Đơn vị quản lý hồ sơ"), ("organization_id",)),
    MergeField("sector", gettext_lazy("Khu vực công tác"), ("sector",)),
    MergeField("status", gettext_lazy("Tình trạng"), ("status",)),
    MergeField("email", gettext_lazy("Thư điện tử"), ("email",)),
    MergeField("phone", gettext_lazy("Điện thoại"), ("phone",)),
    MergeField("address", gettext_lazy("Địa chỉ"), ("address",)),
)
MERGE_FIELDS_BY_KEY = {f.key: f for f in MERGE_FIELDS}
SURVIVOR, ABSORBED = "survivor", "absorbed"


def _mark(obj: Any, reason: str, user: Any) -> None:
    """The reason and author simple-history writes on the next version of `obj`."""
    obj._change_reason = reason
    obj._history_user = user


def _empty(person: Person, field: MergeField) -> bool:
    return all(getattr(person, name) in (None, "") for name in field.attnames)


def default_choices(survivor: Person, absorbed: Person) -> dict[str, str]:
    """Keep the survivor's values, except where it has none and the other has one."""
    return {
        f.key: ABSORBED if _empty(survivor, f) and not _empty(absorbed, f) else SURVIVOR
        for f in MERGE_FIELDS
    }


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _load(name: str, value: Any) -> Any:
    if value is None:
        return None
    field: Any = Person._meta.get_field(name.removesuffix("_id"))
    return field.to_python(value)


def _values(person: Person, names: list[str]) -> dict[str, Any]:
    return {name: _dump(getattr(person, name)) for name in names}


def _snapshot(obj: Any) -> list[dict[str, Any]]:
    """The row as JSON, every column by its attribute name (times to the microsecond, which
    Django's JSON serializer would round)."""
    fields = {}
    for field in obj._meta.concrete_fields:
        fields[field.attname] = _dump(field.get_prep_value(field.value_from_object(obj)))
    return [{"model": obj._meta.label_lower, "pk": obj.pk, "fields": fields}]


def _restore(snapshot: list[dict[str, Any]], *, reason: str, user: Any) -> Any:
    """Insert the row of a snapshot again, with its id and creation time."""
    data = snapshot[0]
    model = apps.get_model(data["model"])
    obj = model()
    for field in model._meta.concrete_fields:
        value = data["fields"].get(field.attname)
        if value is not None and not field.is_relation:
            value = field.to_python(value)
        setattr(obj, field.attname, value)
    _mark(obj, reason, user)
    obj.save(force_insert=True)
    # auto_now_add gave it the time of the undo.
    created = model._meta.get_field("created_at").to_python(data["fields"]["created_at"])
    model.objects.filter(pk=obj.pk).update(created_at=created)
    return obj


def _provenance(person: Person) -> dict[str, Any]:
    return {
        "person": person.pk,
        "full_name": person.full_name,
        "source": person.source,
        "source_detail": person.source_detail,
        "source_organization": person.source_organization_id,
        "recorded_at": _dump(person.recorded_at),
        "verification": person.verification,
        "verified_by": person.verified_by_id,
        "verified_at": _dump(person.verified_at),
        "organization": person.organization_id,
    }


@transaction.atomic
def merge_people(
    *,
    survivor: Person,
    absorbed: Person,
    choices: dict[str, str] | None = None,
    acting_user: Any,
    request: Any = None,
    pair: CandidatePair | None = None,
) -> Merge:
    """Make two records of one person one. The survivor takes the chosen value of each field;
    every sub-record of both is kept, moved to the survivor (with its own provenance and a new
    version in its history); the absorbed record is removed, its row and provenance kept in
    the Merge (its history stays under its id), so that `undo_merge` can bring it back."""
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Hai hồ sơ là một, không có gì để hợp nhất."))
    _require(acting_user, survivor, absorbed)
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, absorbed.pk])
    }
    if len(locked) != 2:
        raise ValidationError(_("Một trong hai hồ sơ không còn nữa (có thể vừa được hợp nhất)."))
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if survivor.account_id and absorbed.account_id:
        raise ValidationError(
            _(
                "Cả hai hồ sơ đều gắn với tài khoản của chính người đó. Hãy gỡ một tài khoản "
                "(quản trị hệ thống) rồi hợp nhất."
            )
        )
    chosen = {**default_choices(survivor, absorbed), **(choices or {})}
    unknown = set(chosen) - set(MERGE_FIELDS_BY_KEY)
    if unknown or set(chosen.values()) - {SURVIVOR, ABSORBED}:
        raise ValidationError(_("Lựa chọn không hợp lệ: %(f)s.") % {"f": ", ".join(unknown)})
    reason = _("Hợp nhất với hồ sơ #%(pk)s (%(name)s)") % {
        "pk": absorbed.pk,
        "name": absorbed.full_name,
    }
    merge = Merge.objects.create(
        survivor=survivor,
        absorbed_pk=absorbed.pk,
        absorbed_name=absorbed.full_name,
        absorbed_organization=absorbed.organization,
        absorbed_snapshot=_snapshot(absorbed),
        choices=chosen,
        provenances=[_provenance(survivor), _provenance(absorbed)],
        probability=pair.probability if pair else None,
        agreements=pair.agreements if pair else {},
        method=pair.method if pair else "",
        merged_by=acting_user,
    )
    taken = [n for f in MERGE_FIELDS if chosen[f.key] == ABSORBED for n in f.attnames]
    watched = [n for f in MERGE_FIELDS for n in f.attnames] + ["account_id"]
    before = _values(survivor, watched)
    new_values = {name: getattr(absorbed, name) for name in taken}

    moved, adjusted = _move_records(survivor, absorbed, reason=reason, user=acting_user)
    _carry_pairs_and_decisions(survivor, absorbed, merge)
    account_id = absorbed.account_id
    _mark(absorbed, reason, acting_user)
    absorbed.delete()

    for name, value in new_values.items():
        setattr(survivor, name, value)
    if account_id:
        survivor.account_id = account_id
    _mark(survivor, reason, acting_user)
    survivor.save()
    survivor.refresh_summary()
    after = _values(survivor, watched)
    changed = [name for name in watched if before[name] != after[name]]

    merge.survivor_before = {name: before[name] for name in changed}
    merge.survivor_after = {name: after[name] for name in changed}
    merge.moved = moved
    merge.adjusted = adjusted
    merge.moved_account = bool(account_id)
    merge.save()
    audit.record(
        AuditKind.OBJECT_CHANGED,
        actor=acting_user,
        obj=survivor,
        request=request,
        details={
            "source": "merge",
            "what": f"#{merge.absorbed_pk} {merge.absorbed_name}",
            "fields": sorted({f.key for f in MERGE_FIELDS if chosen[f.key] == ABSORBED}),
            "rows": sum(len(v) for v in moved.values()),
        },
    )
    return merge


def _move_records(
    survivor: Person, absorbed: Person, *, reason: str, user: Any
) -> tuple[dict[str, list[int]], dict[str, Any]]:
    """Every sub-record of `absorbed` to `survivor`; a field of expertise both have is kept
    once, and the absorbed's main field stops being main if the survivor has one."""
    moved: dict[str, list[int]] = {}
    adjusted: dict[str, Any] = {"removed": [], "unmarked_primary": []}
    survivor_fields = set(survivor.expertise.values_list("field_id", flat=True))
    survivor_has_primary = survivor.expertise.filter(is_primary=True).exists()
    models: list[Any] = list(SUB_RECORD_MODELS)
    for model in models:
        for record in model.objects.filter(person=absorbed).order_by("pk"):
            _mark(record, reason, user)
            if isinstance(record, Expertise):
                if record.field_id in survivor_fields:
                    adjusted["removed"].append(_snapshot(record))
                    record.delete()
                    continue
                if record.is_primary and survivor_has_primary:
                    record.is_primary = False
                    adjusted["unmarked_primary"].append(record.pk)
            record.person = survivor
            record.save()
            moved.setdefault(model._meta.label_lower, []).append(record.pk)
    return moved, adjusted


def _carry_pairs_and_decisions(survivor: Person, absorbed: Person, merge: Merge) -> None:
    """Pairs still open with the absorbed person now concern the survivor; decisions that the
    absorbed person is not someone hold for the survivor too (until an undo)."""
    for pair in CandidatePair.objects.filter(Q(person_a=absorbed) | Q(person_b=absorbed)):
        other = pair.person_b_id if pair.person_a_id == absorbed.pk else pair.person_a_id
        if other == survivor.pk:
            continue
        low, high = sorted((survivor.pk, other))
        if not CandidatePair.objects.filter(person_a_id=low, person_b_id=high).exists():
            CandidatePair.objects.create(
                person_a_id=low,
                person_b_id=high,
                run=pair.run,
                probability=pair.probability,
                method=pair.method,
                agreements=pair.agreements,
                cluster=pair.cluster,
                status=pair.status,
            )
    decisions = NotSamePerson.objects.filter(
        Q(person_low=absorbed.pk) | Q(person_high=absorbed.pk)
    ).filter(from_merge=None)
    for decision in decisions:
        other = decision.person_high if decision.person_low == absorbed.pk else decision.person_low
        low, high = sorted((survivor.pk, other))
        if other != survivor.pk:
            NotSamePerson.objects.get_or_create(
                person_low=low,
                person_high=high,
                defaults={"decided_by": decision.decided_by, "from_merge": merge},
            )


# ---- undo -------------------------------------------------------------------------------------


def may_undo(user: Any, merge: Merge) -> bool:
    if merge.undone_at or merge.survivor is None:
        return False
    if not may_decide(user, merge.survivor):
        return False
    allowed = organizations_for(user, Person, "delete")
    return allowed.filter(pk=merge.absorbed_organization_id).exists()


@transaction.atomic
def undo_merge(*, merge: Merge, acting_user: Any, request: Any = None) -> Person:
    """Bring the absorbed person back, with its id, values and sub-records; give the survivor
    back the values it had before, where no one has changed them since (those are kept and
    named in the audit event). The pair goes back to the review queue."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(_("Lần hợp nhất này đã được hoàn tác."))
    if merge.survivor_id is None:
        raise ValidationError(
            _("Hồ sơ giữ lại đã bị xóa sau khi hợp nhất, nên không hoàn tác được.")
        )
    if not may_undo(acting_user, merge):
        raise PermissionError("not a data steward of both people")
    if Person.objects.filter(pk=merge.absorbed_pk).exists():
        raise ValidationError(_("Hồ sơ #%(pk)s đã có lại.") % {"pk": merge.absorbed_pk})
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    reason = _("Hoàn tác hợp nhất với hồ sơ #%(pk)s (%(name)s)") % {
        "pk": merge.absorbed_pk,
        "name": merge.absorbed_name,
    }
    kept = []
    for name, old in merge.survivor_before.items():
        if _dump(getattr(survivor, name)) == merge.survivor_after.get(name):
            setattr(survivor, name, _load(name, old))
        else:
            kept.append(name)
    snapshot_fields = merge.absorbed_snapshot[0]["fields"]
    id_hash = snapshot_fields.get("citizen_id_hash")
    if id_hash and (
        Person.objects.filter(citizen_id_hash=id_hash).exclude(pk=survivor.pk).exists()
        or (survivor.citizen_id_hash == id_hash)
    ):
        raise ValidationError(
            _(
                "Không hoàn tác được: số định danh của hồ sơ #%(pk)s nay đã thuộc một hồ sơ "
                "khác. Hãy sửa số định danh ở hồ sơ đó trước."
            )
            % {"pk": merge.absorbed_pk}
        )
    _mark(survivor, reason, acting_user)
    survivor.save()

    restored = _restore(merge.absorbed_snapshot, reason=reason, user=acting_user)
    for label, pks in merge.moved.items():
        model: Any = next(m for m in SUB_RECORD_MODELS if m._meta.label_lower == label)
        for record in model.objects.filter(pk__in=pks, person=survivor):
            record.person = restored
            if record.pk in merge.adjusted.get("unmarked_primary", []):
                record.is_primary = True
            _mark(record, reason, acting_user)
            record.save()
    for snapshot in merge.adjusted.get("removed", []):
        _restore(snapshot, reason=reason, user=acting_user)
    merge.copied_decisions.all().delete()
    low, high = sorted((survivor.pk, restored.pk))
    CandidatePair.objects.get_or_create(
        person_a_id=low,
        person_b_id=high,
        defaults={
            "probability": merge.probability if merge.probability is not None else 1.0,
            "method": merge.method or Method.PROBABILISTIC,
            "agreements": merge.agreements,
            "cluster": low,
        },
    )
    survivor.refresh_summary()
    restored.refresh_summary()
    merge.undone_at = timezone.now()
    merge.undone_by = acting_user
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    details: dict[str, Any] = {
        "source": "merge_undone",
        "what": f"#{restored.pk} {restored.full_name}",
    }
    if kept:
        details["fields"] = kept
    audit.record(
        AuditKind.OBJECT_CHANGED, actor=acting_user, obj=survivor, request=request, details=details
    )
    audit.record(
        AuditKind.OBJECT_CREATED,
        actor=acting_user,
        obj=restored,
        request=request,
        details={"source": "merge_undone"},
    )
    return restored

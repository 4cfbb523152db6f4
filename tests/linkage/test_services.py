"""Runs on the registry, and the stewards' decisions: not the same (remembered), merge (both
provenances, every sub-record, history kept), undo (everything back as it was), scope."""

import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from trithuc.core.models import AuditEvent
from trithuc.linkage import services
from trithuc.linkage.models import CandidatePair, Merge, NotSamePerson
from trithuc.registry.models import SUB_RECORD_MODELS, Person

pytestmark = pytest.mark.filterwarnings("ignore")


def _pair(a, b):
    low, high = sorted((a.pk, b.pk))
    return CandidatePair.objects.filter(person_a_id=low, person_b_id=high).first()


def _link(threshold="0.8"):
    out = io.StringIO()
    call_command("link_people", "--threshold", threshold, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_one_json_object_and_fills_the_queue(people):
    result = _link()
    assert {"run", "pairs", "clusters", "people_in_clusters", "timings"} <= set(result)
    assert result["records"] == Person.objects.count()
    assert result["pairs"] >= 2 and result["clusters"] >= 2
    assert result["people_in_clusters"] >= 4
    assert result["new_pairs"] == CandidatePair.objects.count()
    pair = _pair(people.khue_a, people.khue_b)
    assert pair is not None and pair.status == "open" and pair.probability >= 0.8
    assert pair.agreements["name"] == {"level": "unaccented", "status": "agree"}
    assert pair.agreements["birth"] == {"level": "day_month_swapped", "status": "partial"}
    assert pair.agreements["unit"]["level"] == "same_department"
    assert _pair(people.binh_a, people.binh_b) is not None
    # A second run adds nothing new.
    again = _link()
    assert again["new_pairs"] == 0 and again["pairs"] == result["pairs"]


def test_a_bad_threshold_is_refused_with_a_message(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngưỡng"):
        _link("1.5")


def test_not_the_same_person_is_remembered(people, steward):
    _link()
    pair = _pair(people.binh_a, people.binh_b)
    services.mark_not_same(pair=pair, acting_user=steward)
    assert NotSamePerson.objects.filter(
        person_low=pair.person_a_id, person_high=pair.person_b_id
    ).exists()
    result = _link()
    pair.refresh_from_db()
    assert pair.status == "not_same"
    assert not CandidatePair.objects.filter(
        person_a=pair.person_a, person_b=pair.person_b, status="open"
    ).exists()
    # Not counted among the proposed pairs any more.
    assert result["pairs"] == CandidatePair.objects.filter(status="open").count()
    assert AuditEvent.objects.filter(details__source="not_same").count() == 2


def _state(person):
    """Everything about a person a merge and its undoing could change."""
    fields = serializers.serialize("python", [person])[0]["fields"]
    fields.pop("updated_at")
    records = {
        model._meta.label_lower: sorted(
            (r.pk, r.is_primary if hasattr(r, "is_primary") else None)
            for r in model.objects.filter(person=person)
        )
        for model in SUB_RECORD_MODELS
    }
    return fields, records


def test_merge_keeps_both_provenances_every_record_and_the_history(people, steward):
    _link()
    a, b = people.khue_a, people.khue_b
    records_of_b = {
        (m._meta.label_lower, r.pk) for m in SUB_RECORD_MODELS for r in m.objects.filter(person=b)
    }
    merge = services.merge_people(
        survivor=a,
        absorbed=b,
        choices={"phone": "absorbed", "full_name": "survivor"},
        acting_user=steward,
        pair=_pair(a, b),
    )
    a.refresh_from_db()
    assert not Person.objects.filter(pk=b.pk).exists()
    assert a.phone == "0912 345 678" and a.email == "khue@example.invalid"
    assert a.full_name == "Trần Thị Hòa Khuê"
    # Both degrees and the publication are the survivor's now; highest degree recomputed.
    assert a.degrees.count() == 2 and a.publications.count() == 1
    assert a.degree_group == "TS"
    # The field of expertise both had is kept once, main.
    assert list(a.expertise.values_list("is_primary", flat=True)) == [True]
    moved = {(label, pk) for label, pks in merge.moved.items() for pk in pks}
    removed = {("registry.expertise", s[0]["pk"]) for s in merge.adjusted["removed"]}
    assert moved | removed == records_of_b
    # Both provenances are kept, and each moved record keeps its own.
    sources = [(p["source"], p["source_detail"]) for p in merge.provenances]
    assert sources == [("agency", "Công văn 12/SNV"), ("import", "Tệp danh-sach.xlsx, dòng 5")]
    assert a.publications.get().source == "staff"
    # History: a version of the survivor, the absorbed person's versions kept under its id.
    assert a.history.first().history_change_reason.startswith("Hợp nhất với hồ sơ")
    versions = Person.history.filter(id=b.pk).order_by("-history_date", "-history_id")
    assert versions.first().history_type == "-" and versions.count() >= 2
    degree = a.degrees.get(level__code="THS")
    assert degree.history.count() >= 2 and degree.history.first().person_id == a.pk
    assert AuditEvent.objects.filter(details__source="merge", object_id=str(a.pk)).exists()
    # The pair left the queue with the absorbed person.
    assert _pair(a, b) is None


def test_undo_restores_exactly(people, steward):
    _link()
    a, b = people.khue_a, people.khue_b
    before_a, before_b = _state(a), _state(b)
    merge = services.merge_people(
        survivor=a,
        absorbed=b,
        choices={"phone": "absorbed", "birth": "absorbed", "organization": "absorbed"},
        acting_user=steward,
        pair=_pair(a, b),
    )
    a.refresh_from_db()
    assert a.birth_date == b.birth_date
    restored = services.undo_merge(merge=merge, acting_user=steward)
    assert restored.pk == b.pk
    a.refresh_from_db()
    restored.refresh_from_db()
    for before, after in ((before_a, _state(a)), (before_b, _state(restored))):
        assert after[1] == before[1]
        changed = {k: (v, after[0][k]) for k, v in before[0].items() if after[0][k] != v}
        assert not changed
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == steward
    pair = _pair(a, restored)
    assert pair is not None and pair.status == "open"
    assert restored.history.first().history_change_reason.startswith("Hoàn tác hợp nhất")
    assert AuditEvent.objects.filter(details__source="merge_undone").count() == 2
    with pytest.raises(Exception, match="đã được hoàn tác"):
        services.undo_merge(merge=merge, acting_user=steward)


def test_undo_keeps_what_was_changed_since_the_merge(people, steward):
    a, b = people.khue_a, people.khue_b
    merge = services.merge_people(
        survivor=a, absorbed=b, choices={"phone": "absorbed"}, acting_user=steward
    )
    a.refresh_from_db()
    a.phone = "024 3333 4444"
    a.save()
    services.undo_merge(merge=merge, acting_user=steward)
    a.refresh_from_db()
    assert a.phone == "024 3333 4444"
    event = AuditEvent.objects.get(details__source="merge_undone", object_id=str(a.pk))
    assert event.details["fields"] == ["phone"]


def test_a_steward_decides_only_about_people_both_in_scope(people, dept_steward, make_staff, tree):
    _link()
    inside = _pair(people.khue_a, people.khue_b)
    across = _pair(people.binh_a, people.binh_b)
    visible = set(CandidatePair.objects.restrict(dept_steward, "view"))
    assert inside in visible and across not in visible
    with pytest.raises(PermissionError):
        services.mark_not_same(pair=across, acting_user=dept_steward)
    with pytest.raises(PermissionError):
        services.merge_people(
            survivor=people.binh_a, absorbed=people.binh_b, acting_user=dept_steward
        )
    hr = make_staff("hr_officer", tree["city"])
    assert not CandidatePair.objects.restrict(hr, "view").exists()
    with pytest.raises(PermissionError):
        services.merge_people(survivor=people.khue_a, absorbed=people.khue_b, acting_user=hr)
    merge = services.merge_people(
        survivor=people.khue_a, absorbed=people.khue_b, acting_user=dept_steward
    )
    assert merge in Merge.objects.restrict(dept_steward, "view")
    other = make_staff("data_steward", tree["dept_b"])
    assert merge not in Merge.objects.restrict(other, "view")
    assert not services.may_undo(other, merge)


def test_one_search_at_a_time_and_a_killed_one_does_not_block(people):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from trithuc.linkage.choices import RunStatus
    from trithuc.linkage.models import LinkRun

    running = LinkRun.objects.create(threshold=0.8)
    assert running.status == RunStatus.RUNNING
    with pytest.raises(ValidationError, match="Đang có một lần tìm"):
        services.run_linkage(threshold=0.8)
    # Hours later it is taken for killed: marked failed, and a new search runs.
    LinkRun.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(hours=4))
    run = services.run_linkage(threshold=0.8)
    running.refresh_from_db()
    assert running.status == RunStatus.FAILED and run.status == RunStatus.SUCCEEDED


def test_a_failed_search_tells_the_queue_in_vietnamese(people, monkeypatch):
    """The engine's exception (English, technical) goes to the log, not to the queue page."""
    from trithuc.linkage import engine
    from trithuc.linkage.choices import RunStatus
    from trithuc.linkage.models import LinkRun

    def broken(*args, **kwargs):
        raise RuntimeError("Out of Memory Error: failed to allocate")

    monkeypatch.setattr(engine, "link", broken)
    with pytest.raises(RuntimeError):
        services.run_linkage(threshold=0.8)
    run = LinkRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.message.startswith("Lỗi hệ thống khi tìm hồ sơ trùng")
    assert "Memory" not in run.message

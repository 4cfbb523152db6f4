"""Read-side queries of the registry shared by pages above it (the home page)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import DegreeLevel, Person


def degree_groups() -> dict[str, str]:
    """Highest-degree groups, highest first, with the name a statistic shows: the level's own
    name, or "Đại học" for the group of bachelor-level degrees (Kỹ sư, Bác sĩ, Cử nhân…)."""
    names: dict[str, str] = {}
    for level in DegreeLevel.objects.order_by("-rank", "code"):
        if level.group not in names:
            names[level.group] = level.name if level.group == level.code else _("Đại học")
    return names


def registry_overview(user: Any) -> dict[str, Any]:
    """People in the user's scope: the total, by academic title and by highest degree group
    (two GROUP BY queries), each with the list filter that shows them."""
    scope = Person.objects.restrict(user, "view").order_by()
    titles = dict(scope.exclude(title="").values_list("title").annotate(n=Count("id")))
    groups = dict(scope.values_list("degree_group").annotate(n=Count("id")))
    names = degree_groups()
    return {
        "total": sum(groups.values()),
        "titles": [
            {"label": label, "n": titles.get(code, 0), "query": f"title={code}"}
            for code, label in (("GS", "GS"), ("PGS", "PGS"))
        ],
        "degrees": [
            {"label": name, "n": groups[group], "query": f"degree={group}"}
            for group, name in names.items()
            if groups.get(group)
        ],
    }


def sub_record_history(person: Person, sections: list[Any], limit: int = 50) -> list[dict]:
    """The latest changes to the person's sub-records (degrees, positions…), newest first,
    each with its label and the fields that changed. Sensitive values never appear in
    sub-records.

    One query per kind of sub-record: related names come with the versions (select_related),
    and a change is diffed against the version before it in the same fetch; only a version
    whose predecessor lies beyond the fetch costs a query of its own.
    """
    rows: list[tuple[Any, Any, list[str]]] = []
    older: dict[tuple[str, Any], Any] = {}
    for section in sections:
        related = [
            f.name
            for f in section.model._meta.concrete_fields
            if f.is_relation and f.name not in {"person", "verified_by", "source_organization"}
        ]
        history = list(
            section.model.history.filter(person_id=person.pk)
            .select_related("history_user", *related)
            .order_by("-history_date", "-history_id")[:limit]
        )
        by_record: dict[Any, list[Any]] = {}
        for record in history:
            by_record.setdefault(record.id, []).append(record)
        for versions in by_record.values():
            for newer, before in pairwise(versions):
                older[(section.key, newer.history_id)] = before
        rows.extend((record, section, related) for record in history)
    rows.sort(key=lambda row: row[0].history_date, reverse=True)
    entries = []
    for record, section, related in rows[:limit]:
        instance = record.instance
        for name in related:  # the names fetched with the version: no query per row
            setattr(instance, name, getattr(record, name))
        changes = []
        if record.history_type == "~":
            previous = older.get((section.key, record.history_id)) or record.prev_record
            if previous is not None:
                for change in record.diff_against(previous).changes:
                    field = section.model._meta.get_field(change.field)
                    if getattr(field, "editable", True):
                        changes.append(
                            {"field": field.verbose_name, "old": change.old, "new": change.new}
                        )
        entries.append(
            {"record": record, "section": section, "label": str(instance), "changes": changes}
        )
    return entries

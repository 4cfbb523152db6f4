"""Read-side queries of the registry shared by pages above it (the home page)."""

from __future__ import annotations

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
    each with the fields that changed. Sensitive values never appear in sub-records."""
    rows: list[tuple[Any, Any]] = []
    for section in sections:
        history = section.model.history.filter(person_id=person.pk).select_related("history_user")
        rows.extend((record, section) for record in history.order_by("-history_date")[:limit])
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    entries = []
    for record, section in rows[:limit]:
        changes = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = section.model._meta.get_field(change.field)
                if getattr(field, "editable", True):
                    changes.append(
                        {"field": field.verbose_name, "old": change.old, "new": change.new}
                    )
        entries.append({"record": record, "section": section, "changes": changes})
    return entries

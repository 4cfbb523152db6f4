"""Recompute every person's summary (highest degree, title, main field, leader, unit,
retirement date) from their sub-records, for a given day.

The summary is refreshed whenever a sub-record is written; what changes by itself is time: a
position whose end date has passed no longer makes its holder a leader or decides their
unit. Run daily (a systemd timer or cron), and after correcting the degree ranks.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.registry import derived
from trithuc.registry.models import Degree, Expertise, Person

BATCH = 2000
SUMMARY_FIELDS = [
    "highest_degree",
    "degree_group",
    "title",
    "primary_field",
    "is_leader",
    "organization",
    "retirement_date",
]


class Command(BaseCommand):
    help = _("Tính lại các giá trị tổng hợp của mọi hồ sơ trí thức (chạy hằng ngày).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ đếm, không ghi."))

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        checked = changed = 0
        last_pk = 0
        while True:
            batch = list(
                Person.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .prefetch_related(
                    Prefetch("degrees", queryset=Degree.objects.select_related("level", "field")),
                    "titles",
                    "positions",
                    Prefetch("expertise", queryset=Expertise.objects.select_related("field")),
                )[:BATCH]
            )
            if not batch:
                break
            last_pk = batch[-1].pk
            dirty = []
            for person in batch:
                summary = derived.summary_of(
                    degrees=list(person.degrees.all()),
                    titles=list(person.titles.all()),
                    positions=list(person.positions.all()),
                    expertise=list(person.expertise.all()),
                    on=today,
                )
                summary["retirement_date"] = derived.retirement_date(
                    person.gender, person.birth_date
                )
                before = [
                    getattr(person, name if name != "organization" else "organization_id")
                    for name in SUMMARY_FIELDS
                ]
                for name, value in summary.items():
                    setattr(person, name, value)
                after = [
                    getattr(person, name if name != "organization" else "organization_id")
                    for name in SUMMARY_FIELDS
                ]
                if before != after:
                    dirty.append(person)
            checked += len(batch)
            changed += len(dirty)
            if dirty and not options["dry_run"]:
                with transaction.atomic():
                    Person.objects.bulk_update(dirty, SUMMARY_FIELDS)
        self.stdout.write(
            json.dumps({"checked": checked, "changed": changed, "dry_run": options["dry_run"]})
        )

"""`python manage.py link_people [--threshold P]`: find likely duplicates in the registry.

Prints one JSON object: the run's id, `pairs`, `clusters`, `people_in_clusters`, how many
pairs are new to the review queue, how many records and comparisons, and timings.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trithuc.linkage import engine, services


class Command(BaseCommand):
    help = "Tìm các hồ sơ trí thức có thể là cùng một người (Splink trên DuckDB)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=engine.DEFAULT_THRESHOLD,
            help="Xác suất tối thiểu để đề xuất một cặp (mặc định %(default)s).",
        )

    def handle(self, *args: Any, threshold: float, **options: Any) -> None:
        try:
            run = services.run_linkage(threshold=threshold)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = {
            "run": run.pk,
            "threshold": run.threshold,
            "records": run.records,
            "comparisons": run.comparisons,
            "pairs": run.pairs,
            "clusters": run.clusters,
            "people_in_clusters": run.people_in_clusters,
            "new_pairs": run.new_pairs,
            "timings": run.timings,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))

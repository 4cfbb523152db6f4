"""The daily work: once a day at TRITHUC_DAILY_AT (local time), each daily task is queued.

`manage.py run_scheduler` calls `Scheduler.tick()` every half minute. A task is queued at most
once a day (a ScheduledRun row per task and day, so neither a restart nor a second scheduler
queues it again); a scheduler started after the hour queues at once what today still lacks.
The tasks themselves run in the job worker (`db_worker` embedded, RQ workers in production).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)

# Dotted paths of django-tasks tasks queued once a day (settings.TRITHUC_DAILY_TASKS
# replaces the list). Named by path so this module depends on no app above it.
DAILY_TASKS = (
    "trithuc.plans.reminders.daily_plan_reminders",
    "trithuc.registry.tasks.refresh_people",
    # Measures the KPI indicators on the 1st of the month (and any not measured this month).
    "trithuc.insights.indicators.daily_indicator_measurements",
)
# A task whose queueing failed (the queue unreachable) is tried again after this long.
RETRY_AFTER = timedelta(minutes=10)


def daily_at() -> time:
    """TRITHUC_DAILY_AT ("06:30") as a time of day."""
    value = str(getattr(settings, "TRITHUC_DAILY_AT", "06:30")).strip()
    try:
        hour, minute = (int(part) for part in value.split(":"))
        return time(hour, minute)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRITHUC_DAILY_AT must be a time of day such as 06:30, not {value!r}."
        ) from exc


def daily_tasks() -> list[str]:
    return list(getattr(settings, "TRITHUC_DAILY_TASKS", DAILY_TASKS))


class Scheduler:
    """Queues each daily task once a day, at or after the hour."""

    def __init__(self, tasks: list[str] | None = None, at: time | None = None) -> None:
        self.tasks = tasks if tasks is not None else daily_tasks()
        self.at = at or daily_at()
        self.retry_at: dict[str, datetime] = {}

    def tick(self, now: datetime | None = None) -> dict[str, str]:
        """Queue what is due now; returns {task: "queued" | "failed"} for what it tried."""
        now = timezone.localtime(now)
        if now.time() < self.at:
            return {}
        today = now.date()
        done = set(ScheduledRun.objects.filter(day=today).values_list("name", flat=True))
        outcome: dict[str, str] = {}
        for name in self.tasks:
            if name in done or self.retry_at.get(name, now) > now:
                continue
            outcome[name] = self.run(name, today, now)
        return outcome

    def run(self, name: str, today: Any, now: datetime) -> str:
        """Claim today's run of `name`, then queue it; a failure is logged, the claim undone
        and the task tried again RETRY_AFTER later. Never raises."""
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, day=today)
        except IntegrityError:
            return "already"  # another scheduler claimed it
        try:
            import_string(name).enqueue()
        except Exception:
            logger.exception("Daily task %s could not be queued", name)
            ScheduledRun.objects.filter(name=name, day=today).delete()
            self.retry_at[name] = now + RETRY_AFTER
            return "failed"
        self.retry_at.pop(name, None)
        return "queued"

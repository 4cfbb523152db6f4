"""`manage.py run_scheduler [--once] [--interval SECONDS]`: queue the daily work.

Runs until SIGTERM or Ctrl+C; once a day at TRITHUC_DAILY_AT (local time) it queues the
daily tasks (plan reminders, refresh of the registry's summaries) for the job worker, and on
start it queues at once what today has missed. A failure is logged and the loop goes on.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.notifications.scheduler import Scheduler

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _("Chạy bộ hẹn giờ: mỗi ngày lúc TRITHUC_DAILY_AT đưa công việc hằng ngày vào hàng đợi.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help=_("Kiểm tra một lần rồi dừng (để thử).")
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help=_("Số giây giữa hai lần kiểm tra.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def _stop(signum: int, frame: Any) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            scheduler = Scheduler()
            self.stdout.write(
                _("Bộ hẹn giờ Trí Thức: chạy hằng ngày lúc %(at)s (%(tz)s): %(tasks)s")
                % {
                    "at": scheduler.at.strftime("%H:%M"),
                    "tz": settings.TIME_ZONE,
                    "tasks": ", ".join(scheduler.tasks),
                }
            )
            self.stdout.flush()
            while not stop.is_set():
                self.tick(scheduler)
                if options["once"] or stop.wait(max(1.0, options["interval"])):
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            # Never inside a transaction (a caller's, or a test's): closing would end it.
            if not connection.in_atomic_block:
                connections.close_all()
        self.stdout.write(_("Bộ hẹn giờ đã dừng."))

    def tick(self, scheduler: Scheduler) -> None:
        """One check; whatever goes wrong (the database unreachable) is logged, not fatal."""
        try:
            # A long-running process drops connections the database closed meanwhile; inside
            # a transaction (a test's) that would end the transaction: leave it.
            if not connection.in_atomic_block:
                close_old_connections()
            outcome = scheduler.tick()
        except Exception:
            logger.exception("Scheduler check failed")
            return
        for name, status in outcome.items():
            line = {"at": timezone.localtime().isoformat(timespec="seconds"), "task": name}
            self.stdout.write(json.dumps({**line, "status": status}))
            self.stdout.flush()

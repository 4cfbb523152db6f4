"""`manage.py send_plan_reminders [--date YYYY-MM-DD] [--dry-run]`: the day's reminders.

Sends the reminders, overdue notices and escalations of the action plans for the day (today
by default) and prints one JSON object with the counts: `reminders`, `overdue`,
`escalations`, `notifications` (all created) and `emails` (queued). Running it twice on the
same day sends nothing new. A dry run counts what would be sent and writes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.plans.reminders import send_plan_reminders


class Command(BaseCommand):
    help = _("Gửi nhắc hạn, thông báo quá hạn và đôn đốc của các kế hoạch hành động.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help=_("Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay)."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Chỉ đếm những gì sẽ gửi, không ghi.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    _("Ngày “%(value)s” không hợp lệ; hãy ghi dạng YYYY-MM-DD, ví dụ 2025-06-30.")
                    % {"value": options["date"]}
                ) from exc
        if options["dry_run"]:
            # Everything (periods created on first use, notifications, the e-mails queued
            # after commit) is rolled back.
            with transaction.atomic():
                result = send_plan_reminders(day)
                transaction.set_rollback(True)
        else:
            result = send_plan_reminders(day)
        result["dry_run"] = options["dry_run"]
        self.stdout.write(json.dumps(result, ensure_ascii=False))

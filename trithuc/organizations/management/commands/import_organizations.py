"""`manage.py import_organizations FILE [--commit]`: check (and write) an organisation list.

Prints one JSON object `{rows, valid, errors, warnings, created, updated, unchanged, issues}`.
Without --commit nothing is written and the counts say what a commit would do. The command
line acts as the system (no scope limit) unless --user names an account to act as. The exit
status is 0 whenever the file could be read, errors in it or not; 1 when it could not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from trithuc.accounts.models import User
from trithuc.organizations.importers import ImportFileError, read_organization_file
from trithuc.organizations.services import organizations_import

REPORT_KEYS = ("rows", "valid", "errors", "warnings", "created", "updated", "unchanged", "issues")


class Command(BaseCommand):
    help = _("Kiểm tra (và ghi, với --commit) danh sách tổ chức từ tệp .xlsx hoặc .csv.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp .xlsx hoặc .csv (UTF-8)"))
        parser.add_argument(
            "--commit", action="store_true", help=_("Ghi vào hệ thống nếu tệp không có lỗi.")
        )
        parser.add_argument(
            "--user", default="", help=_("Thực hiện với quyền của tài khoản này (tên đăng nhập).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        acting_user = None
        if options["user"]:
            acting_user = User.objects.filter(username=options["user"]).first()
            if acting_user is None:
                raise CommandError(
                    _("Không có tài khoản “%(username)s”.") % {"username": options["user"]}
                )
        if not path.is_file():
            self.emit(self.failure(
                _("Không tìm thấy tệp %(path)s. Hãy kiểm tra đường dẫn.") % {"path": path},
                "file_not_found",
            ))  # fmt: skip
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        try:
            parsed = read_organization_file(path)
        except ImportFileError as exc:
            self.emit({**self.failure(exc.message, exc.code), "issues": exc.issues})
            raise CommandError(exc.message) from exc
        report = organizations_import(
            rows=parsed.rows,
            acting_user=acting_user,
            dry_run=not options["commit"],
            issues=parsed.issues,
            filename=path.name,
        )
        self.emit({key: report[key] for key in REPORT_KEYS})

    @staticmethod
    def failure(message: str, code: str) -> dict[str, Any]:
        report: dict[str, Any] = dict.fromkeys(REPORT_KEYS, 0)
        report["errors"] = 1
        report["issues"] = [
            {"row": None, "column": "", "code": code, "message": message, "severity": "error"}
        ]
        return report

    def emit(self, report: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(report, ensure_ascii=False))

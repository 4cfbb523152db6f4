"""`manage.py import_people FILE --org CODE [--dry-run | --commit] [--mapping NAME]`.

Prints one JSON object: `rows, valid, errors, warnings, new, updated, unchanged` and
`issues`, a list of `{row, column, code, message}` (with `severity` and `sheet`). A dry run
(the default) writes nothing at all; --commit writes the valid rows as one batch, in one
transaction. The command line acts as the system (no scope limit) unless --user names an
account. Exit status 0 when the file could be read, errors in its rows or not; 1 when not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.accounts.models import User
from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.tabular import TabularFileError
from trithuc.intake.choices import BatchStatus
from trithuc.intake.models import ColumnMapping, ImportBatch
from trithuc.intake.services import IntakeResult, intake_file
from trithuc.organizations.models import Organization

COUNTS = IntakeResult.COUNTS


class Command(BaseCommand):
    help = _("Kiểm tra (và ghi, với --commit) danh sách trí thức từ tệp .xlsx hoặc .csv.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp .xlsx hoặc .csv"))
        parser.add_argument("--org", required=True, help=_("Mã cơ quan của danh sách."))
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run", action="store_true", help=_("Chỉ kiểm tra, không ghi (mặc định).")
        )
        mode.add_argument(
            "--commit", action="store_true", help=_("Ghi các dòng hợp lệ vào hệ thống.")
        )
        parser.add_argument(
            "--mapping", default="", help=_("Tên cách ghép cột đã lưu của cơ quan.")
        )
        parser.add_argument(
            "--user", default="", help=_("Thực hiện với quyền của tài khoản này (tên đăng nhập).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        organization = Organization.objects.filter(code__iexact=options["org"]).first()
        if organization is None:
            self.fail(
                _("Không có cơ quan mã “%(code)s”.") % {"code": options["org"]}, "unknown_org"
            )
        acting_user = None
        if options["user"]:
            acting_user = User.objects.filter(username=options["user"]).first()
            if acting_user is None:
                self.fail(
                    _("Không có tài khoản “%(username)s”.") % {"username": options["user"]},
                    "unknown_user",
                )
            # --user acts with that account's rights: records of the agency's subtree, which
            # it must be allowed to add (as on the upload page).
            from trithuc.core.permissions import organizations_for
            from trithuc.registry.models import Person

            allowed = organizations_for(acting_user, Person, "add")
            if not acting_user.is_active or not allowed.filter(pk=organization.pk).exists():
                self.fail(
                    _(
                        "Tài khoản “%(username)s” không được nhập hồ sơ cho %(org)s (cần vai trò "
                        "cán bộ tổ chức - nhân sự hoặc quản lý dữ liệu tại cơ quan đó hoặc cấp "
                        "trên)."
                    )
                    % {"username": options["user"], "org": organization},
                    "forbidden_user",
                )
        mapping: dict[str, str] = {}
        if options["mapping"]:
            saved = ColumnMapping.objects.filter(
                organization=organization, name=options["mapping"]
            ).first()
            if saved is None:
                self.fail(
                    _("Cơ quan %(code)s chưa lưu cách ghép cột “%(name)s”.")
                    % {"code": organization.code, "name": options["mapping"]},
                    "unknown_mapping",
                )
            mapping = dict(saved.mapping)
        if not path.is_file():
            self.fail(
                _("Không tìm thấy tệp %(path)s. Hãy kiểm tra đường dẫn.") % {"path": path},
                "file_not_found",
            )
        try:
            if options["commit"]:
                result = self.commit(path, organization, mapping, acting_user, options)
            else:
                result = intake_file(
                    path,
                    filename=path.name,
                    organization=organization,
                    mapping=mapping,
                    acting_user=acting_user,
                    commit=False,
                )
        except TabularFileError as exc:
            report: dict[str, Any] = dict.fromkeys(COUNTS, 0)
            report["errors"] = len(exc.issues)
            report["issues"] = exc.issues
            self.emit(report)
            raise CommandError(exc.message) from exc
        self.emit(result.report())

    def commit(
        self,
        path: Path,
        organization: Organization,
        mapping: dict[str, str],
        user: Any,
        options: dict[str, Any],
    ) -> IntakeResult:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                organization=organization,
                uploaded_by=user,
                file_name=path.name[:255],
                mapping=mapping,
                mapping_name=options["mapping"],
                status=BatchStatus.COMMITTING,
            )
            result = intake_file(
                path,
                filename=path.name,
                organization=organization,
                mapping=mapping,
                acting_user=user,
                commit=True,
                batch=batch,
            )
            for name in COUNTS:
                setattr(batch, name, getattr(result, name))
            batch.mapping = result.mapping
            batch.status = BatchStatus.COMMITTED
            batch.committed_at = batch.staged_at = timezone.now()
            batch.save()
            audit.record(
                AuditKind.IMPORT,
                actor=user,
                obj=batch,
                organization=organization,
                details={
                    "what": "people",
                    "file": path.name,
                    "batch": batch.pk,
                    "source": "command",
                    **result.counts(),
                },
            )
        return result

    def fail(self, message: str, code: str) -> NoReturn:
        report: dict[str, Any] = dict.fromkeys(COUNTS, 0)
        report["errors"] = 1
        report["issues"] = [
            {"row": None, "column": "", "code": code, "message": message, "severity": "error"}
        ]
        self.emit(report)
        raise CommandError(message)

    def emit(self, report: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))

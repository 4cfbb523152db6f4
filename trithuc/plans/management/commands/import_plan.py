"""`manage.py import_plan FILE [--dry-run] [--year YYYY] [--organization CODE …]`: read a plan.

Prints one JSON object: `tasks` (each `{number, section, content, lead, coordinators,
deadline, warnings}` and more), `sections`, top-level `warnings`, `counts`, and the agency
names that need a person to choose the organisation (`agencies_to_review`). Agency names are
matched against the organisations in the database when there are any; a dry run only reads.

Without --dry-run the parse is handed to `trithuc.plans.services.commit_plan`, for the
monitoring agency given by --organization (its code), with --title and --number. The exit
status is 0 when the file could be read, 1 (with a Vietnamese message on stderr) when not.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from trithuc.plans.agencies import AgencyMatcher
from trithuc.plans.importing import report_of
from trithuc.plans.parsing import PlanParse, PlanParseError, parse_plan
from trithuc.plans.services import commit_plan

MIN_YEAR, MAX_YEAR = 1990, 2100


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        # argparse turns this into "error: argument --year: …" and exit status 2.
        raise argparse.ArgumentTypeError(
            _("Năm “%(value)s” không hợp lệ; hãy ghi bốn chữ số, ví dụ 2024.") % {"value": value}
        )
    return year


class Command(BaseCommand):
    help = _(
        "Đọc kế hoạch (phụ lục nhiệm vụ dạng .docx, .xlsx, .csv hoặc văn bản) và in các nhiệm "
        "vụ dạng JSON; với --dry-run chỉ xem trước, không ghi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp kế hoạch: .docx, .xlsx, .csv hoặc .txt"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Chỉ đọc và in kết quả, không ghi.")
        )
        parser.add_argument(
            "--year",
            type=_year,
            default=None,
            metavar="YYYY",
            help=_("Năm dùng cho các thời hạn không ghi năm (mặc định: năm ban hành văn bản)."),
        )
        parser.add_argument(
            "--user", default="", help=_("Ghi với quyền của tài khoản này (tên đăng nhập).")
        )
        parser.add_argument(
            "--organization",
            default="",
            metavar="MÃ",
            help=_("Mã cơ quan theo dõi kế hoạch (bắt buộc khi ghi), ví dụ SKHCN."),
        )
        parser.add_argument("--title", default="", help=_("Trích yếu văn bản (khi ghi)."))
        parser.add_argument("--number", default="", help=_("Số, ký hiệu văn bản (khi ghi)."))

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        commit = None if dry_run else commit_plan
        organization = None
        if commit is not None:
            organization = self.organization(options["organization"])
        acting_user = self.acting_user(options["user"]) if options["user"] else None
        if acting_user is not None and organization is not None:
            self.check_may_add(acting_user, organization)
        path = Path(options["file"])
        try:
            parsed = parse_plan(path, document_year=options["year"])
        except PlanParseError as exc:
            raise CommandError(exc.message) from exc
        matcher = self.matcher(parsed)
        report = report_of(parsed, matcher, dry_run=dry_run)
        if commit is not None:
            try:
                document = commit(
                    parsed,
                    organization=organization,
                    title=options["title"] or path.stem,
                    number=options["number"],
                    source_file=path.name,
                    user=acting_user,
                    matcher=matcher,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            report["commit"] = {
                "document_id": getattr(document, "pk", None),
                "tasks": len(parsed.tasks),
            }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1, default=str))

    @staticmethod
    def organization(code: str) -> Any:
        from trithuc.organizations.models import Organization, normalize_code

        if not code:
            raise CommandError(
                _(
                    "Để ghi kế hoạch cần chọn cơ quan theo dõi: thêm --organization MÃ (ví dụ "
                    "--organization SKHCN), hoặc dùng --dry-run để chỉ xem trước."
                )
            )
        organization = Organization.objects.filter(code=normalize_code(code)).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức mã “%(code)s”.") % {"code": code})
        return organization

    @staticmethod
    def check_may_add(user: Any, organization: Any) -> None:
        """--user writes with that account's rights: a plan for an agency in its scope."""
        from trithuc.core.permissions import organizations_for
        from trithuc.plans.models import PlanDocument

        if not user.is_active or not (
            organizations_for(user, PlanDocument, "add").filter(pk=organization.pk).exists()
        ):
            raise CommandError(
                _(
                    "Tài khoản “%(username)s” không có quyền thêm kế hoạch cho %(organization)s "
                    "(cần vai trò điều phối kế hoạch tại cơ quan đó hoặc cấp trên)."
                )
                % {"username": user.get_username(), "organization": organization}
            )

    @staticmethod
    def acting_user(username: str) -> Any:
        from trithuc.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có tài khoản “%(username)s”.") % {"username": username})
        return user

    @staticmethod
    def matcher(parsed: PlanParse) -> AgencyMatcher | None:
        """The organisations in the database (read only), or None when there are none."""
        try:
            matcher = AgencyMatcher.from_database()
        except DatabaseError:
            parsed.warnings.append(
                _("Không đọc được danh mục tổ chức; chưa đối chiếu tên cơ quan với tổ chức.")
            )
            return None
        if not len(matcher):
            parsed.warnings.append(
                _("Chưa có tổ chức nào trong hệ thống; chưa đối chiếu tên cơ quan với tổ chức.")
            )
            return None
        return matcher

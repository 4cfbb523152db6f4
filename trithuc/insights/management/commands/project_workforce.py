"""`manage.py project_workforce --to 2045 [--scenario NAME] [--organization CODE] [--from YEAR]`.

Projects the people at work (trithuc/insights/projection.py) and prints ONE JSON object:
`years` (each `{year, stock, retirements, inflow, attrition}`), `by_field` (per level-1 field
code: `name` and per year `stock`, `retirements`, `inflow`, `demand`, `gap`), `scenario`
(null without one), `base_date`, `base_stock`, `first_year_share` and `warnings`.

Without --scenario: the people of --organization's subtree (everyone without it), with no
extension, attrition, inflow or demand. With --from YEAR the projection starts from the
registry as it stood on 31 December of the year before (its history). Bad input ends with a
Vietnamese message on stderr and exit status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from trithuc.insights.models import Scenario
from trithuc.insights.projection import (
    MAX_YEAR,
    MIN_YEAR,
    AssumptionError,
    ProjectionError,
    project_scenario,
)
from trithuc.organizations.models import Organization


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CommandError(
            _("Năm “%(value)s” không hợp lệ; hãy ghi bốn chữ số từ %(min)s đến %(max)s.")
            % {"value": value, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


class Command(BaseCommand):
    help = _(
        "Dự báo đội ngũ trí thức đến một năm (nghỉ hưu theo lộ trình, kéo dài, rời bỏ, nguồn "
        "bổ sung) và in kết quả dạng JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Years are read as text and checked in handle(): an error raised while argparse reads
        # the arguments would end in a traceback instead of the message.
        parser.add_argument(
            "--to",
            default="2045",
            metavar="NĂM",
            help=_("Năm cuối của dự báo (mặc định 2045, tối đa 2100)."),
        )
        parser.add_argument(
            "--scenario", default="", metavar="TÊN", help=_("Tên kịch bản dự báo đã lưu.")
        )
        parser.add_argument(
            "--organization",
            default="",
            metavar="MÃ",
            help=_("Mã đơn vị: phạm vi dự báo, hoặc đơn vị của kịch bản khi có nhiều kịch bản "
                   "cùng tên."),
        )  # fmt: skip
        parser.add_argument(
            "--from",
            dest="from_year",
            default="",
            metavar="NĂM",
            help=_("Năm đầu: bắt đầu từ số liệu ngày 31/12 năm trước (mặc định: từ hôm nay)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        to_year = _year(str(options["to"]))
        from_year = _year(str(options["from_year"])) if options["from_year"] else None
        organization = self.organization(options["organization"])
        scenario = self.scenario(options["scenario"], organization)
        try:
            projection = project_scenario(
                scenario, to_year=to_year, from_year=from_year, organization=organization
            )
        except AssumptionError as exc:
            raise CommandError(
                _("Kịch bản “%(name)s” có giả định chưa hợp lệ: %(problems)s")
                % {"name": scenario, "problems": "; ".join(exc.messages)}
            ) from exc
        except ProjectionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(projection.as_dict(scenario), ensure_ascii=False, indent=1))

    def organization(self, code: str) -> Organization | None:
        if not code:
            return None
        try:
            return Organization.objects.get(code=code)
        except Organization.DoesNotExist:
            raise CommandError(
                _("Không có đơn vị mã “%(code)s”; hãy kiểm tra mã đơn vị.") % {"code": code}
            ) from None

    def scenario(self, name: str, organization: Organization | None) -> Scenario | None:
        if not name:
            return None
        found = Scenario.objects.select_related("organization").filter(name=name)
        if organization is not None:
            found = found.filter(organization=organization)
        matches = list(found[:2])
        if not matches:
            where = _(" của đơn vị %(code)s") % {"code": organization.code} if organization else ""
            raise CommandError(
                _("Không có kịch bản “%(name)s”%(where)s; hãy kiểm tra tên kịch bản.")
                % {"name": name, "where": where}
            )
        if len(matches) > 1:
            raise CommandError(
                _(
                    "Có nhiều kịch bản tên “%(name)s”; hãy ghi thêm --organization MÃ để chọn "
                    "đơn vị của kịch bản."
                )
                % {"name": name}
            )
        return matches[0]

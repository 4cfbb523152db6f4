"""`manage.py load_example_indicators --organization CODE`: typical indicators of the action
programme (trithuc/insights/indicator_examples.py) for that organisation's subtree.

Running it again changes nothing: an indicator whose code the organisation already has is left
as it is (with the steward's corrections).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from trithuc.insights.indicator_examples import load_examples
from trithuc.organizations.models import Organization, normalize_code


class Command(BaseCommand):
    help = _(
        "Nạp các chỉ tiêu ví dụ của chương trình hành động (tỷ lệ lãnh đạo được bồi dưỡng hội "
        "nhập quốc tế, số tiến sĩ, số GS/PGS, tỷ lệ nữ GS/PGS, tỷ lệ tiến sĩ dưới 40 tuổi) cho "
        "một đơn vị; mục tiêu là ví dụ cần điều chỉnh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization",
            required=True,
            metavar="CODE",
            help=_("Mã đơn vị phạm vi của chỉ tiêu (ví dụ UBND): đếm cả các đơn vị trực thuộc."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = normalize_code(options["organization"])
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(
                _("Không có đơn vị mã “%(code)s”. Hãy kiểm tra mã trong danh mục tổ chức.")
                % {"code": code}
            )
        result = load_examples(organization=organization)
        self.stdout.write(
            _(
                "Chỉ tiêu ví dụ cho %(org)s: tạo mới %(created)s (%(created_codes)s), giữ nguyên "
                "%(skipped)s đã có. Mục tiêu là ví dụ: hãy điều chỉnh trên trang chỉ tiêu."
            )
            % {
                "org": organization.code,
                "created": len(result["created"]),
                "created_codes": ", ".join(result["created"]) or "—",
                "skipped": len(result["skipped"]),
            }
        )

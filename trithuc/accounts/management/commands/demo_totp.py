"""`manage.py demo_totp USERNAME`: the TOTP code a demo account's authenticator shows now."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from trithuc.accounts.models import User
from trithuc.accounts.services import totp_current_code, totp_secret


class Command(BaseCommand):
    help = _("In mã xác thực hai lớp (TOTP) hiện tại của một tài khoản thử nghiệm.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("Tên đăng nhập"))

    def handle(self, *args: Any, **options: Any) -> None:
        # Printing a second factor defeats it: only for demos and tests on one's own machine.
        if settings.PRODUCTION:
            raise CommandError(
                _("Lệnh này chỉ dùng cho bản trình diễn, không chạy trên máy chủ thật.")
            )
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("Không có tài khoản “%(username)s”. Xem danh sách bằng "
                  "`python manage.py seed_demo --print-accounts`.")
                % {"username": username}
            )  # fmt: skip
        secret = totp_secret(user=user)
        if secret is None:
            raise CommandError(
                _("Tài khoản “%(username)s” chưa bật xác thực hai lớp (TOTP).")
                % {"username": username}
            )
        self.stdout.write(totp_current_code(secret))

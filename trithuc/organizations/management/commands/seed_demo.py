"""`manage.py seed_demo [--if-empty] [--people N] [--print-accounts]`: Hà Nội demo tree, one user
per role, and N synthetic people (trithuc/registry/demo.py).

The organisations come from trithuc/organizations/data/demo_hanoi.json (real names, short
stable codes). Passwords and TOTP secrets are generated here, never committed: they are
written to a git-ignored file readable only by its owner (var/demo-accounts.txt). Running the
command again changes nothing: organisations are matched by code, and a demo user keeps the
password and secret in the file as long as they still work. People are added on every run with
--people, or only into an empty registry with --if-empty.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from faker import Faker

from trithuc.accounts.models import User
from trithuc.accounts.services import membership_grant, totp_enrol, totp_secret
from trithuc.core import audit
from trithuc.core.choices import AuditKind, Role
from trithuc.core.fakes import vietnamese_full_name
from trithuc.core.text import fold
from trithuc.organizations.choices import OrganizationType
from trithuc.organizations.data import DATA_DIR, load_administrative_units
from trithuc.organizations.models import AdministrativeUnit, Organization
from trithuc.organizations.selectors import commune_by_name
from trithuc.registry.demo import NoOrganizationsError, seed_people
from trithuc.registry.models import Person

DEMO_TREE = DATA_DIR / "demo_hanoi.json"
DEFAULT_ACCOUNTS_FILE = Path(settings.BASE_DIR) / "var" / "demo-accounts.txt"
NO_ROLE = "-"
FAKER_SEED = 45  # Resolution 45-NQ/TW; the same invented names on every machine
# The example KPI indicators (insights) are loaded for the city's people's committee.
DEMO_INDICATORS_ORGANIZATION = "UBND"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # a Role value, or NO_ROLE for the intellectual
    organization: str  # an organisation code


# One user per role; the data steward and the leader see the whole city.
DEMO_ACCOUNTS = (
    DemoAccount("demo.admin", Role.ADMIN.value, "UBND"),
    DemoAccount("demo.steward", Role.DATA_STEWARD.value, "UBND"),
    DemoAccount("demo.hr", Role.HR_OFFICER.value, "BVXP"),
    DemoAccount("demo.plan", Role.PLAN_COORDINATOR.value, "SKHCN"),
    DemoAccount("demo.leader", Role.LEADER.value, "UBND"),
    DemoAccount("demo.council", Role.COUNCIL_MEMBER.value, "LHHHN"),
    DemoAccount("demo.intellectual", NO_ROLE, "DHTDHN"),
)


@dataclass(frozen=True)
class AccountEntry:
    username: str
    role: str
    organization: str
    password: str
    totp_secret: str

    def line(self) -> str:
        return "\t".join(
            [self.username, self.role, self.organization, self.password, self.totp_secret or "-"]
        )


FILE_HEADER = (
    "# Tài khoản thử nghiệm Trí Thức — chỉ để trình diễn, không dùng với dữ liệu thật.\n"
    "# Tạo bởi `python manage.py seed_demo`; xem bằng `python manage.py seed_demo "
    "--print-accounts`.\n"
    "# tên đăng nhập\tvai trò\tmã đơn vị\tmật khẩu\tkhóa TOTP\n"
)


def read_accounts(path: Path) -> dict[str, AccountEntry]:
    if not path.exists():
        return {}
    entries = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 5:
            continue
        username, role, organization, password, secret = fields
        entries[username] = AccountEntry(username, role, organization, password, secret.strip("-"))
    return entries


def write_accounts(path: Path, entries: list[AccountEntry]) -> None:
    """Replace the file atomically; it is created with mode 0600 (passwords in clear)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = FILE_HEADER + "".join(entry.line() + "\n" for entry in entries)
    fd, tmp = tempfile.mkstemp(prefix=".demo-accounts-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_password() -> str:
    return secrets.token_urlsafe(12)


def ascii_title(name: str) -> str:
    """ "Văn Miếu - Quốc Tử Giám" -> "Van Mieu - Quoc Tu Giam" (for English names)."""
    return " ".join(word.capitalize() for word in fold(name).split(" "))


class Seeder:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def upsert(self, code: str, **fields: Any) -> Organization:
        org = Organization.objects.filter(code=code).first()
        if org is None:
            org = Organization(code=code, **fields)
            org.save()
            audit.record(AuditKind.OBJECT_CREATED, obj=org, details={"source": "seed_demo"})
            self.created += 1
            return org
        changed = [name for name, value in fields.items() if getattr(org, name) != value]
        if changed:
            for name in changed:
                setattr(org, name, fields[name])
            org.save()
            audit.record(
                AuditKind.OBJECT_CHANGED,
                obj=org,
                details={"source": "seed_demo", "fields": sorted(changed)},
            )
            self.updated += 1
        return org

    def organizations(self) -> dict[str, Organization]:
        tree = json.loads(DEMO_TREE.read_text(encoding="utf-8"))
        province = AdministrativeUnit.objects.get(code=tree["province_code"], is_legacy=False)
        orgs: dict[str, Organization] = {}
        for spec in tree["organizations"]:
            orgs[spec["code"]] = self.upsert(
                spec["code"],
                name=spec["name"],
                name_en=spec["name_en"],
                short_name=spec["short_name"],
                type=spec["type"],
                parent=orgs[spec["parent"]] if spec["parent"] else None,
                administrative_unit=province,
                is_active=True,
            )
        communes = tree["communes"]
        for name in communes["names"]:
            unit = commune_by_name(name, province_code=province.code)
            if unit is None:
                raise CommandError(
                    _(
                        "Không tìm thấy %(name)s trong danh mục đơn vị hành chính của %(province)s."
                        " Hãy chạy `python manage.py migrate` rồi thử lại."
                    )
                    % {"name": name, "province": province.name}
                )
            kind, _sep, place = name.partition(" ")
            is_ward = fold(kind) == "phuong"
            orgs[communes["code_prefix"] + unit.code] = self.upsert(
                communes["code_prefix"] + unit.code,
                name=f"Ủy ban nhân dân {kind.lower()} {place}",
                name_en=f"{ascii_title(place)} {'Ward' if is_ward else 'Commune'} "
                "People's Committee",
                short_name=f"UBND {'P.' if is_ward else 'X.'} {place}",
                type=OrganizationType.COMMUNE_COMMITTEE.value,
                parent=orgs[communes["parent"]],
                administrative_unit=unit,
                is_active=True,
            )
        return orgs

    def account(
        self, spec: DemoAccount, org: Organization, entry: AccountEntry | None, faker: Faker
    ) -> AccountEntry:
        full_name = vietnamese_full_name(faker)
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                full_name=full_name,
                email=f"{spec.username}@example.invalid",
                organization=org,
            )
        password = entry.password if entry else ""
        if not (user.pk and password and user.check_password(password)):
            password = new_password()
            user.set_password(password)
        user.organization = org
        user.is_active = True
        user.save()
        secret = ""
        if spec.role != NO_ROLE:
            membership_grant(user=user, organization=org, role=spec.role, acting_user=None)
            # The secret in the database wins: the file only reports it.
            secret = totp_secret(user=user) or totp_enrol(user=user)
        return AccountEntry(spec.username, spec.role, org.code, password, secret)


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu trình diễn: cây tổ chức Hà Nội, một tài khoản cho mỗi vai trò và, nếu "
        "yêu cầu, trí thức giả lập."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_(
                "Không tạo cây tổ chức nếu đã có tổ chức nào; không thêm trí thức giả lập nếu đã "
                "có trí thức nào."
            ),
        )
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            metavar="N",
            help=_(
                "Thêm N trí thức giả lập (họ tên ngẫu nhiên, không phải dữ liệu thật). Với "
                "--if-empty: chỉ thêm khi chưa có trí thức nào."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=FAKER_SEED,
            help=_(
                "Hạt giống ngẫu nhiên của dữ liệu trí thức giả lập (cùng hạt giống, cùng dữ liệu)."
            ),
        )
        parser.add_argument(
            "--print-accounts",
            action="store_true",
            help=_("In danh sách tài khoản thử nghiệm (kể cả khi đã tạo từ trước)."),
        )
        parser.add_argument(
            "--accounts-file",
            default=str(DEFAULT_ACCOUNTS_FILE),
            help=_("Tệp ghi tài khoản thử nghiệm (mặc định var/demo-accounts.txt)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                _("Không tạo dữ liệu trình diễn trên máy chủ thật (TRITHUC_ENV=production).")
            )
        path = Path(options["accounts_file"])
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write(_("Đã có dữ liệu tổ chức: bỏ qua việc tạo dữ liệu trình diễn."))
        else:
            self.seed(path)
        if options["people"] > 0:
            if options["if_empty"] and Person.objects.exists():
                self.stdout.write(_("Đã có dữ liệu trí thức: không thêm trí thức giả lập."))
            else:
                self.seed_people(options["people"], options["seed"])
        if Organization.objects.filter(code=DEMO_INDICATORS_ORGANIZATION).exists():
            # After the people: each example's baseline is its first measurement.
            call_command(
                "load_example_indicators",
                organization=DEMO_INDICATORS_ORGANIZATION,
                stdout=self.stdout,
            )
            from trithuc.insights.scenario_examples import ensure_example_scenario

            # An example projection scenario (trithuc/insights/scenario_examples.py), once.
            ensure_example_scenario(Organization.objects.get(code=DEMO_INDICATORS_ORGANIZATION))
        if options["print_accounts"]:
            self.print_accounts(path)

    def seed(self, path: Path) -> None:
        seeder = Seeder()
        previous = read_accounts(path)
        faker = Faker("vi_VN")
        faker.seed_instance(FAKER_SEED)
        with transaction.atomic():
            load_administrative_units(AdministrativeUnit)
            orgs = seeder.organizations()
            entries = [
                seeder.account(spec, orgs[spec.organization], previous.get(spec.username), faker)
                for spec in DEMO_ACCOUNTS
            ]
        # After the commit: if this fails, the next run finds the passwords unknown and resets
        # them, so the file and the database always agree in the end.
        if [previous.get(e.username) for e in entries] != entries:
            write_accounts(path, entries)
        self.stdout.write(
            _(
                "Dữ liệu trình diễn: %(orgs)s tổ chức (%(created)s mới, %(updated)s cập nhật), "
                "%(users)s tài khoản."
            )
            % {
                "orgs": len(orgs),
                "created": seeder.created,
                "updated": seeder.updated,
                "users": len(entries),
            }
        )

    def seed_people(self, count: int, seed: int) -> None:
        def progress(done: int, total: int) -> None:
            if total > done:
                self.stdout.write(
                    _("  … %(done)s/%(total)s trí thức") % {"done": done, "total": total}
                )

        start = time.perf_counter()
        try:
            added = seed_people(count, seed=seed, progress=progress)
        except NoOrganizationsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Đã thêm %(count)s trí thức giả lập trong %(seconds).1f giây.")
            % {"count": added, "seconds": time.perf_counter() - start}
        )

    def print_accounts(self, path: Path) -> None:
        entries = read_accounts(path)
        if not entries:
            self.stdout.write(
                _(
                    "Chưa có tệp tài khoản thử nghiệm %(path)s. Hãy chạy `python manage.py "
                    "seed_demo` để tạo."
                )
                % {"path": path}
            )
            return
        labels = dict(Role.choices)
        rows = [
            (
                e.username,
                str(labels.get(e.role, _("Trí thức (không có vai trò)"))),
                e.organization,
                e.password,
                e.totp_secret or "—",
            )
            for e in entries.values()
        ]
        header = (_("Tên đăng nhập"), _("Vai trò"), _("Đơn vị"), _("Mật khẩu"), _("Khóa TOTP"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản thử nghiệm (chỉ để trình diễn; lưu trong %(path)s):") % {"path": path}
        )
        for row in [header, *rows]:
            line = "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
            self.stdout.write(("  " + line).rstrip())
        self.stdout.write("")
        self.stdout.write(
            _(
                "Mọi tài khoản có vai trò phải đăng nhập bằng mật khẩu và mã xác thực hai lớp "
                "(TOTP):\n"
                "  • Trong ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, "
                "FreeOTP…), chọn “Nhập khóa thiết lập”, đặt tên tùy ý, dán khóa ở cột "
                "“Khóa TOTP”, loại “Dựa trên thời gian”; ứng dụng sẽ hiện mã 6 chữ số.\n"
                "  • Hoặc in mã hiện tại: python manage.py demo_totp TÊN_ĐĂNG_NHẬP\n"
                "  • Tài khoản trí thức (không có vai trò) chỉ cần mật khẩu."
            )
        )

"""The intellectual registry: people, their sub-records, taxonomies and provenance.

Derived values (age, highest degree, title, whether a leader, retirement date, the unit)
have one implementation, in `derived.py`; the person row keeps a copy of those that lists
filter and sort on, refreshed whenever a sub-record is written (`Person.refresh_summary`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from trithuc.core.choices import Role
from trithuc.core.fields import CollationKeyField
from trithuc.core.models import BaseModel
from trithuc.core.permissions import ALL_ROLES, PermissionPolicy, roles
from trithuc.core.text import fold, nfc, vietnamese_name_collation_key

from . import choices, derived
from .citizen_id import masked_last_digits

CURRENT_FIELD_VERSION = "2025"
MIN_BIRTH_YEAR = 1900
# Degrees written before a name ("PGS.TS. Nguyễn Văn A"); a bachelor's is not.
PREFIX_DEGREE_GROUPS = {"TSKH", "TS", "BSCKII", "THS", "BSCKI"}
ADULT_AGE = 18

# Who reads and writes the registry: HR officers keep their unit's records, data stewards
# the whole subtree; leaders read. Sensitive fields (citizen ID, ethnicity, religion) are
# for the roles in SENSITIVE_ROLES only, and every read of them is an audit event.
REGISTRY_POLICY = PermissionPolicy(
    view=roles(Role.HR_OFFICER, Role.DATA_STEWARD, Role.LEADER),
    add=roles(Role.HR_OFFICER, Role.DATA_STEWARD),
    change=roles(Role.HR_OFFICER, Role.DATA_STEWARD),
    delete=roles(Role.DATA_STEWARD),
    org_lookup="organization",
)
SENSITIVE_ROLES = roles(Role.HR_OFFICER, Role.DATA_STEWARD)
SENSITIVE_POLICY = PermissionPolicy(view=SENSITIVE_ROLES, org_lookup="organization")
# Reverting a person to an earlier version is for data stewards.
# A current primary position decides the unit keeping the record (refresh_summary): one
# outside the writer's scope would move the record out of their reach.
PRIMARY_POSITION_OUT_OF_SCOPE = _(
    "Chức vụ chính hiện tại sẽ chuyển hồ sơ về đơn vị này, nằm ngoài phạm vi quản lý của bạn. "
    "Hãy ghi là chức vụ kiêm nhiệm (bỏ đánh dấu “chức vụ chính”), hoặc đề nghị cán bộ quản lý "
    "dữ liệu chuyển hồ sơ."
)
REVERT_POLICY = PermissionPolicy(view=roles(Role.DATA_STEWARD), org_lookup="organization")


# ---- taxonomies -----------------------------------------------------------------------------


class Taxonomy(BaseModel):
    """Reference lists kept as data: loaded by migrations, read by every staff role,
    corrected by system administrators of the top-level organisation; changes are kept in
    their history like any other record."""

    code = models.CharField(_("mã"), max_length=16)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    permission_policy = PermissionPolicy(
        view=ALL_ROLES,
        add=roles(Role.ADMIN),
        change=roles(Role.ADMIN),
        org_lookup=None,
        unscoped=True,
    )

    # The taxonomy's slug in the taxonomy pages' URLs.
    url_kind: ClassVar[str]

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:taxonomy_list", args=[self.url_kind]) + f"#code-{self.code}"


class FieldOfScience(Taxonomy):
    """Fields of science and technology (Circular 24/2025/TT-BKHCN; Decision 12/2008 kept
    as version 2008). Codes are hierarchical: 1 → 101 → 10101 → 1010101."""

    url_kind = "fields"

    version = models.CharField(_("phiên bản"), max_length=8, default=CURRENT_FIELD_VERSION)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lĩnh vực khoa học")
        verbose_name_plural = _("lĩnh vực khoa học")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="field_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A field's code extends its parent's, one level down, in the same version."""
        parent = self.parent
        if parent is None:
            if self.level != 1:
                raise ValidationError(
                    {
                        "parent": gettext("Lĩnh vực cấp %(level)s cần thuộc một lĩnh vực cấp trên.")
                        % {"level": self.level}
                    }
                )
            return
        errors = {}
        if parent.version != self.version:
            errors["parent"] = gettext(
                "Lĩnh vực cấp trên thuộc phiên bản %(other)s, khác phiên bản %(version)s."
            ) % {"other": parent.version, "version": self.version}
        elif self.level != parent.level + 1:
            errors["level"] = gettext(
                "Lĩnh vực này phải ở cấp %(level)s (dưới cấp trên một cấp)."
            ) % {"level": parent.level + 1}
        elif not self.code.startswith(parent.code):
            errors["code"] = gettext("Mã phải bắt đầu bằng mã lĩnh vực cấp trên (%(code)s).") % {
                "code": parent.code
            }
        if errors:
            raise ValidationError(errors)


class DegreeLevel(Taxonomy):
    """Degrees as HR records write them. `rank` orders them (highest degree); `group` is the
    level a statistic counts them under (Kỹ sư, Bác sĩ, Cử nhân… are all "đại học")."""

    url_kind = "degrees"

    abbreviation = models.CharField(_("viết tắt"), max_length=16, blank=True)
    group = models.CharField(_("nhóm trình độ"), max_length=16)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"))
    nqf_level = models.PositiveSmallIntegerField(_("bậc khung trình độ quốc gia"), null=True)
    synonyms = models.JSONField(_("cách viết khác"), default=list, blank=True)

    class Meta:
        verbose_name = _("trình độ đào tạo")
        verbose_name_plural = _("trình độ đào tạo")
        ordering = ["-rank", "code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="degree_level_unique_code")]


class EthnicGroup(Taxonomy):
    """The 54 ethnic groups of Vietnam (General Statistics Office list, codes 01–54)."""

    url_kind = "ethnic-groups"

    other_names = models.CharField(_("tên gọi khác"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dân tộc")
        verbose_name_plural = _("dân tộc")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="ethnic_group_unique_code")]


class ProfessorshipCouncil(Taxonomy):
    """The field of a professorship council (Hội đồng Giáo sư ngành, liên ngành)."""

    url_kind = "councils"

    class Meta:
        verbose_name = _("hội đồng giáo sư ngành")
        verbose_name_plural = _("hội đồng giáo sư ngành")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="council_unique_code")]


# ---- provenance -----------------------------------------------------------------------------


class Provenance(models.Model):
    """Where a record came from and whether a steward has verified it."""

    source = models.CharField(
        _("nguồn"), max_length=16, choices=choices.Source.choices, default=choices.Source.STAFF
    )
    source_detail = models.CharField(
        _("chi tiết nguồn"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: công văn số, tên tệp và dòng, đợt nhập."),
    )
    source_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan cung cấp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)
    verification = models.CharField(
        _("xác minh"),
        max_length=16,
        choices=choices.Verification.choices,
        default=choices.Verification.UNVERIFIED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác minh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)

    class Meta:
        abstract = True

    PROVENANCE_FIELDS: ClassVar[list[str]] = [
        "source",
        "source_detail",
        "source_organization",
        "recorded_at",
        "verification",
        "verified_by",
        "verified_at",
    ]


# ---- the person -----------------------------------------------------------------------------


class Person(Provenance, BaseModel):
    """An intellectual: identity, contacts, situation, and a summary of the sub-records."""

    full_name = models.CharField(
        _("họ và tên"), max_length=150, help_text=_("Viết đầy đủ, có dấu: Nguyễn Thị Minh Khai.")
    )
    other_names = models.CharField(
        _("tên gọi khác"), max_length=255, blank=True, help_text=_("Bút danh, nghệ danh…")
    )
    folded_name = models.CharField(max_length=150, editable=False, db_index=True)
    # Given name, then family and middle names, in Vietnamese alphabetical order.
    sort_key = CollationKeyField()
    birth_date = models.DateField(
        _("ngày sinh"), help_text=_("Chỉ biết năm sinh: chọn độ chính xác “chỉ có năm sinh”.")
    )
    birth_date_precision = models.CharField(
        _("độ chính xác của ngày sinh"),
        max_length=8,
        choices=choices.BirthDatePrecision.choices,
        default=choices.BirthDatePrecision.DAY,
    )
    gender = models.CharField(_("giới tính"), max_length=8, choices=choices.Gender.choices)
    # Sensitive (Law 91/2025): shown only to SENSITIVE_ROLES, reads audited.
    ethnicity = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("dân tộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    religion = models.CharField(_("tôn giáo"), max_length=100, blank=True)
    citizen_id_encrypted = models.TextField(blank=True, editable=False)
    citizen_id_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    citizen_id_last = models.CharField(max_length=3, blank=True, editable=False)
    nationality = CountryField(_("quốc tịch"), default="VN")
    residence_unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        verbose_name=_("nơi ở (đơn vị hành chính)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_country = CountryField(_("nước cư trú"), default="VN")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    photo = models.ImageField(_("ảnh"), upload_to="people/photos/", blank=True)
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=choices.PersonStatus.choices,
        default=choices.PersonStatus.WORKING,
    )
    sector = models.CharField(_("khu vực công tác"), max_length=24, choices=choices.Sector.choices)
    political_theory = models.CharField(
        _("trình độ lý luận chính trị"),
        max_length=16,
        choices=choices.PoliticalTheory.choices,
        blank=True,
    )
    keywords = models.CharField(
        _("từ khóa chuyên môn"),
        max_length=500,
        blank=True,
        help_text=_("Cách nhau bằng dấu phẩy, ví dụ: trí tuệ nhân tạo, thơ, quy hoạch đô thị."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("đơn vị quản lý hồ sơ"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Theo chức vụ chính hiện tại nếu có; nếu không, đơn vị giữ hồ sơ."),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản của chính người này"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Summary of the sub-records (refresh_summary), for filters and sorting.
    highest_degree = models.ForeignKey(
        DegreeLevel,
        verbose_name=_("trình độ cao nhất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    degree_group = models.CharField(max_length=16, blank=True, editable=False, db_index=True)
    title = models.CharField(
        _("học hàm"),
        max_length=4,
        choices=choices.AcademicTitleKind.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    primary_field = models.ForeignKey(
        FieldOfScience,
        verbose_name=_("lĩnh vực chính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    is_leader = models.BooleanField(_("giữ chức vụ lãnh đạo"), default=False, editable=False)
    retirement_date = models.DateField(_("ngày nghỉ hưu theo quy định"), null=True, editable=False)

    permission_policy = REGISTRY_POLICY
    SENSITIVE_FIELDS: ClassVar[tuple[str, ...]] = ("citizen_id", "ethnicity", "religion")

    class Meta:
        verbose_name = _("trí thức")
        verbose_name_plural = _("trí thức")
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="person_sort"),
            models.Index(fields=["birth_date"], name="person_birth"),
            models.Index(fields=["organization", "sort_key"], name="person_org_sort"),
            # Covers every column the statistics group by: their one scan reads this narrow
            # index instead of the wide rows (insights/aggregates.py, Cube).
            models.Index(
                fields=[
                    "status",
                    "organization",
                    "gender",
                    "title",
                    "degree_group",
                    "sector",
                    "primary_field",
                    "birth_date",
                ],
                name="person_stats",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = " ".join(nfc(self.full_name).split())
        self.folded_name = fold(self.full_name)
        self.sort_key = vietnamese_name_collation_key(self.full_name)
        if self.birth_date_precision == choices.BirthDatePrecision.YEAR and self.birth_date:
            self.birth_date = date(self.birth_date.year, 1, 1)
        self.retirement_date = derived.retirement_date(self.gender, self.birth_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:person_detail", args=[self.pk])

    # -- values every page, the API and the statistics share --------------------------------

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    @property
    def birth_display(self) -> str:
        if self.birth_date_precision == choices.BirthDatePrecision.YEAR:
            return str(self.birth_date.year)
        return self.birth_date.strftime("%d/%m/%Y")

    def age(self, on: date | None = None) -> int:
        return derived.age_on(self.birth_date, on or timezone.localdate())

    @property
    def academic_prefix(self) -> str:
        """How letters and lists address the person: "PGS.TS.", "GS.TSKH.", "ThS.", "" ."""
        parts = [self.title] if self.title else []
        degree = self.highest_degree
        if degree is not None and degree.group in PREFIX_DEGREE_GROUPS:
            parts.append(degree.abbreviation or degree.code)
        return ".".join(parts) + "." if parts else ""

    @property
    def has_citizen_id(self) -> bool:
        return bool(self.citizen_id_hash)

    @property
    def citizen_id_masked(self) -> str:
        return masked_last_digits(self.citizen_id_last) if self.citizen_id_hash else ""

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = gettext(
                    "Ngày sinh %(date)s ở tương lai. Hãy kiểm tra lại ngày sinh."
                ) % {"date": self.birth_date.strftime("%d/%m/%Y")}
            elif self.birth_date.year < MIN_BIRTH_YEAR:
                errors["birth_date"] = gettext(
                    "Năm sinh phải từ %(year)s trở đi. Hãy kiểm tra lại ngày sinh."
                ) % {"year": MIN_BIRTH_YEAR}
        if self.status == choices.PersonStatus.ABROAD and self.residence_country == "VN":
            errors["residence_country"] = gettext(
                "Người đang ở nước ngoài cần có nước cư trú khác Việt Nam."
            )
        if errors:
            raise ValidationError(errors)

    def refresh_summary(self) -> None:
        """Recompute the summary columns from the sub-records and store them.

        Written with UPDATE, not save(): the summary is not a change someone made, so it does
        not add a version to the person's history (the sub-record's own history has it).
        """
        summary = derived.summary(self)
        for name, value in summary.items():
            setattr(self, name, value)
        Person.objects.filter(pk=self.pk).update(**summary)

    def active_consent(self, purpose: str, part: str) -> bool:
        """Whether the person has a consent in force covering `part` for `purpose`."""
        today = timezone.localdate()
        return any(
            c.purpose == purpose and part in c.parts and c.in_force(today)
            for c in self.consents.all()
        )


# ---- sub-records ----------------------------------------------------------------------------


class PersonRecord(Provenance, BaseModel):
    """A sub-record of a person: scoped through the person, refreshes their summary."""

    person: Any
    # Removing a wrong degree is an edit of the person, not deleting a person.
    permission_policy = REGISTRY_POLICY.via("person__organization", delete=REGISTRY_POLICY.change)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.person.refresh_summary()

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        person = self.person
        result = super().delete(*args, **kwargs)
        person.refresh_summary()
        return result

    def _age_error(self, year: int | None, field: str, what: str) -> dict[str, str]:
        """A record dated before the person was 18 (a degree at 12 is a typing error)."""
        person = getattr(self, "person", None)
        if year is None or person is None or not person.birth_date:
            return {}
        if year > timezone.localdate().year:
            return {
                field: gettext("Năm %(year)s ở tương lai. Hãy kiểm tra lại năm.") % {"year": year}
            }
        if year < person.birth_date.year + ADULT_AGE:
            return {
                field: gettext(
                    "%(what)s năm %(year)s, khi người này chưa đủ %(age)s tuổi (sinh năm "
                    "%(birth)s). Hãy kiểm tra lại năm."
                )
                % {"what": what, "year": year, "age": ADULT_AGE, "birth": person.birth_date.year}
            }
        return {}


def _person_fk(related_name: str) -> Any:
    return models.ForeignKey(
        Person, verbose_name=_("trí thức"), on_delete=models.CASCADE, related_name=related_name
    )


def _year_field(label: Any, *, blank: bool = False) -> Any:
    return models.PositiveSmallIntegerField(
        label,
        null=blank,
        blank=blank,
        validators=[MinValueValidator(MIN_BIRTH_YEAR), MaxValueValidator(2100)],
    )


class AcademicTitle(PersonRecord):
    person = _person_fk("titles")
    kind = models.CharField(_("học hàm"), max_length=4, choices=choices.AcademicTitleKind.choices)
    year = _year_field(_("năm được công nhận"))
    council = models.ForeignKey(
        ProfessorshipCouncil,
        verbose_name=_("hội đồng giáo sư ngành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment = models.CharField(
        _("bổ nhiệm"),
        max_length=16,
        choices=choices.AppointmentStatus.choices,
        default=choices.AppointmentStatus.APPOINTED,
    )
    revoked = models.BooleanField(_("đã bị hủy bỏ"), default=False)
    revoked_year = _year_field(_("năm hủy bỏ"), blank=True)

    class Meta:
        verbose_name = _("học hàm")
        verbose_name_plural = _("học hàm")
        ordering = ["-year"]
        indexes = [models.Index(fields=["kind", "person", "year"], name="title_kind_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.year})"

    def clean(self) -> None:
        errors = self._age_error(self.year, "year", gettext("Được công nhận học hàm"))
        if self.revoked_year and not self.revoked:
            errors["revoked"] = gettext("Có năm hủy bỏ thì hãy đánh dấu “đã bị hủy bỏ”.")
        if self.revoked_year and self.year and self.revoked_year < self.year:
            errors["revoked_year"] = gettext(
                "Năm hủy bỏ trước năm được công nhận. Hãy kiểm tra lại hai năm này."
            )
        if errors:
            raise ValidationError(errors)


class Degree(PersonRecord):
    person = _person_fk("degrees")
    level = models.ForeignKey(
        DegreeLevel, verbose_name=_("trình độ"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        FieldOfScience,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    major = models.CharField(_("chuyên ngành"), max_length=255, blank=True)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=255, blank=True)
    country = CountryField(_("nước đào tạo"), default="VN")
    year = _year_field(_("năm tốt nghiệp"))

    class Meta:
        verbose_name = _("bằng cấp")
        verbose_name_plural = _("quá trình đào tạo")
        ordering = ["-year"]
        # Statistics by year awarded (the doctorates trend) read this index alone.
        indexes = [models.Index(fields=["level", "person", "year"], name="degree_level_year")]

    def __str__(self) -> str:
        return f"{self.level} {self.major} ({self.year})".replace("  ", " ")

    def clean(self) -> None:
        errors = self._age_error(self.year, "year", gettext("Tốt nghiệp"))
        if errors:
            raise ValidationError(errors)


class Position(PersonRecord):
    person = _person_fk("positions")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    employer_name = models.CharField(
        _("nơi công tác (ngoài hệ thống)"),
        max_length=255,
        blank=True,
        help_text=_("Khi cơ quan không có trong danh mục tổ chức: trường, viện, doanh nghiệp…"),
    )
    job_title = models.CharField(_("chức danh, vị trí"), max_length=255)
    leadership = models.CharField(
        _("cấp lãnh đạo"),
        max_length=16,
        choices=choices.LeadershipLevel.choices,
        blank=True,
        default="",
    )
    rank = models.CharField(
        _("ngạch, hạng"), max_length=24, choices=choices.CivilServiceRank.choices, blank=True
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    is_primary = models.BooleanField(_("chức vụ chính"), default=True)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.job_title}, {self.organization or self.employer_name}"

    @property
    def is_current(self) -> bool:
        return derived.position_is_current(self, timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = gettext(
                "Ngày kết thúc (%(end)s) trước ngày bắt đầu (%(start)s). Hãy kiểm tra lại."
            ) % {"end": self.end.strftime("%d/%m/%Y"), "start": self.start.strftime("%d/%m/%Y")}
        if self.start:
            errors.update(self._age_error(self.start.year, "start", gettext("Bắt đầu công tác")))
        if not self.organization_id and not self.employer_name:
            errors["organization"] = gettext(
                "Hãy chọn cơ quan, đơn vị hoặc ghi tên nơi công tác ngoài hệ thống."
            )
        if errors:
            raise ValidationError(errors)


class Expertise(PersonRecord):
    person = _person_fk("expertise")
    field = models.ForeignKey(
        FieldOfScience, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+"
    )
    is_primary = models.BooleanField(_("lĩnh vực chính"), default=False)

    class Meta:
        verbose_name = _("lĩnh vực chuyên môn")
        verbose_name_plural = _("lĩnh vực chuyên môn")
        ordering = ["-is_primary", "field__code"]
        constraints = [
            models.UniqueConstraint(fields=["person", "field"], name="expertise_unique_field"),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(is_primary=True),
                name="expertise_one_primary",
                violation_error_message=_("Mỗi người chỉ có một lĩnh vực chính."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.field)


class LanguageSkill(PersonRecord):
    person = _person_fk("languages")
    language = models.CharField(_("ngoại ngữ"), max_length=8, choices=choices.Language.choices)
    level = models.CharField(_("trình độ"), max_length=8, choices=choices.LanguageLevel.choices)

    class Meta:
        verbose_name = _("ngoại ngữ")
        verbose_name_plural = _("ngoại ngữ")
        ordering = ["language"]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_level_display()}"


class Training(PersonRecord):
    person = _person_fk("trainings")
    category = models.CharField(
        _("loại bồi dưỡng"), max_length=32, choices=choices.TrainingCategory.choices
    )
    name = models.CharField(_("tên khóa học"), max_length=255)
    provider = models.CharField(_("cơ sở đào tạo, bồi dưỡng"), max_length=255, blank=True)
    country = CountryField(_("nước"), default="VN")
    year = _year_field(_("năm"))
    hours = models.PositiveIntegerField(_("số giờ"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa bồi dưỡng")
        verbose_name_plural = _("đào tạo, bồi dưỡng")
        ordering = ["-year"]
        # The list filter "trained in a category within a period" reads this index alone.
        indexes = [models.Index(fields=["category", "year", "person"], name="training_filter")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def clean(self) -> None:
        errors = self._age_error(self.year, "year", gettext("Khóa bồi dưỡng"))
        if errors:
            raise ValidationError(errors)


class Publication(PersonRecord):
    person = _person_fk("publications")
    title = models.CharField(_("tên công trình"), max_length=500)
    year = _year_field(_("năm công bố"))
    venue = models.CharField(_("tạp chí, nhà xuất bản, hội nghị"), max_length=255, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    indexed_wos = models.BooleanField(_("thuộc danh mục WoS"), default=False)
    indexed_scopus = models.BooleanField(_("thuộc danh mục Scopus"), default=False)

    class Meta:
        verbose_name = _("công trình công bố")
        verbose_name_plural = _("công trình công bố")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = self._age_error(self.year, "year", gettext("Công bố"))
        doi = self.doi.strip()
        if doi.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
            doi = doi.split("doi.org/", 1)[-1].removeprefix("doi:").removeprefix("DOI:")
        self.doi = doi.strip()
        if self.doi and not self.doi.startswith("10."):
            errors["doi"] = gettext("DOI bắt đầu bằng “10.”, ví dụ 10.1000/xyz123.")
        if errors:
            raise ValidationError(errors)


class Patent(PersonRecord):
    person = _person_fk("patents")
    kind = models.CharField(_("loại"), max_length=24, choices=choices.PatentKind.choices)
    title = models.CharField(_("tên sáng chế, giải pháp"), max_length=500)
    number = models.CharField(_("số bằng"), max_length=64, blank=True)
    country = CountryField(_("nước cấp"), default="VN")
    year = _year_field(_("năm cấp"))

    class Meta:
        verbose_name = _("sáng chế, giải pháp hữu ích")
        verbose_name_plural = _("sáng chế, giải pháp hữu ích")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = self._age_error(self.year, "year", gettext("Được cấp bằng"))
        if errors:
            raise ValidationError(errors)


class ResearchProject(PersonRecord):
    person = _person_fk("projects")
    title = models.CharField(_("tên đề tài, dự án"), max_length=500)
    level = models.CharField(_("cấp"), max_length=16, choices=choices.ProjectLevel.choices)
    role = models.CharField(_("vai trò"), max_length=16, choices=choices.ProjectRole.choices)
    status = models.CharField(_("tình trạng"), max_length=16, choices=choices.ProjectStatus.choices)
    start_year = _year_field(_("năm bắt đầu"))
    end_year = _year_field(_("năm kết thúc"), blank=True)

    class Meta:
        verbose_name = _("đề tài, dự án")
        verbose_name_plural = _("đề tài, dự án")
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = self._age_error(self.start_year, "start_year", gettext("Bắt đầu đề tài"))
        if self.end_year and self.start_year and self.end_year < self.start_year:
            errors["end_year"] = gettext("Năm kết thúc trước năm bắt đầu. Hãy kiểm tra lại.")
        if errors:
            raise ValidationError(errors)


class Award(PersonRecord):
    person = _person_fk("awards")
    name = models.CharField(_("tên giải thưởng, danh hiệu"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=choices.AwardLevel.choices)
    year = _year_field(_("năm"))

    class Meta:
        verbose_name = _("giải thưởng")
        verbose_name_plural = _("giải thưởng, danh hiệu")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def clean(self) -> None:
        person = getattr(self, "person", None)
        errors: dict[str, str] = {}
        if person is not None and self.year and self.year < person.birth_date.year:
            errors["year"] = gettext("Năm nhận giải trước năm sinh. Hãy kiểm tra lại.")
        elif self.year and self.year > timezone.localdate().year:
            errors["year"] = gettext("Năm %(year)s ở tương lai. Hãy kiểm tra lại năm.") % {
                "year": self.year
            }
        if errors:
            raise ValidationError(errors)


class Work(PersonRecord):
    """A work of literature or art (for the 6xx fields and the arts associations)."""

    person = _person_fk("works")
    kind = models.CharField(_("loại hình"), max_length=16, choices=choices.WorkKind.choices)
    title = models.CharField(_("tên tác phẩm"), max_length=500)
    year = _year_field(_("năm"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tác phẩm")
        verbose_name_plural = _("tác phẩm văn học, nghệ thuật")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class AssociationMembership(PersonRecord):
    person = _person_fk("memberships")
    association = models.CharField(_("hội, hiệp hội"), max_length=255)
    role = models.CharField(_("chức danh trong hội"), max_length=255, blank=True)
    start_year = _year_field(_("từ năm"), blank=True)
    end_year = _year_field(_("đến năm"), blank=True)

    class Meta:
        verbose_name = _("hội viên")
        verbose_name_plural = _("tham gia hội, hiệp hội")
        ordering = ["association"]

    def __str__(self) -> str:
        return self.association

    def clean(self) -> None:
        if self.end_year and self.start_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": gettext("Năm kết thúc trước năm bắt đầu. Hãy kiểm tra lại.")}
            )


class Consent(PersonRecord):
    """A consent given by the person (Law 91/2025): purpose, parts covered, dates."""

    person = _person_fk("consents")
    purpose = models.CharField(_("mục đích"), max_length=24, choices=choices.ConsentPurpose.choices)
    parts = models.JSONField(_("phạm vi"), default=list)
    given_on = models.DateField(_("ngày đồng ý"))
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    evidence = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Phiếu đồng ý số, hoặc xác nhận trên hệ thống."),
    )

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("đồng ý xử lý dữ liệu")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d/%m/%Y})"

    def in_force(self, on: date) -> bool:
        return self.given_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)

    def parts_display(self) -> list[str]:
        labels = dict(choices.ProfilePart.choices)
        return [str(labels.get(p, p)) for p in self.parts]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.given_on and self.given_on > today:
            errors["given_on"] = gettext("Ngày đồng ý ở tương lai. Hãy kiểm tra lại ngày.")
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = gettext("Ngày rút lại trước ngày đồng ý. Hãy kiểm tra lại.")
        unknown = [p for p in self.parts or [] if p not in choices.ProfilePart.values]
        if not self.parts:
            errors["parts"] = gettext("Hãy chọn ít nhất một phần hồ sơ mà người này đồng ý.")
        elif unknown:
            errors["parts"] = gettext("Phạm vi không hợp lệ: %(parts)s.") % {
                "parts": ", ".join(map(str, unknown))
            }
        if errors:
            raise ValidationError(errors)


SUB_RECORD_MODELS: list[type[PersonRecord]] = [
    AcademicTitle,
    Degree,
    Position,
    Expertise,
    LanguageSkill,
    Training,
    Publication,
    Patent,
    ResearchProject,
    Award,
    Work,
    AssociationMembership,
    Consent,
]

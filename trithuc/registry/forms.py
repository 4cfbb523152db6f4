"""Forms of the registry: the person, and one inline formset per kind of sub-record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trithuc.core.choices import Role
from trithuc.core.filtersets import DateInput
from trithuc.core.permissions import organizations_for, paths_for
from trithuc.organizations.fields import AdministrativeUnitField, OrganizationChoiceField
from trithuc.organizations.models import Organization

from . import choices
from . import models as m
from .services import check_citizen_id, existing_link, may_read_sensitive, set_citizen_id

MAX_PHOTO_BYTES = 2 * 1024 * 1024
# Who records that a value was checked against the source documents.
VERIFIER_ROLES = {Role.DATA_STEWARD.value, Role.ADMIN.value}
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


class BirthDateField(forms.CharField):
    """A birth date as people write it: "15/03/1975", "1975-03-15", or the year alone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, tuple):
            day, precision = value
            if precision == choices.BirthDatePrecision.YEAR:
                return str(day.year)
            return day.strftime("%d/%m/%Y")
        return value

    def clean(self, value: Any) -> tuple[date, str] | None:
        text = super().clean(value)
        if not text:
            return None
        if match := _YEAR.match(text):
            return date(int(match[1]), 1, 1), choices.BirthDatePrecision.YEAR
        match = _DAY_FIRST.match(text)
        parts = (match[3], match[2], match[1]) if match else None
        if parts is None and (match := _ISO.match(text)):
            parts = (match[1], match[2], match[3])
        if parts is None:
            raise ValidationError(
                _(
                    "Không đọc được ngày sinh “%(text)s”. Hãy ghi ngày/tháng/năm (15/03/1975) "
                    "hoặc chỉ năm sinh (1975)."
                )
                % {"text": text}
            )
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2])), choices.BirthDatePrecision.DAY
        except ValueError as exc:
            raise ValidationError(
                _("Ngày “%(text)s” không có trên lịch. Hãy kiểm tra lại ngày và tháng.")
                % {"text": text}
            ) from exc


class PersonForm(forms.ModelForm):
    birth = BirthDateField(
        label=gettext_lazy("Ngày sinh"),
        help_text=gettext_lazy("Ngày/tháng/năm, ví dụ 15/03/1975; chỉ biết năm thì ghi 1975."),
    )
    citizen_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (căn cước)"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("12 chữ số. Để trống nếu không thay đổi."),
    )
    organization = OrganizationChoiceField(
        Organization.objects.none(),
        label=gettext_lazy("Đơn vị quản lý hồ sơ"),
        help_text=gettext_lazy(
            "Gõ mã hoặc tên rồi chọn trong gợi ý. Khi có chức vụ chính hiện tại, đơn vị của "
            "chức vụ đó là đơn vị quản lý hồ sơ."
        ),
    )
    residence_unit = AdministrativeUnitField(
        label=gettext_lazy("Nơi ở (xã, phường, tỉnh)"),
        required=False,
        help_text=gettext_lazy("Gõ tên xã, phường hoặc tỉnh (cả tên trước 1/7/2025) hoặc mã."),
    )

    class Meta:
        model = m.Person
        fields = [
            "full_name",
            "other_names",
            "birth",
            "gender",
            "citizen_id",
            "ethnicity",
            "religion",
            "nationality",
            "status",
            "sector",
            "organization",
            "political_theory",
            "keywords",
            "residence_unit",
            "residence_country",
            "address",
            "email",
            "phone",
            "photo",
            "source",
            "source_detail",
            "verification",
        ]
        widgets = {"photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        person = self.instance
        action = "change" if person.pk else "add"
        self.fields["organization"].queryset = organizations_for(user, m.Person, action)
        self.fields["ethnicity"].queryset = m.EthnicGroup.objects.filter(is_active=True)
        if person.pk:
            self.initial["birth"] = (person.birth_date, person.birth_date_precision)
            if person.has_citizen_id:
                self.fields["citizen_id"].help_text = _(
                    "Đã có số %(masked)s. Để trống nếu không thay đổi; nhập số mới để thay."
                ) % {"masked": person.citizen_id_masked}
                self.fields["citizen_id_clear"] = forms.BooleanField(
                    label=_("Xóa số định danh đã lưu"), required=False
                )
        else:
            self.fields["citizen_id"].help_text = _("12 chữ số, in trên thẻ căn cước.")
        # Ethnicity and religion are sensitive: only roles granted them see or change them.
        self.shows_sensitive = self._may_handle_sensitive()
        if not self.shows_sensitive:
            for name in ("ethnicity", "religion", "citizen_id", "citizen_id_clear"):
                self.fields.pop(name, None)
        # Only a data steward records that a value has been verified.
        if not (user.is_superuser or paths_for(user, VERIFIER_ROLES)):
            self.fields["verification"].choices = [
                c
                for c in self.fields["verification"].choices
                if c[0] != choices.Verification.VERIFIED or person.verification == c[0]
            ]

    # How the page groups the fields (fields absent for this user are skipped).
    GROUPS = [
        (gettext_lazy("Nhận dạng"), ["full_name", "other_names", "birth", "gender",
                                     "citizen_id", "citizen_id_clear", "nationality",
                                     "ethnicity", "religion"]),
        (gettext_lazy("Công tác"), ["organization", "status", "sector", "political_theory",
                                    "keywords"]),
        (gettext_lazy("Liên hệ và nơi ở"), ["email", "phone", "residence_unit",
                                            "residence_country", "address", "photo"]),
        (gettext_lazy("Nguồn dữ liệu"), ["source", "source_detail", "verification"]),
    ]  # fmt: skip

    def groups(self) -> list[tuple[str, list[Any]]]:
        return [
            (label, [self[name] for name in names if name in self.fields])
            for label, names in self.GROUPS
        ]

    def _may_handle_sensitive(self) -> bool:
        if self.instance.pk:
            return may_read_sensitive(self.user, self.instance)
        return self.user.is_superuser or bool(paths_for(self.user, m.SENSITIVE_ROLES))

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationError(
                _("Ảnh nặng %(size)s MB; hãy chọn ảnh dưới 2 MB (JPEG hoặc PNG).")
                % {"size": round(photo.size / 1024 / 1024, 1)}
            )
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        birth = data.get("birth")
        if birth:
            self.instance.birth_date, self.instance.birth_date_precision = birth
        self.citizen_id_number: str | None = None
        raw = data.get("citizen_id")
        if raw and self.shows_sensitive:
            check = check_citizen_id(
                raw,
                gender=data.get("gender"),
                birth_year=birth[0].year if birth else None,
                person_pk=self.instance.pk,
                user=self.user,
            )
            if check.error:
                self.add_error("citizen_id", ValidationError(existing_link(check)))
            else:
                self.citizen_id_number = check.number
        elif (
            self.instance.pk
            and self.instance.has_citizen_id
            and birth
            and "birth" in self.changed_data
        ):
            # The stored number must stay consistent with a corrected birth year or gender.
            self._recheck_stored_id(data, birth[0].year)
        return data

    def _recheck_stored_id(self, data: dict[str, Any], birth_year: int) -> None:
        from trithuc.core.crypto import decrypt

        from .citizen_id import CitizenIdProblem, parse

        try:
            stored = decrypt(self.instance.citizen_id_encrypted)
        except ValueError:
            return  # unreadable with the current key: nothing to compare with
        result = parse(
            stored,
            gender=data.get("gender"),
            birth_year=birth_year,
        )
        if isinstance(result, CitizenIdProblem):
            self.add_error(
                "birth", _("Không khớp với số định danh đã lưu: %(m)s") % {"m": result.message}
            )

    def _update_errors(self, errors: ValidationError) -> None:
        # The model checks `birth_date`; the form calls that field `birth`.
        if hasattr(errors, "error_dict") and "birth_date" in errors.error_dict:
            errors.error_dict.setdefault("birth", []).extend(errors.error_dict.pop("birth_date"))
        super()._update_errors(errors)

    def save(self, commit: bool = True) -> m.Person:
        person = super().save(commit=False)
        if self.citizen_id_number is not None:
            set_citizen_id(person, self.citizen_id_number)
        if person.verification == choices.Verification.VERIFIED and (
            "verification" in self.changed_data
        ):
            from django.utils import timezone

            person.verified_by, person.verified_at = self.user, timezone.now()
        if commit:
            person.save()
            self.save_m2m()
        return person


# ---- sub-records ----------------------------------------------------------------------------


class SubRecordForm(forms.ModelForm):
    """A sub-record row; the person is attached before validation so that rules comparing
    with the birth year (a degree before 18) can run on a person not saved yet."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class SubRecordFormSet(BaseInlineFormSet):
    single_primary = False  # at most one row marked primary (fields of expertise)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "user": self.user}

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)
        form.instance.person = self.instance
        return form

    def get_unique_error_message(self, unique_check: Any) -> str:
        labels = [
            str(self.model._meta.get_field(name).verbose_name)
            for name in unique_check
            if name != "person"
        ]
        return _("Có hai dòng trùng nhau ở %(fields)s. Hãy xóa một dòng.") % {
            "fields": ", ".join(labels)
        }

    def clean(self) -> None:
        super().clean()
        if not self.single_primary:
            return
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_primary") and not form.cleaned_data.get("DELETE")
        ]
        if len(primaries) > 1:
            raise ValidationError(_("Chỉ chọn một lĩnh vực chính."))

    @property
    def empty_form(self) -> Any:
        form = super().empty_form
        form.instance.person = self.instance
        return form


class PositionForm(SubRecordForm):
    organization = OrganizationChoiceField(
        Organization.objects.none(), label=gettext_lazy("Cơ quan, đơn vị"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["organization"].queryset = Organization.objects.restrict(self.user, "view")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        org, end = data.get("organization"), data.get("end")
        current = data.get("is_primary") and (end is None or end >= date.today())
        if org is not None and current and self.user is not None:
            allowed = organizations_for(self.user, m.Person, "change").filter(pk=org.pk).exists()
            if not allowed:
                self.add_error("organization", str(m.PRIMARY_POSITION_OUT_OF_SCOPE))
        return data


class ConsentForm(SubRecordForm):
    parts = forms.MultipleChoiceField(
        label=gettext_lazy("Phạm vi"),
        choices=choices.ProfilePart.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: m.FieldOfScience) -> str:
        return f"{obj.code} {'— ' * (obj.level - 1)}{obj.name}"


@dataclass(frozen=True)
class Section:
    """A kind of sub-record as the pages show and edit it."""

    key: str
    model: type[m.PersonRecord]
    fields: list[str]  # never handed to Django as is: the formset factory appends to it
    form: type[SubRecordForm] = SubRecordForm
    extra: int = 1
    single_primary: bool = False

    @property
    def label(self) -> str:
        return capfirst(str(self.model._meta.verbose_name_plural))

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field("person").remote_field.related_name  # type: ignore[union-attr]

    def formset_class(self) -> Any:
        formset = inlineformset_factory(
            m.Person,
            self.model,
            form=self.form,
            formset=SubRecordFormSet,
            fields=list(self.fields),
            extra=self.extra,
            can_delete=True,
            formfield_callback=_formfield,
            widgets=_DATE_WIDGETS,
        )
        formset.single_primary = self.single_primary
        return formset


_DATE_WIDGETS = {
    name: DateInput(format="%Y-%m-%d") for name in ("start", "end", "given_on", "withdrawn_on")
}


def _formfield(field: models.Field, **kwargs: Any) -> Any:
    if isinstance(field, models.ForeignKey) and field.related_model is m.FieldOfScience:
        return FieldChoiceField(
            queryset=m.FieldOfScience.objects.filter(
                version=m.CURRENT_FIELD_VERSION, is_active=True
            ),
            required=not field.blank,
            label=capfirst(field.verbose_name),
        )
    if isinstance(field, models.ForeignKey) and field.related_model is m.DegreeLevel:
        return forms.ModelChoiceField(
            queryset=m.DegreeLevel.objects.filter(is_active=True),
            label=capfirst(field.verbose_name),
        )
    formfield = field.formfield(**kwargs)
    if (
        isinstance(field, models.ForeignKey)
        and field.related_model is not None
        and issubclass(field.related_model, m.Taxonomy)
    ):
        # Entries an administrator has retired are not offered for new values.
        formfield.queryset = field.related_model.objects.filter(is_active=True)
    return formfield


SECTIONS = [
    Section("positions", m.Position, ["organization", "employer_name", "job_title", "leadership",
                                       "rank", "start", "end", "is_primary"], form=PositionForm),
    Section("titles", m.AcademicTitle, ["kind", "year", "council", "appointment", "revoked",
                                        "revoked_year"]),
    Section("degrees", m.Degree, ["level", "field", "major", "institution", "country", "year"]),
    Section("expertise", m.Expertise, ["field", "is_primary"], single_primary=True),
    Section("languages", m.LanguageSkill, ["language", "level"]),
    Section("trainings", m.Training, ["category", "name", "provider", "country", "year", "hours"]),
    Section("publications", m.Publication, ["title", "year", "venue", "doi", "indexed_wos",
                                            "indexed_scopus"]),
    Section("projects", m.ResearchProject, ["title", "level", "role", "status", "start_year",
                                            "end_year"]),
    Section("patents", m.Patent, ["kind", "title", "number", "country", "year"]),
    Section("awards", m.Award, ["name", "level", "year"]),
    Section("works", m.Work, ["kind", "title", "year", "note"]),
    Section("memberships", m.AssociationMembership, ["association", "role", "start_year",
                                                     "end_year"]),
    Section("consents", m.Consent, ["purpose", "parts", "given_on", "withdrawn_on", "evidence"],
            form=ConsentForm),
]  # fmt: skip
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
# Edited together with the person on the main form; the rest on their own section pages.
MAIN_SECTIONS = ["positions", "titles", "degrees", "expertise", "languages"]

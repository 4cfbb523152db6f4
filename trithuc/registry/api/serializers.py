"""Serializers of the registry API: people, their sub-records (one factory) and taxonomies.

Model rules live in the models' `clean()` and in `services.py`; a serializer runs them on the
record as it would be saved and puts each Vietnamese message under the field it is about.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from trithuc.core.choices import Role
from trithuc.core.crypto import decrypt
from trithuc.core.permissions import organizations_for, paths_for
from trithuc.organizations.models import Organization

from .. import choices, citizen_id, services
from ..models import (
    CURRENT_FIELD_VERSION,
    PRIMARY_POSITION_OUT_OF_SCOPE,
    SENSITIVE_POLICY,
    Consent,
    DegreeLevel,
    EthnicGroup,
    Expertise,
    FieldOfScience,
    Person,
    PersonRecord,
    Position,
    ProfessorshipCouncil,
    Taxonomy,
)

# Written by the system, or by a steward's verification: never typed by the caller.
PROVENANCE_READ_ONLY = ["source_organization", "recorded_at", "verified_by", "verified_at"]
TIMESTAMPS = ["created_at", "updated_at"]


# ---- fields ---------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "minLength": 2, "maxLength": 2, "example": "VN", "description": "ISO 3166-1"}
)
class CountryCodeField(serializers.ChoiceField):
    """A country as its ISO 3166-1 alpha-2 code (documented as a string, not 250 choices)."""


class RegistrySerializer(serializers.ModelSerializer):
    """Country fields as codes, and model `clean()` run on the record as it would be saved."""

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[Any, dict]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, CountryField):
            field_class = CountryCodeField
        return field_class, kwargs

    @property
    def user(self) -> Any:
        return self.context["request"].user

    def candidate(self, attrs: dict[str, Any]) -> models.Model:
        """A fresh object with the stored values and `attrs` applied (never the instance
        itself: a refused write must leave it untouched)."""
        model: type[models.Model] = self.Meta.model
        if self.instance is None:
            obj = model()
        else:
            obj = model(
                **{
                    f.attname: getattr(self.instance, f.attname)
                    for f in model._meta.concrete_fields
                }
            )
        for name, value in attrs.items():
            setattr(obj, name, value)
        return obj

    def run_model_clean(self, obj: models.Model, attrs: dict[str, Any]) -> dict[str, list[str]]:
        """The model's own rules; values it normalises (a DOI URL) go back into `attrs`."""
        errors: dict[str, list[str]] = {}
        try:
            obj.clean()
        except DjangoValidationError as exc:
            for name, messages in exc.message_dict.items():
                known = name in self.fields and name != NON_FIELD_ERRORS
                key = name if known else api_settings.NON_FIELD_ERRORS_KEY
                errors.setdefault(key, []).extend(messages)
            return errors
        for name in attrs:
            attrs[name] = getattr(obj, name)
        return errors

    def validate_verification(self, value: str) -> str:
        # Only a data steward records that a value has been verified (as on the edit page).
        already = self.instance is not None and self.instance.verification == value
        if value == choices.Verification.VERIFIED and not already:
            user = self.user
            if not (user.is_superuser or paths_for(user, {Role.DATA_STEWARD.value})):
                raise serializers.ValidationError(
                    _("Chỉ cán bộ quản lý dữ liệu mới ghi nhận được là “đã xác minh”.")
                )
        return value

    def stamp_verification(self, attrs: dict[str, Any]) -> None:
        value = attrs.get("verification")
        changed = self.instance is None or self.instance.verification != value
        if value == choices.Verification.VERIFIED and changed:
            attrs["verified_by"], attrs["verified_at"] = self.user, timezone.now()


# ---- brief read-only shapes -----------------------------------------------------------------


class DegreeLevelBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DegreeLevel
        fields = ["code", "name", "group"]


class TitleBriefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    year = serializers.IntegerField()


class FieldBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    primary = serializers.BooleanField()


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "code", "name"]


class TaxonomyBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SensitiveSerializer(serializers.Serializer):
    """What GET /api/people/{id}/sensitive/ answers (each call is an audit event)."""

    citizen_id = serializers.CharField()
    ethnicity = TaxonomyBriefSerializer(allow_null=True)
    religion = serializers.CharField()


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "nullable": True,
        "description": "Mã dân tộc (“01” Kinh…) hoặc id.",
    }
)
class EthnicGroupField(serializers.RelatedField):
    """An ethnic group by its code ("01") or its primary key (an integer)."""

    default_error_messages = {
        "unknown": gettext_lazy("Không có dân tộc mã “%(value)s” trong danh mục."),
    }

    def to_internal_value(self, data: Any) -> EthnicGroup:
        queryset = EthnicGroup.objects.all()
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("unknown", value=data)
        if isinstance(data, int):
            found = queryset.filter(pk=data).first()
        else:
            text = data.strip()
            found = queryset.filter(code=text).first()
            if found is None and text.isdigit():
                found = queryset.filter(pk=int(text)).first()
        if found is None:
            self.fail("unknown", value=data)
        return found

    def to_representation(self, value: Any) -> str:
        return value.code


# ---- people ---------------------------------------------------------------------------------


class PersonSerializer(RegistrySerializer):
    """A person with the values derived from their sub-records (read-only)."""

    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    birth_year = serializers.IntegerField(read_only=True)
    citizen_id = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=gettext_lazy("12 chữ số. Không gửi: giữ nguyên; chuỗi rỗng: xóa."),
    )
    citizen_id_masked = serializers.CharField(read_only=True)
    ethnicity = EthnicGroupField(
        queryset=EthnicGroup.objects.all(), write_only=True, required=False, allow_null=True
    )
    highest_degree = DegreeLevelBriefSerializer(read_only=True, allow_null=True)
    titles = serializers.SerializerMethodField()
    # Popped into the declared fields by DRF's metaclass, so it does not hide
    # Serializer.fields; get_fields() is DRF's own method, hence the explicit method name.
    fields = serializers.SerializerMethodField(  # type: ignore[assignment]
        method_name="get_expertise_fields"
    )
    unit = UnitBriefSerializer(source="organization", read_only=True)
    age = serializers.SerializerMethodField()

    # Sent only by callers allowed sensitive data (services.may_read_sensitive).
    SENSITIVE_INPUTS: ClassVar[tuple[str, ...]] = ("citizen_id", "ethnicity", "religion")

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "other_names",
            "birth_date",
            "birth_date_precision",
            "birth_year",
            "gender",
            "nationality",
            "residence_unit",
            "residence_country",
            "address",
            "email",
            "phone",
            "status",
            "sector",
            "political_theory",
            "keywords",
            "organization",
            "citizen_id",
            "citizen_id_masked",
            "ethnicity",
            "religion",
            "highest_degree",
            "titles",
            "fields",
            "unit",
            "age",
            "retirement_date",
            "is_leader",
            "source",
            "source_detail",
            "verification",
            *PROVENANCE_READ_ONLY,
            *TIMESTAMPS,
        ]
        read_only_fields = ["retirement_date", "is_leader", *PROVENANCE_READ_ONLY, *TIMESTAMPS]
        extra_kwargs = {"religion": {"write_only": True}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only where the caller may put people: the browsable API's drop-down must not
            # reveal the rest of the city either.
            action = "change" if isinstance(self.instance, Person) else "add"
            fields["organization"].queryset = organizations_for(request.user, Person, action)
        return fields

    @extend_schema_field(TitleBriefSerializer(many=True))
    def get_titles(self, person: Person) -> list[dict[str, Any]]:
        # Filtered here, not in SQL, so that the list's prefetch serves every row.
        held = [t for t in person.titles.all() if not t.revoked]
        return [{"kind": t.kind, "year": t.year} for t in sorted(held, key=lambda t: -t.year)]

    @extend_schema_field(FieldBriefSerializer(many=True))
    def get_expertise_fields(self, person: Person) -> list[dict[str, Any]]:
        return [
            {"code": e.field.code, "name": e.field.name, "primary": e.is_primary}
            for e in person.expertise.all()
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, person: Person) -> int:
        return person.age()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        person = self.instance if isinstance(self.instance, Person) else None
        organization = attrs.get("organization") or (person.organization if person else None)
        if any(name in attrs for name in self.SENSITIVE_INPUTS):
            self._check_sensitive_write(person, organization)
        raw_id = attrs.pop("citizen_id", None)
        self.stamp_verification(attrs)
        candidate = cast(Person, self.candidate(attrs))
        errors = self.run_model_clean(candidate, attrs)
        if raw_id is not None and "birth_date" not in errors:
            number, error = self._checked_citizen_id(raw_id, candidate)
            if error:
                errors["citizen_id"] = [error]
            else:
                attrs["citizen_id"] = number
        elif person is not None and person.has_citizen_id and "birth_date" not in errors:
            self._recheck_stored_id(person, candidate, attrs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _check_sensitive_write(self, person: Person | None, organization: Any) -> None:
        """Ethnicity, religion and the citizen ID are written only by roles allowed to read
        them, over the person as stored and over the organisation they go to."""
        user = self.user
        allowed = user.is_superuser or (
            (person is None or services.may_read_sensitive(user, person))
            and organization is not None
            and any(
                organization.path.startswith(path)
                for path in paths_for(user, SENSITIVE_POLICY.roles_for("view"))
            )
        )
        if not allowed:
            raise exceptions.PermissionDenied(
                _(
                    "Bạn không có quyền ghi số định danh, dân tộc, tôn giáo (dữ liệu cá nhân "
                    "nhạy cảm) của người này."
                )
            )

    def _checked_citizen_id(self, raw: str, candidate: Person) -> tuple[str, str]:
        """(number, "") when the number may be stored, ("", message) otherwise."""
        if not raw.strip():
            return "", ""  # clears it
        check = services.check_citizen_id(
            raw,
            gender=candidate.gender or None,
            birth_year=candidate.birth_date.year if candidate.birth_date else None,
            person_pk=candidate.pk,
            user=self.user,
        )
        if check.error and check.existing is not None:
            # Named only when the caller may see that record (the service decides).
            url = reverse("api:person-detail", args=[check.existing.pk])
            return "", _("%(message)s Xem: %(url)s") % {"message": check.error, "url": url}
        return check.number, check.error

    def _recheck_stored_id(
        self, person: Person, candidate: Person, attrs: dict[str, Any], errors: dict
    ) -> None:
        # A corrected gender or birth year must stay consistent with the stored number.
        if "gender" not in attrs and "birth_date" not in attrs:
            return
        if (candidate.gender, candidate.birth_date.year) == (
            person.gender,
            person.birth_date.year,
        ):
            return
        result = citizen_id.parse(
            decrypt(person.citizen_id_encrypted),
            gender=candidate.gender,
            birth_year=candidate.birth_date.year,
        )
        if isinstance(result, citizen_id.CitizenIdProblem):
            field = "birth_date" if result.code == "birth_year_mismatch" else "gender"
            errors[field] = [_("Không khớp với số định danh đã lưu: %(m)s") % {"m": result.message}]

    def create(self, validated_data: dict[str, Any]) -> Person:
        number = validated_data.pop("citizen_id", None)
        person = Person(**validated_data)
        if number:
            services.set_citizen_id(person, number)
        self._save(person)
        return person

    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        number = validated_data.pop("citizen_id", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if number is not None:
            services.set_citizen_id(instance, number)
        self._save(instance)
        return instance

    def _save(self, person: Person) -> None:
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:
            # Checked a moment ago; another write took the same number in between.
            if "citizen_id_hash" not in str(exc):
                raise
            raise serializers.ValidationError(
                {"citizen_id": [_("Số định danh này vừa được ghi vào một hồ sơ khác.")]}
            ) from exc


# ---- sub-records ----------------------------------------------------------------------------


def taxonomy_foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    """The model's foreign keys to a taxonomy (served with their code and name)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and issubclass(f.related_model, Taxonomy)
    ]


# What a sub-record's taxonomy keys may point to: entries in use (current field version).
TAXONOMY_CHOICES: dict[type[models.Model], Any] = {
    FieldOfScience: lambda: FieldOfScience.objects.filter(
        version=CURRENT_FIELD_VERSION, is_active=True
    ),
    DegreeLevel: lambda: DegreeLevel.objects.filter(is_active=True),
    ProfessorshipCouncil: lambda: ProfessorshipCouncil.objects.filter(is_active=True),
}


class PersonRecordSerializer(RegistrySerializer):
    """Base of the sub-record serializers built by `record_serializer`: the person must be
    one the caller may change, and the model's rules (a degree before 18, an end before the
    start) answer 400 under the field concerned."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["person"].queryset = Person.objects.restrict(request.user, "change")
        for fk in taxonomy_foreign_keys(self.Meta.model):
            choices_of = TAXONOMY_CHOICES.get(fk.related_model)
            if choices_of is not None and fk.name in fields:
                fields[fk.name].queryset = choices_of()
        return fields

    def validate_person(self, person: Person) -> Person:
        # The old person's summary would keep the record: delete it and add it to the other.
        if self.instance is not None and person.pk != self.instance.person_id:
            raise serializers.ValidationError(
                _("Không chuyển được bản ghi sang người khác; hãy xóa rồi thêm cho người đó.")
            )
        return person

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        self.stamp_verification(attrs)
        record = self.candidate(attrs)
        errors = self.run_model_clean(record, attrs)
        for name, message in self.extra_rules(record).items():
            errors.setdefault(name, []).append(message)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def extra_rules(self, record: Any) -> dict[str, str]:
        """Rules across records that the model's clean() cannot see (one message a field)."""
        return {}


class PositionSerializerBase(PersonRecordSerializer):
    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["organization"].queryset = Organization.objects.restrict(request.user, "view")
        return fields

    def extra_rules(self, record: Position) -> dict[str, str]:
        # The current primary position decides where the record is kept (derived.summary):
        # refused here, next to the field, rather than as a write outside the caller's scope.
        today = timezone.localdate()
        current = (
            record.is_primary
            and record.start <= today
            and (record.end is None or record.end >= today)
        )
        if not (current and record.organization_id):
            return {}
        allowed = organizations_for(self.user, Person, "change")
        if allowed.filter(pk=record.organization_id).exists():
            return {}
        return {"organization": str(PRIMARY_POSITION_OUT_OF_SCOPE)}


class ExpertiseSerializerBase(PersonRecordSerializer):
    def extra_rules(self, record: Expertise) -> dict[str, str]:
        errors: dict[str, str] = {}
        others = Expertise.objects.filter(person_id=record.person_id).exclude(pk=record.pk)
        if record.field_id and others.filter(field_id=record.field_id).exists():
            errors["field"] = _("Lĩnh vực này đã có trong danh sách của người này.")
        primary = others.filter(is_primary=True).select_related("field").first()
        if record.is_primary and primary is not None:
            errors["is_primary"] = _(
                "Người này đã có lĩnh vực chính (%(field)s). Hãy bỏ đánh dấu ở lĩnh vực đó trước."
            ) % {"field": primary.field}
        return errors


RECORD_BASES: dict[type[PersonRecord], type[PersonRecordSerializer]] = {
    Position: PositionSerializerBase,
    Expertise: ExpertiseSerializerBase,
}


def _record_declared_fields(model: type[PersonRecord]) -> dict[str, serializers.Field]:
    declared: dict[str, serializers.Field] = {}
    for fk in taxonomy_foreign_keys(model):
        for attr in ("code", "name"):
            declared[f"{fk.name}_{attr}"] = serializers.CharField(
                source=f"{fk.name}.{attr}", read_only=True, allow_null=fk.null
            )
    if model is Consent:
        declared["parts"] = serializers.ListField(
            child=serializers.ChoiceField(choices=choices.ProfilePart.choices)
        )
    return declared


def record_serializer(model: type[PersonRecord]) -> type[PersonRecordSerializer]:
    """The serializer of one kind of sub-record: every field, provenance included, and the
    code and name of each taxonomy entry it points to."""
    declared = _record_declared_fields(model)
    beside = {
        fk.name: [f"{fk.name}_code", f"{fk.name}_name"] for fk in taxonomy_foreign_keys(model)
    }
    # The record's own fields first (the person among them), then where it came from.
    trailing = [*model.PROVENANCE_FIELDS, *TIMESTAMPS]
    names = ["id"]
    for field in model._meta.concrete_fields:
        if not field.primary_key and field.name not in trailing:
            names.extend([field.name, *beside.get(field.name, [])])
    names.extend(trailing)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": names,
            "read_only_fields": [*PROVENANCE_READ_ONLY, *TIMESTAMPS],
            # Uniqueness is checked in extra_rules, with a message under the field.
            "validators": [],
        },
    )
    base = RECORD_BASES.get(model, PersonRecordSerializer)
    return type(f"{model.__name__}Serializer", (base,), {**declared, "Meta": meta})


# ---- taxonomies -----------------------------------------------------------------------------


class FieldOfScienceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldOfScience
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "version",
            "level",
            "parent",
            "note",
            "is_active",
        ]


class DegreeLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = DegreeLevel
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "abbreviation",
            "group",
            "rank",
            "nqf_level",
            "synonyms",
            "is_active",
        ]


class EthnicGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = EthnicGroup
        fields = ["id", "code", "name", "name_en", "other_names", "is_active"]


class ProfessorshipCouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfessorshipCouncil
        fields = ["id", "code", "name", "name_en", "is_active"]

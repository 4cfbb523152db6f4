from typing import Any

from rest_framework import serializers

from ..models import AdministrativeUnit, Organization, normalize_code
from ..selectors import parent_choices


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "code",
            "name",
            "level",
            "division_type",
            "parent",
            "is_legacy",
            "successor",
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "short_name",
            "type",
            "parent",
            "administrative_unit",
            "is_active",
            "depth",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["depth", "created_at", "updated_at"]

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "get") and isinstance(data.get("code"), str):
            data = {**data, "code": normalize_code(data["code"])}
        return super().to_internal_value(data)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only organisations the caller may add under: the browsable API's drop-down
            # must not list (and so reveal) the rest of the city.
            instance = self.instance if isinstance(self.instance, Organization) else None
            fields["parent"].queryset = parent_choices(request.user, instance)
        return fields

    def validate_parent(self, parent: Organization | None) -> Organization | None:
        error = self.instance.parent_error(parent) if self.instance is not None else None
        if error:
            raise serializers.ValidationError(error)
        return parent

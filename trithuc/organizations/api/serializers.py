from rest_framework import serializers

from ..models import AdministrativeUnit, Organization


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

    def validate_parent(self, parent: Organization | None) -> Organization | None:
        instance = self.instance
        if parent is not None and instance is not None and parent.path.startswith(instance.path):
            raise serializers.ValidationError(
                "Không thể chọn đơn vị cấp trên là chính đơn vị này hoặc đơn vị trực thuộc nó."
            )
        return parent

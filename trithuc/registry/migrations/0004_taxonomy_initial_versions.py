"""Give every taxonomy entry loaded by 0002 its first version in the history, so that the
first correction an administrator makes shows what it changed from."""

from django.db import migrations
from django.utils import timezone

TAXONOMIES = ["FieldOfScience", "DegreeLevel", "EthnicGroup", "ProfessorshipCouncil"]


def add_initial_versions(apps, schema_editor):
    now = timezone.now()
    for name in TAXONOMIES:
        model = apps.get_model("registry", name)
        historical = apps.get_model("registry", f"Historical{name}")
        have = set(historical.objects.values_list("id", flat=True))
        fields = [f.attname for f in model._meta.concrete_fields]
        historical.objects.bulk_create(
            historical(
                **{field: getattr(row, field) for field in fields},
                history_date=now,
                history_type="+",
                history_change_reason="Nạp danh mục ban đầu",
            )
            for row in model.objects.exclude(id__in=have)
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_one_primary_field")]

    operations = [migrations.RunPython(add_initial_versions, migrations.RunPython.noop)]

"""Load the 34 provinces and ~3,300 communes of 1/7/2025, then the legacy provinces and
districts mapped to them (see trithuc/organizations/data/)."""

from django.db import migrations


def load(apps, schema_editor):
    from trithuc.organizations.data import load_administrative_units

    load_administrative_units(apps.get_model("organizations", "AdministrativeUnit"))


def unload(apps, schema_editor):
    unit = apps.get_model("organizations", "AdministrativeUnit")
    # Children first, so no cascade has to walk the tree.
    for level in ("commune", "district", "province"):
        unit.objects.filter(level=level, is_legacy=True).delete()
        unit.objects.filter(level=level, is_legacy=False).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(load, unload, elidable=False)]

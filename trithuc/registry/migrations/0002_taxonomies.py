"""Load the taxonomies (fields of science 2008 and 2025, degree levels, ethnic groups,
professorship councils) from trithuc/registry/data. Administrators correct them afterwards
on the taxonomy pages; a later migration can load deeper levels or a new version."""

from django.db import migrations

from trithuc.registry.taxonomies import load

def unload(apps, schema_editor):
    for name in ("FieldOfScience", "DegreeLevel", "EthnicGroup", "ProfessorshipCouncil"):
        model = apps.get_model("registry", name)
        if name == "FieldOfScience":
            # Children first: a parent is protected while it has any.
            for level in (4, 3, 2):
                model.objects.filter(level=level).delete()
        model.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

"""Loading the taxonomies (fields of science 2008 and 2025, degree levels, ethnic groups,
professorship councils) from trithuc/registry/data: by migration 0002, and again by tests
whose database was flushed."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load(apps: Any, schema_editor: Any = None) -> None:
    field_model = apps.get_model("registry", "FieldOfScience")
    for version in ("2008", "2025"):
        data = _read(f"fields_of_science_{version}.json")
        by_code = {}
        for row in data["fields"]:
            by_code[row["code"]] = field_model.objects.create(
                version=version,
                code=row["code"],
                name=row["name"],
                name_en=row["name_en"],
                level=row["level"],
                parent=by_code.get(row["parent"]) if row["parent"] else None,
                note=data["note"],
            )
    degree_model = apps.get_model("registry", "DegreeLevel")
    for row in _read("degree_levels.json")["levels"]:
        degree_model.objects.create(**row)
    ethnic_model = apps.get_model("registry", "EthnicGroup")
    for row in _read("ethnic_groups.json")["groups"]:
        ethnic_model.objects.create(**row)
    council_model = apps.get_model("registry", "ProfessorshipCouncil")
    for row in _read("professorship_councils.json")["councils"]:
        council_model.objects.create(**row)

"""Model fields shared by the apps."""

from typing import Any

from django.db import models


class CollationKeyField(models.CharField):
    """A stored sort key from `text.vietnamese_collation_key` (ASCII digits and letters).

    Its byte order is the Vietnamese order, so it must be compared byte by byte: SQLite does
    that by default (BINARY); PostgreSQL needs COLLATE "C", or a locale collation would
    reorder it (and an index under another collation would not serve ORDER BY).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params

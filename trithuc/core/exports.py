"""Spreadsheet exports: every export is an audit event and respects the user's scope."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import HttpResponse

from . import audit
from .choices import AuditKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet with a bold, frozen header row; constant memory however many rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet.freeze_panes(1, 0)
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(12, len(header) + 4))
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.write_number(count, col, value)
            else:
                # Strings stay strings: codes such as "00004" must keep their zeros.
                sheet.write_string(count, col, str(value))
    sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def xlsx_download(
    *,
    request: Any,
    filename: str,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    row_count: int,
    what: str,
    filters: dict[str, Any] | None = None,
) -> HttpResponse:
    """The response for an export, after writing the EXPORT audit event."""
    content = xlsx_bytes(sheet_name, headers, rows)
    audit.record(
        AuditKind.EXPORT,
        request=request,
        details={"what": what, "rows": row_count, "filters": filters or {}},
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The copy of an uploaded file with its problems marked: each cell with an error in red,
with a warning in yellow, the messages in the cell's note and in a last column "Kết quả
kiểm tra", so the agency corrects the file it knows and uploads it again.

The rows are copied as read (values, not formatting), sheet by sheet, in constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from trithuc.core import uploads
from trithuc.core.tabular import ERROR, column_index

from . import reading
from .models import ImportBatch

ANNOTATED = uploads.UploadStore("intake-annotated", (".xlsx",))
_LETTERS = re.compile(r"^([A-Z]{1,3})\b")


def _issues_by_row(batch: ImportBatch) -> dict[tuple[str, int], list[dict[str, Any]]]:
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for sheet, row, issues in batch.issue_rows.values_list("sheet", "row", "issues").iterator(
        chunk_size=2000
    ):
        found[(sheet, row)] = issues
    return found


def _write_value(sheet: Any, row: int, col: int, value: Any, fmt: Any, date_fmt: Any) -> None:
    if value is None or value == "":
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, fmt or date_fmt)
    else:
        sheet.write_string(row, col, str(value)[:32_000], fmt)


def annotate_batch(
    batch: ImportBatch, *, progress: Callable[[int, int], None] | None = None
) -> str:
    """Write the marked copy of the batch's file; returns its id in ANNOTATED."""
    from .services import batch_path, layout_for

    path = batch_path(batch)
    layout, _mapping = layout_for(path, filename=batch.file_name, mapping=batch.mapping)
    issues = _issues_by_row(batch)
    book_bytes = _annotated_bytes(path, layout, issues, progress)
    stem = batch.file_name.rsplit(".", 1)[0]
    content = ContentFile(book_bytes, name=f"{stem}-kiem-tra.xlsx")
    upload_id = ANNOTATED.save(content, user=batch.uploaded_by, batch=batch.pk)
    if batch.annotated_id:
        ANNOTATED.delete(batch.annotated_id)
    batch.annotated_id = upload_id
    batch.save(update_fields=["annotated_id", "updated_at"])
    return upload_id


def _annotated_bytes(
    path: Any,
    layout: reading.FileLayout,
    issues: dict[tuple[str, int], list[dict[str, Any]]],
    progress: Callable[[int, int], None] | None,
) -> bytes:
    import io

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    error_fmt = book.add_format({"bg_color": "#F8CBAD", "border": 1, "border_color": "#C00000"})
    warning_fmt = book.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF8F00"})
    header_fmt = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    note_fmt = book.add_format({"text_wrap": True, "font_color": "#C00000"})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    done = 0
    for layout_sheet in layout.sheets:
        name = (layout_sheet.name or _("Danh sách"))[:31]
        sheet = book.add_worksheet(name)
        width = len(layout_sheet.headers)
        sheet.set_column(width, width, 60)
        for number, values in reading.raw_rows(path, layout, layout_sheet):
            r0 = number - 1
            found = issues.get((layout_sheet.name, number), [])
            marks: dict[int, tuple[str, list[str]]] = {}
            for item in found:
                match = _LETTERS.match(str(item.get("column") or ""))
                if match is None:
                    continue
                col = column_index(match.group(1))
                severity, messages = marks.get(col, ("", []))
                if item["severity"] == ERROR or not severity:
                    severity = item["severity"]
                marks[col] = (severity, [*messages, item["message"]])
            is_header = number == layout_sheet.header_row
            for col, value in enumerate(values[: max(width, len(values))]):
                fmt = header_fmt if is_header else None
                if col in marks:
                    fmt = error_fmt if marks[col][0] == ERROR else warning_fmt
                _write_value(sheet, r0, col, value, fmt, date_fmt)
            for col, (severity, messages) in marks.items():
                if col >= len(values):
                    fmt = error_fmt if severity == ERROR else warning_fmt
                    sheet.write_blank(r0, col, None, fmt)
                sheet.write_comment(r0, col, "\n".join(messages)[:2000], {"x_scale": 2})
            if is_header:
                sheet.write_string(r0, width, _("Kết quả kiểm tra"), header_fmt)
            elif found:
                lines = [
                    f"{'✗' if i['severity'] == ERROR else '!'} {i.get('column') or ''}: "
                    f"{i['message']}"
                    for i in found
                ]
                sheet.write_string(r0, width, "\n".join(lines)[:32_000], note_fmt)
            done += 1
            if progress is not None and done % 2000 == 0:
                progress(done, 0)
        sheet.freeze_panes(layout_sheet.header_row, 0)
    book.close()
    return output.getvalue()

"""One way to hand a clerk a list as Excel (openpyxl): a sheet with headers in the reader's language, the rows
as typed values (numbers stay numbers, dates stay dates), widths and number formats per column, the header row
frozen. Every list page and dashboard table exports through `send`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from flask import Response, send_file
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.core import workdays

EXPORT_MAX = 50_000  # rows in one file


@dataclass(frozen=True)
class Column:
    header: str  # already in the reader's language
    width: int = 16
    number_format: str | None = None  # e.g. "#,##0", "0.0%", "yyyy-mm-dd"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):  # Excel keeps no zone: China time, as the pages show it
        return value.astimezone(workdays.CHINA).replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, (int, float, str, date)):
        return value
    return str(value)


def workbook(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = (title or "Sheet")[:31].translate(str.maketrans({c: " " for c in "[]:*?/\\"}))
    sheet.append([column.header for column in columns])
    for count, row in enumerate(rows):
        if count >= EXPORT_MAX:  # say so in the file rather than hand over fewer rows than the page counts
            sheet.append([_("Only the first %(n)s rows are exported; narrow the filters for the rest.",
                            n=EXPORT_MAX)])
            break
        sheet.append([_cell(value) for value in row])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format:
            for cell in sheet[letter][1:]:
                cell.number_format = column.number_format
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def send(filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Response:
    """The workbook as a download; `filename` without extension (Chinese is fine: sent RFC 5987-encoded)."""
    response = send_file(workbook(title, columns, rows), as_attachment=True, download_name=f"{filename}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response

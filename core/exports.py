"""Excel export of a table's filtered rows (openpyxl, write-only so memory stays flat)."""

from __future__ import annotations

import re
from io import BytesIO

import django_tables2 as tables
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Folders, control characters and what Windows refuses in a file name.
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
FILENAME_MAX_CHARS = 120


def safe_filename(name, default: str = "download") -> str:
    """A download's file name, made from stored titles: no folder part, no control or reserved
    character, no leading or trailing dot or space, at most FILENAME_MAX_CHARS with the
    extension kept. The browser saves it as is, so it must be harmless on every system."""
    name = _UNSAFE_IN_FILENAME.sub("_", str(name)).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 8:
        stem, extension = name, ""
    stem = stem.strip(" .")[: FILENAME_MAX_CHARS - len(extension) - 1].strip(" .") or default
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename, *, attachment: bool = True) -> str:
    """The Content-Disposition header of a download named `filename` (made safe; RFC 6266)."""
    from django.utils.http import content_disposition_header

    return content_disposition_header(attachment, safe_filename(filename))


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def sheet_title(text) -> str:
    """`text` as an Excel sheet title: the characters Excel refuses (: \\ / ? * [ ]) become
    spaces, no quote at either end, at most 31 characters. Titles come from stored names."""
    title = re.sub(r"[:\\/?*\[\]]", " ", str(text))[:31].strip().strip("'").strip()
    return title or "Sheet1"


def rows_to_workbook(title: str, rows) -> Workbook:
    """A one-sheet workbook: the first row of `rows` is the header, in bold."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append([_cell_value(v) for v in row])
    return workbook


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is one
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float):
        return value
    text = str(value)
    # A leading = + - @ would be run as a formula by Excel (CSV/formula injection).
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


# What django-tables2's BooleanColumn gives as_values(): its value as text.
_BOOLEAN_TEXT = {"True": True, "False": False, "None": None}


def table_rows(table):
    """table.as_values() (the header, then every row) with the boolean columns as booleans, which
    the workbook writes as yes or no: django-tables2 writes "True" and "False"."""
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    boolean = [isinstance(column.column, tables.BooleanColumn) for column in columns]
    rows = table.as_values()
    yield next(rows)
    for row in rows:
        yield [_BOOLEAN_TEXT.get(value, value) if flag else value for value, flag in zip(row, boolean, strict=True)]


def table_xlsx_response(table, *, title: str) -> HttpResponse:
    """The rows of a django-tables2 table (all filtered rows, not one page) as an .xlsx download."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    workbook = rows_to_workbook(title, table_rows(table))
    return workbook_response(workbook, f"{title}-{stamp}.xlsx")


def table_pdf(*, title: str, meta: str, header: list, rows: list, empty: str) -> bytes:
    """An official list as an A4 PDF: a title, one line of particulars, a table, page numbers,
    the printing date; Chinese in Noto CJK (Debian's fonts-noto-cjk)."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    html = render_to_string(
        "core/table_pdf.html",
        {"title": title, "meta": meta, "header": header, "rows": rows, "empty": empty, "today": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()

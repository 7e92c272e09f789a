"""Excel export of a table's filtered rows (openpyxl, write-only so memory stays flat)."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def rows_to_workbook(title: str, rows) -> Workbook:
    """A one-sheet workbook: the first row of `rows` is the header, in bold."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31] or "Sheet1")
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
    if isinstance(value, int | float):
        return value
    text = str(value)
    # A leading = + - @ would be run as a formula by Excel (CSV/formula injection).
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def table_xlsx_response(table, *, title: str) -> HttpResponse:
    """The rows of a django-tables2 table (all filtered rows, not one page) as an .xlsx download."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    workbook = rows_to_workbook(title, table.as_values())
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

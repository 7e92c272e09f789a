"""A workbook of rows as an upload, for the Excel import tests."""

import io

from openpyxl import Workbook


def xlsx_upload(rows, name: str = "import.xlsx"):
    """The rows (lists of cell values) in the first sheet of a workbook, as a file to post."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer

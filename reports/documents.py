"""The annual statistics report (年度统计报表) as documents: an Excel workbook in the union's usual
layout and an A4 PDF with tables and bar charts.

Both are drawn from a report's snapshot alone — never from the database — so a submitted report
prints the figures it was submitted with:

    snapshot = {"year": 2025, "unit": {"id": 1, "name": "…", "path": "0001"},
                "generated_at": "2026-01-05T09:30:00+08:00",
                "indicators": {code: IndicatorResult.as_dict(), …}}

The snapshot has been through a JSONField (DjangoJSONEncoder), so a figure may come back as an
int, a Decimal, a float or a string ("1234.50"): `read_snapshot` normalises every figure (Decimal
for money and hours, int for counts) and puts the indicators in the order of the registry. The
indicator, dimension and measure labels are the snapshot's (stored in the requester's language);
the documents' own wording follows the active language.

    report_workbook(snapshot) -> bytes   # .xlsx: a summary sheet, then one sheet per table indicator
    report_pdf(snapshot) -> bytes        # .pdf: a title page with the summary, then each table
                                         # with its bar chart (inline SVG, no JavaScript)
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from .indicators import INDICATORS

Number = int | Decimal

# --------------------------------------------------------------------------------------------
# The snapshot, read and normalised


@dataclass(frozen=True)
class MeasureColumn:
    """A figure of an indicator: its label, its unit of measure and whether it has decimals."""

    code: str
    label: str
    unit: str
    decimal: bool

    @property
    def header(self) -> str:
        """The column header: the label with its unit ("金额（元）"), unless the label already says it."""
        if not self.unit or _says_unit(self.label, self.unit):
            return self.label
        return pgettext("measure header", "%(label)s (%(unit)s)") % {"label": self.label, "unit": self.unit}

    @property
    def number_format(self) -> str:
        return "#,##0.00" if self.decimal else "#,##0"

    def format(self, value: Number) -> str:
        return format_number(value, self.decimal)


@dataclass(frozen=True)
class TableRow:
    labels: tuple[str, ...]
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Section:
    """One indicator of the report: a scalar (no dimensions) or a table of rows with totals."""

    number: int
    code: str
    label: str
    dimensions: tuple[str, ...]
    measures: tuple[MeasureColumn, ...]
    rows: tuple[TableRow, ...]
    totals: tuple[Number, ...]

    @property
    def is_table(self) -> bool:
        return bool(self.dimensions)

    @property
    def main(self) -> MeasureColumn:
        return self.measures[0]

    @property
    def value(self) -> Number:
        return self.totals[0]

    @property
    def headers(self) -> list[str]:
        return [*self.dimensions, *(m.header for m in self.measures)]


@dataclass(frozen=True)
class Report:
    year: int
    unit_name: str
    generated_at: str
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return _("%(unit)s %(year)s annual statistics report of the innovation studios") % {
            "unit": self.unit_name,
            "year": self.year,
        }

    @property
    def scope(self) -> str:
        return _("%(unit)s and every unit below it") % {"unit": self.unit_name}

    @property
    def year_text(self) -> str:
        return _("Year %(year)s") % {"year": self.year}

    @property
    def tables(self) -> list[Section]:
        return [s for s in self.sections if s.is_table]


def read_snapshot(snapshot: dict) -> Report:
    """The snapshot as a Report: indicators in the registry's order (codes the registry no longer
    knows after them, in the snapshot's order), every figure normalised."""
    indicators = snapshot.get("indicators") or {}
    codes = [c for c in INDICATORS if c in indicators] + [c for c in indicators if c not in INDICATORS]
    sections = tuple(_section(number, code, indicators[code]) for number, code in enumerate(codes, 1))
    unit = snapshot.get("unit") or {}
    return Report(
        year=int(snapshot["year"]),
        unit_name=str(unit.get("name") or ""),
        generated_at=_when(snapshot.get("generated_at")),
        sections=sections,
    )


def _section(number: int, code: str, data: dict) -> Section:
    registered = {m.code: m.decimal for m in INDICATORS[code].measures} if code in INDICATORS else {}
    raw_rows = data.get("rows") or []
    raw_totals = data.get("totals") or {}
    measures = []
    for m in data.get("measures") or []:
        seen = [r.get("values", {}).get(m["code"]) for r in raw_rows] + [raw_totals.get(m["code"])]
        decimal = registered.get(m["code"], any(_has_decimals(v) for v in seen))
        measures.append(MeasureColumn(str(m["code"]), str(m.get("label", m["code"])), str(m.get("unit", "")), decimal))
    dimensions = tuple(str(d.get("label", d.get("code", ""))) for d in data.get("dimensions") or [])
    rows = []
    for raw in raw_rows:
        labels = [str(x) for x in raw.get("labels") or raw.get("keys") or []]
        labels = (labels + [""] * len(dimensions))[: len(dimensions)]
        values = raw.get("values") or {}
        rows.append(TableRow(tuple(labels), tuple(to_number(values.get(m.code), m.decimal) for m in measures)))
    totals = tuple(
        to_number(raw_totals[m.code], m.decimal) if m.code in raw_totals else sum((r.values[i] for r in rows), 0)
        for i, m in enumerate(measures)
    )
    return Section(number, code, str(data.get("label", code)), dimensions, tuple(measures), tuple(rows), totals)


def to_number(value, decimal: bool) -> Number:
    """A figure as it came back from JSON (int, Decimal, float, str or None) as a Decimal (money,
    hours) or an int (counts)."""
    if value is None or value == "":
        return Decimal("0") if decimal else 0
    if isinstance(value, bool):
        raise ValueError(f"not a figure: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a figure: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a figure: {value!r}")
    if decimal:
        return number
    return int(number) if number == number.to_integral_value() else number


def _has_decimals(value) -> bool:
    return isinstance(value, float | Decimal) or (isinstance(value, str) and "." in value)


def _says_unit(label: str, unit: str) -> bool:
    low, unit = label.lower(), unit.lower()
    return low.endswith(unit) or f"({unit})" in low or f"（{unit}）" in low


def _when(value) -> str:
    """The generation time in local time, "2026-01-05 09:30" (as given when it is not ISO)."""
    if not value:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def format_number(value: Number, decimal: bool) -> str:
    return f"{Decimal(value):,.2f}" if decimal else f"{value:,}"


def text_width(text: str) -> float:
    """The width of a text in widths of a digit: CJK (wide) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------------------------
# Excel

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTE_FONT = Font(color="595959")
LINK_FONT = Font(color="0563C1", underline="single")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")

MAX_WIDTH = 48  # a text column wider than this wraps
LANDSCAPE_FROM = 90  # total column width above which a sheet prints landscape
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def report_workbook(snapshot: dict) -> bytes:
    """The report as an .xlsx: a summary sheet (title, scope, year, generation time, one line per
    indicator), then a sheet per table indicator (title, headers, rows, totals)."""
    report = read_snapshot(snapshot)
    workbook = Workbook()
    names = SheetNames()
    summary = workbook.active
    summary.title = names.claim(pgettext("report sheet", "Summary"), "summary")
    sheets = {s.code: workbook.create_sheet(names.claim(s.label, s.code)) for s in report.tables}
    _write_summary(summary, report, {code: sheet.title for code, sheet in sheets.items()})
    for section in report.tables:
        _write_table(sheets[section.code], report, section)
    workbook.properties.title = _clean(report.title)
    workbook.properties.creator = _clean(report.unit_name)[:200]
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SheetNames:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, not starting or
    ending with an apostrophe, unique regardless of case, not "History"."""

    def __init__(self):
        self.used: set[str] = {"history"}

    def claim(self, wanted: str, fallback: str) -> str:
        base = SHEET_NAME_FORBIDDEN.sub("-", _clean(wanted))
        base = " ".join(base.split()).strip("'").strip() or fallback
        name, copy = base[:31].strip("'"), 1
        while name.lower() in self.used:
            copy += 1
            suffix = f"({copy})"
            name = base[: 31 - len(suffix)].strip("'") + suffix
        self.used.add(name.lower())
        return name


def _clean(text) -> str:
    """Text an .xlsx can hold: no control characters, at most Excel's 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))[:32767]


def _put(sheet, row: int, column: int, value, *, font=None, alignment=None, fill=None, border=None, fmt=None):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _clean(value)
        # Text is text: a name starting with "=" must not become a formula.
        cell.data_type = "s"
    else:
        cell.value = value
    for attribute, style in (("font", font), ("alignment", alignment), ("fill", fill), ("border", border)):
        if style is not None:
            setattr(cell, attribute, style)
    if fmt:
        cell.number_format = fmt
    return cell


def _merged_line(sheet, row: int, columns: int, text: str, *, font, alignment, height=None):
    _put(sheet, row, 1, text, font=font, alignment=alignment)
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    if height:
        sheet.row_dimensions[row].height = height


def _fit_columns(sheet, columns: list[list[str]], minimum: list[float]) -> list[float]:
    """Column widths that fit the texts (CJK counted double), wide text columns capped (they wrap)."""
    widths = []
    for index, (texts, least) in enumerate(zip(columns, minimum, strict=True), 1):
        width = min(max([text_width(t) + 2 for t in texts] + [least]), MAX_WIDTH + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
        widths.append(width)
    return widths


def _title_height(text: str, widths: list[float], points: float) -> float | None:
    lines = math.ceil(text_width(text) * points / 11 / max(sum(widths), 1))
    return None if lines <= 1 else lines * points * 1.5


def _wrapped_height(texts: list[str], widths: list[float]) -> float | None:
    lines = max(math.ceil(text_width(t) / max(w - 2, 1)) for t, w in zip(texts, widths, strict=False))
    return None if lines <= 1 else 15 * lines


def _print_setup(sheet, *, header_row: int, width: float):
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > LANDSCAPE_FROM else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    sheet.oddFooter.center.text = _("Page %(page)s of %(pages)s") % {"page": "&P", "pages": "&N"}
    sheet.oddFooter.center.size = 9


def _write_summary(sheet, report: Report, sheet_names: dict[str, str]):
    headers = [_("No."), _("Indicator"), _("Value"), _("Unit of measure"), _("Details")]
    columns = len(headers)
    lines = [
        report.title,
        _("Scope: %(scope)s") % {"scope": report.scope},
        _("Year: %(year)s") % {"year": report.year},
    ]
    if report.generated_at:
        lines.append(_("Generated at %(time)s") % {"time": report.generated_at})
    header_row = len(lines) + 2
    texts = [[h] for h in headers]
    for section in report.sections:
        texts[1].append(section.label)
        texts[2].append(section.main.format(section.value))
        texts[3].append(section.main.unit)
        texts[4].append(sheet_names.get(section.code, ""))
    widths = _fit_columns(sheet, texts, [6, 24, 14, 10, 16])
    for row, text in enumerate(lines, 1):
        first = row == 1
        _merged_line(
            sheet,
            row,
            columns,
            text,
            font=TITLE_FONT if first else NOTE_FONT,
            alignment=CENTER if first else LEFT,
            height=(_title_height(text, widths, 14) or 24) if first else None,
        )
    for column, text in enumerate(headers, 1):
        _put(sheet, header_row, column, text, font=BOLD, alignment=CENTER, fill=HEADER_FILL, border=BORDER)
    for row, section in enumerate(report.sections, header_row + 1):
        _put(sheet, row, 1, section.number, alignment=CENTER, border=BORDER)
        _put(sheet, row, 2, section.label, alignment=LEFT, border=BORDER)
        _put(sheet, row, 3, section.value, alignment=RIGHT, border=BORDER, fmt=section.main.number_format)
        _put(sheet, row, 4, section.main.unit, alignment=CENTER, border=BORDER)
        link = _put(sheet, row, 5, sheet_names.get(section.code, ""), alignment=LEFT, border=BORDER)
        if section.code in sheet_names:
            target = sheet_names[section.code].replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{target}'!A1", display=link.value)
            link.font = LINK_FONT
    _print_setup(sheet, header_row=header_row, width=sum(widths))


def _write_table(sheet, report: Report, section: Section):
    headers = section.headers
    columns = len(headers)
    dims = len(section.dimensions)
    total_label = _("Total")
    no_data = _("No data for this year.")
    texts = [[h] for h in headers]
    for row in section.rows:
        for index, label in enumerate(row.labels):
            texts[index].append(label)
        for index, (measure, value) in enumerate(zip(section.measures, row.values, strict=True)):
            texts[dims + index].append(measure.format(value))
    texts[0].append(total_label)
    for index, (measure, value) in enumerate(zip(section.measures, section.totals, strict=True)):
        texts[dims + index].append(measure.format(value))
    widths = _fit_columns(sheet, texts, [16] * dims + [14] * len(section.measures))

    _merged_line(
        sheet,
        1,
        columns,
        section.label,
        font=TITLE_FONT,
        alignment=CENTER,
        height=_title_height(section.label, widths, 14) or 24,
    )
    subtitle = f"{report.scope}　{report.year_text}"
    _merged_line(
        sheet, 2, columns, subtitle, font=NOTE_FONT, alignment=CENTER, height=_title_height(subtitle, widths, 11)
    )
    header_row = 3
    for column, text in enumerate(headers, 1):
        _put(sheet, header_row, column, text, font=BOLD, alignment=CENTER, fill=HEADER_FILL, border=BORDER)
    row_number = header_row
    for row in section.rows:
        row_number += 1
        for column, label in enumerate(row.labels, 1):
            _put(sheet, row_number, column, label, alignment=LEFT, border=BORDER)
        for index, (measure, value) in enumerate(zip(section.measures, row.values, strict=True)):
            _put(sheet, row_number, dims + index + 1, value, alignment=RIGHT, border=BORDER, fmt=measure.number_format)
        height = _wrapped_height(list(row.labels), widths)
        if height:
            sheet.row_dimensions[row_number].height = height
    if not section.rows:
        row_number += 1
        _merged_line(sheet, row_number, columns, no_data, font=NOTE_FONT, alignment=CENTER)
        for column in range(1, columns + 1):
            sheet.cell(row=row_number, column=column).border = BORDER
    row_number += 1
    _put(sheet, row_number, 1, total_label, font=BOLD, alignment=CENTER, fill=TOTAL_FILL, border=BORDER)
    if dims > 1:
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=dims)
        for column in range(2, dims + 1):
            sheet.cell(row=row_number, column=column).border = BORDER
    for index, (measure, value) in enumerate(zip(section.measures, section.totals, strict=True)):
        _put(
            sheet,
            row_number,
            dims + index + 1,
            value,
            font=BOLD,
            alignment=RIGHT,
            fill=TOTAL_FILL,
            border=BORDER,
            fmt=measure.number_format,
        )
    _print_setup(sheet, header_row=header_row, width=sum(widths))


# --------------------------------------------------------------------------------------------
# PDF

MAX_BARS = 20  # a chart shows at most this many bars (the largest); the table has every row
CHART_WIDTH = 620  # SVG user units across the text width of the page
CHART_WIDTH_MM = 178
BAR_HEIGHT, BAR_GAP, FONT_SIZE, TICK_FONT_SIZE = 16, 7, 11, 9


def report_pdf(snapshot: dict) -> bytes:
    """The report as an A4 PDF: a title page with the summary of every indicator (and the page of
    its table), then each table indicator with a bar chart and its table with totals."""
    from weasyprint import HTML

    report = read_snapshot(snapshot)
    tables = [
        {
            "section": section,
            "headers": section.headers,
            "rows": [
                {
                    "labels": row.labels,
                    "values": [m.format(v) for m, v in zip(section.measures, row.values, strict=True)],
                }
                for row in section.rows
            ],
            "totals": [m.format(v) for m, v in zip(section.measures, section.totals, strict=True)],
            "chart": bar_chart(section),
        }
        for section in report.tables
    ]
    html = render_to_string(
        "reports/pdf/report.html",
        {
            "report": report,
            "summary": [
                {"section": s, "value": s.main.format(s.value), "anchor": f"indicator-{s.code}" if s.is_table else ""}
                for s in report.sections
            ],
            "tables": tables,
            "page_footer": css_counter_string(_("Page %(page)s of %(pages)s")),
        },
    )
    return HTML(string=html).write_pdf()


def css_counter_string(text: str) -> str:
    """A translated "Page %(page)s of %(pages)s" as the value of a CSS `content` property, with
    the page counters in place of the placeholders ("第 " counter(page) " 页 / 共 " …)."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    # Safe: the pieces of text are CSS-escaped (no quote, <, > or & is left) and HTML escaping
    # would break the CSS inside <style>.
    return mark_safe(" ".join(parts) or '""')  # noqa: S308


def _css_string(text: str) -> str:
    escaped = "".join(ch if ch.isalnum() or ch in " ./:-()（）" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def bar_chart(section: Section) -> dict | None:
    """A horizontal bar chart of the table's main figure, as geometry for the SVG template: bars
    from zero on a linear axis with round ticks (honest: the axis starts at zero), labels left,
    values at the bars' ends; the table's order, or the MAX_BARS largest first when the table is
    longer. None when there is nothing to draw."""
    if not section.rows or not any(row.values[0] for row in section.rows):
        return None
    measure = section.main
    rows = list(section.rows)
    if len(rows) > MAX_BARS:
        rows = sorted(rows, key=lambda row: -row.values[0])[:MAX_BARS]
    values = [Decimal(row.values[0]) for row in rows]
    ticks = nice_ticks(min(*values, Decimal(0)), max(*values, Decimal(0)), integer=not measure.decimal)
    low, high = ticks[0], ticks[-1]

    labels = [" / ".join(label for label in row.labels if label) for row in rows]
    texts = [measure.format(v) for v in values]
    em = FONT_SIZE * 0.55  # the width of one narrow character
    label_room = min(max(text_width(t) for t in labels), CHART_WIDTH * 0.36 // em)  # in narrow characters
    label_width = label_room * em + 10
    value_width = max(text_width(t) for t in texts) * em + 8
    x0, x1 = label_width, CHART_WIDTH - max(value_width, text_width(_tick_text(high)) * em / 2 + 4)

    def x(value: Decimal) -> float:
        return x0 + float((value - low) / (high - low)) * (x1 - x0)

    top = 6
    bars = []
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = top + index * (BAR_HEIGHT + BAR_GAP)
        start, end = sorted((x(Decimal(0)), x(value)))
        bars.append(
            {
                "label": _fit_text(label, label_room),
                "full_label": label,
                "value": text,
                "x": f"{start:.1f}",
                "y": f"{y:.1f}",
                "width": f"{max(end - start, 0.5 if value else 0):.1f}",
                "text_y": f"{y + BAR_HEIGHT * 0.72:.1f}",
                "value_x": f"{max(end, x(Decimal(0))) + 4:.1f}",
            }
        )
    axis_y = top + len(rows) * (BAR_HEIGHT + BAR_GAP)
    height = axis_y + TICK_FONT_SIZE + 6 + FONT_SIZE + 8
    return {
        "width": CHART_WIDTH,
        "height": f"{height:.0f}",
        "width_mm": CHART_WIDTH_MM,
        "height_mm": f"{height * CHART_WIDTH_MM / CHART_WIDTH:.1f}",
        "label_x": f"{label_width - 6:.1f}",
        "plot_left": f"{x0:.1f}",
        "plot_right": f"{x1:.1f}",
        "plot_middle": f"{(x0 + x1) / 2:.1f}",
        "top": top - 3,
        "axis_y": f"{axis_y:.1f}",
        "tick_text_y": f"{axis_y + TICK_FONT_SIZE + 3:.1f}",
        "axis_title_y": f"{axis_y + TICK_FONT_SIZE + 6 + FONT_SIZE:.1f}",
        "axis_title": measure.header,
        "ticks": [{"x": f"{x(t):.1f}", "text": _tick_text(t)} for t in ticks],
        "zero_x": f"{x(Decimal(0)):.1f}",
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "font_size": FONT_SIZE,
        "tick_font_size": TICK_FONT_SIZE,
        "partial": len(rows) < len(section.rows),
        "shown": len(rows),
        "count": len(section.rows),
    }


def nice_ticks(low: Decimal, high: Decimal, *, integer: bool, count: int = 5) -> list[Decimal]:
    """Round, evenly spaced ticks covering [low, high] (low ≤ 0 ≤ high): steps of 1, 2, 2.5 or 5
    times a power of ten (whole numbers for counts)."""
    span = high - low or Decimal(1)
    raw = span / count
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    step = magnitude * 10
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = factor * magnitude
        if candidate >= raw and (not integer or candidate == candidate.to_integral_value()):
            step = candidate
            break
    if integer:
        step = max(step, Decimal(1))
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if last == first:
        last = first + step
    ticks, tick = [], first
    while tick <= last:
        ticks.append(tick)
        tick += step
    return ticks


def _tick_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _fit_text(text: str, room: float) -> str:
    """The text, cut with an ellipsis to `room` narrow characters (the table has it whole)."""
    if text_width(text) <= room:
        return text
    kept, width = [], 0
    for ch in text:
        width += text_width(ch)
        if width > room - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"

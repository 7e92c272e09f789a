"""The annual report's documents (reports/documents.py): the Excel workbook and the PDF, drawn from
a snapshot as the report stores it (after a JSON round trip), for the hand-computed year of
fixtures.py, for an empty year and for awkward data."""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports.documents import (
    SheetNames,
    bar_chart,
    css_counter_string,
    nice_ticks,
    read_snapshot,
    report_pdf,
    report_workbook,
    to_number,
)
from reports.indicators import INDICATORS, compute_all

from ..conftest import skip_or_fail
from .fixtures import YEAR, build_year

HEADER_ROW = 3  # of a table sheet: title, scope line, headers


def snapshot_of(world, year, unit=None, *, round_trip=True):
    """The snapshot the report task stores, through a JSONField's encoder and back."""
    unit = unit or world.root
    snapshot = {
        "year": year,
        "unit": {"id": unit.pk, "name": unit.name, "path": unit.path},
        "generated_at": timezone.now().isoformat(),
        "indicators": {code: result.as_dict() for code, result in compute_all(year, unit).items()},
    }
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder)) if round_trip else snapshot


@pytest.fixture
def year_snapshot(world):
    build_year(world)
    return snapshot_of(world, YEAR)


def open_workbook(content: bytes):
    return load_workbook(BytesIO(content))


def number(value) -> Decimal:
    """A figure as a Decimal whatever came back (openpyxl reads floats; the snapshot has str)."""
    return Decimal(str(value))


def tables_of(snapshot):
    return [
        (code, snapshot["indicators"][code])
        for code in INDICATORS
        if code in snapshot["indicators"] and snapshot["indicators"][code]["dimensions"]
    ]


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def squash(text: str) -> str:
    """pdftotext drops the narrow spaces between CJK and digits: compare without white space."""
    return re.sub(r"\s+", "", text)


def page_count(text: str) -> int:
    return text.count("\f")


# --------------------------------------------------------------------------------------------
# The workbook


def test_the_workbook_has_a_summary_and_one_sheet_per_table_with_headers_rows_and_totals(year_snapshot):
    book = open_workbook(report_workbook(year_snapshot))
    tables = tables_of(year_snapshot)
    assert len(tables) >= 10
    assert book.sheetnames == [pgettext("report sheet", "Summary")] + [data["label"][:31] for _code, data in tables]
    for (_code, data), sheet in zip(tables, book.worksheets[1:], strict=True):
        assert sheet["A1"].value == data["label"]
        header = [c.value for c in sheet[HEADER_ROW]]
        measures = [m["label"] for m in data["measures"]]
        assert header[: len(data["dimensions"])] == [d["label"] for d in data["dimensions"]]
        # Each measure header is its label, with its unit of measure unless the label says it.
        for got, measure in zip(header[len(data["dimensions"]) :], data["measures"], strict=True):
            assert got.startswith(measure["label"]) and measure["unit"] in got
        assert len(header) == len(data["dimensions"]) + len(measures)
        rows = sheet_rows(sheet)
        assert len(rows) == len(data["rows"]) + 1
        for got, row in zip(rows, data["rows"], strict=False):
            assert got[: len(row["labels"])] == row["labels"]
            assert [number(v) for v in got[len(row["labels"]) :]] == [
                number(row["values"][m["code"]]) for m in data["measures"]
            ]
        total = rows[-1]
        assert total[0] == _("Total")
        assert [number(v) for v in total[len(data["dimensions"]) :]] == [
            number(data["totals"][m["code"]]) for m in data["measures"]
        ]
        assert sheet.cell(row=HEADER_ROW + len(rows), column=1).font.b


def test_the_summary_lists_every_indicator_in_the_registry_order_with_its_unit(year_snapshot, world):
    # The snapshot's own order does not matter.
    year_snapshot["indicators"] = dict(reversed(list(year_snapshot["indicators"].items())))
    summary = open_workbook(report_workbook(year_snapshot)).worksheets[0]
    assert summary["A1"].value == _("%(unit)s %(year)s annual statistics report of the innovation studios") % {
        "unit": world.root.name,
        "year": YEAR,
    }
    assert any(world.root.name in str(c.value) for c in summary["A"][1:3])
    header_row = next(c.row for c in summary["A"] if c.value == _("No."))
    lines = list(summary.iter_rows(min_row=header_row + 1, values_only=True))
    assert [line[1] for line in lines] == [year_snapshot["indicators"][code]["label"] for code in INDICATORS]
    for line, code in zip(lines, INDICATORS, strict=True):
        data = year_snapshot["indicators"][code]
        main = data["measures"][0]
        assert number(line[2]) == number(data["totals"][main["code"]])
        assert line[3] == main["unit"]
        assert bool(line[4]) == bool(data["dimensions"])  # a table has its sheet named
    # Scalars live on the summary only.
    scalars = [code for code in INDICATORS if not year_snapshot["indicators"][code]["dimensions"]]
    assert scalars and all(
        year_snapshot["indicators"][c]["label"][:31] not in summary.parent.sheetnames for c in scalars
    )


def test_the_workbook_is_laid_out_for_reading_and_printing(year_snapshot):
    book = open_workbook(report_workbook(year_snapshot))
    for sheet in book.worksheets[1:]:
        columns = sheet.max_column
        assert f"A1:{get_column_letter(columns)}1" in {str(r) for r in sheet.merged_cells.ranges}
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        for cell in sheet[HEADER_ROW]:
            assert cell.font.b
            # The column is wide enough for the header (a CJK character counts two digits).
            width = sheet.column_dimensions[cell.column_letter].width
            cjk = sum(1 for ch in cell.value if ord(ch) > 0x2E80)
            assert width >= min(len(cell.value) + cjk, 48), (sheet.title, cell.value)
    funding = book.worksheets[1 + [code for code, _d in tables_of(year_snapshot)].index("funding_out")]
    amount, lines = funding.cell(row=HEADER_ROW + 1, column=2), funding.cell(row=HEADER_ROW + 1, column=3)
    assert amount.number_format == "#,##0.00" and lines.number_format == "#,##0"


def test_an_empty_year_gives_every_sheet_with_no_rows_and_zero_totals(world):
    snapshot = snapshot_of(world, 1999)
    book = open_workbook(report_workbook(snapshot))
    tables = tables_of(snapshot)
    assert len(book.worksheets) == 1 + len(tables)
    for (_code, data), sheet in zip(tables, book.worksheets[1:], strict=True):
        assert not data["rows"]
        rows = sheet_rows(sheet)
        assert rows[0][0] == _("No data for this year.")
        assert rows[-1][0] == _("Total") and all(number(v) == 0 for v in rows[-1][len(data["dimensions"]) :])
    text = pdf_text(report_pdf(snapshot))
    assert squash(_("No data for this year.")) in squash(text)


def test_figures_may_come_back_as_strings_floats_or_decimals(year_snapshot):
    def convert(snapshot, kind):
        converted = json.loads(json.dumps(snapshot))
        for data in converted["indicators"].values():
            for figures in [row["values"] for row in data["rows"]] + [data["totals"]]:
                for key, value in figures.items():
                    figures[key] = kind(value)
        return converted

    expected = read_snapshot(year_snapshot)
    for kind in (str, float, lambda v: Decimal(str(v)), lambda v: float(v) if "." in str(v) else int(v)):
        snapshot = convert(year_snapshot, kind)
        report = read_snapshot(snapshot)
        assert report == expected
        benefit = next(s for s in report.sections if s.code == "economic_benefit")
        assert isinstance(benefit.value, Decimal) and benefit.value == Decimal("157000")
        assert isinstance(next(s for s in report.sections if s.code == "studios_named").value, int)
        assert open_workbook(report_workbook(snapshot)).sheetnames
    assert to_number("1234.50", True) == Decimal("1234.50")
    assert to_number(3.0, False) == 3 and isinstance(to_number("3", False), int)
    assert to_number(None, True) == Decimal("0")
    with pytest.raises(ValueError):
        to_number("twelve", False)


def test_the_documents_read_the_snapshot_not_the_database(year_snapshot, django_assert_num_queries):
    with django_assert_num_queries(0):
        report_workbook(year_snapshot)
        report_pdf(year_snapshot)


# --------------------------------------------------------------------------------------------
# Awkward data: forty units, very long names, markup, slashes and brackets


def weird_snapshot(units: int = 40) -> dict:
    names = [f"第{i}分公司" for i in range(units)]
    names[0] = "中国某某集团有限公司某某省分公司某某市供电公司某某变电运维中心" * 4
    names[1] = "<script>alert('x')</script>"
    names[2] = "A/B [二] 车间: *?"
    names[3] = '=HYPERLINK("http://evil")'
    benefit_rows = [
        {"keys": [f"0001{i:04d}"], "labels": [name], "values": {"amount": f"{(i + 1) * 1234.5:.2f}", "results": i}}
        for i, name in enumerate(names)
    ]
    studio_rows = [
        {"keys": [f"0001{i:04d}"], "labels": [name], "values": {"studios": i % 7}} for i, name in enumerate(names)
    ]

    def table(code, label, measures, rows, dimension="单位"):
        return {
            "code": code,
            "label": label,
            "year": 2025,
            "unit": 1,
            "dimensions": [{"code": "unit", "label": dimension}],
            "measures": measures,
            "rows": rows,
            "totals": {m["code"]: str(sum(Decimal(str(r["values"][m["code"]])) for r in rows)) for m in measures},
        }

    return {
        "year": 2025,
        "unit": {"id": 1, "name": "<b>总部</b> / [测试]", "path": "0001"},
        "generated_at": "2026-01-05T09:30:00+08:00",
        "indicators": {
            "economic_benefit": table(
                "economic_benefit",
                "经济效益",
                [
                    {"code": "amount", "label": "金额（元）", "unit": "元"},
                    {"code": "results", "label": "成果", "unit": "项"},
                ],
                benefit_rows,
            ),
            "studios_by_unit": table(
                "studios_by_unit",
                "命名工作室（按单位）",
                [{"code": "studios", "label": "创新工作室", "unit": "个"}],
                studio_rows,
            ),
            # Codes unknown to the registry (from an older version) come last; their labels make
            # sheet names that need cleaning.
            "old_one": table(
                "old_one",
                "经费/收入[按来源]:*? 这是一个非常非常非常非常非常长的指标名称",
                [{"code": "n", "label": "数", "unit": "项"}],
                [{"keys": [i], "labels": [name], "values": {"n": i}} for i, name in enumerate(names[:3])],
            ),
            "old_two": {
                **table(
                    "old_two",
                    "经费/收入[按来源]:*? 这是一个非常非常非常非常非常长的指标名称",
                    [{"code": f"m{i}", "label": f"第{i}项很长很长的统计口径说明", "unit": "项"} for i in range(4)],
                    [],
                ),
                "dimensions": [{"code": "unit", "label": "单位"}, {"code": "kind", "label": "类别"}],
            },
            "studios_named": {
                "code": "studios_named",
                "label": "本年命名工作室",
                "dimensions": [],
                "measures": [{"code": "studios", "label": "创新工作室", "unit": "个"}],
                "rows": [],
                "totals": {"studios": 4},
            },
        },
    }


def test_awkward_names_stay_text_and_make_valid_sheet_names():
    snapshot = weird_snapshot()
    book = open_workbook(report_workbook(snapshot))
    names = book.sheetnames
    assert len(names) == 5 and len({n.lower() for n in names}) == 5
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and not name.startswith("'")
    assert names[1:3] == ["命名工作室（按单位）", "经济效益"]  # the registry's order
    benefit = book["经济效益"]
    rows = sheet_rows(benefit)
    assert len(rows) == 41
    labels = [row[0] for row in rows[:-1]]
    assert labels[1] == "<script>alert('x')</script>"
    assert labels[2] == "A/B [二] 车间: *?"
    assert labels[3] == '=HYPERLINK("http://evil")'
    assert benefit.cell(row=HEADER_ROW + 4, column=1).data_type == "s"  # text, not a formula
    assert labels[0] == snapshot["indicators"]["economic_benefit"]["rows"][0]["labels"][0]
    assert number(rows[-1][1]) == number(snapshot["indicators"]["economic_benefit"]["totals"]["amount"])
    # A wide sheet prints landscape, fitted to the page's width; long names wrap.
    assert benefit.column_dimensions["A"].width <= 50
    assert benefit.cell(row=HEADER_ROW + 1, column=1).alignment.wrap_text
    assert benefit.page_setup.orientation == "portrait"
    wide = book[names[4]]
    header = pgettext("measure header", "%(label)s (%(unit)s)") % {"label": "第0项很长很长的统计口径说明", "unit": "项"}
    assert [c.value for c in wide[HEADER_ROW]][:3] == ["单位", "类别", header]
    assert wide.page_setup.orientation == "landscape"
    assert sheet_rows(wide)[0][0] == _("No data for this year.")
    # The hyperlinks of the summary point at the cleaned names.
    summary = book.worksheets[0]
    targets = {c.hyperlink.location for row in summary.iter_rows() for c in row if c.hyperlink}
    assert {f"'{n}'!A1" for n in names[1:]} == targets
    assert names[3].startswith("经费-收入-按来源---") and names[4].endswith("(2)")
    assert "<b>总部</b> / [测试]" in summary["A1"].value


def test_awkward_names_are_escaped_in_the_pdf_and_forty_units_span_pages():
    snapshot = weird_snapshot()
    pdf = report_pdf(snapshot)
    text = pdf_text(pdf)
    assert "<script>alert('x')</script>" in text  # shown as text, not taken as markup
    assert "<b>总部</b>" in text
    assert "A/B [二] 车间: *?" in text
    assert "第39分公司" in text
    assert page_count(text) > 2
    # The chart keeps the twenty largest bars, largest first, and says so.
    chart = bar_chart(next(s for s in read_snapshot(snapshot).sections if s.code == "economic_benefit"))
    assert chart["shown"] == 20 and chart["count"] == 40 and len(chart["bars"]) == 20
    assert [bar["label"] for bar in chart["bars"]] == [f"第{i}分公司" for i in range(39, 19, -1)]  # largest first


# --------------------------------------------------------------------------------------------
# The PDF


def test_the_pdf_has_the_chinese_labels_tables_and_page_numbers(year_snapshot, artifacts_dir):
    pdf = report_pdf(year_snapshot)
    (artifacts_dir / "annual-report-sample.pdf").write_bytes(pdf)
    (artifacts_dir / "annual-report-sample.xlsx").write_bytes(report_workbook(year_snapshot))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = squash(text)
    for code in INDICATORS:
        label = year_snapshot["indicators"][code]["label"]
        assert squash(label) in flat, label
    assert "命名工作室（按级别）" in flat  # the snapshot's labels are Chinese (the default language)
    pages = page_count(text)
    assert pages > 1
    # The footer in the active language: "第 1 页 / 共 N 页" once the catalogue has it.
    assert squash(_("Page %(page)s of %(pages)s") % {"page": 1, "pages": pages}) in flat
    assert squash(_("Page %(page)s of %(pages)s") % {"page": pages, "pages": pages}) in flat
    # Every table ends with its totals row.
    assert flat.count(squash(_("Total"))) >= len(tables_of(year_snapshot))


def test_the_pdf_follows_the_active_language(year_snapshot, english):
    text = pdf_text(report_pdf(year_snapshot))
    assert "Page 1 of" in text
    assert "Indicators at a glance" in text
    assert "annual statistics report" in text
    # The labels are those stored in the snapshot (the requester's language).
    assert squash(year_snapshot["indicators"]["studios_by_level"]["label"]) in squash(text)


def test_a_big_report_runs_over_several_pages_and_repeats_table_headers(artifacts_dir):
    snapshot = weird_snapshot(120)
    pdf = report_pdf(snapshot)
    (artifacts_dir / "annual-report-120-units.pdf").write_bytes(pdf)
    (artifacts_dir / "annual-report-120-units.xlsx").write_bytes(report_workbook(snapshot))
    text = pdf_text(pdf)
    pages = page_count(text)
    assert pages >= 5
    # The benefit table runs over pages: its header is printed on each of them.
    assert text.count("金额（元）") >= 3


# --------------------------------------------------------------------------------------------
# Pieces


def test_nice_ticks_start_at_zero_and_cover_the_largest_figure():
    assert nice_ticks(Decimal(0), Decimal(3), integer=True) == [0, 1, 2, 3]
    assert nice_ticks(Decimal(0), Decimal(1), integer=True) == [0, 1]
    assert nice_ticks(Decimal(0), Decimal(127000), integer=False) == [Decimal(n) for n in range(0, 150001, 50000)]
    assert nice_ticks(Decimal(0), Decimal("11.5"), integer=False)[-1] >= Decimal("11.5")


def test_sheet_names_follow_excels_rules():
    names = SheetNames()
    assert names.claim("汇总", "x") == "汇总"
    assert names.claim("a/b[c]:d*e?f\\g", "x") == "a-b-c--d-e-f-g"
    long = "很" * 40
    first, second = names.claim(long, "x"), names.claim(long, "x")
    assert len(first) == len(second) == 31 and first != second and second.endswith("(2)")
    assert names.claim("History", "x") == "History(2)"
    assert names.claim("'quoted'", "x") == "quoted"
    assert names.claim("[]", "fallback") == "--"
    assert names.claim("  ", "fallback") == "fallback"


def test_the_footer_becomes_css_with_page_counters():
    assert (
        css_counter_string("第 %(page)s 页 / 共 %(pages)s 页") == '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    )
    assert css_counter_string('Page %(page)s "of" %(pages)s') == '"Page " counter(page) " \\22 of\\22  " counter(pages)'

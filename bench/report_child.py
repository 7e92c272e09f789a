"""A child process of the benchmark: the annual report of the whole tree, or the same figures by
hand-written SQL, timed, for one year. Prints one JSON line: the seconds and the figures.

    python -m bench.report_child build 2025     # the report, as the Celery task builds it
    python -m bench.report_child sql 2025       # bench/handwritten_sql.py's queries

Run with the bench settings on a tier's database and without REDIS_URL: then Celery runs the
build task in this very process (eager), so this process is "the worker building the report" and
its peak memory, read by the parent when it ends, is the worker's. The report is made through the
same service the page and the beat use (reports.services.report_request → the build task →
report_build: every indicator, the workbook, the PDF, the final write), then deleted again with
its files, audit events and notifications so that the benchmark leaves the tier's database as it
found it.
"""

from __future__ import annotations

import json
import sys
import time


def shape(figures: dict) -> dict:
    """{code: {row keys: (figure, …)}} as JSON: {code: [[keys, figures as text], …]}."""
    return {
        code: sorted(([list(keys), [str(v) for v in values]] for keys, values in rows.items()), key=str)
        for code, rows in figures.items()
    }


def snapshot_figures(data: dict) -> dict:
    """The stored report's figures in handwritten_sql's shape (Decimals come back as text)."""
    from bench.handwritten_sql import _figure
    from reports.indicators import INDICATORS

    figures = {}
    for code, stored in data["indicators"].items():
        measures = INDICATORS[code].measures
        figures[code] = {
            tuple(row["keys"]): tuple(_figure(row["values"][m.code], m.decimal) for m in measures)
            for row in stored["rows"]
        }
    return figures


def root_unit():
    from accounts.models import Unit

    from .servers import SCALE_ROOT

    return Unit.objects.get_root_nodes().filter(name=SCALE_ROOT).first() or Unit.objects.get_first_root_node()


def build(year: int) -> dict:
    from reports.choices import ReportStatus
    from reports.services import report_request

    root = root_unit()
    started = time.perf_counter()
    report, created = report_request(actor=None, year=year, unit=root)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    if not created or report.status != ReportStatus.DONE:
        raise SystemExit(f"the report did not build: created={created} status={report.status} {report.error}")
    from reports.documents import report_pdf, report_workbook

    started = time.perf_counter()
    report_workbook(report.data)
    report_pdf(report.data)
    result = {
        "seconds": seconds,
        "documents_seconds": time.perf_counter() - started,
        "xlsx_bytes": report.xlsx.size,
        "pdf_bytes": report.pdf.size,
        "figures": shape(snapshot_figures(report.data)),
    }
    forget(report)
    return result


def forget(report) -> None:
    """Delete the report, its files, its audit events and its notifications: the benchmark leaves
    the tier's database as it found it (these are the benchmark's own traces, not user data)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent, Notification

    for stored in (report.xlsx, report.pdf):
        stored.storage.delete(stored.name)
    Notification.objects.filter(url=report.get_absolute_url()).delete()
    AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(report), object_id=str(report.pk)).delete()
    report.delete()


def sql(year: int) -> dict:
    from bench.handwritten_sql import run_all

    root = root_unit()
    started = time.perf_counter()
    figures = run_all(year, root)
    return {"seconds": time.perf_counter() - started, "figures": shape(figures)}


def main(argv: list[str]) -> None:
    import django

    mode, year = argv[0], int(argv[1])
    django.setup()
    result = build(year) if mode == "build" else sql(year)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])

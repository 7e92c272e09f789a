"""Helpers of the annual-report tests: a finished report made directly (for pages and the
permission matrix), and stand-in documents for tests that count queries or steps rather than
look at the files (the real ones are tested in test_documents.py and the worker and browser tests)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import AnnualReport

YEAR = 2025
XLSX = b"PK\x03\x04 stand-in workbook"
PDF = b"%PDF-1.7 stand-in"


def finished_report(unit, *, year=YEAR, status="done", requested_by=None, **fields) -> AnnualReport:
    """A report built already, with both files and a one-indicator snapshot."""
    report = AnnualReport.objects.create(
        year=year,
        unit=unit,
        status=status,
        progress=100,
        attempts=1,
        requested_by=requested_by,
        finished_at=timezone.now(),
        data={
            "year": year,
            "unit": {"id": unit.pk, "name": unit.name, "path": unit.path},
            "generated_at": timezone.now().isoformat(),
            "indicators": {
                "studios_named": {
                    "code": "studios_named",
                    "label": "Studios named in the year",
                    "year": year,
                    "unit": unit.pk,
                    "dimensions": [],
                    "measures": [{"code": "studios", "label": "Studios", "unit": "studios"}],
                    "rows": [],
                    "totals": {"studios": 3},
                }
            },
        },
        **fields,
    )
    report.xlsx.save("annual-report.xlsx", ContentFile(XLSX), save=False)
    report.pdf.save("annual-report.pdf", ContentFile(PDF), save=False)
    report.save()
    return report


def branch_a_report(world) -> dict:
    return {"pk": finished_report(world.branch_a, requested_by=world.unit_cadre).pk}


def stand_in_documents(monkeypatch, calls=None):
    """Replace reports.documents' two functions with fast ones that record the snapshots."""
    import reports.documents

    calls = [] if calls is None else calls

    def workbook(snapshot):
        calls.append(("xlsx", snapshot))
        return XLSX

    def pdf(snapshot):
        calls.append(("pdf", snapshot))
        return PDF

    monkeypatch.setattr(reports.documents, "report_workbook", workbook)
    monkeypatch.setattr(reports.documents, "report_pdf", pdf)
    return calls

"""The annual report in the browser: HQ asks for last year's report of the whole company, watches
its progress (the page polls with htmx and reloads when it is ready), downloads the Excel workbook
and the PDF; the workbook has the indicator sheets, the PDF renders the Chinese indicator names
(checked with pdftotext). A screenshot at every step.

The build runs in a background thread standing in for the Celery worker, slowed down a little
(REPORTS_BUILD_PAUSE) so that the progress can be seen; the real worker is tested in
tests/reports/test_report_worker.py."""

import io
import shutil
import subprocess
import threading

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from reports import services
from reports.models import AnnualReport

from ..conftest import skip_or_fail
from .test_studio_journey import as_user

pytestmark = [pytest.mark.browser]


@pytest.fixture
def background_worker(monkeypatch, settings):
    """Build each report asked for in a thread, as a worker would, instead of in the request."""
    settings.REPORTS_BUILD_PAUSE = 0.15
    threads = []

    def enqueue(report_id, task_id):
        def build():
            try:
                services.report_build(report_id=report_id)
            finally:
                connection.close()

        thread = threading.Thread(target=build, daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(services, "enqueue_build", enqueue)
    yield threads
    for thread in threads:
        thread.join(timeout=60)


def test_hq_asks_for_the_annual_report_and_downloads_it(page, live_server, demo_data, background_worker, screenshots):
    from openpyxl import load_workbook

    base = live_server.url
    last_year = timezone.localdate().year - 1

    # 1. HQ opens the annual reports from the sidebar and asks for a new one: last year, the whole company.
    as_user(page, base, "hq_cadre")
    page.locator("#sidebar a[href='/reports/']").click()
    expect(page).to_have_url(f"{base}/reports/")
    page.locator("main a[href='/reports/new/']").click()
    expect(page.locator("#id_year")).to_have_value(str(last_year))
    root = page.locator("#id_unit option:checked").inner_text()
    screenshots(page, "report-01-ask")
    page.locator("main form button[type=submit]").click()

    # 2. Its page follows the progress, then shows the downloads once ready.
    report = AnnualReport.objects.get()
    expect(page).to_have_url(f"{base}/reports/{report.pk}/")
    expect(page.get_by_test_id("report-status")).to_be_visible()
    screenshots(page, "report-02-progress")
    expect(page.get_by_test_id("download-pdf")).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("report-figures")).to_contain_text("命名工作室")
    screenshots(page, "report-03-ready")
    report.refresh_from_db()
    assert report.status == "done" and report.year == last_year and report.unit.name == root.strip()

    # 3. Both files download; the workbook has a sheet per table, the PDF speaks Chinese.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    xlsx = download_info.value
    assert xlsx.suggested_filename.endswith(".xlsx") and str(last_year) in xlsx.suggested_filename
    workbook = load_workbook(io.BytesIO(xlsx.path().read_bytes()))
    assert len(workbook.sheetnames) > 5
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    for label in ("命名工作室（按级别）", "经济效益", "培训人次"):
        assert label in flat, label
    assert report.unit.name in flat

    # 4. The list shows it ready.
    page.goto(f"{base}/reports/")
    expect(page.get_by_test_id("reports")).to_contain_text(str(last_year))
    screenshots(page, "report-04-list")

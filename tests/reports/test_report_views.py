"""The annual reports' pages: the list (scoped, constant queries), asking for a report (idempotent,
bad input answered 400 next to the field), the detail page and its htmx progress panel, the
downloads through the rule set, and submitting."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.choices import ReportStatus
from reports.models import AnnualReport

from .report_support import PDF, XLSX, YEAR, finished_report, stand_in_documents


@pytest.fixture
def documents(monkeypatch):
    return stand_in_documents(monkeypatch)


def test_the_list_shows_what_the_user_may_see(world, client_as):
    mine = finished_report(world.plant_a1)
    theirs = finished_report(world.branch_b)
    page = client_as(world.unit_cadre).get(reverse("reports:report_list"))
    assert page.status_code == 200
    reports = list(page.context["table"].data)
    assert mine in reports and theirs not in reports
    page = client_as(world.viewer).get(reverse("reports:report_list"))
    assert {mine, theirs} <= set(page.context["table"].data)
    assert not page.context["can_add"]


def test_the_list_takes_the_same_queries_for_more_reports(world, client_as, django_assert_num_queries):
    client = client_as(world.hq)
    url = reverse("reports:report_list")
    finished_report(world.root, requested_by=world.hq)
    client.get(url)  # warm the session and the content types

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for year in range(2010, 2022):
        finished_report(world.branch_a, year=year, requested_by=world.unit_cadre)
    assert count() == few


def test_the_list_filters_by_year_unit_and_status(world, client_as):
    a = finished_report(world.plant_a1)
    b = finished_report(world.branch_b, year=YEAR - 1)
    client = client_as(world.hq)
    url = reverse("reports:report_list")
    assert list(client.get(url, {"year": YEAR}).context["table"].data) == [a]
    assert list(client.get(url, {"unit": world.branch_a.pk}).context["table"].data) == [a]
    assert list(client.get(url, {"status": "failed"}).context["table"].data) == []
    assert b in client.get(url).context["table"].data


def test_asking_for_a_report_builds_it_and_opens_its_page(
    world, client_as, documents, django_capture_on_commit_callbacks
):
    client = client_as(world.unit_cadre)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_create"), {"year": YEAR, "unit": world.branch_a.pk})
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE and report.requested_by == world.unit_cadre
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="download-xlsx"' in page.content.decode() and page.context["can_submit"]
    assert len(page.context["summary"]) == len(report.data["indicators"])
    # The requester was told.
    assert world.unit_cadre.notifications.filter(url=report.get_absolute_url()).exists()


def test_the_page_says_the_report_is_being_prepared_only_while_it_is(
    world, client_as, documents, english, django_capture_on_commit_callbacks
):
    """The request's message (报表正在生成，完成后会通知您。) outlived the build and stood next to 已生成
    and the downloads. The page says it while the report is queued or running, and only then."""
    client = client_as(world.unit_cadre)
    url = reverse("reports:report_create")
    queued = client.post(url, {"year": YEAR, "unit": world.branch_a.pk}, follow=True).content.decode()
    assert "you will also get a notification" in queued and 'data-testid="download-xlsx"' not in queued
    AnnualReport.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": YEAR, "unit": world.branch_a.pk})
    assert AnnualReport.objects.get().status == ReportStatus.DONE
    done = client.get(response["Location"]).content.decode()
    assert 'data-testid="download-xlsx"' in done
    for words in ("being prepared", "will be notified", "get a notification"):
        assert words not in done, words


def test_asking_again_while_it_is_prepared_opens_the_same_report(world, client_as, english):
    client = client_as(world.hq)
    url = reverse("reports:report_create")
    first = client.post(url, {"year": YEAR, "unit": world.root.pk})
    again = client.post(url, {"year": YEAR, "unit": world.root.pk}, follow=True)
    report = AnnualReport.objects.get()
    assert first["Location"] == report.get_absolute_url() == again.redirect_chain[-1][0]
    assert "already being prepared" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": 1800}, "year"),
        ({"year": lambda: timezone.localdate().year + 1}, "year"),  # next year, when the test runs
        ({"year": "二〇二五"}, "year"),
        ({"year": ""}, "year"),
        ({"unit": ""}, "unit"),
        ({"unit": 999999}, "unit"),
    ],
)
def test_bad_input_is_answered_next_to_the_field(world, client_as, data, field):
    data = {key: value() if callable(value) else value for key, value in data.items()}
    response = client_as(world.hq).post(reverse("reports:report_create"), {"year": YEAR, "unit": world.root.pk, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AnnualReport.objects.exists()


def test_a_unit_cadre_may_only_pick_units_of_its_subtree(world, client_as):
    client = client_as(world.unit_cadre)
    form = client.get(reverse("reports:report_create")).context["form"]
    assert set(form.fields["unit"].queryset) == {world.branch_a, world.plant_a1}
    assert form.initial["unit"] == world.branch_a.pk and form.initial["year"] == timezone.localdate().year - 1
    response = client.post(reverse("reports:report_create"), {"year": YEAR, "unit": world.branch_b.pk})
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    assert not AnnualReport.objects.exists()


def test_the_progress_panel_polls_while_the_report_is_prepared(world, client_as):
    report = AnnualReport.objects.create(
        year=YEAR, unit=world.root, requested_by=world.hq, status=ReportStatus.RUNNING, attempts=2, progress=40
    )
    client = client_as(world.hq)
    page = client.get(report.get_absolute_url()).content.decode()
    panel = client.get(reverse("reports:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and "HX-Refresh" not in panel
    html = panel.content.decode()
    for content in (page, html):
        assert 'hx-trigger="every 2s"' in content and 'value="40"' in content
        assert 'data-testid="report-attempts"' in content and 'data-testid="download-xlsx"' not in content
    # Finished: the panel stops polling and the page reloads to show the figures.
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.DONE, progress=100)
    panel = client.get(reverse("reports:report_progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert panel["HX-Refresh"] == "true" and "hx-trigger" not in panel.content.decode()


def test_a_failed_report_shows_its_error(world, client_as):
    report = AnnualReport.objects.create(
        year=YEAR, unit=world.root, status=ReportStatus.FAILED, attempts=1, error="ValueError: <b>no font</b>"
    )
    html = client_as(world.hq).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-error"' in html and "ValueError: &lt;b&gt;no font&lt;/b&gt;" in html
    assert 'data-testid="submit-report"' not in html


def test_the_downloads_carry_the_reports_name(world, client_as):
    report = finished_report(world.branch_a)
    client = client_as(world.unit_cadre)
    xlsx = client.get(reverse("reports:report_xlsx", args=[report.pk]))
    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert b"".join(xlsx.streaming_content) == XLSX and b"".join(pdf.streaming_content) == PDF
    assert "attachment" in xlsx["Content-Disposition"] and ".xlsx" in xlsx["Content-Disposition"]
    assert xlsx["X-Content-Type-Options"] == "nosniff"
    # The name names the unit and the year (甲公司 2025 …, URL-encoded).
    assert "%E7%94%B2%E5%85%AC%E5%8F%B8" in pdf["Content-Disposition"] and "2025" in pdf["Content-Disposition"]
    # A report that is not finished has no file yet.
    running = AnnualReport.objects.create(year=YEAR - 3, unit=world.branch_a, status=ReportStatus.RUNNING)
    assert client.get(reverse("reports:report_pdf", args=[running.pk])).status_code == 404


def test_submitting_locks_the_report_once(world, client_as):
    report = finished_report(world.branch_a)
    client = client_as(world.unit_cadre)
    url = reverse("reports:report_submit", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "请审阅"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == world.unit_cadre
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-submitted"' in html and 'data-testid="submit-report"' not in html
    # Twice: refused by its state.
    assert client.post(url).status_code == 409
    other = finished_report(world.branch_a)
    assert client.post(reverse("reports:report_submit", args=[other.pk])).status_code == 409


def test_the_sidebar_offers_the_reports_to_whoever_may_open_them(world, client_as):
    url = reverse("reports:report_list")
    for role, shown in (
        ("hq", True),
        ("viewer", True),
        ("unit_cadre", True),
        ("studio_lead", False),
        ("expert", False),
    ):
        page = client_as(getattr(world, role)).get(reverse("home"))
        links = [item["url"] for section in page.context["nav"] for item in section["items"]]
        assert (url in links) is shown, role


@pytest.mark.parametrize(
    ("stored", "shown"), [(1234, "1,234"), ("506000.00", "506,000"), ("12.5", "12.50"), (0, "0"), ("n/a", "n/a")]
)
def test_the_figures_read_with_thousands_separators(stored, shown):
    from reports.views import figure_text

    assert figure_text(stored) == shown


def test_the_list_exports_to_excel(world, client_as):
    from io import BytesIO

    from openpyxl import load_workbook

    finished_report(world.branch_a)
    response = client_as(world.hq).get(reverse("reports:report_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert any("甲公司" in str(value) for value in values)
    assert client_as(world.studio_lead).get(reverse("reports:report_list"), {"export": "xlsx"}).status_code == 403

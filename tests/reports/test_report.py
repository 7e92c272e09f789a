"""The annual report's services: asking (idempotent), building (figures equal the indicators and
independent SQL, a unit cadre's report counts its subtree, a constant number of queries), the
safety of a build delivered more than once, failures and retries, submitting, Celery beat."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from reports import services
from reports.choices import ReportStatus
from reports.indicators import INDICATORS, compute
from reports.models import AnnualReport
from reports.tasks import annual_company_report, report_build_task

from ..factories import StudioFactory
from .fixtures import EXPECTED, YEAR, build_year
from .report_support import PDF, XLSX, finished_report, stand_in_documents


@pytest.fixture
def documents(monkeypatch):
    return stand_in_documents(monkeypatch)


@pytest.fixture
def year_data(world):
    return build_year(world)


def ask(actor, unit, capture, year=YEAR):
    """Ask for a report and run what the commit sends (the build task, run in-process)."""
    with capture(execute=True):
        report, created = services.report_request(actor=actor, year=year, unit=unit)
    report.refresh_from_db()
    return report, created


def plain(value):
    """A figure as it compares after the JSON round trip (Decimal → "12.50")."""
    return str(Decimal(str(value)).normalize()) if value is not None else None


def totals(result_totals: dict) -> dict:
    return {code: plain(value) for code, value in result_totals.items()}


def report_files(report_id):
    from django.core.files.storage import default_storage

    try:
        return sorted(default_storage.listdir(f"reports/{report_id}")[1])
    except FileNotFoundError:
        return []


# --------------------------------------------------------------------------------------------
# Figures


@pytest.mark.parametrize("scope", ["root", "branch_a"])
def test_the_reports_figures_equal_the_indicators(
    world, year_data, documents, scope, django_capture_on_commit_callbacks
):
    unit = getattr(world, scope)
    report, created = ask(world.hq, unit, django_capture_on_commit_callbacks)
    assert created and report.status == ReportStatus.DONE and report.progress == 100
    stored = report.data["indicators"]
    assert set(stored) == set(INDICATORS)  # (PostgreSQL's jsonb keeps no key order)
    for code in INDICATORS:
        expected = compute(code, YEAR, unit)
        assert totals(stored[code]["totals"]) == totals(expected.totals), code
        assert len(stored[code]["rows"]) == len(expected.rows), code
    # The documents were drawn from exactly what is stored.
    assert [kind for kind, _snapshot in documents] == ["xlsx", "pdf"]
    assert documents[0][1] == report.data == documents[1][1]
    assert report.data["unit"] == {"id": unit.pk, "name": unit.name, "path": unit.path}
    assert report.data["year"] == YEAR


def test_a_unit_cadres_report_counts_only_its_subtree(world, year_data, documents, django_capture_on_commit_callbacks):
    report, _created = ask(world.unit_cadre, world.branch_a, django_capture_on_commit_callbacks)
    stored = report.data["indicators"]
    for code, expected in EXPECTED["branch_a"].items():
        figure = stored[code]["totals"][stored[code]["measures"][0]["code"]]
        total = sum(expected.values()) if isinstance(expected, dict) else expected
        assert plain(figure) == plain(total), code
    # Branch A's figures are smaller than the whole company's where branch B has data.
    root = compute("studios_by_level", YEAR, world.root).value
    assert stored["studios_by_level"]["totals"]["studios"] < root
    # …and the cadre can neither ask for nor see branch B's.
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=world.unit_cadre, year=YEAR, unit=world.branch_b)
    assert "unit" in refused.value.error_dict
    theirs = finished_report(world.branch_b)
    assert list(AnnualReport.objects.visible_to(world.unit_cadre)) == [report]
    assert theirs in AnnualReport.objects.visible_to(world.hq)


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.parametrize("scope", ["root", "branch_a"])
def test_the_reports_totals_equal_independent_sql(
    world, year_data, documents, scope, django_capture_on_commit_callbacks
):
    unit = getattr(world, scope)
    report, _created = ask(world.hq, unit, django_capture_on_commit_callbacks)
    stored = report.data["indicators"]
    start, end, like = f"{YEAR}-01-01", f"{YEAR}-12-31", unit.path + "%"
    [(named,)] = fetch(
        """SELECT COUNT(*) FROM studios_studio s JOIN accounts_unit u ON u.id = s.unit_id
           WHERE u.path LIKE %s AND s.named_on BETWEEN %s AND %s""",
        [like, start, end],
    )
    assert named > 0 and stored["studios_named"]["totals"]["studios"] == named
    [(results,)] = fetch(
        """SELECT COUNT(*) FROM achievements_result r JOIN studios_studio s ON s.id = r.studio_id
           JOIN accounts_unit u ON u.id = s.unit_id
           WHERE u.path LIKE %s AND r.status = 'verified' AND r.achieved_on BETWEEN %s AND %s""",
        [like, start, end],
    )
    assert results > 0 and stored["results_by_category"]["totals"]["results"] == results
    [(hours,)] = fetch(
        """SELECT SUM(se.hours) FROM training_attendance a JOIN training_session se ON se.id = a.session_id
           JOIN training_trainingclass c ON c.id = se.training_class_id JOIN accounts_unit u ON u.id = c.organiser_id
           WHERE u.path LIKE %s AND c.status IN ('running', 'finished') AND c.starts_on BETWEEN %s AND %s""",
        [like, start, end],
    )
    assert Decimal(str(stored["training_hours"]["totals"]["hours"])) == Decimal(str(hours))
    [(money_in,)] = fetch(
        """SELECT SUM(amount) FROM (
             SELECT f.amount FROM studios_fundingentry f JOIN studios_studio s ON s.id = f.studio_id
             JOIN accounts_unit u ON u.id = s.unit_id
             WHERE u.path LIKE %s AND f.direction = 'in' AND f.entry_date BETWEEN %s AND %s
             UNION ALL
             SELECT f.amount FROM alliances_alliancefundingentry f JOIN alliances_alliance a ON a.id = f.alliance_id
             JOIN accounts_unit u ON u.id = a.lead_unit_id
             WHERE u.path LIKE %s AND f.direction = 'in' AND f.entry_date BETWEEN %s AND %s) lines""",
        [like, start, end] * 2,
    )
    assert Decimal(str(stored["funding_in"]["totals"]["amount"])) == Decimal(str(money_in))


def test_the_reports_totals_equal_the_dashboards(world, year_data, documents, django_capture_on_commit_callbacks):
    """The dashboard's key figures for a year and a unit (reports.dashboard, built on the same
    indicators) are the report's totals."""
    from reports.dashboard import dashboard_data

    for unit in (world.root, world.branch_a):
        report, _created = ask(world.hq, unit, django_capture_on_commit_callbacks)
        stored = report.data["indicators"]
        kpis = dashboard_data(YEAR, unit)["kpis"]
        assert kpis
        for kpi in kpis:
            item = stored[kpi["indicator"]]
            assert plain(item["totals"][item["measures"][0]["code"]]) == plain(kpi["value"]), kpi["code"]


def test_building_takes_one_query_per_indicator_whatever_the_data(world, documents):
    """Asked at two sizes of data, the build makes the same number of queries: one per indicator
    and a constant (claim, a few progress saves, the final write, audit, notification)."""

    def queries_of_a_build():
        from django.contrib.contenttypes.models import ContentType

        report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
        ContentType.objects.clear_cache()  # the same start each time (audit rows look the type up once)
        with CaptureQueriesContext(connection) as captured:
            assert services.report_build(report_id=report.pk) == services.BUILT
        report.refresh_from_db()
        assert report.status == ReportStatus.DONE
        return len(captured.captured_queries)

    build_year(world)
    small = queries_of_a_build()
    build_year(world, copies=3)
    big = queries_of_a_build()
    assert compute("results_by_category", YEAR, world.root).value > 0
    assert small == big
    # One per indicator, and a constant: the claim (lock and update), 7 progress saves, the final
    # write (lock, update, content type, audit row, the requester, the notification), the two
    # transactions' savepoints (the test runs inside a transaction), and on PostgreSQL the build
    # lock taken and released.
    lock = 2 if connection.vendor == "postgresql" else 0
    assert small == len(INDICATORS) + 2 + 7 + 6 + 4 + lock


# --------------------------------------------------------------------------------------------
# Asking


def builds(callbacks) -> list:
    """The build tasks among what a commit would run."""
    return [c for c in callbacks if getattr(c, "func", None) is services.enqueue_build]


def test_asking_again_while_one_is_under_way_starts_nothing_new(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        first, created = services.report_request(actor=world.hq, year=YEAR, unit=world.root)
    assert created and len(builds(sent)) == 1
    with django_capture_on_commit_callbacks() as sent_again:
        again, created_again = services.report_request(actor=world.hq, year=YEAR, unit=world.root)
    assert again == first and not created_again and builds(sent_again) == []
    # Also while it runs.
    AnnualReport.objects.filter(pk=first.pk).update(status=ReportStatus.RUNNING, attempts=1)
    other, created_other = services.report_request(actor=world.hq, year=YEAR, unit=world.root)
    assert other == first and not created_other
    # Another year, or another unit, is another report.
    assert services.report_request(actor=world.hq, year=YEAR - 1, unit=world.root)[1]
    assert services.report_request(actor=world.hq, year=YEAR, unit=world.branch_a)[1]
    assert AnnualReport.objects.count() == 3
    assert AuditEvent.objects.filter(action="report_request").count() == 3


def test_once_finished_asking_again_makes_a_new_report(world, documents, django_capture_on_commit_callbacks):
    first, _created = ask(world.hq, world.root, django_capture_on_commit_callbacks)
    second, created = ask(world.hq, world.root, django_capture_on_commit_callbacks)
    assert created and second != first and second.status == ReportStatus.DONE


def test_the_database_allows_one_report_under_way_per_year_and_unit(world):
    from django.db import IntegrityError, transaction

    AnnualReport.objects.create(year=YEAR, unit=world.root)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=YEAR, unit=world.root, status=ReportStatus.RUNNING)
    finished_report(world.root, status="submitted", submitted_by=world.hq, submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        finished_report(world.root, status="submitted", submitted_by=world.hq, submitted_at=timezone.now())


def next_year():
    """Next year, worked out when the test runs (a full run may cross midnight on 31 December)."""
    return timezone.localdate().year + 1


@pytest.mark.parametrize("year", [1800, pytest.param(next_year, id="next year")])
def test_a_year_out_of_range_is_refused(world, year):
    year = year() if callable(year) else year
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=world.hq, year=year, unit=world.root)
    assert "year" in refused.value.error_dict
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "studio_lead", "expert"])
def test_who_may_not_ask_is_refused(world, role):
    with pytest.raises(PermissionDenied):
        services.report_request(actor=getattr(world, role), year=YEAR, unit=world.root)


def test_a_broker_that_cannot_be_reached_fails_the_report_with_the_reason(world, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerDown

    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_build_task, "apply_async", refuse)
    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
    services.enqueue_build(report.pk, "task-1")
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "Connection refused" in report.error
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1


# --------------------------------------------------------------------------------------------
# Delivered more than once


def test_a_redelivered_task_for_a_finished_report_does_nothing(world, documents):
    report = finished_report(world.root)
    before = (report.xlsx.read(), report.data, report.attempts)
    report.xlsx.close()
    AnnualReport.objects.filter(pk=report.pk).update(submitted_by=world.hq, submitted_at=timezone.now())
    for status in ("done", "submitted", "failed"):
        AnnualReport.objects.filter(pk=report.pk).update(status=status)
        assert services.report_build(report_id=report.pk) == services.NOTHING_TO_DO
    report.refresh_from_db()
    assert (report.xlsx.read(), report.data, report.attempts) == before
    assert documents == []
    assert services.report_build(report_id=report.pk + 1000) == services.NOTHING_TO_DO


def test_a_report_left_running_by_a_dead_worker_is_taken_up_again(world, documents):
    """The worker died mid-report: the report is still running with attempt 1 and maybe half of its
    files. The redelivered task builds it as attempt 2, replacing the files, once."""
    from django.core.files.storage import default_storage

    report = AnnualReport.objects.create(
        year=YEAR, unit=world.root, requested_by=world.hq, status=ReportStatus.RUNNING, attempts=1, progress=40
    )
    default_storage.save(f"reports/{report.pk}/annual-report-{YEAR}.xlsx", __import__("io").BytesIO(b"half"))
    assert services.report_build(report_id=report.pk) == services.BUILT
    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == (ReportStatus.DONE, 2, 100)
    assert report_files(report.pk) == [f"annual-report-{YEAR}.pdf", f"annual-report-{YEAR}.xlsx"]
    assert report.xlsx.read() == XLSX
    report.xlsx.close()
    assert AuditEvent.objects.filter(action="report_resume", object_id=str(report.pk)).count() == 1
    assert AuditEvent.objects.filter(action="report_done", object_id=str(report.pk)).count() == 1
    assert Notification.objects.filter(recipient=world.hq).count() == 1
    # Delivered yet again: nothing more.
    assert services.report_build(report_id=report.pk) == services.NOTHING_TO_DO
    assert Notification.objects.filter(recipient=world.hq).count() == 1


def test_an_attempt_that_lost_its_claim_writes_nothing(world, monkeypatch):
    """While attempt 1 draws its documents, another delivery takes the report over (attempt 2):
    attempt 1 stops at its next step and writes neither files nor figures."""
    import reports.documents

    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)

    def workbook_while_taken_over(snapshot):
        AnnualReport.objects.filter(pk=report.pk).update(attempts=2)
        return XLSX

    monkeypatch.setattr(reports.documents, "report_workbook", workbook_while_taken_over)
    monkeypatch.setattr(reports.documents, "report_pdf", lambda snapshot: PDF)
    assert services.report_build(report_id=report.pk) == services.SUPERSEDED
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.attempts == 2
    assert report.data == {} and not report.xlsx and report_files(report.pk) == []
    assert not AuditEvent.objects.filter(action__in=["report_done", "report_failed"]).exists()


def test_the_final_write_is_one_transaction_and_leaves_no_file_when_it_fails(world, documents, monkeypatch):
    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
    real_audit_log = services.audit_log

    def audit_log_failing_when_done(**kwargs):
        if kwargs["action"] == "report_done":
            raise RuntimeError("audit table is gone")
        return real_audit_log(**kwargs)

    monkeypatch.setattr(services, "audit_log", audit_log_failing_when_done)
    with pytest.raises(RuntimeError):
        services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.data == {} and not report.xlsx and not report.pdf
    assert report_files(report.pk) == []
    assert report.error == "RuntimeError: audit table is gone"
    assert not AuditEvent.objects.filter(action="report_done").exists()
    assert AuditEvent.objects.filter(action="report_failed").count() == 1


# --------------------------------------------------------------------------------------------
# Failures and retries (the task, run in-process)


def test_a_failure_shows_its_error_and_tells_the_requester(world, monkeypatch):
    import reports.documents

    def broken_pdf(snapshot):
        raise ValueError("font not found: Noto Sans CJK SC")

    monkeypatch.setattr(reports.documents, "report_workbook", lambda snapshot: XLSX)
    monkeypatch.setattr(reports.documents, "report_pdf", broken_pdf)
    report = AnnualReport.objects.create(year=YEAR, unit=world.branch_a, requested_by=world.unit_cadre)
    with pytest.raises(ValueError):
        report_build_task.apply(args=[report.pk], throw=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.attempts == 1
    assert report.error == "ValueError: font not found: Noto Sans CJK SC"
    assert report.finished_at is not None and report_files(report.pk) == []
    notice = Notification.objects.get(recipient=world.unit_cadre)
    assert notice.url == report.get_absolute_url() and "Noto Sans" in notice.body
    assert AuditEvent.objects.filter(action="report_failed", object_id=str(report.pk)).count() == 1


def test_a_transient_error_is_retried_and_the_report_completes(world, monkeypatch):
    import reports.documents

    failures = []

    def flaky_pdf(snapshot):
        if not failures:
            failures.append(1)
            raise OSError(28, "No space left on device")
        return PDF

    monkeypatch.setattr(reports.documents, "report_workbook", lambda snapshot: XLSX)
    monkeypatch.setattr(reports.documents, "report_pdf", flaky_pdf)
    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
    # (Run in-process, a retry runs at once; with a worker it waits for its backoff.)
    report_build_task.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 2
    assert report.error == "" and report_files(report.pk) == [f"annual-report-{YEAR}.pdf", f"annual-report-{YEAR}.xlsx"]


def test_a_transient_error_that_persists_fails_the_report_after_the_last_retry(world, monkeypatch):
    import reports.documents

    def full_disk(snapshot):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reports.documents, "report_workbook", full_disk)
    monkeypatch.setattr(report_build_task, "max_retries", 2)
    # In-process, each retry runs at once; let the last error end the chain instead of raising.
    monkeypatch.setitem(report_build_task.app.conf, "task_eager_propagates", False)
    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
    report_build_task.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.attempts == 3
    assert "No space left on device" in report.error
    assert AuditEvent.objects.filter(action="report_failed").count() == 1


def test_a_build_over_the_time_limit_fails_with_a_clear_message(world, monkeypatch, english):
    from celery.exceptions import SoftTimeLimitExceeded

    import reports.documents

    def too_slow(snapshot):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(reports.documents, "report_workbook", too_slow)
    report = AnnualReport.objects.create(year=YEAR, unit=world.root, requested_by=world.hq)
    report_build_task.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("The report took longer than the time limit")


def test_the_task_is_set_up_for_reliability():
    from django.conf import settings

    assert report_build_task.acks_late and report_build_task.reject_on_worker_lost
    assert report_build_task.soft_time_limit < report_build_task.time_limit
    assert report_build_task.autoretry_for == services.TRANSIENT_ERRORS and report_build_task.retry_backoff
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > report_build_task.time_limit


def test_the_settings_check_warns_of_a_visibility_timeout_below_the_longest_report(settings):
    from reports.checks import visibility_timeout_above_longest_report

    assert visibility_timeout_above_longest_report() == []
    settings.BROKER_VISIBILITY_TIMEOUT = settings.REPORTS_TIME_LIMIT
    [warning] = visibility_timeout_above_longest_report()
    assert warning.id == "reports.W001"


# --------------------------------------------------------------------------------------------
# Submitting


def test_a_submitted_report_keeps_its_figures_when_the_data_changes(
    world, year_data, documents, django_capture_on_commit_callbacks
):
    report, _created = ask(world.unit_cadre, world.branch_a, django_capture_on_commit_callbacks)
    named = report.data["indicators"]["studios_named"]["totals"]["studios"]
    submitted = services.report_submit(actor=world.unit_cadre, report=report, comment="按时上报")
    assert submitted.status == ReportStatus.SUBMITTED and submitted.submitted_by == world.unit_cadre
    # HQ hears of it.
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1
    # A studio named in the year afterwards: today's figures change, the submitted report's do not.
    StudioFactory(unit=world.plant_a1, status="named", named_on=f"{YEAR}-07-01")
    assert compute("studios_named", YEAR, world.branch_a).value == named + 1
    report.refresh_from_db()
    assert report.data["indicators"]["studios_named"]["totals"]["studios"] == named
    assert services.report_build(report_id=report.pk) == services.NOTHING_TO_DO
    # A new report shows the new figure, but it cannot be submitted too.
    newer, _created = ask(world.unit_cadre, world.branch_a, django_capture_on_commit_callbacks)
    assert newer.data["indicators"]["studios_named"]["totals"]["studios"] == named + 1
    with pytest.raises(TransitionNotAllowed):
        services.report_submit(actor=world.hq, report=newer)
    with pytest.raises(TransitionNotAllowed):
        services.report_submit(actor=world.hq, report=report)
    event = AuditEvent.objects.get(action="report_submit")
    assert event.comment == "按时上报" and event.actor == world.unit_cadre


def test_only_a_finished_report_is_submitted_by_whoever_may_ask_for_it(world):
    running = AnnualReport.objects.create(year=YEAR, unit=world.branch_a, status=ReportStatus.RUNNING)
    with pytest.raises(TransitionNotAllowed):
        services.report_submit(actor=world.hq, report=running)
    done = finished_report(world.branch_a, year=YEAR - 1)
    for outsider in (world.unit_cadre_other, world.viewer, world.studio_lead):
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=outsider, report=done)
    assert services.report_submit(actor=world.hq, report=done).status == ReportStatus.SUBMITTED
    # HQ submitting its own: nobody else to tell.
    assert not Notification.objects.exists()


# --------------------------------------------------------------------------------------------
# Celery beat


def test_beat_makes_the_company_report_of_the_past_year_once(world, documents, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = annual_company_report()
    report = AnnualReport.objects.get(pk=first)
    assert report.year == timezone.localdate().year - 1 and report.unit == world.root
    assert report.requested_by is None and report.status == ReportStatus.DONE
    # The system's report is announced to HQ.
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1
    # Later runs in January find it.
    assert annual_company_report() == first
    assert AnnualReport.objects.count() == 1
    # After a failure, the next run tries again.
    AnnualReport.objects.filter(pk=first).update(status=ReportStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        second = annual_company_report()
    assert second != first and AnnualReport.objects.get(pk=second).status == ReportStatus.DONE


def test_beat_schedule_runs_in_january():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["annual-company-report"]
    assert entry["task"] == annual_company_report.name
    assert entry["schedule"].month_of_year == {1}

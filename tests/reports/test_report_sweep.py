"""The sweeper (reports.services.report_sweep, Celery beat every five minutes): a report under way
whose build task was lost — dropped as a duplicate while its builder lived, then the builder died;
or held by a Redis restarted without persistence — is sent to the workers again, once per
REPORTS_SWEEP_AFTER, audited as the system; a report being built, or one that moved recently, is
left alone; a late original message and the sweeper's both delivered still build it once.

Tasks run in-process here; tests/reports/test_report_faults.py runs the sweeper in a real worker
while workers are killed and Redis restarted.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import AuditEvent, Notification
from reports import services
from reports.choices import ReportStatus
from reports.models import AnnualReport
from reports.tasks import report_sweep as report_sweep_task

from .fixtures import YEAR
from .report_support import finished_report, stand_in_documents


@pytest.fixture
def documents(monkeypatch):
    return stand_in_documents(monkeypatch)


def report_under_way(world, *, unit=None, status=ReportStatus.QUEUED, idle=None, **fields) -> AnnualReport:
    """A report whose task was sent `idle` seconds ago (REPORTS_SWEEP_AFTER + 1 unless told) and
    then lost."""
    report = AnnualReport.objects.create(
        year=YEAR,
        unit=unit or world.root,
        requested_by=world.hq,
        status=status,
        task_id="lost-task",
        **fields,
    )
    idle = settings.REPORTS_SWEEP_AFTER + 1 if idle is None else idle
    AnnualReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() - timedelta(seconds=idle))
    return report


def sends(callbacks) -> list:
    return [c.args[0] for c in callbacks if getattr(c, "func", None) is services.enqueue_build]


def test_a_queued_report_whose_task_was_lost_is_sent_again_and_built_once(
    world, documents, django_capture_on_commit_callbacks
):
    report = report_under_way(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.report_sweep() == [report.pk]
    assert sends(callbacks) == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == (ReportStatus.DONE, 1, 100)
    assert report.task_id not in ("", "lost-task")
    # Audited as the system, naming the new task.
    requeued = AuditEvent.objects.get(action="report_requeue", object_id=str(report.pk))
    assert requeued.actor is None and requeued.changes == {"task_id": ["lost-task", report.task_id]}
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1
    # Built: later sweeps leave it alone.
    AnnualReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_sweep() == []
    assert sends(callbacks) == []


def test_a_report_left_running_by_a_dead_worker_is_taken_up_as_the_next_attempt(
    world, documents, django_capture_on_commit_callbacks
):
    report = report_under_way(world, status=ReportStatus.RUNNING, attempts=1, progress=40)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_sweep() == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert AuditEvent.objects.get(action="report_resume", object_id=str(report.pk)).changes == {"attempts": [1, 2]}
    assert AuditEvent.objects.filter(action="report_done", object_id=str(report.pk)).count() == 1


def test_a_report_that_moved_recently_or_is_finished_is_left_alone(world, django_capture_on_commit_callbacks):
    # Just asked for (its task may be waiting behind others), or saving its progress.
    report_under_way(world, idle=settings.REPORTS_SWEEP_AFTER - 60)
    report_under_way(world, unit=world.branch_a, status=ReportStatus.RUNNING, attempts=1, idle=5)
    for status in ("done", "failed"):
        finished = finished_report(world.branch_b, status=status)
        AnnualReport.objects.filter(pk=finished.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = list(AnnualReport.objects.order_by("pk").values_list("status", "attempts", "task_id", "updated_at"))
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_sweep() == []
    assert sends(callbacks) == []
    assert list(AnnualReport.objects.order_by("pk").values_list("status", "attempts", "task_id", "updated_at")) == (
        before
    )
    assert not AuditEvent.objects.filter(action="report_requeue").exists()


def test_a_report_being_built_is_left_alone(world, monkeypatch, django_capture_on_commit_callbacks):
    """Its build lock is held: a live worker builds it (slowly, say on a large PDF)."""
    building = report_under_way(world, status=ReportStatus.RUNNING, attempts=1)
    lost = report_under_way(world, unit=world.branch_a)
    monkeypatch.setattr(services, "reports_being_built", lambda: {building.pk})
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_sweep() == [lost.pk]
    assert sends(callbacks) == [lost.pk]
    building.refresh_from_db()
    assert building.task_id == "lost-task" and building.attempts == 1


def test_sent_again_while_the_original_message_comes_late_it_is_built_once(
    world, documents, django_capture_on_commit_callbacks
):
    """The sweeper's message and the original one (only late: a long queue) are both delivered:
    the first builds the report, the second finds it built."""
    report = report_under_way(world)
    with django_capture_on_commit_callbacks() as callbacks:
        services.report_sweep()
    assert services.report_build(report_id=report.pk) == services.BUILT  # the late original
    for callback in callbacks:
        callback()  # the sweeper's
    assert services.report_build(report_id=report.pk) == services.NOTHING_TO_DO
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 1)
    assert len(documents) == 2  # one workbook, one PDF
    assert AuditEvent.objects.filter(action="report_done").count() == 1
    assert Notification.objects.filter(recipient=world.hq).count() == 1


def test_each_send_resets_the_clock(world, django_capture_on_commit_callbacks):
    """A report whose sends keep getting lost is sent again once per REPORTS_SWEEP_AFTER, not on
    every run of the sweeper."""
    report = report_under_way(world)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_sweep() == [report.pk]
        assert services.report_sweep() == []
    assert sends(callbacks) == [report.pk]
    AnnualReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.REPORTS_SWEEP_AFTER + 1)
    )
    assert services.report_sweep(older_than=settings.REPORTS_SWEEP_AFTER) == [report.pk]
    assert AuditEvent.objects.filter(action="report_requeue", object_id=str(report.pk)).count() == 2


def test_a_report_that_never_finishes_is_failed_instead_of_sent_round_forever(
    world, english, django_capture_on_commit_callbacks
):
    report = report_under_way(world, status=ReportStatus.RUNNING, attempts=services.SWEEP_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.report_sweep() == []
    assert sends(callbacks) == []
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert f"started {services.SWEEP_MAX_ATTEMPTS} times and never finished" in report.error
    assert AuditEvent.objects.filter(action="report_failed", object_id=str(report.pk)).count() == 1
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1


def test_the_beat_task_runs_the_sweeper(world, documents, django_capture_on_commit_callbacks):
    report = report_under_way(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_sweep_task.delay().get() == [report.pk]
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DONE
    entry = settings.CELERY_BEAT_SCHEDULE["annual-report-sweep"]
    assert entry["task"] == report_sweep_task.name == "reports.tasks.report_sweep"
    assert entry["schedule"] == 5 * 60
    # Above the longest retry countdown: a report waiting for its retry is left to it.
    assert settings.REPORTS_SWEEP_AFTER > 10 * 60


def test_the_build_lock_of_another_connection_is_seen_without_taking_it(transactional_db):
    """On PostgreSQL, reports_being_built reads pg_locks: a lock held by another session (another
    worker) is seen, and gone once that session ends, as when a worker is killed."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL")
    from django.db import connections

    taken, release, done = threading.Event(), threading.Event(), threading.Event()

    def worker():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", services._lock_key(424242))
            taken.set()
            release.wait(timeout=30)
        finally:
            connections["default"].close()  # the session ends: PostgreSQL drops its locks
            done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert taken.wait(timeout=30)
        assert 424242 in services.reports_being_built()
        # Seeing it did not take it: the other session still holds it alone.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", services._lock_key(424242))
            assert cursor.fetchone()[0] is False
    finally:
        release.set()
        thread.join(timeout=30)
    assert done.is_set()
    # The server ends the closed session a moment after the client hangs up: poll for it.
    deadline = time.monotonic() + 30
    while 424242 in services.reports_being_built() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert 424242 not in services.reports_being_built()

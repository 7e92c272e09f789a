"""The annual report with a real Celery worker process, fed through Redis, against PostgreSQL:

* a report asked for is built by the worker (the real workbook and PDF);
* asked five times at once, one report is made and built once;
* the worker killed (SIGKILL) mid-report: after a restart the broker delivers the task again
  (acks_late; a short CELERY_VISIBILITY_TIMEOUT so that it comes within the test) and the report
  completes exactly once — one row, two files, attempt 2 recorded, one notification.

Skipped without REDIS_URL or PostgreSQL on a developer machine; with REQUIRE_SERVICES=1 (CI) a
missing service fails instead.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from core.models import AuditEvent, Notification
from reports import services
from reports.choices import ReportStatus
from reports.models import AnnualReport

from ..conftest import skip_or_fail
from .fixtures import YEAR, build_year

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
# The kill test's broker visibility timeout (seconds): how long after a delivery Redis gives an
# unacknowledged task to another worker.
SHORT_VISIBILITY = 8


def _database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


@pytest.fixture
def services_ready():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        skip_or_fail("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        skip_or_fail("the database is not PostgreSQL (set DATABASE_URL)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at {redis_url} does not answer: {error}")
    return redis_url


class Workers:
    """Start (and kill) worker processes on one private queue; send the report's task there."""

    def __init__(self, redis_url, artifacts):
        self.redis_url = redis_url
        self.queue = f"test-report-{uuid.uuid4().hex[:10]}"
        self.producer = Celery("portal-test", broker=redis_url)
        self.artifacts = artifacts
        self.processes = []
        self.sent = []

    def start(self, **env) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **{key: str(value) for key, value in env.items()},
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", self.queue]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        log = open(self.artifacts / f"celery-{self.queue}-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        process.log = log
        self.processes.append(process)
        return process

    def send(self, report_id, task_id):
        """What reports.services.enqueue_build does, to this test's queue."""
        self.sent.append(report_id)
        self.producer.send_task("reports.tasks.report_build_task", args=[report_id], task_id=task_id, queue=self.queue)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            process.log.close()


@pytest.fixture
def workers(services_ready, transactional_db, monkeypatch, artifacts_dir):
    pool = Workers(services_ready, artifacts_dir)
    monkeypatch.setattr(services, "enqueue_build", pool.send)
    try:
        yield pool
    finally:
        pool.stop()


def wait_for(report_id, condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report = AnnualReport.objects.get(pk=report_id)
        if condition(report):
            return report
        time.sleep(0.25)
    report = AnnualReport.objects.get(pk=report_id)
    pytest.fail(f"{what}: after {seconds} s the report is {report.status} at {report.progress}% ({report.error})")


def report_files(report_id):
    from django.core.files.storage import default_storage

    try:
        return sorted(default_storage.listdir(f"reports/{report_id}")[1])
    except FileNotFoundError:
        return []


def finished(report):
    return report.status in (ReportStatus.DONE, ReportStatus.FAILED)


def test_a_real_worker_builds_the_report(world, workers):
    from openpyxl import load_workbook

    build_year(world)
    workers.start()
    report, created = services.report_request(actor=world.hq, year=YEAR, unit=world.root)
    assert created and workers.sent == [report.pk]
    report = wait_for(report.pk, finished, 180, "the worker did not build the report")
    assert report.status == ReportStatus.DONE, report.error
    assert report.attempts == 1 and report.progress == 100
    assert report_files(report.pk) == [f"annual-report-{YEAR}.pdf", f"annual-report-{YEAR}.xlsx"]
    with report.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with report.xlsx.open("rb") as xlsx:
        assert len(load_workbook(xlsx).sheetnames) > 1
    assert report.data["indicators"]["studios_named"]["totals"]["studios"] > 0
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1


def test_asked_five_times_at_once_it_is_built_once(world, workers):
    workers.start()
    start = threading.Barrier(5)
    answers, errors = [], []

    def ask():
        try:
            start.wait(timeout=10)
            answers.append(services.report_request(actor=world.hq, year=YEAR, unit=world.branch_a))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(answers) == 5
    assert len({report.pk for report, _created in answers}) == 1
    assert [created for _report, created in answers].count(True) == 1
    [report_id] = {report.pk for report, _created in answers}
    assert workers.sent == [report_id]
    report = wait_for(report_id, finished, 180, "the worker did not build the report")
    assert report.status == ReportStatus.DONE and report.attempts == 1
    assert AnnualReport.objects.filter(year=YEAR, unit=world.branch_a).count() == 1
    assert AuditEvent.objects.filter(action="report_request").count() == 1
    assert AuditEvent.objects.filter(action="report_done", object_id=str(report_id)).count() == 1
    assert Notification.objects.filter(recipient=world.hq).count() == 1


def test_a_worker_killed_mid_report_leaves_it_to_be_completed_once_after_a_restart(world, workers):
    build_year(world)
    # The first worker pauses after each indicator (REPORTS_BUILD_PAUSE) so that it can be killed
    # mid-report; the broker gives an unacknowledged task to another worker after SHORT_VISIBILITY s.
    first = workers.start(REPORTS_BUILD_PAUSE=0.5, CELERY_VISIBILITY_TIMEOUT=SHORT_VISIBILITY)
    report, _created = services.report_request(actor=world.hq, year=YEAR, unit=world.root)
    report = wait_for(
        report.pk, lambda r: r.status == ReportStatus.RUNNING and r.progress > 0, 120, "the build did not start"
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.attempts == 1 and 0 < report.progress < 100
    assert report.data == {} and not report.xlsx

    # Restarted once the visibility timeout has passed since the delivery: the new worker puts the
    # abandoned task back in the queue as it starts, takes it, and builds the report as attempt 2.
    delay = (report.started_at.timestamp() + SHORT_VISIBILITY + 1) - time.time()
    if delay > 0:
        time.sleep(delay)
    workers.start(CELERY_VISIBILITY_TIMEOUT=SHORT_VISIBILITY)
    report = wait_for(report.pk, finished, 180, "the restarted worker did not complete the report")
    assert report.status == ReportStatus.DONE, report.error
    assert report.attempts == 2 and report.progress == 100

    # Exactly once: one report, its two files, one "done", one notification; the resumption recorded.
    assert AnnualReport.objects.filter(year=YEAR, unit=world.root).count() == 1
    assert report_files(report.pk) == [f"annual-report-{YEAR}.pdf", f"annual-report-{YEAR}.xlsx"]
    assert AuditEvent.objects.filter(action="report_done", object_id=str(report.pk)).count() == 1
    resumed = AuditEvent.objects.get(action="report_resume", object_id=str(report.pk))
    assert resumed.changes == {"attempts": [1, 2]}
    assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1
    # A further delivery of the same task (another restart, a duplicate) changes nothing.
    workers.send(report.pk, str(uuid.uuid4()))
    time.sleep(3)
    again = AnnualReport.objects.get(pk=report.pk)
    assert (again.status, again.attempts, again.finished_at) == (ReportStatus.DONE, 2, report.finished_at)
    assert Notification.objects.filter(recipient=world.hq).count() == 1

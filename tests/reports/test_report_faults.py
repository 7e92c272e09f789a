"""Annual reports under faults, with real processes: a Celery worker fed by a private Redis, against
PostgreSQL. Several reports (different years and units) are asked for; the worker is killed with
SIGKILL ten times, each time at a random moment of a build (a seeded random fraction of a build's
length, counted from the attempt's claim: in the indicators, the workbook, the PDF or the final
write), and started again at once; once, in the middle, the private Redis is killed and started
again, empty (no RDB, no AOF: every queued and unacknowledged message is lost, on purpose). The
sweeper (reports.tasks.report_sweep) is sent through the broker every two seconds, as Celery beat
would every five minutes, with a threshold of a few seconds.

Then: every report is done exactly once — one row per year and unit, its totals equal
compute_all for its year and unit, one "ready" event and notification, the interrupted attempts
recorded as resumptions — and the media folder holds exactly each report's two files (no orphan
from a killed attempt). The figures are printed (pytest -s) and written to
test-artifacts/report-faults.json.

The worker runs with config.settings.local (DEBUG off): the test settings run tasks in-process,
so the sweeper would build there instead of sending the build through the broker. The machine's
shared Redis is never touched. FAULTS_SEED picks another sequence of kill moments.
"""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from core.models import AuditEvent, Notification
from reports import services
from reports.choices import ReportStatus
from reports.indicators import INDICATORS, compute_all
from reports.models import AnnualReport

from ..conftest import skip_or_fail
from .fixtures import YEAR, build_year

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("FAULTS_SEED", "2026"))
KILLS = 10
# Each build pauses this long after each indicator (REPORTS_BUILD_PAUSE), so that it lasts a few
# seconds and can be killed at a chosen moment.
BUILD_PAUSE = 0.08
# Redis hands an unacknowledged message to a worker again this long after its delivery.
VISIBILITY = 15
# The sweeper sends again a report that has not moved for this long; the test sends it this often.
SWEEP_AFTER = 4
SWEEP_EVERY = 2.0
# The reports asked for first, then those asked for later (the one whose message the Redis restart
# loses, and more if every report got built before the ten kills).
SCOPES = [(YEAR, "root"), (YEAR, "branch_a"), (YEAR - 1, "root"), (YEAR, "branch_b")]
SPARE_SCOPES = [(YEAR, "plant_a1"), (YEAR - 1, "branch_a"), (YEAR, "plant_b1"), (YEAR - 1, "branch_b")]
QUEUE = "celery"  # the default queue: the sweeper, running in the worker, sends the builds there


def _database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, on a free port, without persistence."""

    def __init__(self, directory: Path, artifacts: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.log = open(artifacts / "report-faults-redis.log", "w")  # noqa: SIM115
        self.process = None

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=2, socket_timeout=5)

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        command += ["--save", "", "--appendonly", "no", "--protected-mode", "no"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:
                time.sleep(0.05)
        pytest.fail("the private redis-server did not start")

    def restart(self) -> dict:
        """Kill it (SIGKILL) and start it again: it comes back empty. Returns what it held."""
        client = self.client()
        held = {"queued": client.llen(QUEUE), "unacknowledged": client.hlen("unacked")}
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.start()
        assert self.client().llen(QUEUE) == 0 and self.client().hlen("unacked") == 0
        return held

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


class Worker:
    """The one worker process (solo pool, the default queue), started again after each kill."""

    def __init__(self, redis: PrivateRedis, artifacts: Path):
        self.redis = redis
        self.artifacts = artifacts
        self.process = None
        self.started_at = 0.0
        self.starts = 0
        self.exits = []  # exit codes of workers that ended without being killed

    def start(self):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "False",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "REPORTS_BUILD_PAUSE": str(BUILD_PAUSE),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "REPORTS_SWEEP_AFTER": str(SWEEP_AFTER),
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", QUEUE]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        self.starts += 1
        log = open(self.artifacts / f"report-faults-worker-{self.starts}.log", "w")  # noqa: SIM115
        self.started_at = time.time()
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        self.process.log = log

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.log.close()

    def keep_alive(self):
        """A worker that ended by itself (not killed by the test) is recorded and started again."""
        if self.process.poll() is not None:
            self.exits.append(self.process.returncode)
            self.process.log.close()
            self.start()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self.process.log.close()


class Faults:
    def __init__(self, redis: PrivateRedis, worker: Worker):
        self.redis = redis
        self.worker = worker
        self.producer = Celery("portal-faults", broker=redis.url)
        self.producer.conf.broker_transport_options = {"visibility_timeout": VISIBILITY}
        self.sweeps_sent = 0
        self.sends_refused = 0
        self.last_sweep = 0.0

    def send(self, name, **options) -> bool:
        try:
            self.producer.send_task(name, queue=QUEUE, retry=False, **options)
            return True
        except Exception:
            # The broker is down or was just restarted: open a new connection next time.
            self.sends_refused += 1
            self.producer.pool.force_close_all()
            return False

    def enqueue_build(self, report_id, task_id):
        """What reports.services.enqueue_build does, to the private Redis."""
        assert self.send("reports.tasks.report_build_task", args=[report_id], task_id=task_id)

    def restore_unacknowledged(self):
        """What a worker does every 100 s or so (kombu's unacked_restore_interval × throttle): put
        the messages delivered more than VISIBILITY s ago and never acknowledged (those of the
        killed workers) back in the queue. Done here every call, to see them delivered within
        the test."""
        try:
            with self.producer.connection_for_write() as conn:
                conn.default_channel.qos.restore_visible(num=1000, interval=1)
        except Exception:
            self.producer.pool.force_close_all()

    def pump(self):
        """What runs while the test waits: Celery beat's sweeper, and a worker that died restarted."""
        self.worker.keep_alive()
        if time.monotonic() - self.last_sweep >= SWEEP_EVERY:
            self.last_sweep = time.monotonic()
            self.sweeps_sent += self.send("reports.tasks.report_sweep")

    def wait(self, condition, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump()
            value = condition()
            if value:
                return value
            time.sleep(0.05)
        states = list(AnnualReport.objects.order_by("pk").values_list("pk", "status", "attempts", "progress"))
        pytest.fail(f"{what} within {seconds} s; reports: {states}")


@pytest.fixture
def faults(transactional_db, monkeypatch, artifacts_dir, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("the database is not PostgreSQL (set DATABASE_URL)")
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    redis = PrivateRedis(tmp_path, artifacts_dir)
    worker = Worker(redis, artifacts_dir)
    harness = Faults(redis, worker)
    monkeypatch.setattr(services, "enqueue_build", harness.enqueue_build)
    try:
        redis.start()
        yield harness
    finally:
        worker.stop()
        redis.stop()


def plain(value):
    """A figure as it compares after the JSON round trip (Decimal → "12.50")."""
    return str(Decimal(str(value)).normalize()) if value is not None else None


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_reports_complete_exactly_once_through_worker_kills_and_a_redis_restart(world, faults):
    rng = random.Random(SEED)
    build_year(world)
    begun = time.monotonic()
    worker = faults.worker
    worker.start()
    units = {name: getattr(world, name) for name in ("root", "branch_a", "branch_b", "plant_a1", "plant_b1")}
    spare = list(SPARE_SCOPES)
    asked = {}  # (year, unit name) → report id

    def ask(year, name):
        report, created = services.report_request(actor=world.hq, year=year, unit=units[name])
        assert created
        asked[year, name] = report.pk

    for year, name in SCOPES:
        ask(year, name)

    def claimed_by_this_worker():
        """The report this worker has claimed and is building now (its build lock held)."""
        for report in AnnualReport.objects.filter(pk__in=services.reports_being_built(), status=ReportStatus.RUNNING):
            if report.started_at.timestamp() >= worker.started_at:
                return report
        return None

    def build_lengths():
        finished = AnnualReport.objects.filter(pk__in=asked.values(), status=ReportStatus.DONE)
        return [(r.finished_at - r.started_at).total_seconds() for r in finished]

    def under_way():
        return AnnualReport.objects.filter(pk__in=asked.values(), status__in=services.ACTIVE_STATES).exists()

    kills, missed, redis_restart = [], [], None

    def interrupted():
        return sum(kill["interrupted"] for kill in kills)

    while interrupted() < KILLS:
        if not under_way():
            # Every report got built before the ten kills: one more to kill a worker in.
            ask(*spare.pop(0))
        report = faults.wait(claimed_by_this_worker, 120, "no build started")
        # A random moment of the build: a fraction of a build's length (the longest seen so far).
        length = max([BUILD_PAUSE * len(INDICATORS) + 1.0, *build_lengths()])
        moment = rng.uniform(0.02, 0.95) * length

        def reached(report=report, moment=moment):
            report.refresh_from_db()
            if report.status != ReportStatus.RUNNING or report.started_at.timestamp() < worker.started_at:
                return "ended"
            return "now" if time.time() - report.started_at.timestamp() >= moment else None

        if faults.wait(reached, 120, "the build neither reached its moment nor ended") == "ended":
            missed.append(round(moment, 2))  # built before the moment came: draw again on the next build
            continue
        worker.kill()
        # The attempt the killed worker leaves unfinished (none if its build ended in the last few
        # milliseconds: such a kill is recorded, not counted among the ten).
        left = AnnualReport.objects.filter(status=ReportStatus.RUNNING, started_at__gte=_aware(worker.started_at))
        assert left.count() <= 1
        report.refresh_from_db()
        kills.append(
            {
                "report": report.pk,
                "attempt": report.attempts,
                "progress": report.progress,
                "after_s": round(time.time() - report.started_at.timestamp(), 2),
                "interrupted": left.exists(),
            }
        )
        worker.start()
        if interrupted() == KILLS // 2 and redis_restart is None:
            # In the middle: Redis killed while a build is under way, and started again empty. The
            # report asked for just before loses its only message: the sweeper must send it again.
            faults.wait(claimed_by_this_worker, 120, "no build started before the Redis restart")
            ask(*spare.pop(0))
            lost_report = asked[list(asked)[-1]]
            restarted_at = time.time()
            redis_restart = faults.redis.restart()
            assert redis_restart["queued"] >= 1

    # Everything built in the end, and every message left over (the sweeper's extra sends, the
    # redelivered originals) delivered: the queue empty, nothing unacknowledged.
    def all_built():
        return not under_way()

    faults.wait(all_built, 180, "the reports were not all built")
    client = faults.redis.client()
    faults.last_sweep = float("inf")  # no more sweeps

    def delivered():
        faults.restore_unacknowledged()
        return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0

    faults.wait(delivered, 120, "messages left over")
    seconds = round(time.monotonic() - begun, 1)

    reports = {scope: AnnualReport.objects.select_related("unit").get(pk=pk) for scope, pk in asked.items()}
    # Exactly once: one report per year and unit, done, its attempts recorded.
    for (year, name), report in reports.items():
        assert AnnualReport.objects.filter(year=year, unit=units[name]).count() == 1
        assert (report.status, report.progress, report.error) == (ReportStatus.DONE, 100, ""), (year, name)
        assert report.attempts >= 1
        assert AuditEvent.objects.filter(action="report_done", object_id=str(report.pk)).count() == 1
        assert Notification.objects.filter(recipient=world.hq, url=report.get_absolute_url()).count() == 1
    assert Notification.objects.filter(recipient=world.hq).count() == len(reports)
    # …with the right totals.
    for (year, name), report in reports.items():
        expected = compute_all(year, units[name])
        stored = report.data["indicators"]
        assert set(stored) == set(INDICATORS)
        for code, result in expected.items():
            assert {k: plain(v) for k, v in stored[code]["totals"].items()} == {
                k: plain(v) for k, v in result.totals.items()
            }, (year, name, code)
            assert len(stored[code]["rows"]) == len(result.rows), (year, name, code)
    # Every killed attempt was taken up again as the next one (no attempt ended any other way).
    resumed = AuditEvent.objects.filter(action="report_resume").count()
    assert resumed == interrupted() == KILLS
    assert sum(report.attempts for report in reports.values()) == len(reports) + resumed
    # The report whose message the Redis restart lost was sent again by the sweeper.
    requeued = AuditEvent.objects.filter(action="report_requeue")
    assert requeued.filter(object_id=str(lost_report), created_at__gte=_aware(restarted_at)).exists()
    # No orphan file: exactly each report's workbook and PDF, nothing else in the media folder.
    assert media_files() == {
        f"reports/{report.pk}/annual-report-{report.year}.{extension}"
        for report in reports.values()
        for extension in ("xlsx", "pdf")
    }
    assert worker.exits == [], "a worker ended by itself"

    figures = {
        "seed": SEED,
        "reports": len(reports),
        "kills_mid_build": interrupted(),
        "kills": len(kills),
        "kill_moments": kills,
        "draws_after_the_build_ended": missed,
        "redis_restarts": 1,
        "messages_lost_in_the_redis_restart": redis_restart,
        "worker_starts": worker.starts,
        "attempts": sum(report.attempts for report in reports.values()),
        "resumptions": resumed,
        "sent_again_by_the_sweeper": requeued.count(),
        "sweeps_sent": faults.sweeps_sent,
        "sends_refused_while_redis_was_down": faults.sends_refused,
        "seconds": seconds,
    }
    (faults.worker.artifacts / "report-faults.json").write_text(json.dumps(figures, indent=2))
    print(
        f"\nreports under faults (seed {SEED}): {len(reports)} reports, {interrupted()} worker kills mid-build "
        f"(of {len(kills)}), "
        f"1 Redis restart ({redis_restart['queued']} queued and {redis_restart['unacknowledged']} unacknowledged "
        f"messages lost), {figures['attempts']} attempts ({resumed} resumptions), "
        f"{figures['sent_again_by_the_sweeper']} builds sent again by the sweeper, {seconds} s; "
        f"each report done once, totals equal, {2 * len(reports)} files, no orphan"
    )


def _aware(timestamp: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, tz=UTC)

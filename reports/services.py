"""Every write to annual reports. Keyword-only, atomic, audited on the report.

queued → running → done → submitted, or failed (with its error).

Asking (`report_request`) is idempotent: while a report for the same year and unit is queued or
running, asking again returns that one — also when two people ask at the same moment (a partial
unique constraint decides, see AnnualReport.Meta).

Building (`report_build`, run by reports.tasks.report_build_task) is safe to run more than once for
the same report, which is what happens when a worker dies mid-report and the broker redelivers the
task (acks_late, task_reject_on_worker_lost):

* a delivery first takes the report's build lock (a PostgreSQL session advisory lock on the worker's
  own connection, so it is released the moment that worker or its connection dies) — a second
  delivery while a live worker builds finds the lock taken and does nothing;
* then it claims the report under a row lock: a queued report, or a running one whose builder is
  gone, becomes the next attempt (`attempts` + 1); a done, submitted or failed one is left alone;
* every later write (progress, the final result, a failure) is made only while `attempts` is still
  this attempt's number, so an attempt that lost its claim can never overwrite the report;
* the files have fixed names under reports/<id>/: a rebuilt attempt replaces them, and a failed
  attempt deletes them, so no duplicate or orphan file is left.

A delivery that finds the lock taken drops its message, and a Redis restarted without persistence
loses the messages it held: either way a report could wait queued or running with nobody to build
it. `report_sweep` (Celery beat, every five minutes) sends the build again for every report under
way that has not moved for REPORTS_SWEEP_AFTER seconds and whose build lock nobody holds — the
claim above makes a needless extra delivery harmless.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import Unit, User
from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.permissions import can
from core.services import audit_log, notify
from core.tables import register_action_labels

from .choices import ACTIVE_STATES, ReportStatus
from .indicators import INDICATORS, compute
from .models import FIRST_YEAR, AnnualReport

logger = logging.getLogger(__name__)

register_action_labels(
    {
        "report_request": gettext_lazy("Report requested"),
        "report_resume": gettext_lazy("Report taken up again after an interrupted attempt"),
        "report_done": gettext_lazy("Report ready"),
        "report_failed": gettext_lazy("Report failed"),
        "report_requeue": gettext_lazy("Report sent to the workers again"),
        "report_submit": gettext_lazy("Report submitted"),
    }
)

# Errors worth another try later (a lost database connection, a full or flaky disk): the task
# retries them with backoff; anything else fails the report at once.
TRANSIENT_ERRORS = (OperationalError, OSError)

# What report_build did.
BUILT, NOTHING_TO_DO, BUSY, SUPERSEDED = "built", "nothing to do", "busy", "superseded"

# Progress saves: one every few indicators (a constant number per report, whatever the data), then
# after the workbook. Each save also proves the attempt still holds its claim.
INDICATORS_SHARE = 80
CHECKPOINT_EVERY = 4
ADVISORY_LOCK_CLASS = 0x5245  # "RE": the first key of the two-key advisory lock; the report id is the second
# A report started this many times without finishing (every worker building it died) will not
# finish: the sweeper fails it with a message instead of sending it round forever.
SWEEP_MAX_ATTEMPTS = 20


class ClaimLost(Exception):
    """Another attempt has taken this report over: stop without writing anything."""


# --------------------------------------------------------------------------------------------
# Asking for a report


def check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": this_year}}
        )


def _active_report(year: int, unit: Unit) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year, unit=unit, status__in=ACTIVE_STATES).first()


def report_request(*, actor: User | None, year: int, unit: Unit) -> tuple[AnnualReport, bool]:
    """Ask for the report of `year` for `unit`'s subtree; `actor` None is the system (Celery beat).

    Returns (report, created): the report being prepared for that year and unit if there is one
    (nothing new starts), else a new queued report whose build task is sent once the transaction
    has committed.
    """
    if actor is not None:
        if not can(actor, "add", AnnualReport):
            raise PermissionDenied
        if unit is None or not can(actor, "request_report", unit):
            raise ValidationError({"unit": _("You may only ask for reports of your own unit or the units below it.")})
    elif unit is None:
        raise ValidationError({"unit": _("Choose a unit.")})
    check_year(year)
    with transaction.atomic():
        existing = _active_report(year, unit)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(
                    year=year, unit=unit, requested_by=actor, task_id=str(uuid.uuid4())
                )
        except IntegrityError:
            # Someone asked for the same year and unit at the same moment and won the unique
            # constraint: theirs is the report being prepared.
            existing = _active_report(year, unit)
            if existing is None:
                raise
            return existing, False
        audit_log(
            actor=actor,
            obj=report,
            action="report_request",
            changes={"year": [None, year], "unit": [None, str(unit)]},
        )
        transaction.on_commit(partial(enqueue_build, report.pk, report.task_id))
    return report, True


def enqueue_build(report_id: int, task_id: str) -> None:
    """Send the build task. A broker that cannot be reached fails the report with that reason
    rather than leaving it queued forever."""
    from celery.exceptions import Retry

    from .tasks import report_build_task

    try:
        report_build_task.apply_async(args=[report_id], task_id=task_id)
    except Retry as retry:
        # Run in-process (no broker: development), a retry cannot wait for later.
        logger.exception("annual report %s: the build failed and cannot be retried in-process", report_id)
        report_fail(report_id=report_id, error=retry.exc or retry)
    except Exception as error:
        # Run in-process, the build's own error arrives here; the build has recorded it on the
        # report already, and report_fail leaves a failed report alone.
        logger.exception("annual report %s: the build task could not be sent or failed", report_id)
        report_fail(report_id=report_id, error=error)


def report_for_past_year() -> AnnualReport | None:
    """Celery beat, each January: the whole company's report for the year just ended, made once
    (a later run that month finds it and does nothing, unless the last one failed)."""
    year = timezone.localdate().year - 1
    root = Unit.objects.get_root_nodes().filter(is_active=True).order_by("path").first()
    if root is None:
        return None
    made = (
        AnnualReport.objects.filter(year=year, unit=root, requested_by__isnull=True)
        .exclude(status=ReportStatus.FAILED)
        .first()
    )
    if made is not None:
        return made
    report, _created = report_request(actor=None, year=year, unit=root)
    return report


# --------------------------------------------------------------------------------------------
# Building it


def _lock_key(report_id: int) -> list[int]:
    return [ADVISORY_LOCK_CLASS, report_id % 2**31]


def reports_being_built() -> set[int]:
    """The ids of the reports whose build lock a live worker holds now (see `build_lock`), read
    from pg_locks without taking any lock: taking one, even for a moment, would make a delivery
    arriving at that moment give up (BUSY). Empty without PostgreSQL."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
            " AND classid = %s AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [ADVISORY_LOCK_CLASS],
        )
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def build_lock(report_id: int):
    """Yields whether this delivery may build the report: False while another live worker holds
    the report's advisory lock. The lock lives on this worker's database connection, so a worker
    killed mid-report (or its connection cut) releases it at once. Without PostgreSQL (development
    with SQLite runs tasks in-process) there is no second worker to fear."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(report_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except Exception:
                # The connection is gone, and the lock with it.
                logger.warning("annual report %s: could not release the build lock", report_id)


def _locked(report_id: int) -> AnnualReport | None:
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=report_id).first()


def _claim(report_id: int) -> tuple[AnnualReport, int] | None:
    """Make this delivery the report's next attempt; None when there is nothing to build."""
    with transaction.atomic():
        report = _locked(report_id)
        if report is None or report.status not in ACTIVE_STATES:
            return None
        interrupted = report.status == ReportStatus.RUNNING
        report.attempts += 1
        report.status = ReportStatus.RUNNING
        report.progress = 0
        report.started_at = timezone.now()
        report.save(update_fields=["attempts", "status", "progress", "started_at", "updated_at"])
        if interrupted:
            # The previous attempt's worker died mid-report (it no longer holds the build lock).
            audit_log(
                actor=None,
                obj=report,
                action="report_resume",
                changes={"attempts": [report.attempts - 1, report.attempts]},
            )
        return report, report.attempts


def _checkpoint(report_id: int, attempt: int, progress: int) -> None:
    """Save the progress while this attempt still holds the report (else stop: ClaimLost)."""
    updated = AnnualReport.objects.filter(pk=report_id, attempts=attempt, status=ReportStatus.RUNNING).update(
        progress=progress, updated_at=timezone.now()
    )
    if not updated:
        raise ClaimLost


def _snapshot(report: AnnualReport, attempt: int) -> dict:
    """Every indicator for the report's year and unit, as plain JSON data (what is stored and
    what the documents are made from): one query per indicator, progress every few."""
    unit = report.unit
    indicators = {}
    codes = list(INDICATORS)
    pause = settings.REPORTS_BUILD_PAUSE
    for done, code in enumerate(codes, start=1):
        indicators[code] = compute(code, report.year, unit).as_dict()
        if pause:
            time.sleep(pause)
        if done % CHECKPOINT_EVERY == 0 or done == len(codes):
            _checkpoint(report.pk, attempt, done * INDICATORS_SHARE // len(codes))
    snapshot = {
        "year": report.year,
        "unit": {"id": unit.pk, "name": unit.name, "path": unit.path},
        "generated_at": timezone.now().isoformat(),
        "indicators": indicators,
    }
    # Stored as JSON; the documents are made from exactly what is stored.
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _storage():
    return AnnualReport._meta.get_field("xlsx").storage


def _file_name(report: AnnualReport, extension: str) -> str:
    return f"reports/{report.pk}/annual-report-{report.year}.{extension}"


def _store(name: str, content: bytes) -> str:
    """Write a report file under its fixed name, replacing what an earlier attempt left there."""
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # pragma: no cover - the name was free a moment ago, under the row lock
        storage.delete(saved)
        raise OSError(f"could not write {name}")
    return saved


def _delete_files(report_id: int) -> None:
    """Remove whatever an unfinished attempt wrote under reports/<id>/."""
    storage = _storage()
    folder = f"reports/{report_id}"
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{folder}/{name}")


def _recipients(report: AnnualReport) -> list[User]:
    """Who hears that the report is ready or failed: its requester; HQ for the system's reports."""
    if report.requested_by_id:
        return [report.requested_by]
    return list(User.objects.filter(role=Role.HQ_CADRE, is_active=True))


def _finish(report_id: int, attempt: int, snapshot: dict, xlsx: bytes, pdf: bytes) -> AnnualReport:
    """The final write, in one transaction: files, figures, status, audit, notification."""
    with transaction.atomic():
        report = _locked(report_id)
        if report is None or report.attempts != attempt or report.status != ReportStatus.RUNNING:
            raise ClaimLost
        written = []
        try:
            report.xlsx.name = _store(_file_name(report, "xlsx"), xlsx)
            written.append(report.xlsx.name)
            report.pdf.name = _store(_file_name(report, "pdf"), pdf)
            written.append(report.pdf.name)
            report.data = snapshot
            report.status = ReportStatus.DONE
            report.progress = 100
            report.error = ""
            report.finished_at = timezone.now()
            report.save(
                update_fields=["xlsx", "pdf", "data", "status", "progress", "error", "finished_at", "updated_at"]
            )
            audit_log(
                actor=None,
                obj=report,
                action="report_done",
                changes={"status": [ReportStatus.RUNNING, ReportStatus.DONE]},
            )
            notify(
                recipients=_recipients(report),
                title=sentence("Annual report ready: %(report)s", report=report.as_sentence()),
                body=sentence("The Excel workbook and the PDF can be downloaded from the report's page."),
                url=report.get_absolute_url(),
            )
        except Exception:
            for name in written:
                _storage().delete(name)
            raise
    return report


def describe_error(error: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(error, SoftTimeLimitExceeded):
        return _("The report took longer than the time limit of %(minutes)s minutes.") % {
            "minutes": settings.REPORTS_SOFT_TIME_LIMIT // 60
        }
    text = str(error).strip()
    return f"{type(error).__name__}: {text}"[:2000] if text else type(error).__name__


def _release(report_id: int, attempt: int, error: BaseException, *, final: bool) -> None:
    """This attempt failed: delete what it wrote and record why — back to queued when the task
    will try again, failed (and the requester told) when it will not."""
    with transaction.atomic():
        report = _locked(report_id)
        if report is None or report.attempts != attempt or report.status != ReportStatus.RUNNING:
            return
        _delete_files(report_id)
        report.error = describe_error(error)
        report.progress = 0
        report.xlsx.name = report.pdf.name = ""
        if not final:
            report.status = ReportStatus.QUEUED
            report.save(update_fields=["error", "progress", "status", "xlsx", "pdf", "updated_at"])
            return
        report.status = ReportStatus.FAILED
        report.finished_at = timezone.now()
        report.save(update_fields=["error", "progress", "status", "xlsx", "pdf", "finished_at", "updated_at"])
        _failed(report)


def _failed(report: AnnualReport) -> None:
    audit_log(actor=None, obj=report, action="report_failed", changes={"error": [None, report.error]})
    notify(
        recipients=_recipients(report),
        title=sentence("Annual report failed: %(report)s", report=report.as_sentence()),
        body=report.error,
        url=report.get_absolute_url(),
    )


def report_build(*, report_id: int, last_try: bool = True) -> str:
    """Build the report: every indicator into the snapshot, the workbook and the PDF from it
    (reports.documents), then one transaction for the final write. Returns what it did (BUILT,
    NOTHING_TO_DO, BUSY, SUPERSEDED). On an error the attempt is released and the error raised
    again: a transient one (TRANSIENT_ERRORS) puts the report back in the queue unless this is
    the `last_try`; any other error fails the report."""
    from .documents import report_pdf, report_workbook

    with build_lock(report_id) as held:
        if not held:
            return BUSY
        claimed = _claim(report_id)
        if claimed is None:
            return NOTHING_TO_DO
        report, attempt = claimed
        try:
            # The report is an official document in the portal's language, whoever asked for it.
            with translation.override(settings.LANGUAGE_CODE):
                snapshot = _snapshot(report, attempt)
                xlsx = report_workbook(snapshot)
                _checkpoint(report_id, attempt, 90)
                pdf = report_pdf(snapshot)
                _finish(report_id, attempt, snapshot, xlsx, pdf)
        except ClaimLost:
            logger.warning("annual report %s: attempt %s was taken over by another; it stops", report_id, attempt)
            return SUPERSEDED
        except Exception as error:
            # (Not BaseException: a worker shut down mid-report leaves it running for the redelivery.)
            try:
                _release(report_id, attempt, error, final=last_try or not isinstance(error, TRANSIENT_ERRORS))
            except Exception:
                # The database is gone too: the report stays running, and the retry (or the
                # redelivery) takes it over as the next attempt.
                logger.exception("annual report %s: could not record the failure of attempt %s", report_id, attempt)
            raise
    return BUILT


def report_fail(*, report_id: int, error: BaseException | str) -> bool:
    """Fail a report that is still queued or running outside any build attempt (its task could not
    be sent, or failed before it claimed the report). Returns False when there was nothing to fail."""
    with transaction.atomic():
        report = _locked(report_id)
        if report is None or report.status not in ACTIVE_STATES:
            return False
        _delete_files(report_id)
        report.error = error if isinstance(error, str) else describe_error(error)
        report.status = ReportStatus.FAILED
        report.progress = 0
        report.xlsx.name = report.pdf.name = ""
        report.finished_at = timezone.now()
        report.save(update_fields=["error", "progress", "status", "xlsx", "pdf", "finished_at", "updated_at"])
        _failed(report)
    return True


# --------------------------------------------------------------------------------------------
# Sending a lost build again


def report_sweep(*, older_than: int | None = None) -> list[int]:
    """Celery beat, every five minutes: send the build task again for each report that is queued or
    running, has not moved for `older_than` seconds (REPORTS_SWEEP_AFTER) and that nobody is
    building (its build lock is free). Returns the ids sent again.

    That covers the messages lost for good: a delivery dropped as BUSY whose builder then died, a
    Redis restarted without persistence, a task that could not be sent back. A running report
    moves (its progress is saved every few indicators) while its builder lives, and a queued one
    waiting for a retry is sent back within the longest retry countdown (10 minutes), which
    REPORTS_SWEEP_AFTER exceeds. A message that was only late finds the report built or being
    built and does nothing (`report_build`: the lock, then the claim), so sending again is safe.
    Each send is audited as the system and resets the report's clock: a report is sent again at
    most once per `older_than` seconds. A report started SWEEP_MAX_ATTEMPTS times without ever
    finishing is failed with a message instead."""
    older_than = settings.REPORTS_SWEEP_AFTER if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=older_than)
    sent = []
    with transaction.atomic():
        # Row locks first, then the build locks: a delivery that holds the build lock and waits
        # for the row to claim it is seen as building. skip_locked: a report being claimed or
        # finished right now is not stale.
        stale = list(
            AnnualReport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(status__in=ACTIVE_STATES, updated_at__lt=cutoff)
            .order_by("pk")
        )
        if not stale:
            return sent
        building = reports_being_built()
        for report in stale:
            if report.pk % 2**31 in building:
                continue
            if report.attempts >= SWEEP_MAX_ATTEMPTS:
                report_fail(
                    report_id=report.pk,
                    error=_(
                        "The report was started %(attempts)s times and never finished: its worker stopped "
                        "each time (for example out of memory). Ask for it again, or tell the administrator."
                    )
                    % {"attempts": report.attempts},
                )
                continue
            task_id = str(uuid.uuid4())
            audit_log(actor=None, obj=report, action="report_requeue", changes={"task_id": [report.task_id, task_id]})
            report.task_id = task_id
            report.save(update_fields=["task_id", "updated_at"])
            transaction.on_commit(partial(enqueue_build, report.pk, task_id))
            sent.append(report.pk)
    if sent:
        logger.warning("annual reports %s: their build was lost; sent again", sent)
    return sent


# --------------------------------------------------------------------------------------------
# Submitting it


@transaction.atomic
def report_submit(*, actor: User, report: AnnualReport, comment: str = "") -> AnnualReport:
    """Submit (上报) a finished report: it becomes the official one for its year and unit, locked
    with the figures it holds. Only one report per year and unit can be submitted."""
    report = _locked(report.pk)
    if report is None:
        raise PermissionDenied
    if not can(actor, "submit", report):
        raise PermissionDenied
    if report.status == ReportStatus.SUBMITTED:
        raise TransitionNotAllowed(_("This report has already been submitted."))
    if report.status != ReportStatus.DONE:
        raise TransitionNotAllowed(_("Only a finished report can be submitted."))
    already = _already_submitted(report)
    if already is not None:
        raise already
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    except IntegrityError:
        # Another report of the same year and unit was submitted at the same moment.
        raise _already_submitted(report) or TransitionNotAllowed(_("This report cannot be submitted.")) from None
    audit_log(
        actor=actor,
        obj=report,
        action="report_submit",
        changes={"status": [ReportStatus.DONE, ReportStatus.SUBMITTED]},
        comment=comment,
    )
    if not actor.is_hq:
        notify(
            recipients=User.objects.filter(role=Role.HQ_CADRE, is_active=True),
            title=sentence(
                "%(unit)s submitted its annual report for %(year)s", unit=report.unit.name, year=report.year
            ),
            body=comment,
            url=report.get_absolute_url(),
        )
    return report


def _already_submitted(report: AnnualReport) -> TransitionNotAllowed | None:
    other = (
        AnnualReport.objects.filter(year=report.year, unit=report.unit_id, status=ReportStatus.SUBMITTED)
        .exclude(pk=report.pk)
        .first()
    )
    if other is None:
        return None
    return TransitionNotAllowed(
        _("The %(year)s report of %(unit)s was already submitted on %(date)s.")
        % {
            "year": report.year,
            "unit": report.unit.name,
            "date": timezone.localtime(other.submitted_at).strftime("%Y-%m-%d"),
        }
    )

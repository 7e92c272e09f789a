"""Celery tasks of the reports app: thin, idempotent, taking ids and calling one service.

Reliability of the annual report's build (see reports.services for the claim and the lock):
- acks_late: the message is acknowledged only when the build has ended, so a worker that dies
  mid-report (killed, out of memory, the machine restarted) leaves it with the broker, and
  reject_on_worker_lost sends it back at once when a pool process is lost;
- the broker redelivers an unacknowledged message after its visibility timeout
  (CELERY_VISIBILITY_TIMEOUT): it must exceed the longest report (the hard time limit below, plus
  the longest retry countdown), or a report still being built would be delivered a second time;
- soft and hard time limits (REPORTS_SOFT_TIME_LIMIT, REPORTS_TIME_LIMIT): a runaway build fails
  with a clear message instead of holding a worker forever;
- transient errors (a lost database connection, a disk error) are retried with exponential backoff
  and jitter; the last failure, or any other error, marks the report failed with its error;
- a build whose message was lost for good (dropped as a duplicate by a delivery whose builder then
  died, or held by a Redis restarted without persistence) is sent again by `report_sweep`.
"""

from celery import shared_task
from django.conf import settings

from .services import TRANSIENT_ERRORS


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=settings.REPORTS_MAX_RETRIES,
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT,
)
def report_build_task(self, report_id: int) -> str:
    from .services import report_build

    return report_build(report_id=report_id, last_try=self.request.retries >= self.max_retries)


@shared_task(acks_late=True)
def annual_company_report() -> int | None:
    """Celery beat, each January: the whole company's report for the past year."""
    from .services import report_for_past_year

    report = report_for_past_year()
    return report.pk if report is not None else None


@shared_task(acks_late=True)
def report_sweep() -> list[int]:
    """Celery beat, every five minutes: send again the builds that were lost (reports.services)."""
    from .services import report_sweep as sweep

    return sweep()


@shared_task(acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def dashboard_refresh_task(year: int, unit_id: int, language: str) -> bool:
    """Recompute a dashboard whose figures are stale and slow to compute (reports.dashboard)."""
    from .dashboard import dashboard_refresh

    return dashboard_refresh(year=year, unit_id=unit_id, language=language)


@shared_task(acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def tallies_rebuild_task() -> bool:
    """Count the dashboards' tallies from scratch (reports.tallies): everything was marked."""
    from .tallies import rebuild_task_body

    return rebuild_task_body()


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def tallies_sweep_task() -> int:
    """Celery beat, every five minutes, and when a reader finds many units marked: count every
    marked unit again (reports.tallies)."""
    from .tallies import sweep_task_body

    return sweep_task_body()

"""A system check of the settings the annual report's reliability rests on."""

from django.conf import settings
from django.core.checks import Warning, register


@register("celery")
def visibility_timeout_above_longest_report(app_configs=None, **kwargs):
    """With acks_late, Redis delivers a task again once its visibility timeout has passed since it
    was delivered. If that comes before the longest report can end (its hard time limit), a report
    still being built is delivered a second time."""
    longest = settings.REPORTS_TIME_LIMIT + 10 * 60  # the hard limit plus the longest retry countdown
    if longest < settings.BROKER_VISIBILITY_TIMEOUT:
        return []
    return [
        Warning(
            f"CELERY_VISIBILITY_TIMEOUT ({settings.BROKER_VISIBILITY_TIMEOUT} s) is not above the longest annual "
            f"report ({longest} s: REPORTS_TIME_LIMIT plus the longest retry countdown).",
            hint="Raise CELERY_VISIBILITY_TIMEOUT, or lower REPORTS_TIME_LIMIT.",
            id="reports.W001",
        )
    ]

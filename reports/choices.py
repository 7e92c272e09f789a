from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    """queued → running → done → submitted (locked), or failed (with its error)."""

    QUEUED = "queued", pgettext_lazy("annual report", "Queued")
    RUNNING = "running", pgettext_lazy("annual report", "Being prepared")
    DONE = "done", pgettext_lazy("annual report", "Ready")
    FAILED = "failed", pgettext_lazy("annual report", "Failed")
    SUBMITTED = "submitted", pgettext_lazy("annual report", "Submitted")


# A report in one of these states is under way: asking again for the same year and unit returns it.
ACTIVE_STATES = (ReportStatus.QUEUED, ReportStatus.RUNNING)
# A report in one of these states has its figures and files.
FINISHED_STATES = (ReportStatus.DONE, ReportStatus.SUBMITTED)
# Bootstrap classes of each state's badge.
STATUS_BADGES = {
    ReportStatus.QUEUED: "text-bg-secondary",
    ReportStatus.RUNNING: "text-bg-info",
    ReportStatus.DONE: "text-bg-success",
    ReportStatus.FAILED: "text-bg-danger",
    ReportStatus.SUBMITTED: "text-bg-primary",
}


class TallyFigure(models.TextChoices):
    """What a tally counts (reports.tallies: each by its indicator's definition)."""

    LEVEL = "level", _("Named studios by level (year end)")
    KIND = "kind", _("Named studios by kind (year end)")
    CATEGORY = "category", _("Verified results by category")
    BENEFIT = "benefit", _("Economic benefit")
    STUDIO_BENEFIT = "studio_benefit", _("Economic benefit by studio")
    PERSON_TIMES = "person_times", _("Training person-times")
    PAIRINGS = "pairings", _("Mentor pairings started")

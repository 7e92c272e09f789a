from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet

from .choices import ACTIVE_STATES, FINISHED_STATES, STATUS_BADGES, ReportStatus, TallyFigure

FIRST_YEAR = 1990


def report_file_path(report, filename: str) -> str:
    """Every file of a report lives under reports/<id>/ in the private storage (no public URL):
    deterministic names, so a rebuilt attempt replaces its files instead of adding new ones."""
    return f"reports/{report.pk}/{filename}"


class AnnualReport(TimeStampedModel):
    """An annual statistics report (年度统计报表) for a year and a unit's subtree.

    Asked for by a cadre (or by Celery beat each January for the whole company), built by a Celery
    task: every indicator is computed once and kept in `data` (a snapshot), and the Excel workbook
    and the PDF are made from that snapshot. The figures never change afterwards, whatever happens
    to the data; a submitted report (上报) is the official one for its year and unit.

    queued → running → done → submitted, or failed (with its error). `attempts` counts the
    deliveries that started building it (a worker that died mid-report leaves it running; the
    redelivered task picks it up again as the next attempt).
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (and the units below it)"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the reports the system makes each January."),
    )
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    data = models.JSONField(_("figures"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    xlsx = models.FileField(_("Excel workbook"), upload_to=report_file_path, blank=True, max_length=200)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, blank=True, max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            # Asking again while one is under way starts nothing new (reports.services.report_request).
            models.UniqueConstraint(
                fields=["year", "unit"],
                condition=models.Q(status__in=ACTIVE_STATES),
                name="report_one_active_per_scope",
            ),
            models.UniqueConstraint(
                fields=["year", "unit"],
                condition=models.Q(status=ReportStatus.SUBMITTED),
                name="report_one_submitted_per_scope",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_range"),
            models.CheckConstraint(condition=models.Q(year__gte=FIRST_YEAR, year__lte=2100), name="report_year_range"),
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.SUBMITTED)
                | models.Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="report_submitted_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="report_unit_year_idx")]

    def __str__(self):
        return str(self.as_sentence())

    def as_sentence(self):
        """The report's name, to be translated when read (in a notification)."""
        from core.i18n import sentence

        return sentence("%(unit)s %(year)s annual report", unit=self.unit.name, year=self.year)

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATES

    @property
    def badge_class(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    def download_name(self, extension: str) -> str:
        """The file name a download gets: 甲公司2025年度统计报表.xlsx."""
        return (
            _("%(unit)s %(year)s annual statistics report")
            % {
                "unit": self.unit.name,
                "year": self.year,
            }
            + f".{extension}"
        )


class Tally(models.Model):
    """A running count (统计底数) behind the dashboards: for one unit, one figure, one year and one
    value of the figure's dimension (a level, a kind, a category; empty for a plain count), the
    number of items and their amount in yuan. `own` rows count the unit's own items; the others
    its whole subtree's (the sum of the own rows of the unit and every unit below it), so that any
    unit's dashboard reads a few hundred rows whatever the size of the tree. Kept by
    reports.tallies, never written elsewhere."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    own = models.BooleanField(_("the unit's own items"))
    figure = models.CharField(_("figure"), max_length=20, choices=TallyFigure.choices)
    year = models.SmallIntegerField(_("year"))
    key = models.CharField(_("dimension value"), max_length=40, blank=True)
    items = models.BigIntegerField(_("items"), default=0)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "own", "figure", "year", "key"], name="tally_unique"),
        ]
        # A figure's rows of a year across units: the benefit one level down, the top studios.
        indexes = [models.Index(fields=["figure", "year", "own", "amount"], name="tally_figure_year_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.figure} {self.year} {self.key}: {self.items} / {self.amount}"


class TallyMark(models.Model):
    """A unit whose tallies must be counted again (written in the transaction of every audited
    write counting under it), or, with no unit, every tally (a write whose unit is not known, a
    bulk load, a move in the tree of units). Appended, never updated: writers never wait for each
    other on a mark; counting a unit again deletes its marks."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tally mark")
        verbose_name_plural = _("tally marks")

    def __str__(self):
        return f"{self.unit_id or '*'} @ {self.marked_at}"


class TallyBook(models.Model):
    """The one row saying which years the tallies were counted for and when, last, from scratch."""

    first_year = models.SmallIntegerField(_("first year"))
    last_year = models.SmallIntegerField(_("last year"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("tally book")
        verbose_name_plural = _("tally books")

    def __str__(self):
        return f"{self.first_year}–{self.last_year} @ {self.counted_at}"

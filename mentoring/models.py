from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from alliances.models import Alliance
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from studios.models import Studio
from talent.choices import HonourLevel, SkillGrade
from talent.models import Person

from .choices import (
    EXCELLENT_MARK,
    MAX_TERM_MONTHS,
    MIN_TERM_MONTHS,
    PASS_MARK,
    EndReason,
    GraduationGrade,
    PairingStatus,
)
from .periods import last_active_day


class Pairing(TimeStampedModel):
    """A mentor pairing (师徒结对): a mentor and an apprentice under an agreement (师徒协议) with
    goals and a term, in a studio, or in an alliance across units.

    `unit` is the unit the pairing counts under (figures, rewards, the unit filter): the studio's
    unit, or for an alliance pairing the mentor's own unit, which pays the mentor's allowance.
    `term_ends_on` is derived from `agreement_on` and `term_months` (mentoring.periods.term_end);
    both `unit` and `term_ends_on` are set by mentoring.services.
    `ended_on` is the day the pairing closed: graduated or failed (the assessment date) or ended
    early; it is empty while the pairing is under way.
    """

    # Its figures count under `unit` (core.services: the statistics generation), which a new
    # mentor may change for an alliance pairing; a grade change counts under the apprentice's unit.
    statistics_scope = (("unit", "mentor", "studio"), "unit__path")
    statistics_global_actions = ("pairing_grade_change",)

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, null=True, blank=True, related_name="pairings"
    )
    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, null=True, blank=True, related_name="pairings"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        Person, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="pairings_as_mentor"
    )
    apprentice = models.ForeignKey(
        Person, verbose_name=_("apprentice"), on_delete=models.PROTECT, related_name="pairings_as_apprentice"
    )
    agreement_on = models.DateField(_("agreement signed on"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(MIN_TERM_MONTHS), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    term_ends_on = models.DateField(_("term ends on"))
    goals = models.TextField(_("goals"), max_length=2000)
    agreement = models.FileField(_("mentoring agreement"), upload_to="mentoring/agreements/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PairingStatus.choices, default=PairingStatus.ACTIVE, db_index=True
    )
    ended_on = models.DateField(_("pairing ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("note on ending"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor pairing")
        verbose_name_plural = _("mentor pairings")
        ordering = ["-agreement_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(studio__isnull=False) & models.Q(alliance__isnull=True))
                | (models.Q(studio__isnull=True) & models.Q(alliance__isnull=False)),
                name="pairing_studio_or_alliance",
            ),
            models.CheckConstraint(condition=~models.Q(mentor=models.F("apprentice")), name="pairing_two_people"),
            models.CheckConstraint(
                condition=models.Q(term_months__gte=MIN_TERM_MONTHS, term_months__lte=MAX_TERM_MONTHS),
                name="pairing_term_range",
            ),
            models.CheckConstraint(
                condition=models.Q(term_ends_on__gte=models.F("agreement_on")), name="pairing_term_dates"
            ),
            models.CheckConstraint(
                condition=(models.Q(status=PairingStatus.ACTIVE) & models.Q(ended_on__isnull=True))
                | (~models.Q(status=PairingStatus.ACTIVE) & models.Q(ended_on__gte=models.F("agreement_on"))),
                name="pairing_closed_on",
            ),
            models.CheckConstraint(
                condition=(models.Q(status=PairingStatus.ENDED) & ~models.Q(end_reason=""))
                | (~models.Q(status=PairingStatus.ENDED) & models.Q(end_reason="")),
                name="pairing_end_reason",
            ),
            models.UniqueConstraint(
                fields=["mentor", "apprentice"],
                condition=models.Q(status=PairingStatus.ACTIVE),
                name="pairing_once_active",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "agreement_on"], name="pairing_unit_date_idx"),
            models.Index(fields=["status", "term_ends_on"], name="pairing_status_term_idx"),
            # The pairing list's order (newest agreement first): a page of a million pairings is
            # read from this index instead of sorting them all (seed_scale tier N).
            models.Index(fields=["-agreement_on", "-id"], name="pairing_recent_idx"),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.apprentice}"

    def get_absolute_url(self):
        return reverse("mentoring:pairing_detail", args=[self.pk])

    @property
    def target(self):
        """The studio or the alliance the pairing belongs to."""
        return self.studio if self.studio_id else self.alliance

    @property
    def status_badge(self) -> str:
        from .choices import STATUS_BADGE

        return STATUS_BADGE.get(self.status, "bg-secondary")

    @property
    def is_active(self) -> bool:
        return self.status == PairingStatus.ACTIVE

    @property
    def term_over(self) -> bool:
        """Under way, but the term has ended: the graduation assessment is due."""
        from django.utils import timezone

        return self.status == PairingStatus.ACTIVE and self.term_ends_on < timezone.localdate()

    @property
    def last_active_day(self):
        return last_active_day(term_ends_on=self.term_ends_on, ended_on=self.ended_on)


class ProgressLog(models.Model):
    """One entry of a pairing's progress (what was taught, practised, achieved), while it is under way."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="progress_logs"
    )
    logged_on = models.DateField(_("date"))
    content = models.TextField(_("progress"), max_length=2000)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress log")
        verbose_name_plural = _("progress logs")
        ordering = ["-logged_on", "-id"]

    def __str__(self):
        return f"{self.pairing} · {self.logged_on}"

    def get_absolute_url(self):
        return self.pairing.get_absolute_url() + "#progress"


class GraduationAssessment(models.Model):
    """The graduation assessment (出师考核) of a pairing: once per pairing, it closes the pairing."""

    pairing = models.OneToOneField(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="assessment"
    )
    assessed_on = models.DateField(_("assessed on"))
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    grade = models.CharField(_("grade"), max_length=10, choices=GraduationGrade.choices)
    assessors = models.CharField(_("assessors"), max_length=200)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("graduation assessment")
        verbose_name_plural = _("graduation assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="graduation_score_range"),
            models.CheckConstraint(
                condition=models.Q(grade=GraduationGrade.FAIL, score__lt=PASS_MARK)
                | models.Q(grade=GraduationGrade.PASS, score__gte=PASS_MARK)
                | models.Q(grade=GraduationGrade.EXCELLENT, score__gte=EXCELLENT_MARK),
                name="graduation_score_matches_grade",
            ),
        ]

    def __str__(self):
        return f"{self.pairing} · {self.get_grade_display()}"

    def get_absolute_url(self):
        return self.pairing.get_absolute_url() + "#assessment"


class Placement(models.Model):
    """A competition placement of the apprentice during the term (e.g. 技能大赛 一等奖)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="placements")
    competition = models.CharField(_("competition"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    placement = models.CharField(_("placement"), max_length=50, help_text=_("e.g. 一等奖 or 第二名"))
    placed_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition placement")
        verbose_name_plural = _("competition placements")
        ordering = ["-placed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "competition", "placed_on"], name="placement_once"),
        ]

    def __str__(self):
        return f"{self.competition} {self.placement}"

    def get_absolute_url(self):
        return self.pairing.get_absolute_url() + "#placements"


def _allowance(grade_label):
    return models.DecimalField(
        grade_label,
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )


class RewardRule(models.Model):
    """The mentor reward rule HQ configures (one row, edited in the portal).

    A mentor is paid a monthly allowance by the skill grade the mentor holds, for each month the
    pairing is active (mentoring.periods); and a one-off bonus when the apprentice first reaches
    `bonus_grade` (or higher) within `bonus_years` years of the agreement date, having been below
    it when the agreement was signed, in a pairing that did not fail or end early.
    """

    allowance_junior = _allowance(_("monthly allowance: junior worker mentor"))
    allowance_intermediate = _allowance(_("monthly allowance: intermediate worker mentor"))
    allowance_senior = _allowance(_("monthly allowance: senior worker mentor"))
    allowance_technician = _allowance(_("monthly allowance: technician mentor"))
    allowance_senior_technician = _allowance(_("monthly allowance: senior technician mentor"))
    allowance_master_technician = _allowance(_("monthly allowance: master technician mentor"))
    allowance_chief_technician = _allowance(_("monthly allowance: chief technician mentor"))
    bonus_grade = models.CharField(
        _("bonus when the apprentice reaches"), max_length=30, choices=SkillGrade.choices, default=SkillGrade.TECHNICIAN
    )
    bonus_years = models.PositiveSmallIntegerField(
        _("within (years of the agreement)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    bonus_amount = models.DecimalField(
        _("bonus (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor reward rule")
        verbose_name_plural = _("mentor reward rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    allowance_junior__gte=0,
                    allowance_intermediate__gte=0,
                    allowance_senior__gte=0,
                    allowance_technician__gte=0,
                    allowance_senior_technician__gte=0,
                    allowance_master_technician__gte=0,
                    allowance_chief_technician__gte=0,
                    bonus_amount__gte=0,
                ),
                name="reward_rule_amounts_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(bonus_years__gte=1, bonus_years__lte=10), name="reward_rule_years_range"
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def get_absolute_url(self):
        return reverse("mentoring:reward_rule")

    @classmethod
    def current(cls) -> "RewardRule":
        """The rule in force; until HQ first saves one, the defaults (unsaved: reading writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @staticmethod
    def allowance_field(grade: str) -> str:
        return f"allowance_{grade}"

    def rate_for(self, grade: str) -> Decimal:
        """The monthly allowance of a mentor holding `grade` (nothing for a mentor without a grade)."""
        if grade not in SkillGrade.values:
            return Decimal("0")
        return getattr(self, self.allowance_field(grade))


ALLOWANCE_FIELDS = tuple(RewardRule.allowance_field(grade) for grade in SkillGrade.values)

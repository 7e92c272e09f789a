import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.i18n import label_maker
from core.models import ConfigurableKind, TimeStampedModel
from core.permissions import ScopedQuerySet
from talent.choices import HonourLevel, SkillGrade
from talent.models import Person

from .choices import (
    AssessmentGrade,
    AssessmentStatus,
    BatchStatus,
    FundingDirection,
    FundingSource,
    FundingUse,
    MemberRole,
    RevocationReason,
    RoundStatus,
    StudioLevel,
    StudioStatus,
)

DEFAULT_KINDS = ("劳模创新工作室", "工匠创新工作室", "职工创新工作室", "技能大师工作室")


class StudioKind(ConfigurableKind):
    """A kind of studio (劳模 / 工匠 / 职工 / 技能大师 …); HQ may add more."""

    DEFAULTS = DEFAULT_KINDS
    list_url_name = "studios:kind_list"

    class Meta(ConfigurableKind.Meta):
        verbose_name = _("studio kind")
        verbose_name_plural = _("studio kinds")


class NamingBatch(TimeStampedModel):
    """A naming batch (e.g. 2026年 第一批 公司级): public notice period, then named together."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, choices=StudioLevel.choices)
    name = models.CharField(_("batch name"), max_length=40, help_text=_("e.g. 第一批"))
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    publicity_start = models.DateField(_("public notice starts"))
    publicity_end = models.DateField(_("public notice ends"))
    named_on = models.DateField(_("named on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("naming batch")
        verbose_name_plural = _("naming batches")
        ordering = ["-year", "-publicity_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "name"], name="batch_unique_name"),
            models.CheckConstraint(
                condition=models.Q(publicity_end__gte=models.F("publicity_start")), name="batch_dates"
            ),
        ]

    def __str__(self):
        return batch_label(self.year, self.level, self.name)

    def get_absolute_url(self):
        return reverse("studios:batch_detail", args=[self.pk])


# A batch's level as it qualifies the batch ("company-level batch 1"; in Chinese 公司级第一批).
BATCH_LEVELS = {
    StudioLevel.UNIT: pgettext_lazy("naming batch", "unit-level"),
    StudioLevel.COMPANY: pgettext_lazy("naming batch", "company-level"),
    StudioLevel.CITY: pgettext_lazy("naming batch", "city-level"),
    StudioLevel.PROVINCIAL: pgettext_lazy("naming batch", "provincial-level"),
    StudioLevel.NATIONAL: pgettext_lazy("naming batch", "national-level"),
}
CHINESE_NUMERALS = "一二三四五六七八九"


def batch_ordinal(name: str) -> int | None:
    """The number of a batch named by its order (首批, 第一批, 第十二批, 第3批), else None."""
    name = name.strip()
    if name == "首批":
        return 1
    match = re.fullmatch(r"第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*批", name)
    if not match:
        return None
    number = match.group(1)
    if number.isdigit():
        return int(number)
    tens, _ten, units = number.rpartition("十")
    if not _ten:
        return CHINESE_NUMERALS.index(number) + 1 if len(number) == 1 else None
    if len(tens) > 1 or len(units) > 1:
        return None
    return (CHINESE_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (CHINESE_NUMERALS.index(units) + 1 if units else 0)


@label_maker("naming_batch")
def batch_label(year, level, name: str) -> str:
    """A naming batch's label, composed in the active language: 2025年公司级第一批, or 2025
    company-level batch 1. The batch's name is the union's own; outside Chinese, a name that only
    gives the batch's order reads as its number, and any other name is shown as it is."""
    if not (get_language() or "").startswith("zh"):
        number = batch_ordinal(name)
        if number is not None:
            name = pgettext("naming batch", "batch %(number)s") % {"number": number}
    return pgettext("naming batch", "%(year)s %(level)s %(name)s") % {
        "year": year,
        "level": BATCH_LEVELS.get(level, level),
        "name": name,
    }


class Studio(TimeStampedModel):
    """An innovation studio (创新工作室) and its application, from draft to naming and beyond.

    `level` and `is_demonstration` mirror the newest LevelRecord (kept by studios.services).
    `eligibility` is the criteria check stored when the application was submitted.
    """

    # Its figures count under its unit: an audited write moves the statistics of that unit's
    # subtrees only (core.services), unless it moves the studio to another unit.
    statistics_scope = (("unit",), "unit__path")

    name = models.CharField(_("name"), max_length=100)
    kind = models.ForeignKey(StudioKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="studios")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="studios")
    lead = models.ForeignKey(Person, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="led_studios")
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=200, blank=True)
    venue_area = models.DecimalField(
        _("venue area (m²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    facilities = models.TextField(_("facilities"), blank=True, max_length=2000)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    planned_projects = models.PositiveSmallIntegerField(
        _("planned projects per year"), default=0, validators=[MaxValueValidator(999)]
    )
    applied_level = models.CharField(
        _("level applied for"), max_length=20, choices=StudioLevel.choices, default=StudioLevel.COMPANY
    )
    applying_demonstration = models.BooleanField(_("applying for the demonstration title"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=StudioStatus.choices, default=StudioStatus.DRAFT, db_index=True
    )
    level = models.CharField(_("level"), max_length=20, choices=StudioLevel.choices, blank=True, db_index=True)
    is_demonstration = models.BooleanField(_("demonstration"), default=False)
    batch = models.ForeignKey(
        NamingBatch,
        verbose_name=_("naming batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios",
    )
    eligibility = models.JSONField(_("eligibility check"), default=list, blank=True)
    explanation = models.TextField(_("explanation of unmet criteria"), blank=True, max_length=4000)
    named_on = models.DateField(_("named on"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("revocation reason"), max_length=30, choices=RevocationReason.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="studio_unique_name_in_unit"),
            models.CheckConstraint(
                condition=models.Q(venue_area__isnull=True) | models.Q(venue_area__gte=0), name="studio_area_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="studio_unit_status_idx"),
            # The studios in each review state (the dashboard's review pipeline): read off the
            # index for the few states asked, not every studio of the tree.
            models.Index(fields=["status", "unit"], name="studio_status_unit_idx"),
            # The list's order (the newest change first): a page is read off the index instead
            # of sorting every studio (the benchmark's tier-P list, issue #7).
            models.Index(fields=["-updated_at", "-id"], name="studio_recent_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("studios:studio_detail", args=[self.pk])


class Membership(models.Model):
    """A person in a studio's team, with a role and the dates they joined and left."""

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["left_on", "role", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "person"], condition=models.Q(left_on__isnull=True), name="membership_once_active"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_dates",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"


class LevelRecord(models.Model):
    """One step in a studio's level history: the level, the naming batch or document, the date."""

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="level_records")
    level = models.CharField(_("level"), max_length=20, choices=StudioLevel.choices)
    demonstration = models.BooleanField(_("demonstration title"), default=False)
    awarded_on = models.DateField(_("awarded on"))
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    batch = models.ForeignKey(
        NamingBatch, verbose_name=_("naming batch"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issuer = models.CharField(_("awarded by"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("level record")
        verbose_name_plural = _("level records")
        ordering = ["-awarded_on", "-id"]

    def __str__(self):
        return f"{self.get_level_display()} {self.awarded_on}"


class StudioPhoto(models.Model):
    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("picture"), upload_to="studios/photos/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="studios/thumbs/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("studio photo")
        verbose_name_plural = _("studio photos")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.caption or str(self.studio)


class FundingLine(models.Model):
    """A line of a funding ledger (a studio's or an alliance's): money in by source, or out by use,
    with a voucher. Concrete ledgers add the owner's foreign key and the check constraints."""

    direction = models.CharField(_("direction"), max_length=3, choices=FundingDirection.choices)
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=FundingUse.choices, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    entry_date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    voucher = models.FileField(_("voucher"), upload_to="funding/", blank=True)
    # A wrong line is never edited or deleted: a reversing line (冲销) of the opposite amount, dated
    # like it and with its source or use, cancels it in every total, and the reason is kept.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["entry_date", "id"]

    def __str__(self):
        return f"{self.get_direction_display()} {self.amount}"

    @staticmethod
    def constraints_for(prefix: str) -> list:
        return [
            # Positive, except a reversing line: the opposite of the line it reverses.
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, reverses__isnull=True)
                | models.Q(amount__lt=0, reverses__isnull=False),
                name=f"{prefix}_amount_sign",
            ),
            models.CheckConstraint(
                condition=(models.Q(direction="in") & ~models.Q(source="") & models.Q(use=""))
                | (models.Q(direction="out") & ~models.Q(use="") & models.Q(source="")),
                name=f"{prefix}_source_or_use",
            ),
        ]


class FundingEntry(FundingLine):
    """One line of a studio's funding ledger."""

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="funding")

    class Meta(FundingLine.Meta):
        verbose_name = _("funding entry")
        verbose_name_plural = _("funding entries")
        constraints = FundingLine.constraints_for("funding")
        indexes = [models.Index(fields=["studio", "entry_date"], name="funding_studio_date_idx")]


class EligibilityRules(models.Model):
    """The thresholds HQ sets for a studio application (one row, edited in the portal)."""

    min_team_size = models.PositiveSmallIntegerField(_("minimum team size"), default=3)
    lead_min_honour_level = models.CharField(
        _("lead's honour at or above"), max_length=20, choices=HonourLevel.choices, default=HonourLevel.COMPANY
    )
    lead_min_skill_grade = models.CharField(
        _("or lead's skill grade at or above"), max_length=30, choices=SkillGrade.choices, default=SkillGrade.TECHNICIAN
    )
    min_venue_area = models.DecimalField(_("minimum venue area (m²)"), max_digits=8, decimal_places=2, default=30)
    require_funding = models.BooleanField(_("funding must be in place"), default=True)
    min_funding = models.DecimalField(_("minimum funding in place (yuan)"), max_digits=12, decimal_places=2, default=0)
    min_projects_per_year = models.PositiveSmallIntegerField(_("minimum projects per year"), default=1)
    demonstration_min_years = models.PositiveSmallIntegerField(
        _("years in operation for a demonstration title"), default=3
    )
    forbid_single_team_group = models.BooleanField(_("team may not come from a single 班组"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(min_venue_area__gte=0), name="rules_area_positive"),
            models.CheckConstraint(condition=models.Q(min_funding__gte=0), name="rules_funding_positive"),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def get_absolute_url(self):
        return reverse("studios:rules")

    @classmethod
    def current(cls) -> "EligibilityRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class AssessmentRound(TimeStampedModel):
    """The annual assessment (年度考核) of every named studio for one year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s annual assessment") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("studios:round_detail", args=[self.pk])


class Assessment(TimeStampedModel):
    """One studio's assessment in a round: the lead's self-assessment, the unit's score, HQ's grade."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assessments"
    )
    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.PENDING
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    self_summary = models.TextField(_("self-assessment"), blank=True, max_length=10000)
    unit_score = models.DecimalField(
        _("unit score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    unit_comment = models.TextField(_("unit comment"), blank=True, max_length=4000)
    grade = models.CharField(_("grade"), max_length=10, choices=AssessmentGrade.choices, blank=True)
    hq_comment = models.TextField(_("HQ comment"), blank=True, max_length=4000)
    no_verified_result = models.BooleanField(_("no verified result in the year"), default=False)
    revocation_proposed = models.BooleanField(_("revocation proposed"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "studio__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "studio"], name="assessment_once_per_round"),
            models.CheckConstraint(
                condition=models.Q(unit_score__isnull=True) | models.Q(unit_score__gte=0, unit_score__lte=100),
                name="assessment_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.round.year} · {self.studio}"

    def get_absolute_url(self):
        return reverse("studios:assessment_detail", args=[self.pk])

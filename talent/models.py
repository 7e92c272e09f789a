from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet

from .choices import (
    CampaignKind,
    CampaignStatus,
    Gender,
    HonourKind,
    HonourLevel,
    NominationStatus,
    RecusalRelation,
    SkillGrade,
)


class Person(TimeStampedModel):
    """A person in the talent registry (人才). Not every person has a login; `user` links one.

    `phone` and `id_number` are personal data: only those who manage the person's unit see them.
    `skill_grade` mirrors the newest SkillGradeChange (kept by talent.services) for filtering.
    """

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=30, unique=True, null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    team_group = models.CharField(_("team (班组)"), max_length=60, blank=True)
    post = models.CharField(_("post"), max_length=60, blank=True)
    skill_grade = models.CharField(_("skill grade"), max_length=30, choices=SkillGrade.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        # No index on (name, id) for the list's order: at tier N it made HQ's first page 0.3 s
        # instead of 0.8 s but a studio lead's 160 s (the planner walked it, filtering 1.2 million
        # people by the lead's scope) — see talent migration 0005.
        indexes = [models.Index(fields=["unit", "name"], name="person_unit_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talent:person_detail", args=[self.pk])


class SkillGradeChange(models.Model):
    """One change of a person's skill grade, dated, with its proof."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="grade_changes")
    grade = models.CharField(_("skill grade"), max_length=30, choices=SkillGrade.choices)
    changed_on = models.DateField(_("date"))
    proof = models.FileField(_("proof"), upload_to="grades/", blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill grade change")
        verbose_name_plural = _("skill grade changes")
        ordering = ["-changed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "grade", "changed_on"], name="grade_change_once"),
        ]

    def __str__(self):
        return f"{self.person} {self.get_grade_display()} {self.changed_on}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()


class Honour(models.Model):
    """An honour title a person holds (劳模, 五一劳动奖章, 工匠, 技术能手), with level and year."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("kind"), max_length=30, choices=HonourKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    title = models.CharField(_("title"), max_length=100, help_text=_("The exact title, e.g. 荆楚工匠 or 全国劳动模范."))
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    campaign = models.ForeignKey(
        "Campaign",
        verbose_name=_("selection campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        help_text=_("The selection campaign that awarded the honour, if any."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title", "year"], name="honour_once_a_year"),
            # A campaign awards its honour to a person once, however often it is closed.
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=models.Q(campaign__isnull=False),
                name="honour_once_per_campaign",
            ),
            models.CheckConstraint(condition=models.Q(year__gte=1950, year__lte=2100), name="honour_year_range"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()


# Selection campaigns (工匠评选 / 选树, 优秀成果评选) -------------------------------------------------


class Campaign(TimeStampedModel):
    """A selection round run by HQ: open for nominations → expert scoring → public notice (公示) →
    closed, when the selected people receive an honour (a craftsman selection) or the selected
    results an award (a result selection).

    Planned dates are ordered: nominations close ≤ scoring until ≤ publicity from ≤ publicity
    until. The public-notice dates are final once HQ publicises the selection.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.CRAFTSMAN)
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. 第二届信赖工匠评选"))
    year = models.PositiveSmallIntegerField(_("year"))
    honour_title = models.CharField(
        _("honour or award awarded"),
        max_length=100,
        help_text=_("The exact title the selected receive, e.g. 信赖工匠 or 优秀创新成果."),
    )
    honour_kind = models.CharField(
        _("honour kind"),
        max_length=30,
        choices=HonourKind.choices,
        blank=True,
        help_text=_("For a craftsman selection: the kind of honour the selected people receive."),
    )
    honour_level = models.CharField(_("honour level"), max_length=20, choices=HonourLevel.choices)
    award_grade = models.CharField(
        _("award grade"),
        max_length=40,
        blank=True,
        help_text=_("For a result selection, optional: e.g. 一等奖."),
    )
    quota = models.PositiveSmallIntegerField(_("quota"), help_text=_("At most this many are selected."))
    description = models.TextField(_("criteria and description"), blank=True, max_length=5000)
    nominations_close_on = models.DateField(_("nominations close on"))
    scoring_until = models.DateField(_("expert scoring until"))
    publicity_from = models.DateField(_("public notice from"), null=True, blank=True)
    publicity_until = models.DateField(_("public notice until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.OPEN, db_index=True
    )
    closed_on = models.DateField(_("campaign closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection campaign")
        verbose_name_plural = _("selection campaigns")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1950, year__lte=2100), name="campaign_year_range"),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="campaign_quota_positive"),
            models.CheckConstraint(
                condition=models.Q(scoring_until__gte=models.F("nominations_close_on")),
                name="campaign_scoring_after_nominations",
            ),
            models.CheckConstraint(
                condition=models.Q(publicity_from__isnull=True, publicity_until__isnull=True)
                | models.Q(
                    publicity_from__isnull=False,
                    publicity_until__gte=models.F("publicity_from"),
                    publicity_from__gte=models.F("nominations_close_on"),
                ),
                name="campaign_publicity_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[CampaignStatus.OPEN, CampaignStatus.SCORING])
                | models.Q(publicity_from__isnull=False),
                name="campaign_publicised_has_dates",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind=CampaignKind.CRAFTSMAN) & ~models.Q(honour_kind=""))
                | (models.Q(kind=CampaignKind.RESULT) & models.Q(honour_kind="")),
                name="campaign_honour_kind_for_people",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talent:campaign_detail", args=[self.pk])

    @property
    def selects_people(self) -> bool:
        return self.kind == CampaignKind.CRAFTSMAN

    @property
    def award_text(self) -> str:
        """What the selected receive, as people read it: 信赖工匠 (公司级) or 优秀创新成果 一等奖."""
        grade = f" {self.award_grade}" if self.award_grade else ""
        return f"{self.honour_title}{grade} ({self.get_honour_level_display()})"


class Criterion(models.Model):
    """One line of a campaign's scorecard with its weight (the weights add up to 100)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight"))
    description = models.CharField(_("what the experts look at"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["campaign", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_name_once"),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"

    def get_absolute_url(self):
        return self.campaign.get_absolute_url() + "#criteria"


class PanelMember(models.Model):
    """A review expert HQ assigned to a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="campaign_panels"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("panel expert")
        verbose_name_plural = _("panel experts")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "expert"], name="panel_expert_once")]

    def __str__(self):
        return f"{self.campaign} · {self.expert}"

    def get_absolute_url(self):
        return self.campaign.get_absolute_url() + "#panel"


class Nomination(TimeStampedModel):
    """A person (craftsman selection) or a verified result (result selection) put forward by a
    unit cadre or HQ, with the statement of deeds and the supporting material.

    `unit` is the nominee's unit when nominated (the person's unit, or the result's studio's
    unit), kept here for scoping and for the experts' conflict-of-interest check. `proposed`
    marks the nominations HQ put in the public notice; closing turns it into selected or not.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="nominations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    result = models.ForeignKey(
        "achievements.Result",
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    statement = models.TextField(_("deeds and reasons (事迹/推荐理由)"), max_length=5000)
    material = models.FileField(_("nomination material"), upload_to="campaigns/materials/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    proposed = models.BooleanField(_("in the public notice"), default=False)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(result__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(result__isnull=False)),
                name="nomination_one_nominee",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=models.Q(person__isnull=False) & ~models.Q(status=NominationStatus.WITHDRAWN),
                name="nomination_person_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "result"],
                condition=models.Q(result__isnull=False) & ~models.Q(status=NominationStatus.WITHDRAWN),
                name="nomination_result_once",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed=False) | ~models.Q(status=NominationStatus.WITHDRAWN),
                name="nomination_withdrawn_not_proposed",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="nomination_campaign_status_idx")]

    def __str__(self):
        return str(self.nominee)

    def get_absolute_url(self):
        return reverse("talent:nomination_detail", args=[self.pk])

    @property
    def nominee(self):
        return self.person if self.person_id else self.result


class Scorecard(models.Model):
    """One expert's score of one nomination: a score per criterion (ScoreItem) and a comment.

    There is one per expert and nomination, created when the expert first submits it; the expert
    may revise it while the campaign is in scoring (each revision is audited), never afterwards.
    Its weighted total is Σ(weight × score) / 100, computed by the database (talent.selectors).
    """

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="scorecards"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="scorecards"
    )
    comment = models.TextField(_("expert's comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["nomination", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "expert"], name="scorecard_once_per_expert")]

    def __str__(self):
        return f"{self.nomination} · {self.expert}"

    def get_absolute_url(self):
        return self.nomination.get_absolute_url()


class Recusal(models.Model):
    """An expert's declared conflict of interest (回避) with one nominee: its mentor, colleague,
    relative… — beyond the automatic recusal from its own unit (talent.policies.units_conflict).

    Once declared, the expert no longer scores the nominee, and the nominee's result is the mean
    of the other experts' scorecards, as for an automatic recusal. Declared after scoring, the
    expert's scorecard is withdrawn with it; `withdrawn_total` keeps that scorecard's total.
    """

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="recusals"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="recusals"
    )
    relation = models.CharField(_("relation to the nominee"), max_length=20, choices=RecusalRelation.choices)
    reason = models.TextField(_("reason for the recusal"), max_length=2000)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    withdrawn_total = models.DecimalField(
        _("score withdrawn with the declaration"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("declared recusal")
        verbose_name_plural = _("declared recusals")
        ordering = ["nomination", "declared_at", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "expert"], name="recusal_once_per_expert")]

    def __str__(self):
        return f"{self.nomination} · {self.expert}"

    def get_absolute_url(self):
        return self.nomination.get_absolute_url()


class ScoreItem(models.Model):
    """The score (0-100) an expert gave on one criterion."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="items"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0-100)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["scorecard", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_item_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="score_item_range"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.score}"

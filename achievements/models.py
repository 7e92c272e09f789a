from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.models import ConfigurableKind, TimeStampedModel
from core.permissions import ScopedQuerySet
from studios.models import Studio
from talent.choices import HonourLevel
from talent.models import Person

from .choices import CaseStatus, ProjectStatus, ResultCategory, ResultStatus

DEFAULT_PROJECT_KINDS = ("技术攻关", "工艺改进", "QC 课题", "科研项目", "合理化建议")


class ProjectKind(ConfigurableKind):
    """A kind of project (技术攻关, 工艺改进, QC 课题 …); HQ may add more."""

    DEFAULTS = DEFAULT_PROJECT_KINDS
    list_url_name = "achievements:kind_list"

    class Meta(ConfigurableKind.Meta):
        verbose_name = _("project kind")
        verbose_name_plural = _("project kinds")


class Project(TimeStampedModel):
    """A problem-tackling project (课题攻关) of a studio, possibly joint with other studios."""

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="projects")
    partner_studios = models.ManyToManyField(
        Studio, verbose_name=_("partner studios"), blank=True, related_name="joint_projects"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.ForeignKey(ProjectKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="projects")
    leader = models.ForeignKey(Person, verbose_name=_("project leader"), on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(Person, verbose_name=_("team"), blank=True, related_name="projects")
    started_on = models.DateField(_("started on"))
    planned_end_on = models.DateField(_("planned end"))
    goals = models.TextField(_("goals"), blank=True, max_length=5000)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.APPROVED, db_index=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True, max_length=4000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gte=models.F("started_on")), name="project_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0), name="project_budget_positive"
            ),
        ]
        # The list's order, newest first (760,000 projects at national scale).
        indexes = [models.Index(fields=["-started_on", "-id"], name="project_recent_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("achievements:project_detail", args=[self.pk])


class Milestone(models.Model):
    """A milestone of a project: what is due when, and the progress recorded against it."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.TextField(_("progress notes"), blank=True, max_length=4000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class Result(TimeStampedModel):
    """An innovation result (创新成果). Only verified results count anywhere in statistics."""

    # Its figures count under its studio's unit (core.services: the statistics generation).
    statistics_scope = (("studio",), "studio__unit__path")

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="results")
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.SET_NULL, null=True, blank=True, related_name="results"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=ResultCategory.choices, db_index=True)
    achieved_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    benefit = models.DecimalField(_("economic benefit (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    benefit_year = models.PositiveSmallIntegerField(_("benefit year"), null=True, blank=True)
    benefit_basis = models.TextField(_("basis of the benefit calculation"), blank=True, max_length=4000)
    benefit_proof = models.FileField(_("benefit proof"), upload_to="results/proofs/", blank=True)
    patent_no = models.CharField(_("patent number"), max_length=40, blank=True)
    patent_granted_on = models.DateField(_("patent granted on"), null=True, blank=True)
    ip_disputed = models.BooleanField(_("intellectual property in dispute"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ResultStatus.choices, default=ResultStatus.DRAFT, db_index=True
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    case_status = models.CharField(
        _("typical case"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NONE, blank=True, db_index=True
    )
    case_story = models.TextField(
        _("case story for the public"),
        blank=True,
        max_length=6000,
        help_text=_("Shown on the public showcase once HQ approves: no names of people, no phone numbers."),
    )
    case_decided_on = models.DateField(_("case approved on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["-achieved_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(benefit__isnull=True) | models.Q(benefit__gte=0), name="result_benefit_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["studio", "status"], name="result_studio_status_idx"),
            # The list's order, newest first: a page is read off the index instead of sorting
            # every result (two million at national scale; issue #7's benchmark).
            models.Index(fields=["-achieved_on", "-id"], name="result_recent_idx"),
            # The benefit of a year (the economic benefit indicator, its ten-year trend, the top
            # studios): the verified results stating one, by benefit year, instead of every result.
            models.Index(
                fields=["benefit_year", "studio"],
                condition=models.Q(status="verified", benefit__isnull=False),
                name="result_benefit_year_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("achievements:result_detail", args=[self.pk])


class ResultImage(models.Model):
    """A picture of a result (checked and re-encoded on upload; EXIF removed)."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("picture"), upload_to="results/images/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="results/thumbs/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("result picture")
        verbose_name_plural = _("result pictures")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.caption or str(self.result)


class Award(models.Model):
    """An award a result received (e.g. 全国优秀质量管理小组成果 一等奖)."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("award"), max_length=150)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    grade = models.CharField(_("grade"), max_length=40, blank=True, help_text=_("e.g. 一等奖"))
    year = models.PositiveSmallIntegerField(_("year"))
    campaign = models.ForeignKey(
        "talent.Campaign",
        verbose_name=_("selection campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_("The result selection that awarded it, if any."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "name", "year"], name="award_once_a_year"),
            # A result selection awards a result once, however often it is closed.
            models.UniqueConstraint(
                fields=["campaign", "result"],
                condition=models.Q(campaign__isnull=False),
                name="award_once_per_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.grade} ({self.year})"


class Attachment(models.Model):
    """A document attached to a result (report, drawing, certificate)."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="results/attachments/")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title


class Contributor(models.Model):
    """A person who contributed to a result, in rank order (1 = first)."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="contributions")
    rank = models.PositiveSmallIntegerField(_("rank"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["result", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["result", "person"], name="contributor_once"),
            models.UniqueConstraint(fields=["result", "rank"], name="contributor_rank_once"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.person}"


class Adoption(models.Model):
    """A result transferred or applied (推广应用) at another unit or an outside organisation."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="adoptions")
    unit = models.ForeignKey(
        Unit, verbose_name=_("adopting unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.CharField(_("outside organisation"), max_length=120, blank=True)
    adopted_on = models.DateField(_("adopted on"))
    scope = models.CharField(_("scope of application"), max_length=200, blank=True)
    yearly_benefit = models.DecimalField(_("yearly benefit there (yuan)"), max_digits=14, decimal_places=2, default=0)
    proof = models.FileField(_("application proof"), upload_to="results/adoptions/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(organisation=""))
                | (models.Q(unit__isnull=True) & ~models.Q(organisation="")),
                name="adoption_unit_or_organisation",
            ),
            models.CheckConstraint(condition=models.Q(yearly_benefit__gte=0), name="adoption_benefit_positive"),
        ]

    def __str__(self):
        return f"{self.result} → {self.unit or self.organisation}"

    def get_absolute_url(self):
        return self.result.get_absolute_url()

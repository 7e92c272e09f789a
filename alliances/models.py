from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from achievements.models import Project
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from studios.models import FundingLine, Studio
from talent.models import Person

from .choices import (
    OPEN_MEMBER_STATES,
    ActivityKind,
    AllianceStatus,
    DesignationBatchStatus,
    DesignationKind,
    MemberStatus,
    MemberTier,
)

MAX_OUTSIDERS = 100_000


class Alliance(TimeStampedModel):
    """A studio alliance (创新工作室联盟): studios of several units under a charter and a lead unit."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    theme = models.CharField(_("theme or field"), max_length=100)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_alliances"
    )
    founded_on = models.DateField(_("founded on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AllianceStatus.choices, default=AllianceStatus.PREPARING, db_index=True
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    secretariat_contact = models.CharField(_("secretariat contact"), max_length=50, blank=True)
    secretariat_phone = models.CharField(_("secretariat phone"), max_length=20, blank=True)
    charter = models.FileField(_("charter (章程)"), upload_to="alliances/charters/", blank=True)
    agreement = models.FileField(_("agreement"), upload_to="alliances/agreements/", blank=True)
    logo = models.ImageField(_("logo or photo"), upload_to="alliances/logos/", blank=True)
    logo_thumbnail = models.ImageField(_("thumbnail"), upload_to="alliances/thumbs/", blank=True)
    members_log_activities = models.BooleanField(
        _("member studio leads may log activities"),
        default=True,
        help_text=_("If set, the leads of member studios log the alliance's activities themselves."),
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_reason = models.TextField(_("reason for dissolution"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-founded_on", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:alliance_detail", args=[self.pk])


class AllianceMember(models.Model):
    """A studio's membership of an alliance, from its request to its exit or removal."""

    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="members")
    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="alliance_memberships"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=MemberTier.choices, default=MemberTier.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, db_index=True)
    requested_on = models.DateField(_("asked on"), null=True, blank=True)
    request_note = models.TextField(_("request note"), blank=True, max_length=2000)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    exit_requested_on = models.DateField(_("asked to leave on"), null=True, blank=True)
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["alliance", "-joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "studio"],
                condition=models.Q(status__in=[s.value for s in OPEN_MEMBER_STATES]),
                name="alliance_member_once_open",
            ),
            models.CheckConstraint(
                condition=models.Q(exited_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(exited_on__gte=models.F("joined_on")),
                name="alliance_member_dates",
            ),
        ]
        indexes = [models.Index(fields=["studio", "status"], name="alliance_member_studio_idx")]

    def __str__(self):
        return f"{self.alliance} · {self.studio}"

    def get_absolute_url(self):
        return self.alliance.get_absolute_url() + "#members"


class DesignationBatch(TimeStampedModel):
    """A batch in which HQ names alliance pilot units and demonstration units (e.g. 首批)."""

    name = models.CharField(_("batch name"), max_length=60, unique=True, help_text=_("e.g. 首批"))
    designated_on = models.DateField(_("designated on"))
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=DesignationBatchStatus.choices, default=DesignationBatchStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("designation batch")
        verbose_name_plural = _("designation batches")
        ordering = ["-designated_on", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:batch_detail", args=[self.pk])


class Designation(models.Model):
    """One pilot or demonstration unit of a batch: an alliance or a studio."""

    batch = models.ForeignKey(
        DesignationBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="designations"
    )
    kind = models.CharField(_("designation"), max_length=20, choices=DesignationKind.choices)
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designations",
    )
    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, null=True, blank=True, related_name="designations"
    )
    citation = models.CharField(_("citation"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["batch", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(alliance__isnull=False) & models.Q(studio__isnull=True))
                | (models.Q(alliance__isnull=True) & models.Q(studio__isnull=False)),
                name="designation_one_target",
            ),
            models.UniqueConstraint(
                fields=["batch", "kind", "alliance"],
                condition=models.Q(alliance__isnull=False),
                name="designation_alliance_once",
            ),
            models.UniqueConstraint(
                fields=["batch", "kind", "studio"],
                condition=models.Q(studio__isnull=False),
                name="designation_studio_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.target}"

    def get_absolute_url(self):
        return self.batch.get_absolute_url()

    @property
    def target(self):
        return self.alliance if self.alliance_id else self.studio


class Activity(TimeStampedModel):
    """An alliance activity: a technical exchange, joint problem-tackling, site visit, pairing event
    or training, with the studios and people taking part."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    organiser = models.ForeignKey(
        Studio,
        verbose_name=_("organising studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty when the alliance's secretariat organised it."),
    )
    studios = models.ManyToManyField(
        Studio, verbose_name=_("studios taking part"), blank=True, related_name="alliance_activities"
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people taking part"), blank=True, related_name="alliance_activities"
    )
    outsider_count = models.PositiveIntegerField(
        _("other participants"),
        default=0,
        validators=[MaxValueValidator(MAX_OUTSIDERS)],
        help_text=_("Participants not registered in the portal (a head count)."),
    )
    pairs_formed = models.PositiveSmallIntegerField(
        _("mentor-apprentice pairs formed"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_("For a mentor-pairing event: the pairs formed across units."),
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("joint project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliance_activities",
    )
    summary = models.TextField(_("minutes and summary"), blank=True, max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance activity")
        verbose_name_plural = _("alliance activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["alliance", "held_on"], name="activity_alliance_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alliances:activity_detail", args=[self.pk])


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("picture"), upload_to="alliances/photos/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="alliances/thumbs/")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.caption or str(self.activity)


class ActivityDocument(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="alliances/documents/")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity document")
        verbose_name_plural = _("activity documents")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title


class AllianceFundingEntry(FundingLine):
    """One line of an alliance's funding ledger (e.g. a ¥50,000 grant and what it was spent on)."""

    alliance = models.ForeignKey(Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="funding")
    voucher = models.FileField(_("voucher"), upload_to="alliances/funding/", blank=True)

    class Meta(FundingLine.Meta):
        verbose_name = _("alliance funding entry")
        verbose_name_plural = _("alliance funding entries")
        constraints = FundingLine.constraints_for("alliance_funding")
        indexes = [models.Index(fields=["alliance", "entry_date"], name="alliance_funding_date_idx")]

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet
from talent.models import Person

from .choices import ClassKind, ClassStatus, EnrolmentStatus, SignInMethod

MAX_CAPACITY = 5000
MAX_WAITLIST = 1000


class TrainingClass(TimeStampedModel):
    """A training class (交流培训班 and its kin): sessions, enrolment up to capacity with a waiting
    list, sign-in by QR code, hours credited, materials, feedback and certificates.

    preparing (筹备) → enrolling (报名) → running (进行中) → finished (结束).
    """

    # Its figures (its enrolments and sign-ins included) count under the organiser: an audited
    # write moves the statistics of the organiser's subtrees only (core.services).
    statistics_scope = (("organiser",), "organiser__path")

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ClassKind.choices, default=ClassKind.EXCHANGE)
    organiser = models.ForeignKey(
        Unit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="training_classes"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=150)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    waitlist_limit = models.PositiveIntegerField(
        _("waiting list places"),
        default=20,
        validators=[MaxValueValidator(MAX_WAITLIST)],
        help_text=_("When the class is full, up to this many people wait for a seat."),
    )
    audience = models.CharField(_("intended for"), max_length=200, blank=True)
    description = models.TextField(_("programme and aims"), blank=True, max_length=5000)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ClassStatus.choices, default=ClassStatus.PREPARING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="class_dates_order"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="class_capacity_range"
            ),
            models.CheckConstraint(condition=models.Q(waitlist_limit__lte=MAX_WAITLIST), name="class_waitlist_range"),
        ]
        indexes = [models.Index(fields=["organiser", "starts_on"], name="class_organiser_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:class_detail", args=[self.pk])


class Session(models.Model):
    """One course of a class (e.g. 《生产现场创新的思路与方法》), with its speaker, time and hours."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("course"), max_length=150)
    speaker = models.CharField(_("speaker"), max_length=50)
    speaker_title = models.CharField(_("speaker's post or title"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(
        _("class hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    room = models.CharField(_("room"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_time_order"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=Decimal("0.5"), hours__lte=Decimal("24")), name="session_hours_range"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.training_class.get_absolute_url()


class Enrolment(models.Model):
    """A person's place in a class: enrolled (a seat), waiting (in order of asking) or cancelled."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices, db_index=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))
    seated_at = models.DateTimeField(_("seat given at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class", "status", "asked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_once"),
            models.UniqueConstraint(
                fields=["certificate_no"], condition=~models.Q(certificate_no=""), name="certificate_no_unique"
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="enrolment_person_status_idx")]

    def __str__(self):
        return f"{self.person} · {self.training_class}"

    def get_absolute_url(self):
        return self.training_class.get_absolute_url()


class Attendance(models.Model):
    """A person's sign-in to one session: once, by QR code in the room or recorded by the organiser."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendances"
    )
    signed_at = models.DateTimeField(_("signed in at"))
    method = models.CharField(_("sign-in method"), max_length=10, choices=SignInMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="sign_in_once")]

    def __str__(self):
        return f"{self.enrolment.person} · {self.session}"


class Material(models.Model):
    """A handout or slide deck of a class, downloaded through the rule set."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="training/materials/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.training_class.get_absolute_url()


class Feedback(models.Model):
    """A trainee's feedback on the class: three ratings from 1 to 5 and comments. Once per enrolment."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="feedback"
    )
    content_rating = models.PositiveSmallIntegerField(
        _("course content"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    speaker_rating = models.PositiveSmallIntegerField(
        _("speakers"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation_rating = models.PositiveSmallIntegerField(
        _("organisation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("what helped you most"), blank=True, max_length=2000)
    suggestion = models.TextField(_("suggestions"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    content_rating__gte=1,
                    content_rating__lte=5,
                    speaker_rating__gte=1,
                    speaker_rating__lte=5,
                    organisation_rating__gte=1,
                    organisation_rating__lte=5,
                ),
                name="feedback_ratings_range",
            ),
        ]

    def __str__(self):
        return str(self.enrolment)

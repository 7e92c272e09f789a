from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange training class (交流培训班)")
    TOPICAL = "topical", _("Topical training (专题培训)")
    EXPERIENCE = "experience", _("Experience sharing (经验交流)")
    SHOWCASE = "showcase", _("Results showcase (成果展示)")


class ClassStatus(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    ENROLLING = "enrolling", _("Open for enrolment")
    RUNNING = "running", _("In progress")
    FINISHED = "finished", _("Finished")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    MANUAL = "manual", _("Recorded by the organiser")


# A class is published (seen beyond its organisers) once it opens for enrolment.
PUBLISHED_STATES = (ClassStatus.ENROLLING, ClassStatus.RUNNING, ClassStatus.FINISHED)
# Seats count the enrolled only; the waiting list has its own limit.
HOLDING_STATES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
RATING_CHOICES = [(i, str(i)) for i in range(5, 0, -1)]

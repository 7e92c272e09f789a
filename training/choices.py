from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClassKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange training class (交流培训班)")
    TOPICAL = "topical", _("Topical training (专题培训)")
    EXPERIENCE = "experience", _("Experience sharing (经验交流)")
    SHOWCASE = "showcase", _("Results showcase (成果展示)")


class ClassStatus(models.TextChoices):
    PREPARING = "preparing", pgettext_lazy("training class", "In preparation")
    ENROLLING = "enrolling", pgettext_lazy("training class", "Open for enrolment")
    RUNNING = "running", pgettext_lazy("training class", "In progress")
    FINISHED = "finished", pgettext_lazy("training class", "Finished")


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

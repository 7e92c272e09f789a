from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does in the portal (see DOMAIN.md, "Who uses it")."""

    HQ_CADRE = "hq_cadre", _("HQ union cadre")
    UNIT_CADRE = "unit_cadre", _("Unit union cadre")
    STUDIO_LEAD = "studio_lead", _("Studio lead")
    EXPERT = "expert", _("Review expert")
    VIEWER = "viewer", _("Leadership viewer")


class UnitKind(models.TextChoices):
    """The level of a unit in the organisation tree."""

    HQ = "hq", _("Headquarters")
    SUBSIDIARY = "subsidiary", _("Subsidiary")
    PLANT = "plant", _("Plant")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")

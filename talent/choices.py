from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class SkillGrade(models.TextChoices):
    """Vocational skill grades, lowest first (the order is the ranking)."""

    JUNIOR = "junior", _("Junior worker")
    INTERMEDIATE = "intermediate", _("Intermediate worker")
    SENIOR = "senior", _("Senior worker")
    TECHNICIAN = "technician", _("Technician")
    SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")
    MASTER_TECHNICIAN = "master_technician", _("Master technician")
    CHIEF_TECHNICIAN = "chief_technician", _("Chief technician")

    @classmethod
    def rank(cls, value) -> int:
        """0 for no grade, then 1 (junior) … 7 (chief technician)."""
        return cls.values.index(value) + 1 if value in cls.values else 0


class HonourLevel(models.TextChoices):
    """The level of the body that awards an honour, lowest first."""

    UNIT = "unit", _("Unit level")
    COMPANY = "company", _("Company level")
    CITY = "city", _("City level")
    PROVINCIAL = "provincial", _("Provincial or ministerial level")
    NATIONAL = "national", _("National level")

    @classmethod
    def rank(cls, value) -> int:
        return cls.values.index(value) + 1 if value in cls.values else 0


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("Model worker (劳模)")
    MAY_DAY_MEDAL = "may_day_medal", _("May Day Labour Medal")
    CRAFTSMAN = "craftsman", _("Craftsman title (工匠)")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert (技术能手)")
    OTHER = "other", _("Other honour")


class CampaignKind(models.TextChoices):
    """What a selection campaign selects: people (they receive an honour) or results (an award)."""

    CRAFTSMAN = "craftsman", _("Craftsman selection (工匠评选)")
    RESULT = "result", _("Result selection (优秀成果评选)")


class CampaignStatus(models.TextChoices):
    """open → scoring → publicised → closed (DOMAIN.md)."""

    OPEN = "open", _("Open for nominations")
    SCORING = "scoring", _("Expert scoring")
    PUBLICISED = "publicised", _("In public notice")
    CLOSED = "closed", _("Closed")


# From the public notice on, the proposed selection is published (cadres and leads read it).
PUBLISHED_CAMPAIGN_STATES = (CampaignStatus.PUBLICISED, CampaignStatus.CLOSED)
# The panel can change and experts can be assigned while the campaign has not been publicised.
PANEL_CAMPAIGN_STATES = (CampaignStatus.OPEN, CampaignStatus.SCORING)


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class RecusalRelation(models.TextChoices):
    """Why an expert declares a conflict of interest with a nominee (回避) beyond its own unit."""

    MENTOR = "mentor", _("Mentor or apprentice (师徒)")
    COLLEAGUE = "colleague", _("Colleague (同事)")
    RELATIVE = "relative", _("Relative (亲属)")
    OTHER = "other", _("Other interest")


# Nominations that take part in the campaign (a withdrawn one no longer does).
LIVE_NOMINATION_STATES = (NominationStatus.NOMINATED, NominationStatus.SELECTED, NominationStatus.NOT_SELECTED)

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    APPROVED = "approved", _("Approved (立项)")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed (结题)")
    TERMINATED = "terminated", _("Terminated")


class ResultCategory(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model patent")
    DESIGN_PATENT = "design_patent", _("Design patent")
    TECHNICAL_INNOVATION = "technical_innovation", _("Technical innovation")
    PROCESS_IMPROVEMENT = "process_improvement", _("Process improvement")
    OPERATING_METHOD = "operating_method", _("Advanced operating method")
    STANDARD = "standard", _("Standard")
    CONSTRUCTION_METHOD = "construction_method", _("Construction method (工法)")
    PAPER = "paper", _("Paper")
    SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright")
    QC_RESULT = "qc_result", _("QC result")
    SUGGESTION = "suggestion", _("Rationalisation proposal")

    @classmethod
    def patents(cls):
        return {cls.INVENTION_PATENT, cls.UTILITY_MODEL, cls.DESIGN_PATENT}


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class CaseStatus(models.TextChoices):
    """A verified result proposed as a typical case (典型案例) for the public showcase."""

    NONE = "", _("Not proposed")
    PROPOSED = "proposed", _("Proposed as a typical case")
    APPROVED = "approved", _("Typical case (on the showcase)")

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudioStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECOMMENDED = "recommended", _("Recommended by unit")
    PUBLICISED = "publicised", _("In public notice")
    NAMED = "named", _("Named")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    RECTIFYING = "rectifying", _("Rectifying")
    REVOKED = "revoked", _("Revoked")


class StudioLevel(models.TextChoices):
    """Naming levels, lowest first (the order is the ranking)."""

    UNIT = "unit", _("Unit level")
    COMPANY = "company", _("Company level")
    CITY = "city", _("City level")
    PROVINCIAL = "provincial", _("Provincial or ministerial level")
    NATIONAL = "national", _("National level")

    @classmethod
    def rank(cls, value) -> int:
        return cls.values.index(value) + 1 if value in cls.values else 0


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CORE = "core", _("Core member")
    MEMBER = "member", _("Member")
    LIAISON = "liaison", _("Liaison")


class RevocationReason(models.TextChoices):
    FAILED_ASSESSMENT = "failed_assessment", _("Failed the annual assessment again")
    LEAD_RETIRED = "lead_retired", _("Lead retired")
    LEAD_MOVED = "lead_moved", _("Lead moved to another post")
    UNIT_CLOSED = "unit_closed", _("Unit closed")
    MERGED = "merged", _("Merged into another studio")
    OTHER = "other", _("Other")


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NAMED = "named", _("Named")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the self-assessment")
    SELF_SUBMITTED = "self_submitted", _("Self-assessment submitted")
    UNIT_SCORED = "unit_scored", _("Scored by the unit")
    GRADED = "graded", _("Graded by HQ")


class AssessmentGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class FundingDirection(models.TextChoices):
    IN = "in", _("Income")
    OUT = "out", _("Spending")


class FundingSource(models.TextChoices):
    FOUNDING = "founding", _("Founding funds (创建经费)")
    SPECIAL = "special", _("Special funds (专项资金)")
    REWARD = "reward", _("Reward funds (奖励资金)")
    UNIT_MATCH = "unit_match", _("Unit matching funds (单位配套)")
    UNION_GRANT = "union_grant", _("Union grant (工会补助)")


class FundingUse(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    PROJECTS = "projects", _("Projects")
    PUBLICITY = "publicity", _("Publicity")
    OTHER = "other", _("Other")

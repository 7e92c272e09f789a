from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AllianceStatus(models.TextChoices):
    PREPARING = "preparing", _("In preparation")  # 筹建
    RUNNING = "running", _("Running")  # 运行
    DISSOLVED = "dissolved", _("Dissolved")  # 撤销


class MemberTier(models.TextChoices):
    """Ordered from the lowest: a designation can only raise a member's tier."""

    MEMBER = "member", _("Member")  # 成员
    PILOT = "pilot", _("Pilot")  # 试点
    DEMONSTRATION = "demonstration", _("Demonstration")  # 示范


TIER_ORDER = {MemberTier.MEMBER: 0, MemberTier.PILOT: 1, MemberTier.DEMONSTRATION: 2}


class MemberStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", pgettext_lazy("alliance membership status", "Member")  # 已加入 (the tier reads 成员)
    EXIT_REQUESTED = "exit_requested", _("Asked to leave")
    DECLINED = "declined", _("Request declined")
    EXITED = "exited", _("Left")
    REMOVED = "removed", _("Removed")


# A studio has at most one membership of an alliance in these states at a time.
OPEN_MEMBER_STATES = (MemberStatus.REQUESTED, MemberStatus.ACTIVE, MemberStatus.EXIT_REQUESTED)
# Members counted on the alliance page and in its figures.
CURRENT_MEMBER_STATES = (MemberStatus.ACTIVE, MemberStatus.EXIT_REQUESTED)


class ActivityKind(models.TextChoices):
    EXCHANGE = "exchange", _("Technical exchange")  # 技术交流
    JOINT_TACKLING = "joint_tackling", _("Joint problem-tackling")  # 联合攻关
    SITE_VISIT = "site_visit", _("Site visit")  # 现场观摩
    PAIRING = "pairing", _("Mentor-pairing event")  # 师徒结对活动
    TRAINING = "training", _("Training")  # 培训


class DesignationKind(models.TextChoices):
    PILOT = "pilot", _("Alliance pilot unit")  # 联盟试点单位
    DEMONSTRATION = "demonstration", _("Demonstration unit")  # 示范单位


DESIGNATION_TIER = {DesignationKind.PILOT: MemberTier.PILOT, DesignationKind.DEMONSTRATION: MemberTier.DEMONSTRATION}


class DesignationBatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")

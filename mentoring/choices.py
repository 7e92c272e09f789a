from django.db import models
from django.utils.translation import gettext_lazy as _


class PairingStatus(models.TextChoices):
    """active → graduated | failed (by the graduation assessment) | ended (terminated early)."""

    ACTIVE = "active", _("Pairing under way")  # 结对中
    GRADUATED = "graduated", _("Graduated")  # 已出师
    FAILED = "failed", _("Did not graduate")  # 出师考核不合格
    ENDED = "ended", _("Ended early")  # 提前终止


CLOSED_STATES = (PairingStatus.GRADUATED, PairingStatus.FAILED, PairingStatus.ENDED)


class GraduationGrade(models.TextChoices):
    """The grade of the graduation assessment (出师考核)."""

    EXCELLENT = "excellent", _("Excellent")  # 优秀
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格


# Score and grade agree: below PASS_MARK is a fail and a fail is below it; an excellent needs
# at least EXCELLENT_MARK. (A pass may score high: the panel weighs more than the score.)
PASS_MARK = 60
EXCELLENT_MARK = 85

GRADE_OUTCOME = {
    GraduationGrade.EXCELLENT: PairingStatus.GRADUATED,
    GraduationGrade.PASS: PairingStatus.GRADUATED,
    GraduationGrade.FAIL: PairingStatus.FAILED,
}


class EndReason(models.TextChoices):
    MENTOR_LEFT = "mentor_left", _("The mentor left or moved post")  # 师傅调离/离职
    MENTOR_RETIRED = "mentor_retired", _("The mentor retired")  # 师傅退休
    APPRENTICE_TRANSFERRED = "apprentice_transferred", _("The apprentice was transferred")  # 徒弟调动
    APPRENTICE_LEFT = "apprentice_left", _("The apprentice left the company")  # 徒弟离职
    STUDIO_CLOSED = "studio_closed", _("The studio or alliance closed")  # 工作室/联盟撤销
    OTHER = "other", _("Other reason")  # 其他


MIN_TERM_MONTHS = 1
MAX_TERM_MONTHS = 60

# Bootstrap colours of the status badges.
STATUS_BADGE = {
    PairingStatus.ACTIVE: "bg-primary",
    PairingStatus.GRADUATED: "bg-success",
    PairingStatus.FAILED: "bg-danger",
    PairingStatus.ENDED: "bg-secondary",
}

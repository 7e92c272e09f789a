"""Every write to mentor pairings. Keyword-only, atomic, validated, permission-checked, audited on
the pairing (or on the reward rule) and notified.

Pairing: active → graduated | failed (by the graduation assessment, once) | ended (early, with a
reason). Progress is logged only while the pairing is under way, dated within the term and not in
the future; placements are dated within the term (and before the pairing closed), and may be
recorded after it closed (competition results come late).

Who may be paired:
- In a studio, the mentor and the apprentice are both current team members of the studio (an
  apprentice joins the team first): the studio's lead, its unit's cadres and HQ set it up.
- In an alliance, both are current team members of current member studios of the alliance, and
  the pairing crosses units: the studios they come from are of different units.
- Never the same person twice, and never two pairings of the same two people under way at once.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.choices import AllianceStatus
from alliances.models import Alliance
from alliances.policies import manages
from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.permissions import can
from core.services import audit_log, diff, notify, snapshot
from core.tables import register_action_labels
from studios.models import Membership, Studio
from studios.services import CLOSED_STATES as CLOSED_STUDIO_STATES
from talent import services as talent_services
from talent.choices import HonourLevel, SkillGrade
from talent.models import Person, SkillGradeChange

from . import selectors
from .choices import (
    EXCELLENT_MARK,
    GRADE_OUTCOME,
    MAX_TERM_MONTHS,
    MIN_TERM_MONTHS,
    PASS_MARK,
    EndReason,
    GraduationGrade,
    PairingStatus,
)
from .models import ALLOWANCE_FIELDS, GraduationAssessment, Pairing, Placement, ProgressLog, RewardRule
from .periods import term_end
from .policies import manages_pairings_of_alliance, manages_studio

register_action_labels(
    {
        "pairing_create": gettext_lazy("Pairing agreed"),
        "pairing_update": gettext_lazy("Pairing edited"),
        "pairing_progress": gettext_lazy("Progress logged"),
        "pairing_placement": gettext_lazy("Competition placement recorded"),
        "pairing_assess": gettext_lazy("Graduation assessed"),
        "pairing_end": gettext_lazy("Pairing ended early"),
        "pairing_grade_change": gettext_lazy("Apprentice's skill grade recorded"),
        "reward_rule_update": gettext_lazy("Mentor reward rule changed"),
    }
)

PAIRING_FIELDS = ("mentor", "apprentice", "agreement_on", "term_months", "goals")
EARLIEST = datetime.date(1990, 1, 1)


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _today():
    return timezone.localdate()


def _locked(pairing: Pairing) -> Pairing:
    # Only the pairing's row is locked: the studio and alliance are nullable (outer) joins.
    return (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("studio", "alliance", "alliance__lead_unit", "unit", "mentor", "apprentice")
        .get(pk=pairing.pk)
    )


def _under_way(pairing, message):
    if pairing.status != PairingStatus.ACTIVE:
        raise TransitionNotAllowed(message % {"status": pairing.get_status_display()})


def _notify(actor, pairing, title):
    users = [p.user for p in (pairing.mentor, pairing.apprentice) if p.user_id and p.user_id != actor.pk]
    notify(recipients=users, title=title, body=str(pairing), url=pairing.get_absolute_url())


def _check_target(actor, studio, alliance):
    """The studio or alliance the pairing is set up in: exactly one, open, run by the actor."""
    if (studio is None) == (alliance is None):
        raise ValidationError(_("Choose either a studio or an alliance."))
    if studio is not None:
        if not Studio.objects.visible_to(actor).filter(pk=studio.pk).exists() or not manages_studio(actor, studio):
            raise PermissionDenied
        if studio.status in CLOSED_STUDIO_STATES:
            raise ValidationError(
                _("This studio is closed (%(status)s): no new pairing.") % {"status": studio.get_status_display()}
            )
    else:
        if not manages_pairings_of_alliance(actor, alliance):
            raise PermissionDenied
        if alliance.status == AllianceStatus.DISSOLVED:
            raise ValidationError(_("This alliance has been dissolved: no new pairing."))


def _check_people(actor, *, studio, alliance, mentor, apprentice, pairing=None):
    """Who may be paired (see the module's docstring). On an edit, a person who stays is not
    checked again (the mentor may have moved on since the agreement)."""
    errors = {}
    if mentor is None:
        errors["mentor"] = _("Choose the mentor.")
    if apprentice is None:
        errors["apprentice"] = _("Choose the apprentice.")
    if errors:
        raise ValidationError(errors)
    if mentor.pk == apprentice.pk:
        raise ValidationError({"apprentice": _("The mentor and the apprentice must be two different people.")})
    new = {
        role: person
        for role, person in (("mentor", mentor), ("apprentice", apprentice))
        if pairing is None or getattr(pairing, f"{role}_id") != person.pk
    }
    # An alliance's managers pair people of its member studios across units, including units they
    # do not oversee; the membership check below bounds whom they may choose.
    people = Person.objects.filter(pk__in=[p.pk for p in new.values()])
    if not (alliance is not None and manages(actor, alliance)):
        people = people.visible_to(actor)
    visible = set(people.values_list("pk", flat=True))
    for role, person in new.items():
        if person.pk not in visible:
            errors[role] = _("Choose a person you can see.")
    if errors:
        raise ValidationError(errors)
    if studio is not None:
        team = set(
            Membership.objects.filter(
                studio=studio, left_on__isnull=True, person__in=[p.pk for p in new.values()]
            ).values_list("person_id", flat=True)
        )
        for role, person in new.items():
            if person.pk not in team:
                errors[role] = _("%(person)s is not a current team member of %(studio)s.") % {
                    "person": person.name,
                    "studio": studio.name,
                }
    else:
        units = selectors.member_units_in_alliance(alliance, [mentor, apprentice])
        for role, person in new.items():
            if not units[person.pk]:
                errors[role] = _("%(person)s is not in the team of a member studio of the alliance.") % {
                    "person": person.name
                }
        mentor_units, apprentice_units = units[mentor.pk], units[apprentice.pk]
        # Checked when someone new joins the pairing; a person who stays may have left the
        # alliance's teams since (no current unit to compare: the agreement stands).
        crossing = len(mentor_units | apprentice_units) >= 2
        if new and not errors and mentor_units and apprentice_units and not crossing:
            errors["apprentice"] = _(
                "An alliance pairing crosses units: the mentor and the apprentice come from member "
                "studios of the same unit. Set it up in the studio instead."
            )
    if errors:
        raise ValidationError(errors)


def _check_terms(*, agreement_on, term_months, goals, alliance=None, pairing=None):
    errors = {}
    if agreement_on is None:
        errors["agreement_on"] = _("Give the date the agreement was signed.")
    elif agreement_on > _today():
        errors["agreement_on"] = _("The agreement date cannot be in the future.")
    elif agreement_on < EARLIEST:
        errors["agreement_on"] = _("The agreement date is too far in the past.")
    elif alliance is not None and agreement_on < alliance.founded_on:
        errors["agreement_on"] = _("An alliance pairing cannot be agreed before the alliance was founded.")
    if term_months is None or not MIN_TERM_MONTHS <= term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = _("The term is from %(min)d to %(max)d months.") % {
            "min": MIN_TERM_MONTHS,
            "max": MAX_TERM_MONTHS,
        }
    if not (goals or "").strip():
        errors["goals"] = _("Write down the goals agreed for the apprentice.")
    if not errors and pairing is not None:
        # Progress and placements already recorded must stay within the new term.
        end = term_end(agreement_on, term_months)
        for model, field, label in (
            (ProgressLog, "logged_on", _("progress")),
            (Placement, "placed_on", _("a placement")),
        ):
            dates = model.objects.filter(pairing=pairing).values_list(field, flat=True)
            if dates.filter(**{f"{field}__lt": agreement_on}).exists():
                errors["agreement_on"] = _("There is %(what)s recorded before this date.") % {"what": label}
            if dates.filter(**{f"{field}__gt": end}).exists():
                errors["term_months"] = _("There is %(what)s recorded after the end of this term.") % {"what": label}
    if errors:
        raise ValidationError(errors)


def _duplicate_error():
    return ValidationError({"apprentice": _("These two already have a pairing under way.")})


@transaction.atomic
def pairing_create(
    *,
    actor,
    studio: Studio | None = None,
    alliance: Alliance | None = None,
    mentor: Person,
    apprentice: Person,
    agreement_on: datetime.date,
    term_months: int,
    goals: str,
    agreement=None,
) -> Pairing:
    _require(actor, "add", Pairing)
    if alliance is not None:
        # Locked alone, then read with its lead unit (alliances.services._locked says why).
        Alliance.objects.select_for_update().filter(pk=alliance.pk).values_list("pk", flat=True).get()
        alliance = Alliance.objects.select_related("lead_unit").get(pk=alliance.pk)
    _check_target(actor, studio, alliance)
    _check_terms(agreement_on=agreement_on, term_months=term_months, goals=goals, alliance=alliance)
    _check_people(actor, studio=studio, alliance=alliance, mentor=mentor, apprentice=apprentice)
    if Pairing.objects.filter(mentor=mentor, apprentice=apprentice, status=PairingStatus.ACTIVE).exists():
        raise _duplicate_error()
    pairing = Pairing(
        studio=studio,
        alliance=alliance,
        unit_id=studio.unit_id if studio is not None else mentor.unit_id,
        mentor=mentor,
        apprentice=apprentice,
        agreement_on=agreement_on,
        term_months=term_months,
        term_ends_on=term_end(agreement_on, term_months),
        goals=goals.strip(),
        recorded_by=actor,
    )
    if agreement:
        pairing.agreement.save(agreement.name, agreement, save=False)
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:  # the same two people paired at the same moment by someone else
        raise _duplicate_error() from None
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_create",
        changes={
            k: [None, v]
            for k, v in snapshot(
                pairing, ("mentor", "apprentice", "agreement_on", "term_months", "term_ends_on")
            ).items()
        },
    )
    _notify(actor, pairing, sentence("A mentor pairing was agreed with you"))
    return pairing


@transaction.atomic
def pairing_update(*, actor, pairing: Pairing, agreement=None, **fields) -> Pairing:
    pairing = _locked(pairing)
    _require(actor, "change", pairing)
    _under_way(pairing, _("This pairing is now “%(status)s”; it can no longer be edited."))
    unknown = set(fields) - set(PAIRING_FIELDS)
    if unknown:
        raise TypeError(f"pairing_update got unexpected fields: {sorted(unknown)}")
    values = {name: fields.get(name, getattr(pairing, name)) for name in PAIRING_FIELDS}
    _check_terms(
        agreement_on=values["agreement_on"],
        term_months=values["term_months"],
        goals=values["goals"],
        alliance=pairing.alliance,
        pairing=pairing,
    )
    _check_people(
        actor,
        studio=pairing.studio,
        alliance=pairing.alliance,
        mentor=values["mentor"],
        apprentice=values["apprentice"],
        pairing=pairing,
    )
    clash = Pairing.objects.filter(
        mentor=values["mentor"], apprentice=values["apprentice"], status=PairingStatus.ACTIVE
    ).exclude(pk=pairing.pk)
    if clash.exists():
        raise _duplicate_error()
    before = snapshot(pairing, (*PAIRING_FIELDS, "term_ends_on"))
    for name, value in values.items():
        setattr(pairing, name, value)
    pairing.goals = pairing.goals.strip()
    pairing.term_ends_on = term_end(pairing.agreement_on, pairing.term_months)
    if pairing.alliance_id:
        pairing.unit_id = pairing.mentor.unit_id
    if agreement:
        pairing.agreement.save(agreement.name, agreement, save=False)
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:
        raise _duplicate_error() from None
    changes = diff(before, pairing)
    if agreement:
        changes["agreement"] = ["", pairing.agreement.name]
    if changes:
        audit_log(actor=actor, obj=pairing, action="pairing_update", changes=changes)
    return pairing


def _check_date_in_term(pairing, day, field, *, what):
    """`day` within the term (and before the pairing closed) and not in the future."""
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    start, end = selectors.term_window(pairing)
    if not start <= day <= end:
        raise ValidationError(
            {
                field: _("%(what)s must be dated within the pairing's term, %(start)s to %(end)s.")
                % {"what": what, "start": start.isoformat(), "end": end.isoformat()}
            }
        )


@transaction.atomic
def progress_add(*, actor, pairing: Pairing, logged_on: datetime.date, content: str) -> ProgressLog:
    pairing = _locked(pairing)
    _require(actor, "log_progress", pairing)
    _under_way(pairing, _("This pairing is now “%(status)s”; progress is logged only while it is under way."))
    _check_date_in_term(pairing, logged_on, "logged_on", what=_("Progress"))
    if not (content or "").strip():
        raise ValidationError({"content": _("Write down the progress.")})
    log = ProgressLog.objects.create(pairing=pairing, logged_on=logged_on, content=content.strip(), logged_by=actor)
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_progress",
        changes={"progress_logs.logged_on": logged_on.isoformat()},
        comment=log.content[:500],
    )
    return log


@transaction.atomic
def placement_add(
    *, actor, pairing: Pairing, competition: str, level: str, placement: str, placed_on: datetime.date
) -> Placement:
    pairing = _locked(pairing)
    _require(actor, "add_placement", pairing)
    errors = {}
    competition, placement = (competition or "").strip(), (placement or "").strip()
    if not competition:
        errors["competition"] = _("Name the competition.")
    if not placement:
        errors["placement"] = _("Give the placement, e.g. 一等奖.")
    if level not in HonourLevel.values:
        errors["level"] = _("Choose the level of the competition.")
    if errors:
        raise ValidationError(errors)
    _check_date_in_term(pairing, placed_on, "placed_on", what=_("A placement"))
    if Placement.objects.filter(pairing=pairing, competition=competition, placed_on=placed_on).exists():
        raise ValidationError({"competition": _("This placement is already recorded.")})
    try:
        with transaction.atomic():
            row = Placement.objects.create(
                pairing=pairing,
                competition=competition,
                level=level,
                placement=placement,
                placed_on=placed_on,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"competition": _("This placement is already recorded.")}) from None
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_placement",
        changes={"placements.level": level, "placements.placed_on": placed_on.isoformat()},
        comment=f"{competition} {placement}",
    )
    return row


def _latest_record(pairing):
    dates = [
        ProgressLog.objects.filter(pairing=pairing).aggregate(d=Max("logged_on"))["d"],
        Placement.objects.filter(pairing=pairing).aggregate(d=Max("placed_on"))["d"],
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _check_closing_date(pairing, day, field):
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day < pairing.agreement_on:
        raise ValidationError({field: _("The date cannot be before the agreement.")})
    latest = _latest_record(pairing)
    if latest is not None and day < latest:
        raise ValidationError(
            {
                field: _("Progress or a placement is recorded on %(date)s, after this date.")
                % {"date": latest.isoformat()}
            }
        )


def check_score(score, grade) -> dict:
    """Errors of a score and grade that do not agree (PASS_MARK, EXCELLENT_MARK)."""
    errors = {}
    if score is None:
        errors["score"] = _("Give the score.")
    elif not Decimal("0") <= score <= Decimal("100"):
        errors["score"] = _("The score is from 0 to 100.")
    if grade not in GraduationGrade.values:
        errors["grade"] = _("Choose the grade.")
    if errors:
        return errors
    if grade == GraduationGrade.FAIL and score >= PASS_MARK:
        errors["grade"] = _("A score of %(pass)d or more is not a fail.") % {"pass": PASS_MARK}
    elif grade != GraduationGrade.FAIL and score < PASS_MARK:
        errors["grade"] = _("A score below %(pass)d is a fail.") % {"pass": PASS_MARK}
    elif grade == GraduationGrade.EXCELLENT and score < EXCELLENT_MARK:
        errors["grade"] = _("An excellent needs a score of %(mark)d or more.") % {"mark": EXCELLENT_MARK}
    return errors


@transaction.atomic
def pairing_assess(
    *,
    actor,
    pairing: Pairing,
    assessed_on: datetime.date,
    score: Decimal,
    grade: str,
    assessors: str,
    comment: str = "",
) -> GraduationAssessment:
    """Record the graduation assessment (出师考核), once: the pairing graduates, or fails."""
    pairing = _locked(pairing)
    _require(actor, "assess", pairing)
    if GraduationAssessment.objects.filter(pairing=pairing).exists():
        raise TransitionNotAllowed(_("The graduation assessment of this pairing is already recorded."))
    _under_way(pairing, _("This pairing is now “%(status)s”; only a pairing under way can be assessed."))
    errors = check_score(score, grade)
    if not (assessors or "").strip():
        errors["assessors"] = _("Name the assessors.")
    if errors:
        raise ValidationError(errors)
    _check_closing_date(pairing, assessed_on, "assessed_on")
    try:
        with transaction.atomic():
            assessment = GraduationAssessment.objects.create(
                pairing=pairing,
                assessed_on=assessed_on,
                score=score,
                grade=grade,
                assessors=assessors.strip(),
                comment=(comment or "").strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("The graduation assessment of this pairing is already recorded.")) from None
    old = pairing.status
    pairing.status, pairing.ended_on = GRADE_OUTCOME[GraduationGrade(grade)], assessed_on
    pairing.save(update_fields=["status", "ended_on", "updated_at"])
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_assess",
        changes={
            "status": [old, pairing.status],
            "ended_on": [None, assessed_on.isoformat()],
            "assessment.grade": grade,
            "assessment.score": str(score),
        },
        comment=assessment.comment,
    )
    _notify(actor, pairing, sentence("The graduation assessment of your pairing was recorded"))
    return assessment


@transaction.atomic
def pairing_end(*, actor, pairing: Pairing, ended_on: datetime.date, reason: str, comment: str = "") -> Pairing:
    """End a pairing early (提前终止): the mentor left, the apprentice was transferred…"""
    pairing = _locked(pairing)
    _require(actor, "end", pairing)
    _under_way(pairing, _("This pairing is now “%(status)s”; only a pairing under way can be ended."))
    comment = (comment or "").strip()
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose the reason.")})
    if reason == EndReason.OTHER and not comment:
        raise ValidationError({"comment": _("Explain the reason.")})
    _check_closing_date(pairing, ended_on, "ended_on")
    old = pairing.status
    pairing.status, pairing.ended_on, pairing.end_reason, pairing.end_note = (
        PairingStatus.ENDED,
        ended_on,
        reason,
        comment,
    )
    pairing.save(update_fields=["status", "ended_on", "end_reason", "end_note", "updated_at"])
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_end",
        changes={"status": [old, pairing.status], "ended_on": [None, ended_on.isoformat()], "end_reason": reason},
        comment=comment,
    )
    _notify(actor, pairing, sentence("Your mentor pairing was ended"))
    return pairing


@transaction.atomic
def pairing_grade_change(
    *, actor, pairing: Pairing, grade: str, changed_on: datetime.date, proof=None, note: str = ""
) -> SkillGradeChange:
    """Record a skill-grade change of the apprentice from the pairing page, through the people
    registry's own service (which records a change once and refuses a duplicate)."""
    pairing = (
        Pairing.objects.visible_to(actor).select_related("apprentice", "apprentice__unit").filter(pk=pairing.pk).first()
    )
    if pairing is None:
        raise PermissionDenied
    _require(actor, "record_grade", pairing)
    if grade not in SkillGrade.values:
        raise ValidationError({"grade": _("Choose the skill grade.")})
    change = talent_services.person_grade_change(
        actor=actor, person=pairing.apprentice, grade=grade, changed_on=changed_on, proof=proof, note=note
    )
    audit_log(
        actor=actor,
        obj=pairing,
        action="pairing_grade_change",
        changes={"apprentice": str(pairing.apprentice), "term_ends_on": pairing.term_ends_on.isoformat()},
        comment=talent_services.grade_change_comment(change),
    )
    return change


# Reward rule --------------------------------------------------------------------------------------

RULE_FIELDS = (*ALLOWANCE_FIELDS, "bonus_grade", "bonus_years", "bonus_amount")


@transaction.atomic
def reward_rule_update(*, actor, **fields) -> RewardRule:
    _require(actor, "change", RewardRule)
    rule, _created = RewardRule.objects.select_for_update().get_or_create(pk=1)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"reward_rule_update got unexpected fields: {sorted(unknown)}")
    errors = {}
    for name in ALLOWANCE_FIELDS:
        if name in fields and (fields[name] is None or not Decimal("0") <= fields[name] <= Decimal("100000")):
            errors[name] = _("A monthly allowance is from 0 to 100,000 yuan.")
    if "bonus_amount" in fields and (
        fields["bonus_amount"] is None or not Decimal("0") <= fields["bonus_amount"] <= Decimal("1000000")
    ):
        errors["bonus_amount"] = _("The bonus is from 0 to 1,000,000 yuan.")
    if "bonus_years" in fields and (fields["bonus_years"] is None or not 1 <= fields["bonus_years"] <= 10):
        errors["bonus_years"] = _("From 1 to 10 years.")
    if "bonus_grade" in fields and fields["bonus_grade"] not in SkillGrade.values:
        errors["bonus_grade"] = _("Choose the skill grade.")
    if errors:
        raise ValidationError(errors)
    cent = Decimal("0.01")
    for name in (*ALLOWANCE_FIELDS, "bonus_amount"):
        if name in fields:
            fields[name] = Decimal(str(fields[name])).quantize(cent)  # 200 and 200.00 are the same amount
    before = snapshot(rule, fields)
    for name, value in fields.items():
        setattr(rule, name, value)
    changes = diff(before, rule)
    if changes:
        rule.save()
        audit_log(actor=actor, obj=rule, action="reward_rule_update", changes=changes)
    return rule

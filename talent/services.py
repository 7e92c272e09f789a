"""Every write to the people registry and the selection campaigns. Keyword-only, atomic,
validated, audited.

Selection campaign: open → scoring → publicised → closed.

- open: HQ sets the criteria (weights adding up to 100) and the expert panel; unit cadres
  nominate people or verified results of their subtree until the nominations close (HQ while
  the campaign is open) and may withdraw them.
- scoring (HQ starts it: at least one nomination, the weights add up to 100, at least one expert,
  and every nominee has an expert who is not conflicted): each expert scores each nomination it
  is not conflicted with, once, and may revise its scorecard until the public notice.
- conflict of interest (回避): automatic for a nominee of the expert's own unit; declared by the
  expert (its mentor, colleague, relative…) while the campaign is open or in scoring, with the
  reason. A declaration after scoring withdraws the expert's scorecard with it (its total kept on
  the declaration and in the audit trail), so the nominee's result is the mean of the remaining
  experts' scorecards either way; HQ is told, and told to assign another expert when nobody of
  the panel may score the nominee any more.
- publicised: HQ picks at most `quota` scored nominees (offered by rank) for the public notice
  (公示) with its dates.
- closed (on or after the last day of the public notice): the proposed nominees become selected,
  the others not selected; each selected person receives the campaign's honour (talent.Honour),
  each selected result its award (achievements.Award), linked to the campaign so that nothing is
  awarded twice. Closing a closed campaign is refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register_change_names
from core.choices import AuditAction
from core.exceptions import TransitionNotAllowed
from core.i18n import ChoiceLabel, sentence
from core.permissions import can, in_user_subtree
from core.services import audit_log, diff, ensure_present, notifications_settle, notify, snapshot
from core.tables import register_action_labels

from .choices import (
    LIVE_NOMINATION_STATES,
    PANEL_CAMPAIGN_STATES,
    CampaignKind,
    CampaignStatus,
    NominationStatus,
    RecusalRelation,
    SkillGrade,
)
from .models import (
    Campaign,
    Criterion,
    Honour,
    Nomination,
    PanelMember,
    Person,
    Recusal,
    Scorecard,
    ScoreItem,
    SkillGradeChange,
)

register_action_labels(
    {
        "campaign_create": gettext_lazy("Campaign opened"),
        "campaign_update": gettext_lazy("Campaign edited"),
        "criterion_add": gettext_lazy("Criterion added"),
        "criterion_update": gettext_lazy("Criterion edited"),
        "criterion_delete": gettext_lazy("Criterion removed"),
        "panel_add": gettext_lazy("Expert assigned"),
        "panel_remove": gettext_lazy("Expert removed from the panel"),
        "campaign_start_scoring": gettext_lazy("Expert scoring started"),
        "campaign_publicise": gettext_lazy("Selection put to public notice"),
        "campaign_close": gettext_lazy("Campaign closed"),
        "nomination_create": gettext_lazy("Nominated"),
        "nomination_withdraw": gettext_lazy("Nomination withdrawn"),
        "nomination_selected": gettext_lazy("Selected"),
        "nomination_not_selected": gettext_lazy("Not selected"),
        "scorecard_submit": gettext_lazy("Scorecard submitted"),
        "scorecard_revise": gettext_lazy("Scorecard revised"),
        "nomination_recuse": gettext_lazy("Conflict of interest declared (回避)"),
    }
)
# A scorecard's weighted total is computed, not stored.
register_change_names(Scorecard, labels={"total": gettext_lazy("Weighted total")})

PERSON_FIELDS = ("name", "gender", "employee_no", "unit", "team_group", "post", "phone", "id_number", "photo")


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _check_unit(actor, unit) -> None:
    if unit is None:
        raise ValidationError({"unit": _("Choose the person's unit.")})
    if actor.is_hq:
        return
    if not in_user_subtree(actor, unit):
        raise ValidationError({"unit": _("You may only register people of your own unit or the units below it.")})


def _check_employee_no(employee_no, *, exclude_pk=None) -> None:
    if not employee_no:
        return
    clash = Person.objects.filter(employee_no=employee_no)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"employee_no": _("Another person already has this employee number.")})


@transaction.atomic
def person_create(*, actor, name: str, unit, **fields) -> Person:
    _require(actor, "add", Person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create got unexpected fields: {sorted(unknown)}")
    _check_unit(actor, unit)
    fields["employee_no"] = fields.get("employee_no") or None
    _check_employee_no(fields["employee_no"])
    try:
        with transaction.atomic():
            person = Person.objects.create(name=name, unit=unit, **fields)
    except IntegrityError:  # the same employee number registered at the same moment
        raise ValidationError({"employee_no": _("Another person already has this employee number.")}) from None
    audit_log(
        actor=actor,
        obj=person,
        action=AuditAction.CREATE,
        changes={"name": [None, name], "unit": [None, str(unit)]},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update got unexpected fields: {sorted(unknown)}")
    if "unit" in fields and fields["unit"] != person.unit:
        _check_unit(actor, fields["unit"])
    if "employee_no" in fields:
        fields["employee_no"] = fields["employee_no"] or None
        _check_employee_no(fields["employee_no"], exclude_pk=person.pk)
    if "photo" in fields and not fields["photo"]:
        del fields["photo"]  # an empty upload keeps the current photo
    before = snapshot(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    changes = diff(before, person)
    if changes:
        person.save()
        # Personal data changes are audited without their values.
        for private in ("phone", "id_number"):
            if private in changes:
                changes[private] = ["***", "***"]
        audit_log(actor=actor, obj=person, action=AuditAction.UPDATE, changes=changes)
    return person


@transaction.atomic
def person_grade_change(
    *, actor, person: Person, grade: str, changed_on: datetime.date, proof=None, note: str = ""
) -> SkillGradeChange:
    """Record a skill-grade change once; the person's current grade is the newest change's."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("The date cannot be in the future.")})
    if SkillGradeChange.objects.filter(person=person, grade=grade, changed_on=changed_on).exists():
        raise ValidationError({"grade": _("This grade change is already recorded.")})
    try:
        with transaction.atomic():
            change = SkillGradeChange.objects.create(
                person=person, grade=grade, changed_on=changed_on, proof=proof or "", note=note
            )
    except IntegrityError:
        raise ValidationError({"grade": _("This grade change is already recorded.")}) from None
    newest = SkillGradeChange.objects.filter(person=person).order_by("-changed_on", "-id").first()
    old_grade = person.skill_grade
    if person.skill_grade != newest.grade:
        person.skill_grade = newest.grade
        person.save(update_fields=["skill_grade", "updated_at"])
    audit_log(
        actor=actor,
        obj=person,
        action="grade_change",
        changes={"skill_grade": [old_grade, person.skill_grade]},
        comment=grade_change_comment(change),
    )
    return change


def grade_change_comment(change: SkillGradeChange):
    """A grade change as its history reads it, in the reader's language: the grade, from when, and
    the note if any."""
    values = {"grade": ChoiceLabel(SkillGrade, change.grade), "date": change.changed_on.isoformat()}
    if change.note:
        return sentence("%(grade)s from %(date)s: %(note)s", note=change.note, **values)
    return sentence("%(grade)s from %(date)s", **values)


@transaction.atomic
def honour_add(*, actor, person: Person, kind: str, level: str, title: str, year: int, issuer: str = "") -> Honour:
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("The year cannot be in the future.")})
    if Honour.objects.filter(person=person, title=title, year=year).exists():
        raise ValidationError({"title": _("This honour is already recorded for that year.")})
    honour = Honour.objects.create(person=person, kind=kind, level=level, title=title, year=year, issuer=issuer)
    audit_log(actor=actor, obj=person, action="honour_add", comment=f"{title} ({year})")
    return honour


@transaction.atomic
def honour_remove(*, actor, honour: Honour) -> None:
    person = Person.objects.select_for_update().get(pk=honour.person_id)
    _require(actor, "change", person)
    ensure_present(honour)
    if honour.campaign_id:
        # An honour awarded by a selection campaign is an official act, part of its record.
        raise ValidationError(
            _("This honour was awarded by the selection campaign “%(campaign)s”; it cannot be removed.")
            % {"campaign": honour.campaign}
        )
    audit_log(actor=actor, obj=person, action="honour_remove", comment=f"{honour.title} ({honour.year})")
    honour.delete()


@transaction.atomic
def person_link_user(*, actor, person: Person, user) -> Person:
    """Link a person record to a login (or unlink with user=None)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "link_user", person)
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This login already belongs to another person.")})
    before = snapshot(person, ["user"])
    person.user = user
    changes = diff(before, person)
    if changes:
        try:
            with transaction.atomic():
                person.save(update_fields=["user", "updated_at"])
        except IntegrityError:
            raise ValidationError({"user": _("This login already belongs to another person.")}) from None
        audit_log(actor=actor, obj=person, action=AuditAction.UPDATE, changes=changes)
    return person


# Selection campaigns ------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "kind",
    "name",
    "year",
    "honour_title",
    "honour_kind",
    "honour_level",
    "award_grade",
    "quota",
    "description",
    "nominations_close_on",
    "scoring_until",
    "publicity_from",
    "publicity_until",
)
MAX_QUOTA = 1000


def _today():
    return timezone.localdate()


def _locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _campaign_step(campaign: Campaign, allowed, message: str) -> None:
    """Refuse (409) an action the campaign's state does not allow."""
    if campaign.status not in allowed:
        raise TransitionNotAllowed(message % {"status": campaign.get_status_display()})


def _tell(recipients, title, campaign, url=None, *, waits=False):
    """Tell of a campaign's step; `waits`: the recipients are asked for the next one (settled when
    the campaign moves on)."""
    notify(
        recipients=recipients,
        title=title,
        body=campaign.name,
        url=url or campaign.get_absolute_url(),
        task=campaign if waits else None,
    )


def _check_campaign(fields: dict, *, campaign: Campaign | None = None) -> dict:
    """Validate a campaign's fields (merged over the current values on an edit); returns them cleaned."""
    errors = {}
    values = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS} if campaign else {}
    values.update({k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    values["name"] = (values.get("name") or "").strip()
    values["honour_title"] = (values.get("honour_title") or "").strip()
    values["award_grade"] = (values.get("award_grade") or "").strip()
    values["honour_kind"] = values.get("honour_kind") or ""
    if not values["name"]:
        errors["name"] = _("Give the campaign a name.")
    elif Campaign.objects.filter(name=values["name"]).exclude(pk=campaign.pk if campaign else None).exists():
        errors["name"] = _("A campaign with this name already exists.")
    if not values["honour_title"]:
        errors["honour_title"] = _("Name the honour or award the selected receive.")
    kind = values.get("kind")
    if kind not in CampaignKind.values:
        errors["kind"] = _("Choose what the campaign selects.")
    elif kind == CampaignKind.CRAFTSMAN:
        if not values["honour_kind"]:
            errors["honour_kind"] = _("A craftsman selection awards an honour: choose its kind.")
        if values["award_grade"]:
            errors["award_grade"] = _("Only a result selection awards a grade.")
    elif values["honour_kind"]:
        errors["honour_kind"] = _("A result selection awards an award to results, not an honour to people.")
    year = values.get("year")
    if year is not None and not (1950 <= year <= _today().year + 1):
        errors["year"] = _("Choose a year between 1950 and next year.")
    quota = values.get("quota")
    if quota is not None and not (1 <= quota <= MAX_QUOTA):
        errors["quota"] = _("The quota is between 1 and %(max)d.") % {"max": MAX_QUOTA}
    close_on, scoring_until = values.get("nominations_close_on"), values.get("scoring_until")
    publicity_from, publicity_until = values.get("publicity_from"), values.get("publicity_until")
    if close_on and scoring_until and scoring_until < close_on:
        errors["scoring_until"] = _("Scoring cannot end before the nominations close.")
    if (publicity_from is None) != (publicity_until is None):
        errors["publicity_until" if publicity_from else "publicity_from"] = _(
            "Give both days of the public notice, or neither."
        )
    elif publicity_from and publicity_until:
        if publicity_until < publicity_from:
            errors["publicity_until"] = _("The public notice cannot end before it begins.")
        elif scoring_until and publicity_from < scoring_until:
            errors["publicity_from"] = _("The public notice begins once the scoring has ended.")
    if campaign is None and close_on and close_on < _today():
        errors["nominations_close_on"] = _("The nominations cannot close in the past.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def campaign_create(*, actor, **fields) -> Campaign:
    _require(actor, "add", Campaign)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_create got unexpected fields: {sorted(unknown)}")
    values = _check_campaign(fields)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(created_by=actor, status=CampaignStatus.OPEN, **values)
    except IntegrityError:  # the same name created at the same moment
        raise ValidationError({"name": _("A campaign with this name already exists.")}) from None
    audit_log(
        actor=actor,
        obj=campaign,
        action="campaign_create",
        changes={k: [None, v] for k, v in snapshot(campaign, ("kind", "name", "year", "quota")).items()},
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Edit a campaign while it is open. What it selects (its kind) is fixed at creation."""
    campaign = _locked_campaign(campaign)
    _require(actor, "change", campaign)
    _campaign_step(campaign, (CampaignStatus.OPEN,), _("The campaign is now “%(status)s”; it can no longer be edited."))
    fields.pop("kind", None)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update got unexpected fields: {sorted(unknown)}")
    values = _check_campaign(fields, campaign=campaign)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name in fields:
        setattr(campaign, name, values[name])
    changes = diff(before, campaign)
    if changes:
        try:
            with transaction.atomic():
                campaign.save()
        except IntegrityError:
            raise ValidationError({"name": _("A campaign with this name already exists.")}) from None
        audit_log(actor=actor, obj=campaign, action="campaign_update", changes=changes)
    return campaign


# Criteria -----------------------------------------------------------------------------------------


def _check_criterion(campaign, *, name, weight, exclude_pk=None) -> str:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the criterion.")
    elif Criterion.objects.filter(campaign=campaign, name=name).exclude(pk=exclude_pk).exists():
        errors["name"] = _("The campaign already has this criterion.")
    if weight is None or not (1 <= weight <= 100):
        errors["weight"] = _("A weight is between 1 and 100.")
    else:
        others = Criterion.objects.filter(campaign=campaign).exclude(pk=exclude_pk)
        total = sum(others.values_list("weight", flat=True)) + weight
        if total > 100:
            errors["weight"] = _("The weights would add up to %(total)d; they add up to 100 at most.") % {
                "total": total
            }
    if errors:
        raise ValidationError(errors)
    return name


def _criteria_open(campaign):
    _campaign_step(
        campaign,
        (CampaignStatus.OPEN,),
        _("The campaign is now “%(status)s”: its criteria can no longer change."),
    )


@transaction.atomic
def criterion_add(*, actor, campaign: Campaign, name: str, weight: int, description: str = "", order: int = 0):
    campaign = _locked_campaign(campaign)
    _require(actor, "manage_criteria", campaign)
    _criteria_open(campaign)
    name = _check_criterion(campaign, name=name, weight=weight)
    try:
        with transaction.atomic():
            criterion = Criterion.objects.create(
                campaign=campaign, name=name, weight=weight, description=description, order=order
            )
    except IntegrityError:
        raise ValidationError({"name": _("The campaign already has this criterion.")}) from None
    audit_log(
        actor=actor,
        obj=campaign,
        action="criterion_add",
        changes={"criteria.name": name, "criteria.weight": weight},
    )
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    campaign = _locked_campaign(criterion.campaign)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    _require(actor, "change", criterion)
    _criteria_open(campaign)
    fields = {k: v for k, v in fields.items() if k in ("name", "weight", "description", "order")}
    fields["name"] = _check_criterion(
        campaign,
        name=fields.get("name", criterion.name),
        weight=fields.get("weight", criterion.weight),
        exclude_pk=criterion.pk,
    )
    before = snapshot(criterion, fields)
    for name, value in fields.items():
        setattr(criterion, name, value)
    changes = diff(before, criterion)
    if changes:
        try:
            with transaction.atomic():
                criterion.save()
        except IntegrityError:
            raise ValidationError({"name": _("The campaign already has this criterion.")}) from None
        audit_log(
            actor=actor,
            obj=campaign,
            action="criterion_update",
            changes={f"criteria.{k}": v for k, v in changes.items()},
            comment=criterion.name,
        )
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> Campaign:
    campaign = _locked_campaign(criterion.campaign)
    _require(actor, "delete", criterion)
    _criteria_open(campaign)
    ensure_present(criterion)
    audit_log(
        actor=actor,
        obj=campaign,
        action="criterion_delete",
        changes={"criteria.name": criterion.name, "criteria.weight": criterion.weight},
    )
    criterion.delete()
    return campaign


# The expert panel ---------------------------------------------------------------------------------


@transaction.atomic
def panel_add(*, actor, campaign: Campaign, expert) -> PanelMember:
    campaign = _locked_campaign(campaign)
    _require(actor, "manage_panel", campaign)
    _campaign_step(
        campaign, PANEL_CAMPAIGN_STATES, _("The campaign is now “%(status)s”: its panel can no longer change.")
    )
    if expert is None or not expert.is_expert or not expert.is_active:
        raise ValidationError({"expert": _("Choose an active review expert.")})
    if PanelMember.objects.filter(campaign=campaign, expert=expert).exists():
        raise ValidationError({"expert": _("This expert is already on the panel.")})
    try:
        with transaction.atomic():
            member = PanelMember.objects.create(campaign=campaign, expert=expert, added_by=actor)
    except IntegrityError:
        raise ValidationError({"expert": _("This expert is already on the panel.")}) from None
    audit_log(actor=actor, obj=campaign, action="panel_add", comment=str(expert))
    url = None
    if campaign.status == CampaignStatus.SCORING:
        from django.urls import reverse

        url = reverse("talent:scoring_queue")
    _tell([expert], sentence("You were assigned as a review expert"), campaign, url=url)
    return member


@transaction.atomic
def panel_remove(*, actor, member: PanelMember) -> Campaign:
    campaign = _locked_campaign(member.campaign)
    _require(actor, "delete", member)
    _campaign_step(
        campaign, PANEL_CAMPAIGN_STATES, _("The campaign is now “%(status)s”: its panel can no longer change.")
    )
    if Scorecard.objects.filter(nomination__campaign=campaign, expert_id=member.expert_id).exists():
        raise TransitionNotAllowed(_("This expert has already scored nominees: the scores stay on the record."))
    ensure_present(member)
    audit_log(actor=actor, obj=campaign, action="panel_remove", comment=str(member.expert))
    member.delete()
    return campaign


# Nominations --------------------------------------------------------------------------------------


def _check_nominee(actor, campaign, person, result) -> None:
    """The nominee fits the campaign's kind, lies in the actor's reach, and is not taken."""
    from achievements.choices import ResultStatus
    from achievements.models import Award, Result

    if campaign.selects_people:
        if person is None or result is not None:
            raise ValidationError({"person": _("Choose the person you nominate.")})
        if not (actor.is_hq or in_user_subtree(actor, person.unit)) or not can(actor, "view", person):
            raise ValidationError({"person": _("You may only nominate people of your own unit or the units below it.")})
        live = Nomination.objects.filter(campaign=campaign, person=person, status__in=LIVE_NOMINATION_STATES)
        if live.exists():
            raise ValidationError({"person": _("This person is already nominated in this campaign.")})
        if Honour.objects.filter(person=person, title=campaign.honour_title, year=campaign.year).exists():
            raise ValidationError({"person": _("This person already holds this honour for that year.")})
        return
    if result is None or person is not None:
        raise ValidationError({"result": _("Choose the result you nominate.")})
    reachable = Result.objects.visible_to(actor).filter(pk=result.pk)
    if not actor.is_hq:
        from core.permissions import unit_subtree_q

        reachable = reachable.filter(unit_subtree_q(actor, "studio__unit"))
    if not reachable.exists():
        raise ValidationError({"result": _("You may only nominate results of your own unit or the units below it.")})
    if result.status != ResultStatus.VERIFIED:
        raise ValidationError({"result": _("Only a verified result can be nominated.")})
    if Nomination.objects.filter(campaign=campaign, result=result, status__in=LIVE_NOMINATION_STATES).exists():
        raise ValidationError({"result": _("This result is already nominated in this campaign.")})
    if Award.objects.filter(result=result, name=campaign.honour_title, year=campaign.year).exists():
        raise ValidationError({"result": _("This result already holds this award for that year.")})


@transaction.atomic
def nomination_create(
    *, actor, campaign: Campaign, statement: str, person: Person | None = None, result=None, material=None
) -> Nomination:
    """Nominate a person (craftsman selection) or a verified result (result selection).

    Unit cadres nominate within their subtree until the nominations close; HQ nominates anyone
    while the campaign is open (late paperwork it accepts). `material` is already checked and
    renamed by core.uploads.
    """
    campaign = _locked_campaign(campaign)
    _require(actor, "nominate", campaign)
    _campaign_step(
        campaign, (CampaignStatus.OPEN,), _("The campaign is now “%(status)s”: it no longer takes nominations.")
    )
    if not actor.is_hq and _today() > campaign.nominations_close_on:
        raise TransitionNotAllowed(
            _("Nominations closed on %(date)s.") % {"date": campaign.nominations_close_on.isoformat()}
        )
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": _("Describe the nominee's deeds and the reasons for the nomination.")})
    _check_nominee(actor, campaign, person, result)
    unit = person.unit if person is not None else result.studio.unit
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                campaign=campaign,
                person=person,
                result=result,
                unit=unit,
                nominated_by=actor,
                statement=statement,
                material=material or "",
            )
    except IntegrityError:  # the same nominee put forward at the same moment
        field = "person" if person is not None else "result"
        raise ValidationError({field: _("This nominee is already nominated in this campaign.")}) from None
    audit_log(
        actor=actor,
        obj=nomination,
        action="nomination_create",
        changes={"unit": [None, str(unit)], "status": [None, nomination.status]},
        comment=campaign.name,
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination, reason: str) -> Nomination:
    campaign = _locked_campaign(nomination.campaign)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _require(actor, "withdraw", nomination)
    _campaign_step(
        campaign,
        (CampaignStatus.OPEN,),
        _("The campaign is now “%(status)s”: a nomination can only be withdrawn while it is open."),
    )
    if nomination.status != NominationStatus.NOMINATED:
        raise TransitionNotAllowed(_("This nomination has already been withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for withdrawing the nomination.")})
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_reason = reason
    nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_log(
        actor=actor,
        obj=nomination,
        action="nomination_withdraw",
        changes={"status": [NominationStatus.NOMINATED, NominationStatus.WITHDRAWN]},
        comment=reason,
    )
    if nomination.nominated_by_id and nomination.nominated_by_id != actor.pk:
        notify(
            recipients=[nomination.nominated_by],
            title=sentence("A nomination you made was withdrawn"),
            body=f"{nomination.nominee} · {campaign.name}",
            url=nomination.get_absolute_url(),
        )
    return nomination


# Transitions --------------------------------------------------------------------------------------


def _declared(campaign) -> set[tuple[int, int]]:
    """{(nomination id, expert id)} of the campaign's declared recusals."""
    return set(Recusal.objects.filter(nomination__campaign=campaign).values_list("nomination_id", "expert_id"))


def scoring_problems(campaign: Campaign) -> list[str]:
    """What stops the campaign from moving to expert scoring (empty when nothing does)."""
    from accounts.models import User

    from .policies import units_conflict

    problems = []
    nominations = list(
        Nomination.objects.filter(campaign=campaign, status=NominationStatus.NOMINATED).select_related(
            "unit", "person", "result"
        )
    )
    if not nominations:
        problems.append(_("No nomination yet."))
    total = sum(Criterion.objects.filter(campaign=campaign).values_list("weight", flat=True))
    if total != 100:
        problems.append(_("The criteria weights add up to %(total)d; they must add up to 100.") % {"total": total})
    experts = list(User.objects.filter(campaign_panels__campaign=campaign).select_related("unit"))
    if not experts:
        problems.append(_("No expert is assigned yet."))
    else:
        declared = _declared(campaign)
        orphans = [n for n in nominations if all(units_conflict(e.unit, n.unit) for e in experts)]
        if orphans:
            problems.append(
                _("Every assigned expert is of the same unit as: %(nominees)s. Assign an expert of another unit.")
                % {"nominees": "、".join(str(n.nominee) for n in orphans)}
            )
        # Not orphaned by the units alone, but every other expert declared a conflict of interest.
        recused = [
            str(n.nominee)
            for n in nominations
            if n not in orphans and all(units_conflict(e.unit, n.unit) or (n.pk, e.pk) in declared for e in experts)
        ]
        if recused:
            problems.append(
                _(
                    "Every assigned expert is of the same unit as, or has declared a conflict of interest with: "
                    "%(nominees)s. Assign another expert."
                )
                % {"nominees": "、".join(recused)}
            )
    return problems


@transaction.atomic
def campaign_start_scoring(*, actor, campaign: Campaign, comment: str = "") -> Campaign:
    campaign = _locked_campaign(campaign)
    _require(actor, "start_scoring", campaign)
    _campaign_step(campaign, (CampaignStatus.OPEN,), _("The campaign is now “%(status)s”; scoring starts once only."))
    problems = scoring_problems(campaign)
    if problems:
        raise TransitionNotAllowed(problems)
    before = snapshot(campaign, ("status", "nominations_close_on"))
    campaign.status = CampaignStatus.SCORING
    # Scoring closes the nominations: started early, the campaign's record says so.
    campaign.nominations_close_on = min(campaign.nominations_close_on, _today())
    campaign.save(update_fields=["status", "nominations_close_on", "updated_at"])
    audit_log(
        actor=actor, obj=campaign, action="campaign_start_scoring", changes=diff(before, campaign), comment=comment
    )
    from django.urls import reverse

    from accounts.models import User

    experts = User.objects.filter(campaign_panels__campaign=campaign, is_active=True)
    _tell(
        experts,
        sentence("Nominations wait for your score"),
        campaign,
        url=reverse("talent:scoring_queue"),
        waits=True,
    )
    from .selectors import nominating_users

    _tell(nominating_users(campaign), sentence("The campaign has moved to expert scoring"), campaign)
    return campaign


@transaction.atomic
def scorecard_submit(*, actor, nomination: Nomination, scores: dict, comment: str = "") -> Scorecard:
    """Submit (or, while the campaign is in scoring, revise) the actor's scorecard of a nomination.

    `scores` maps each criterion of the campaign (or its id) to a whole score from 0 to 100.
    An expert of the nominee's own unit is refused (conflict of interest, see talent.policies).
    """
    from .policies import on_panel, units_conflict

    # The campaign's row is locked too: a scorecard cannot slip in while HQ publicises.
    campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("unit").get(pk=nomination.pk)
    if not actor.is_expert or not on_panel(actor, campaign):
        raise PermissionDenied(_("Only the experts assigned to this campaign score its nominees."))
    if units_conflict(actor.unit, nomination.unit):
        raise PermissionDenied(
            _("You must recuse yourself (回避): the nominee is of your own unit (%(unit)s).")
            % {"unit": nomination.unit}
        )
    _campaign_step(
        campaign, (CampaignStatus.SCORING,), _("The campaign is now “%(status)s”: scorecards are not accepted.")
    )
    if nomination.status != NominationStatus.NOMINATED:
        raise TransitionNotAllowed(_("This nomination has been withdrawn."))
    if Recusal.objects.filter(nomination=nomination, expert=actor).exists():
        raise TransitionNotAllowed(
            _("You declared a conflict of interest (回避) with this nominee: you no longer score it.")
        )
    criteria = list(Criterion.objects.filter(campaign=campaign).order_by("order", "id"))
    given = {(key.pk if isinstance(key, Criterion) else int(key)): value for key, value in scores.items()}
    errors = {}
    for criterion in criteria:
        value = given.get(criterion.pk)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not (0 <= value <= 100):
            errors[f"criterion_{criterion.pk}"] = _("Give a whole score from 0 to 100.")
    if set(given) - {c.pk for c in criteria}:
        errors["__all__"] = _("These scores are for criteria of another campaign.")
    if errors:
        raise ValidationError(errors)
    new_total = Decimal(sum(c.weight * given[c.pk] for c in criteria)) / 100
    card = Scorecard.objects.select_for_update().filter(nomination=nomination, expert=actor).first()
    if card is None:
        card = Scorecard.objects.create(nomination=nomination, expert=actor, comment=comment)
        ScoreItem.objects.bulk_create([ScoreItem(scorecard=card, criterion=c, score=given[c.pk]) for c in criteria])
        audit_log(actor=actor, obj=card, action="scorecard_submit", changes={"total": [None, str(new_total)]})
        return card
    items = {item.criterion_id: item for item in card.items.select_for_update()}
    old_total = Decimal(sum(c.weight * items[c.pk].score for c in criteria if c.pk in items)) / 100
    for criterion in criteria:
        item = items.get(criterion.pk) or ScoreItem(scorecard=card, criterion=criterion, score=0)
        item.score = given[criterion.pk]
        item.save()
    card.comment = comment
    card.revised_at = timezone.now()
    card.save(update_fields=["comment", "revised_at"])
    audit_log(actor=actor, obj=card, action="scorecard_revise", changes={"total": [str(old_total), str(new_total)]})
    return card


@transaction.atomic
def nomination_recuse(*, actor, nomination: Nomination, relation: str, reason: str) -> Recusal:
    """An expert declares a conflict of interest (回避) with a nominee: its mentor, colleague,
    relative… (its own unit needs no declaration). While the campaign is open or in scoring, once
    per expert and nominee. Declared after scoring, the expert's scorecard is withdrawn with it:
    a conflicted score must not count, and the nominee's result is the mean of the others'."""
    # The campaign's row first, as a scorecard does: the declaration and a scorecard (or HQ's
    # public notice) of the same moment are put in turn.
    campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("unit", "person", "result")
        .get(pk=nomination.pk)
    )
    _require(actor, "recuse", nomination)
    _campaign_step(
        campaign,
        PANEL_CAMPAIGN_STATES,
        _(
            "The campaign is now “%(status)s”: the scores are final and a conflict of interest can no longer "
            "be declared here. Tell HQ."
        ),
    )
    if nomination.status != NominationStatus.NOMINATED:
        raise TransitionNotAllowed(_("This nomination has been withdrawn."))
    earlier = Recusal.objects.filter(nomination=nomination, expert=actor).first()
    if earlier is not None:
        raise TransitionNotAllowed(
            _("You already declared a conflict of interest with this nominee on %(date)s.")
            % {"date": timezone.localtime(earlier.declared_at).strftime("%Y-%m-%d")}
        )
    errors = {}
    if relation not in RecusalRelation.values:
        errors["relation"] = _("Choose your relation to the nominee.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason for the recusal: how you are related to the nominee.")
    elif len(reason) > 2000:
        errors["reason"] = _("At most 2000 characters.")
    if errors:
        raise ValidationError(errors)
    withdrawn = None
    card = Scorecard.objects.select_for_update().filter(nomination=nomination, expert=actor).first()
    if card is not None:
        criteria = {c.pk: c.weight for c in Criterion.objects.filter(campaign=campaign)}
        weighted = sum(criteria.get(item.criterion_id, 0) * item.score for item in card.items.all())
        withdrawn = (Decimal(weighted) / 100).quantize(Decimal("0.01"))
        card.delete()
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(
                nomination=nomination, expert=actor, relation=relation, reason=reason, withdrawn_total=withdrawn
            )
    except IntegrityError:  # declared at the same moment elsewhere
        raise TransitionNotAllowed(_("You already declared a conflict of interest with this nominee.")) from None
    changes = {"recusals.relation": relation}
    if withdrawn is not None:
        changes["recusals.withdrawn_total"] = str(withdrawn)
    audit_log(actor=actor, obj=nomination, action="nomination_recuse", changes=changes, comment=reason)
    _tell_hq_of_recusal(campaign, nomination)
    return recusal


def _tell_hq_of_recusal(campaign: Campaign, nomination: Nomination) -> None:
    """HQ hears of every declaration; while scoring, also when no expert of the panel may score
    the nominee any more (another expert must be assigned)."""
    from accounts.models import User
    from studios.selectors import hq_cadres

    from .policies import units_conflict

    declared = set(Recusal.objects.filter(nomination=nomination).values_list("expert_id", flat=True))
    experts = User.objects.filter(campaign_panels__campaign=campaign, is_active=True).select_related("unit")
    free = [e for e in experts if e.pk not in declared and not units_conflict(e.unit, nomination.unit)]
    if free:
        title = sentence(
            "An expert declared a conflict of interest (回避) with %(nominee)s", nominee=nomination.nominee
        )
    else:
        title = sentence(
            "No expert of the panel may score %(nominee)s any more: assign another expert", nominee=nomination.nominee
        )
    notify(recipients=hq_cadres(), title=title, body=campaign.name, url=nomination.get_absolute_url())


@transaction.atomic
def campaign_publicise(
    *,
    actor,
    campaign: Campaign,
    selected,
    publicity_from: datetime.date,
    publicity_until: datetime.date,
    comment: str = "",
) -> Campaign:
    """Put HQ's selection (at most `quota` scored nominees) to public notice for the given days."""
    campaign = _locked_campaign(campaign)
    _require(actor, "publicise", campaign)
    _campaign_step(
        campaign,
        (CampaignStatus.SCORING,),
        _("The campaign is now “%(status)s”; only a campaign in scoring is put to public notice."),
    )
    chosen_ids = {n.pk for n in selected}
    live = list(
        Nomination.objects.filter(campaign=campaign, status=NominationStatus.NOMINATED)
        .select_related("person", "result")
        .order_by("id")
    )
    by_id = {n.pk: n for n in live}
    scored = set(Scorecard.objects.filter(nomination__in=[n.pk for n in live]).values_list("nomination_id", flat=True))
    errors = {}
    if not chosen_ids:
        errors["selected"] = _("Choose the nominees to put to public notice.")
    elif chosen_ids - set(by_id):
        errors["selected"] = _("Choose nominees of this campaign that are still nominated.")
    elif len(chosen_ids) > campaign.quota:
        errors["selected"] = _("At most %(quota)d can be selected; you chose %(count)d.") % {
            "quota": campaign.quota,
            "count": len(chosen_ids),
        }
    elif chosen_ids - scored:
        errors["selected"] = _("Only nominees the experts have scored can be selected.")
    if publicity_from is None:
        errors["publicity_from"] = _("Give the first day of the public notice.")
    elif publicity_from < campaign.nominations_close_on:
        errors["publicity_from"] = _("The public notice cannot begin before the nominations close.")
    if publicity_until is None:
        errors["publicity_until"] = _("Give the last day of the public notice.")
    elif publicity_from is not None and publicity_until < publicity_from:
        errors["publicity_until"] = _("The public notice cannot end before it begins.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(campaign, ("status", "publicity_from", "publicity_until"))
    Nomination.objects.filter(pk__in=chosen_ids).update(proposed=True, updated_at=timezone.now())
    Nomination.objects.filter(campaign=campaign).exclude(pk__in=chosen_ids).update(proposed=False)
    campaign.status = CampaignStatus.PUBLICISED
    campaign.publicity_from, campaign.publicity_until = publicity_from, publicity_until
    campaign.save(update_fields=["status", "publicity_from", "publicity_until", "updated_at"])
    notifications_settle(campaign)  # the scoring the experts were asked for is over
    names = "、".join(str(by_id[pk].nominee) for pk in sorted(chosen_ids))
    audit_log(
        actor=actor,
        obj=campaign,
        action="campaign_publicise",
        changes=diff(before, campaign),
        comment="\n".join(part for part in (names, comment) if part),
    )
    from .selectors import nominating_users

    _tell(nominating_users(campaign), sentence("The proposed selection is in public notice"), campaign)
    return campaign


def _issuer() -> str:
    """Who awards the campaigns' honours: the top unit's union (e.g. 江汉汽车集团有限公司工会)."""
    from accounts.models import Unit

    root = Unit.objects.get_first_root_node()
    return (root.union_name or root.name)[:100] if root else ""


def _award_person(actor, campaign, person, issuer) -> bool:
    """Give the campaign's honour to a person once; True when a row was written."""
    if Honour.objects.filter(campaign=campaign, person=person).exists():
        return False
    same = Honour.objects.select_for_update().filter(person=person, title=campaign.honour_title, year=campaign.year)
    if same.filter(campaign__isnull=False).exists():
        # Another campaign of the same year already gave this very title: the person holds it once.
        return False
    existing = same.filter(campaign__isnull=True).first()
    if existing is not None:
        # Recorded by hand meanwhile: the campaign's record is that row, not a second one.
        existing.campaign = campaign
        existing.save(update_fields=["campaign"])
    else:
        with transaction.atomic():
            Honour.objects.create(
                person=person,
                campaign=campaign,
                kind=campaign.honour_kind,
                level=campaign.honour_level,
                title=campaign.honour_title,
                year=campaign.year,
                issuer=issuer,
            )
    audit_log(actor=actor, obj=person, action="honour_add", comment=f"{campaign.honour_title} ({campaign.year})")
    return True


def _award_result(actor, campaign, result) -> bool:
    from achievements.models import Award

    if Award.objects.filter(campaign=campaign, result=result).exists():
        return False
    if Award.objects.filter(
        result=result, name=campaign.honour_title, year=campaign.year, campaign__isnull=False
    ).exists():
        # Another campaign of the same year already gave this very award: the result holds it once.
        return False
    existing = (
        Award.objects.select_for_update()
        .filter(result=result, name=campaign.honour_title, year=campaign.year, campaign__isnull=True)
        .first()
    )
    if existing is not None:
        existing.campaign = campaign
        existing.save(update_fields=["campaign"])
        award = existing
    else:
        with transaction.atomic():
            award = Award.objects.create(
                result=result,
                campaign=campaign,
                name=campaign.honour_title,
                level=campaign.honour_level,
                grade=campaign.award_grade,
                year=campaign.year,
            )
    audit_log(actor=actor, obj=result, action="award_add", comment=str(award))
    return True


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, comment: str = "") -> Campaign:
    """Close the campaign once its public notice has run: the proposed nominees are selected and
    receive the honour or award; the others are not selected. Closing twice is refused (409) and,
    should it ever get this far, the campaign links on the awarded rows stop a second award."""
    campaign = _locked_campaign(campaign)
    _require(actor, "close", campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise TransitionNotAllowed(_("The campaign is already closed; its honours have been awarded."))
    _campaign_step(
        campaign,
        (CampaignStatus.PUBLICISED,),
        _("The campaign is now “%(status)s”; it closes after its public notice."),
    )
    today = _today()
    if today < campaign.publicity_until:
        raise TransitionNotAllowed(
            _("The public notice runs until %(date)s; close the campaign on or after that day.")
            % {"date": campaign.publicity_until.isoformat()}
        )
    live = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, status=NominationStatus.NOMINATED)
        .select_related("person", "person__user", "result", "result__studio")
        .order_by("id")
    )
    issuer = _issuer()
    awarded = []
    for nomination in live:
        old = nomination.status
        nomination.status = NominationStatus.SELECTED if nomination.proposed else NominationStatus.NOT_SELECTED
        nomination.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            obj=nomination,
            action="nomination_selected" if nomination.proposed else "nomination_not_selected",
            changes={"status": [old, nomination.status]},
        )
        if not nomination.proposed:
            continue
        if nomination.person_id:
            written = _award_person(actor, campaign, nomination.person, issuer)
        else:
            written = _award_result(actor, campaign, nomination.result)
        if written:
            awarded.append(nomination)
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_on = today
    campaign.save(update_fields=["status", "closed_on", "updated_at"])
    audit_log(
        actor=actor,
        obj=campaign,
        action="campaign_close",
        changes={"status": [CampaignStatus.PUBLICISED, CampaignStatus.CLOSED], "closed_on": [None, today.isoformat()]},
        comment="\n".join(part for part in ("、".join(str(n.nominee) for n in awarded), comment) if part),
    )
    from .selectors import nominating_users

    _tell(nominating_users(campaign), sentence("The campaign was closed and its honours awarded"), campaign)
    winners = [n.person.user for n in awarded if n.person_id and n.person.user_id]
    honour = f"{campaign.honour_title} ({campaign.year})"
    _tell(winners, sentence("You were awarded %(honour)s", honour=honour), campaign)
    return campaign

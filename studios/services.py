"""Every write to studios. Keyword-only, atomic, validated, audited and notified.

Lifecycle: draft → submitted → recommended → publicised → named, with returned (reason required,
from either review) and rejected (final); after naming, rectifying (deadline) and revoked
(reason). Each transition locks the studio row, checks the actor's right, checks the current
state (else TransitionNotAllowed, shown as a clear message), writes one audit event with the
status change, and notifies the people concerned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register_change_names
from core.choices import AuditAction
from core.exceptions import TransitionNotAllowed
from core.i18n import ChoiceLabel, Label, sentence
from core.permissions import can, in_user_subtree
from core.services import (
    audit_log,
    diff,
    ensure_present,
    notifications_settle,
    notify,
    picture_delete,
    picture_store,
    snapshot,
)
from core.tables import register_action_labels
from talent.models import Person

from . import selectors
from .assessment import assessment_figures
from .choices import (
    AssessmentGrade,
    AssessmentStatus,
    BatchStatus,
    FundingDirection,
    FundingSource,
    FundingUse,
    MemberRole,
    RoundStatus,
    StudioLevel,
    StudioStatus,
)
from .eligibility import all_passed, studio_eligibility
from .models import (
    Assessment,
    AssessmentRound,
    EligibilityRules,
    FundingEntry,
    LevelRecord,
    Membership,
    NamingBatch,
    Studio,
    StudioKind,
    StudioPhoto,
)

S = StudioStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    permission: str
    label: str


TRANSITIONS = {
    "submit": Transition(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "submit", gettext_lazy("Submitted")),
    "recommend": Transition(frozenset({S.SUBMITTED}), S.RECOMMENDED, "review_unit", gettext_lazy("Recommended")),
    "return_unit": Transition(
        frozenset({S.SUBMITTED}), S.RETURNED, "review_unit", gettext_lazy("Returned by the unit")
    ),
    "return_hq": Transition(frozenset({S.RECOMMENDED}), S.RETURNED, "review_hq", gettext_lazy("Returned by HQ")),
    "reject": Transition(frozenset({S.SUBMITTED, S.RECOMMENDED}), S.REJECTED, "review_hq", gettext_lazy("Rejected")),
    "approve": Transition(
        frozenset({S.RECOMMENDED}), S.PUBLICISED, "review_hq", gettext_lazy("Approved for public notice")
    ),
    "name": Transition(frozenset({S.PUBLICISED}), S.NAMED, "name", gettext_lazy("Named")),
    "rectify": Transition(frozenset({S.NAMED}), S.RECTIFYING, "rectify", gettext_lazy("Sent to rectification")),
    "rectified": Transition(frozenset({S.RECTIFYING}), S.NAMED, "rectify", gettext_lazy("Rectification accepted")),
    "revoke": Transition(frozenset({S.NAMED, S.RECTIFYING}), S.REVOKED, "revoke", gettext_lazy("Revoked")),
}
register_action_labels({f"studio_{name}": t.label for name, t in TRANSITIONS.items()})
# studio_rectify records the deadline as "deadline".
register_change_names(Studio, fields={"deadline": "rectification_deadline"})
register_action_labels(
    {
        "change_lead": gettext_lazy("Lead changed"),
        "member_add": gettext_lazy("Team member added"),
        "member_end": gettext_lazy("Team member left"),
        "level_add": gettext_lazy("Level recorded"),
        "photo_add": gettext_lazy("Photo added"),
        "photo_delete": gettext_lazy("Photo removed"),
        "funding_add": gettext_lazy("Funding entry recorded"),
        "funding_reverse": gettext_lazy("Funding entry reversed"),
        "assessment_self": gettext_lazy("Self-assessment submitted"),
        "assessment_score": gettext_lazy("Scored by the unit"),
        "assessment_grade": gettext_lazy("Graded by HQ"),
        "batch_name": gettext_lazy("Batch named"),
        "round_open": gettext_lazy("Assessment round opened"),
        "round_close": gettext_lazy("Assessment round closed"),
        "grade_change": gettext_lazy("Skill grade changed"),
        "honour_add": gettext_lazy("Honour recorded"),
        "honour_remove": gettext_lazy("Honour removed"),
    }
)

STUDIO_FIELDS = (
    "name",
    "kind",
    "unit",
    "specialty",
    "founded_on",
    "venue_address",
    "venue_area",
    "facilities",
    "description",
    "contact_phone",
    "planned_projects",
    "applied_level",
    "applying_demonstration",
)
# What an application states; it is frozen once submitted and open again when returned.
APPLICATION_FIELDS = {"unit", "planned_projects", "applied_level", "applying_demonstration", "founded_on"}
EDITABLE_STATES = {S.DRAFT, S.RETURNED}
# What the review and the naming were about: after submission only reviewers change it.
REVIEWED_FIELDS = {"name", "kind", "venue_address", "venue_area"}
CLOSED_STATES = {S.REJECTED, S.REVOKED}


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _locked(studio: Studio) -> Studio:
    """The studio's row, locked, then read afresh with its unit and lead.

    The lock is taken on the studio's row alone. Taken through the joins, it would lock the unit
    and the lead too, and PostgreSQL, once a concurrent transaction that changed the lead has
    committed, re-checks the join of the new row against the old lead it first read: the studio
    is then not found at all (a 500 for the second of two lead changes at once).
    """
    Studio.objects.select_for_update().filter(pk=studio.pk).values_list("pk", flat=True).get()
    return Studio.objects.select_related("unit", "lead").get(pk=studio.pk)


def _concerned(studio, *, cadres=True, hq=False, lead=True):
    people = []
    if lead:
        people += list(selectors.studio_lead_users(studio))
    if cadres:
        people += list(selectors.cadres_over(studio.unit))
    if hq:
        people += list(selectors.hq_cadres())
    return people


def _transition(*, actor, studio: Studio, name: str, comment: str = "", apply=None, changes=None) -> Studio:
    transition = TRANSITIONS[name]
    studio = _locked(studio)
    _require(actor, transition.permission, studio)
    if studio.status not in transition.sources:
        raise TransitionNotAllowed(
            _("This studio is now “%(status)s”; “%(action)s” is not possible from there.")
            % {"status": studio.get_status_display(), "action": transition.label}
        )
    old = studio.status
    if apply is not None:
        apply(studio)
    studio.status = transition.target
    studio.save()
    notifications_settle(studio)  # the review the application waited for is done (or moot)
    audit_log(
        actor=actor,
        obj=studio,
        action=f"studio_{name}",
        changes={"status": [old, studio.status], **(changes or {})},
        comment=comment,
    )
    return studio


def _notify_transition(studio, recipients, title, *, waits=False):
    """Tell of a step; `waits`: the recipients are asked for the next one (settled when it is taken)."""
    notify(
        recipients=recipients,
        title=title,
        body=studio.name,
        url=studio.get_absolute_url(),
        task=studio if waits else None,
    )


def _today():
    return timezone.localdate()


# Registration and the application ----------------------------------------------------------------


def _check_unit_and_lead(actor, unit, lead: Person) -> None:
    if unit is None or not (actor.is_hq or in_user_subtree(actor, unit)):
        raise ValidationError({"unit": _("You may only register studios for your own unit or the units below it.")})
    if lead is None or not Person.objects.visible_to(actor).filter(pk=lead.pk).exists():
        raise ValidationError({"lead": _("Choose the lead from the people you can see.")})


@transaction.atomic
def studio_create(*, actor, name: str, kind: StudioKind, unit, lead: Person, **fields) -> Studio:
    """A unit cadre (or HQ) registers a studio: a draft, with its lead as the first team member."""
    _require(actor, "add", Studio)
    unknown = set(fields) - set(STUDIO_FIELDS)
    if unknown:
        raise TypeError(f"studio_create got unexpected fields: {sorted(unknown)}")
    _check_unit_and_lead(actor, unit, lead)
    if Studio.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("This unit already has a studio with this name.")})
    try:
        with transaction.atomic():
            studio = Studio.objects.create(name=name, kind=kind, unit=unit, lead=lead, **fields)
    except IntegrityError:  # registered at the same moment by someone else
        raise ValidationError({"name": _("This unit already has a studio with this name.")}) from None
    Membership.objects.create(studio=studio, person=lead, role=MemberRole.LEAD, joined_on=studio.founded_on or _today())
    audit_log(
        actor=actor,
        obj=studio,
        action=AuditAction.CREATE,
        changes={"name": [None, name], "unit": [None, str(unit)], "lead": [None, str(lead)]},
    )
    notify(
        recipients=selectors.studio_lead_users(studio),
        title=sentence("Your studio was registered; please complete and submit the application"),
        body=studio.name,
        url=studio.get_absolute_url(),
    )
    return studio


@transaction.atomic
def studio_update(*, actor, studio: Studio, **fields) -> Studio:
    studio = _locked(studio)
    _require(actor, "change", studio)
    unknown = set(fields) - set(STUDIO_FIELDS)
    if unknown:
        raise TypeError(f"studio_update got unexpected fields: {sorted(unknown)}")
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    may_review = can(actor, "review_unit", studio)
    before = snapshot(studio, fields)
    for name, value in fields.items():
        setattr(studio, name, value)
    changes = diff(before, studio)
    reviewed = REVIEWED_FIELDS & set(changes)
    if reviewed and studio.status not in EDITABLE_STATES and not may_review:
        raise ValidationError(
            {field: _("After submission only the unit's cadre or HQ may change this.") for field in reviewed}
        )
    frozen = APPLICATION_FIELDS & set(changes)
    if frozen and studio.status not in EDITABLE_STATES:
        raise ValidationError(
            {field: _("This is part of the application and cannot change after submission.") for field in frozen}
        )
    if "unit" in changes and not (may_review and (actor.is_hq or in_user_subtree(actor, studio.unit))):
        raise ValidationError({"unit": _("You may only register studios for your own unit or the units below it.")})
    if "name" in changes and Studio.objects.filter(unit=studio.unit, name=studio.name).exclude(pk=studio.pk).exists():
        raise ValidationError({"name": _("This unit already has a studio with this name.")})
    if changes:
        studio.save()
        audit_log(actor=actor, obj=studio, action=AuditAction.UPDATE, changes=changes)
    return studio


@transaction.atomic
def studio_submit(*, actor, studio: Studio, explanation: str = "") -> Studio:
    """Submit the application. The eligibility check is stored with it; unmet criteria need an explanation."""
    explanation = explanation.strip()

    def apply(locked):
        criteria = [c.as_dict() for c in studio_eligibility(locked)]
        if not all_passed(criteria) and not explanation:
            raise ValidationError(
                {"explanation": _("Some criteria are not met: explain why the application should still be considered.")}
            )
        locked.eligibility = criteria
        locked.explanation = explanation

    studio = _transition(actor=actor, studio=studio, name="submit", apply=apply, comment=explanation)
    recipients = list(selectors.cadres_over(studio.unit)) or list(selectors.hq_cadres())
    _notify_transition(studio, recipients, sentence("A studio application waits for your review"), waits=True)
    return studio


@transaction.atomic
def studio_recommend(*, actor, studio: Studio, comment: str = "") -> Studio:
    studio = _transition(actor=actor, studio=studio, name="recommend", comment=comment)
    _notify_transition(studio, selectors.hq_cadres(), sentence("A studio was recommended for HQ review"), waits=True)
    return studio


@transaction.atomic
def studio_return(*, actor, studio: Studio, reason: str) -> Studio:
    """Send the application back to the applicant, from the unit's or from HQ's review."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for returning the application.")})
    current = Studio.objects.only("status").get(pk=studio.pk).status
    name = "return_hq" if current == S.RECOMMENDED else "return_unit"
    studio = _transition(actor=actor, studio=studio, name=name, comment=reason)
    _notify_transition(
        studio, _concerned(studio), sentence("A studio application was returned: %(reason)s", reason=reason)
    )
    return studio


@transaction.atomic
def studio_reject(*, actor, studio: Studio, reason: str) -> Studio:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for rejecting the application.")})
    studio = _transition(actor=actor, studio=studio, name="reject", comment=reason)
    _notify_transition(studio, _concerned(studio), sentence("A studio application was rejected"))
    return studio


@transaction.atomic
def studio_approve(
    *, actor, studio: Studio, batch: NamingBatch, comment: str = "", approved_on: datetime.date | None = None
) -> Studio:
    """HQ approves: the studio goes into a naming batch and its public notice (公示).

    The batch's notice must not have begun, so that every studio is publicised for the whole
    period. `approved_on` lets historical records be entered; it defaults to today.
    """
    batch = NamingBatch.objects.select_for_update().get(pk=batch.pk)
    approved_on = approved_on or _today()
    if batch.status != BatchStatus.OPEN:
        raise ValidationError({"batch": _("This batch has already been named; choose an open batch.")})
    if approved_on > batch.publicity_start:
        raise ValidationError(
            {"batch": _("This batch's public notice has already begun; choose a batch whose notice is still to come.")}
        )

    def apply(locked):
        locked.batch = batch

    studio = _transition(
        actor=actor, studio=studio, name="approve", apply=apply, comment=comment, changes={"batch": [None, str(batch)]}
    )
    _notify_transition(
        studio,
        _concerned(studio),
        sentence("A studio entered public notice until %(date)s", date=batch.publicity_end.isoformat()),
    )
    return studio


# Naming batches -----------------------------------------------------------------------------------

BATCH_FIELDS = ("year", "level", "name", "document_no", "publicity_start", "publicity_end")


def _check_batch(fields, *, exclude_pk=None):
    if fields["publicity_end"] < fields["publicity_start"]:
        raise ValidationError({"publicity_end": _("The notice cannot end before it starts.")})
    clash = NamingBatch.objects.filter(year=fields["year"], level=fields["level"], name=fields["name"])
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("A batch with this name already exists for that year and level.")})


@transaction.atomic
def batch_create(*, actor, **fields) -> NamingBatch:
    _require(actor, "add", NamingBatch)
    _check_batch(fields)
    batch = NamingBatch.objects.create(**fields)
    audit_log(actor=actor, obj=batch, action=AuditAction.CREATE, changes={k: [None, str(v)] for k, v in fields.items()})
    return batch


@transaction.atomic
def batch_update(*, actor, batch: NamingBatch, **fields) -> NamingBatch:
    batch = NamingBatch.objects.select_for_update().get(pk=batch.pk)
    _require(actor, "change", batch)
    if batch.status != BatchStatus.OPEN:
        raise TransitionNotAllowed(_("A named batch can no longer be changed."))
    merged = {name: fields.get(name, getattr(batch, name)) for name in BATCH_FIELDS}
    _check_batch(merged, exclude_pk=batch.pk)
    moved = {f for f in ("publicity_start", "publicity_end", "level") if merged[f] != getattr(batch, f)}
    if moved and batch.studios.exists():
        raise ValidationError(
            {f: _("Studios are already in this batch's public notice; this can no longer change.") for f in moved}
        )
    before = snapshot(batch, fields)
    for name, value in fields.items():
        setattr(batch, name, value)
    changes = diff(before, batch)
    if changes:
        batch.save()
        audit_log(actor=actor, obj=batch, action=AuditAction.UPDATE, changes=changes)
    return batch


@transaction.atomic
def batch_name(*, actor, batch: NamingBatch, named_on: datetime.date | None = None) -> NamingBatch:
    """Name every studio of the batch whose public notice has passed, in one act."""
    batch = NamingBatch.objects.select_for_update().get(pk=batch.pk)
    _require(actor, "name", batch)
    named_on = named_on or _today()
    if batch.status != BatchStatus.OPEN:
        raise TransitionNotAllowed(_("This batch has already been named."))
    if named_on <= batch.publicity_end:
        raise TransitionNotAllowed(
            _("The public notice runs until %(date)s; the batch can be named after it has ended.")
            % {"date": batch.publicity_end.isoformat()}
        )
    studios = list(Studio.objects.select_for_update().filter(batch=batch, status=S.PUBLICISED).order_by("pk"))
    if not studios:
        raise TransitionNotAllowed(_("No studio of this batch is in public notice."))
    for studio in studios:

        def apply(locked):
            locked.level = batch.level
            locked.is_demonstration = locked.applying_demonstration
            locked.named_on = named_on

        named = _transition(
            actor=actor,
            studio=studio,
            name="name",
            apply=apply,
            comment=sentence("Named in %(batch)s", batch=Label("naming_batch", batch.year, batch.level, batch.name)),
            changes={"level": [studio.level, batch.level]},
        )
        LevelRecord.objects.create(
            studio=named,
            level=batch.level,
            demonstration=named.applying_demonstration,
            awarded_on=named_on,
            document_no=batch.document_no,
            batch=batch,
        )
        _notify_transition(
            named,
            _concerned(named),
            sentence("A studio was named: %(batch)s", batch=Label("naming_batch", batch.year, batch.level, batch.name)),
        )
    batch.status = BatchStatus.NAMED
    batch.named_on = named_on
    batch.save(update_fields=["status", "named_on", "updated_at"])
    audit_log(actor=actor, obj=batch, action="batch_name", comment=sentence("%(n)s studios named", n=len(studios)))
    return batch


# After naming: level history, rectification, revocation, lead change ------------------------------


@transaction.atomic
def level_record_add(
    *, actor, studio: Studio, level: str, awarded_on: datetime.date, demonstration=False, document_no="", issuer=""
) -> LevelRecord:
    """Record a level step awarded outside a portal batch (e.g. a provincial title)."""
    studio = _locked(studio)
    _require(actor, "add_level", studio)
    if studio.status not in {S.NAMED, S.RECTIFYING}:
        raise TransitionNotAllowed(_("Only a named studio has a level history."))
    if awarded_on > _today():
        raise ValidationError({"awarded_on": _("The date cannot be in the future.")})
    record = LevelRecord.objects.create(
        studio=studio,
        level=level,
        demonstration=demonstration,
        awarded_on=awarded_on,
        document_no=document_no,
        issuer=issuer,
    )
    newest = LevelRecord.objects.filter(studio=studio).order_by("-awarded_on", "-id").first()
    before = snapshot(studio, ["level", "is_demonstration"])
    studio.level, studio.is_demonstration = newest.level, newest.demonstration
    changes = diff(before, studio)
    if changes:
        studio.save(update_fields=["level", "is_demonstration", "updated_at"])
    values = {"level": ChoiceLabel(StudioLevel, record.level), "date": record.awarded_on.isoformat()}
    if document_no:
        comment = sentence("%(level)s, awarded on %(date)s, document %(document)s", document=document_no, **values)
    else:
        comment = sentence("%(level)s, awarded on %(date)s", **values)
    audit_log(actor=actor, obj=studio, action="level_add", changes=changes, comment=comment)
    return record


@transaction.atomic
def studio_rectify(*, actor, studio: Studio, deadline: datetime.date, reason: str) -> Studio:
    if deadline <= _today():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})

    def apply(locked):
        locked.rectification_deadline = deadline

    studio = _transition(
        actor=actor,
        studio=studio,
        name="rectify",
        apply=apply,
        comment=reason,
        changes={"deadline": [None, str(deadline)]},
    )
    _notify_transition(
        studio, _concerned(studio), sentence("The studio must rectify by %(date)s", date=deadline.isoformat())
    )
    return studio


@transaction.atomic
def studio_rectified(*, actor, studio: Studio, comment: str = "") -> Studio:
    def apply(locked):
        locked.rectification_deadline = None

    studio = _transition(actor=actor, studio=studio, name="rectified", apply=apply, comment=comment)
    _notify_transition(studio, _concerned(studio), sentence("The studio's rectification was accepted"))
    return studio


@transaction.atomic
def studio_revoke(*, actor, studio: Studio, reason_code: str, comment: str = "") -> Studio:
    def apply(locked):
        locked.revoked_reason = reason_code
        locked.revoked_on = _today()

    studio = _transition(
        actor=actor,
        studio=studio,
        name="revoke",
        apply=apply,
        comment=comment,
        changes={"revoked_reason": [None, reason_code]},
    )
    _notify_transition(studio, _concerned(studio), sentence("The studio's name was revoked"))
    return studio


@transaction.atomic
def studio_change_lead(*, actor, studio: Studio, new_lead: Person, changed_on=None, comment: str = "") -> Studio:
    """Hand the studio to a new lead: the old lead's membership ends, the new lead's begins."""
    studio = _locked(studio)
    _require(actor, "change_lead", studio)
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    if new_lead.pk == studio.lead_id:
        raise ValidationError({"new_lead": _("This person already leads the studio.")})
    if not Person.objects.visible_to(actor).filter(pk=new_lead.pk).exists():
        raise ValidationError({"new_lead": _("Choose the lead from the people you can see.")})
    changed_on = changed_on or _today()
    old_lead = studio.lead
    old_membership = Membership.objects.filter(studio=studio, person=old_lead, left_on__isnull=True).first()
    if changed_on > _today() or (old_membership and changed_on < old_membership.joined_on):
        raise ValidationError({"changed_on": _("The date must be between the old lead's joining date and today.")})
    Membership.objects.filter(studio=studio, person=old_lead, left_on__isnull=True).update(
        left_on=changed_on, role=MemberRole.LEAD
    )
    current = Membership.objects.filter(studio=studio, person=new_lead, left_on__isnull=True).first()
    if current:
        current.role = MemberRole.LEAD
        current.save(update_fields=["role"])
    else:
        Membership.objects.create(studio=studio, person=new_lead, role=MemberRole.LEAD, joined_on=changed_on)
    studio.lead = new_lead
    studio.save(update_fields=["lead", "updated_at"])
    audit_log(
        actor=actor,
        obj=studio,
        action="change_lead",
        changes={"lead": [str(old_lead), str(new_lead)]},
        comment=comment,
    )
    notify(
        recipients=_concerned(studio),
        title=sentence("The studio has a new lead: %(name)s", name=new_lead.name),
        body=studio.name,
        url=studio.get_absolute_url(),
    )
    return studio


# Team ---------------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(*, actor, studio: Studio, person: Person, role: str, joined_on: datetime.date) -> Membership:
    studio = _locked(studio)
    _require(actor, "manage_team", studio)
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    if role == MemberRole.LEAD:
        raise ValidationError({"role": _("The lead changes through “Change lead”.")})
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Choose a person you can see.")})
    if Membership.objects.filter(studio=studio, person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": _("This person is already in the team.")})
    if joined_on > _today():
        raise ValidationError({"joined_on": _("The date cannot be in the future.")})
    membership = Membership.objects.create(studio=studio, person=person, role=role, joined_on=joined_on)
    audit_log(
        actor=actor,
        obj=studio,
        action="member_add",
        comment=sentence("%(person)s · %(role)s", person=person, role=ChoiceLabel(MemberRole, membership.role)),
    )
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, left_on: datetime.date) -> Membership:
    membership = Membership.objects.select_for_update().select_related("studio", "person").get(pk=membership.pk)
    studio = _locked(membership.studio)
    _require(actor, "manage_team", studio)
    if membership.left_on is not None:
        raise TransitionNotAllowed(_("This person has already left the team."))
    if membership.person_id == studio.lead_id:
        raise TransitionNotAllowed(_("The lead leaves through “Change lead”."))
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("The leaving date cannot be before the joining date.")})
    if left_on > _today():
        raise ValidationError({"left_on": _("The date cannot be in the future.")})
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_log(actor=actor, obj=studio, action="member_end", comment=f"{membership.person} {left_on.isoformat()}")
    return membership


# Photos and funding -------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, actor, studio: Studio, image: ContentFile, caption: str = "") -> StudioPhoto:
    """`image` is already checked and renamed by core.uploads (ImageUploadField)."""
    studio = _locked(studio)
    _require(actor, "upload_photo", studio)
    photo = StudioPhoto(studio=studio, caption=caption)
    picture_store(photo, image)
    audit_log(actor=actor, obj=studio, action="photo_add", comment=caption)
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: StudioPhoto) -> None:
    studio = _locked(photo.studio)
    _require(actor, "upload_photo", studio)
    ensure_present(photo)
    audit_log(actor=actor, obj=studio, action="photo_delete", comment=photo.caption)
    picture_delete(photo)


def funding_line_create(
    entry,
    *,
    direction: str,
    amount: Decimal,
    entry_date: datetime.date,
    source: str = "",
    use: str = "",
    description: str = "",
    voucher=None,
):
    """Check and save one funding ledger line (`entry`: an unsaved FundingLine with its owner set).
    Shared by the studios' and the alliances' ledgers; the caller checks rights and audits."""
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if direction == FundingDirection.IN and not source:
        errors["source"] = _("Say where the money comes from.")
    if direction == FundingDirection.OUT and not use:
        errors["use"] = _("Say what the money was spent on.")
    if entry_date > _today():
        errors["entry_date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    entry.direction = direction
    entry.source = source if direction == FundingDirection.IN else ""
    entry.use = use if direction == FundingDirection.OUT else ""
    entry.amount = amount
    entry.entry_date = entry_date
    entry.description = description
    entry.voucher = voucher or ""
    entry.save()
    return entry


def funding_line_reverse(entry, reversal, *, reason: str):
    """Cancel a wrong ledger line with a reversing line (冲销): the opposite amount, the same
    direction, source or use and date (so that the year's figures are corrected where the mistake
    is), and the reason as its description. `entry` is locked by the caller, who checks rights and
    audits; `reversal` is an unsaved line with its owner set. A line is reversed once; a reversing
    line is not reversed (the right amount is recorded as a new line instead)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for the reversal.")})
    limit = type(entry)._meta.get_field("description").max_length
    if len(reason) > limit:
        raise ValidationError(
            {
                "comment": _("The reason is kept as the line's description: at most %(limit)d characters.")
                % {"limit": limit}
            }
        )
    if entry.reverses_id is not None:
        raise TransitionNotAllowed(_("This line is itself a reversal; record the right amount as a new line."))
    if type(entry).objects.filter(reverses=entry).exists():
        raise TransitionNotAllowed(_("This line has already been reversed."))
    reversal.direction, reversal.source, reversal.use = entry.direction, entry.source, entry.use
    reversal.amount, reversal.entry_date = -entry.amount, entry.entry_date
    reversal.description, reversal.reverses = reason, entry
    reversal.save()
    return reversal


def funding_reversal_summary(reversal):
    """The audit comment of a reversal (in the reader's language): the line reversed and why."""
    return sentence(
        "Reversed: %(line)s of %(date)s (%(reason)s)",
        line=funding_summary(reversal.reverses),
        date=reversal.entry_date.isoformat(),
        reason=reversal.description,
    )


def funding_summary(entry):
    """The audit comment of a ledger line (in the reader's language): direction, amount, and the
    source or use."""
    if entry.source:
        purpose = ChoiceLabel(FundingSource, entry.source)
    elif entry.use:
        purpose = ChoiceLabel(FundingUse, entry.use)
    else:
        purpose = ""
    return sentence(
        "%(direction)s ¥%(amount)s %(purpose)s",
        direction=ChoiceLabel(FundingDirection, entry.direction),
        amount=f"{entry.amount:,.2f}",
        purpose=purpose,
    )


@transaction.atomic
def funding_add(
    *,
    actor,
    studio: Studio,
    direction: str,
    amount: Decimal,
    entry_date: datetime.date,
    source: str = "",
    use: str = "",
    description: str = "",
    voucher=None,
) -> FundingEntry:
    studio = _locked(studio)
    _require(actor, "manage_funding", studio)
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    entry = funding_line_create(
        FundingEntry(studio=studio),
        direction=direction,
        amount=amount,
        entry_date=entry_date,
        source=source,
        use=use,
        description=description,
        voucher=voucher,
    )
    audit_log(
        actor=actor,
        obj=studio,
        action="funding_add",
        comment=funding_summary(entry),
    )
    return entry


@transaction.atomic
def funding_reverse(*, actor, entry: FundingEntry, reason: str) -> FundingEntry:
    """A wrong line of a studio's ledger cancelled by a reversing line (see funding_line_reverse)."""
    studio = _locked(entry.studio)
    _require(actor, "manage_funding", studio)
    if studio.status in CLOSED_STATES:
        raise TransitionNotAllowed(_("A rejected or revoked studio can no longer be changed."))
    entry = FundingEntry.objects.select_for_update().get(pk=entry.pk)
    reversal = funding_line_reverse(entry, FundingEntry(studio=studio), reason=reason)
    audit_log(actor=actor, obj=studio, action="funding_reverse", comment=funding_reversal_summary(reversal))
    return reversal


# Settings: eligibility rules and studio kinds -----------------------------------------------------

RULE_FIELDS = (
    "min_team_size",
    "lead_min_honour_level",
    "lead_min_skill_grade",
    "min_venue_area",
    "require_funding",
    "min_funding",
    "min_projects_per_year",
    "demonstration_min_years",
    "forbid_single_team_group",
)


@transaction.atomic
def rules_update(*, actor, **fields) -> EligibilityRules:
    rules = EligibilityRules.current()
    rules = EligibilityRules.objects.select_for_update().get(pk=rules.pk)
    _require(actor, "change", rules)
    before = snapshot(rules, fields)
    for name, value in fields.items():
        setattr(rules, name, value)
    changes = diff(before, rules)
    if changes:
        rules.save()
        audit_log(actor=actor, obj=rules, action=AuditAction.UPDATE, changes=changes)
    return rules


# Annual assessment --------------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor, year: int) -> AssessmentRound:
    """Open the year's assessment: every named or rectifying studio gets an assessment to fill."""
    _require(actor, "add", AssessmentRound)
    if year > _today().year:
        raise ValidationError({"year": _("A year that has not begun cannot be assessed.")})
    if AssessmentRound.objects.filter(year=year).exists():
        raise ValidationError({"year": _("This year's assessment is already open.")})
    try:
        with transaction.atomic():
            assessment_round = AssessmentRound.objects.create(year=year, opened_by=actor)
    except IntegrityError:  # opened at the same moment by someone else
        raise ValidationError({"year": _("This year's assessment is already open.")}) from None
    studios = list(Studio.objects.filter(status__in=[S.NAMED, S.RECTIFYING]).select_related("lead"))
    Assessment.objects.bulk_create(
        [
            Assessment(round=assessment_round, studio=studio, figures=assessment_figures(studio, year))
            for studio in studios
        ]
    )
    audit_log(
        actor=actor,
        obj=assessment_round,
        action="round_open",
        comment=sentence("%(n)s studios to assess", n=len(studios)),
    )
    for studio in studios:
        notify(
            recipients=selectors.studio_lead_users(studio),
            title=sentence("Fill in your studio's %(year)s self-assessment", year=year),
            body=studio.name,
            url=reverse("studios:round_detail", args=[assessment_round.pk]),
        )
    return assessment_round


@transaction.atomic
def round_close(*, actor, assessment_round: AssessmentRound) -> AssessmentRound:
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _require(actor, "close", assessment_round)
    if assessment_round.status != RoundStatus.OPEN:
        raise TransitionNotAllowed(_("This assessment round is already closed."))
    ungraded = assessment_round.assessments.exclude(status=AssessmentStatus.GRADED).count()
    if ungraded:
        raise TransitionNotAllowed(_("%(n)s studios are not graded yet.") % {"n": ungraded})
    assessment_round.status = RoundStatus.CLOSED
    assessment_round.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        obj=assessment_round,
        action="round_close",
        changes={"status": [RoundStatus.OPEN, RoundStatus.CLOSED]},
    )
    return assessment_round


def _locked_assessment(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update().select_related("round", "studio", "studio__unit").get(pk=assessment.pk)
    )


def _assessment_step(assessment, *, expected, message):
    if assessment.round.status != RoundStatus.OPEN:
        raise TransitionNotAllowed(_("This assessment round is closed."))
    if assessment.status not in expected:
        raise TransitionNotAllowed(message)


def _take_figures(assessment: Assessment) -> Label:
    """The year's figures as they stand now, recorded on the assessment for this decision; returns
    them for the step's audit event (a figure that moved since the last step shows both), composed
    in the reader's language (studios.assessment.figures_label)."""
    figures = assessment_figures(assessment.studio, assessment.round.year)
    before = assessment.figures
    taken = Label("assessment_figures", list(figures.items()), list(before.items()) if before is not None else None)
    assessment.figures = figures
    assessment.no_verified_result = not figures.get("verified_results")
    return taken


@transaction.atomic
def assessment_self_submit(*, actor, assessment: Assessment, summary: str) -> Assessment:
    assessment = _locked_assessment(assessment)
    _require(actor, "self_assess", assessment)
    _assessment_step(
        assessment,
        expected={AssessmentStatus.PENDING, AssessmentStatus.SELF_SUBMITTED},
        message=_("The unit has already scored this assessment."),
    )
    if not summary.strip():
        raise ValidationError({"self_summary": _("Write the self-assessment.")})
    taken = _take_figures(assessment)
    assessment.self_summary = summary.strip()
    assessment.status = AssessmentStatus.SELF_SUBMITTED
    assessment.save()
    audit_log(
        actor=actor,
        obj=assessment.studio,
        action="assessment_self",
        comment=sentence("%(round)s\n%(figures)s", round=assessment.round, figures=taken),
    )
    notify(
        recipients=selectors.cadres_over(assessment.studio.unit),
        title=sentence("A self-assessment waits for your score"),
        body=assessment.studio.name,
        url=assessment.get_absolute_url(),
        task=assessment,
    )
    return assessment


@transaction.atomic
def assessment_unit_score(*, actor, assessment: Assessment, score: Decimal, comment: str = "") -> Assessment:
    assessment = _locked_assessment(assessment)
    _require(actor, "unit_score", assessment)
    _assessment_step(
        assessment,
        expected={AssessmentStatus.SELF_SUBMITTED},
        message=_("Only a submitted self-assessment can be scored."),
    )
    if score is None or not (0 <= score <= 100):
        raise ValidationError({"unit_score": _("The score is between 0 and 100.")})
    # The unit scores the year as it stands now, not as it stood at the self-assessment.
    taken = _take_figures(assessment)
    assessment.unit_score = score
    assessment.unit_comment = comment
    assessment.status = AssessmentStatus.UNIT_SCORED
    notifications_settle(assessment)
    assessment.save()
    audit_log(
        actor=actor,
        obj=assessment.studio,
        action="assessment_score",
        comment=sentence("%(round)s: %(score)s\n%(figures)s", round=assessment.round, score=score, figures=taken),
    )
    return assessment


@transaction.atomic
def assessment_grade(
    *, actor, assessment: Assessment, grade: str, comment: str = "", deadline: datetime.date | None = None
) -> Assessment:
    """HQ grades. 不合格 sends the studio to rectification; a second failure proposes revocation."""
    assessment = _locked_assessment(assessment)
    _require(actor, "grade", assessment)
    _assessment_step(
        assessment,
        expected={AssessmentStatus.UNIT_SCORED},
        message=_("Only an assessment scored by the unit can be graded."),
    )
    studio = assessment.studio
    failed_before = studio.status == S.RECTIFYING or (
        Assessment.objects.filter(studio=studio, grade=AssessmentGrade.FAIL).exclude(pk=assessment.pk).exists()
    )
    if grade == AssessmentGrade.FAIL and not failed_before and deadline is None:
        raise ValidationError({"deadline": _("A failing grade needs a rectification deadline.")})
    # HQ grades the year as it stands now; these are the figures the assessment keeps.
    taken = _take_figures(assessment)
    assessment.grade = grade
    assessment.hq_comment = comment
    assessment.status = AssessmentStatus.GRADED
    if grade == AssessmentGrade.FAIL and failed_before:
        assessment.revocation_proposed = True
    assessment.save()
    audit_log(
        actor=actor,
        obj=studio,
        action="assessment_grade",
        comment=sentence(
            "%(round)s: %(grade)s\n%(figures)s",
            round=assessment.round,
            grade=ChoiceLabel(AssessmentGrade, assessment.grade),
            figures=taken,
        ),
    )
    if grade == AssessmentGrade.FAIL:
        if failed_before:
            notify(
                recipients=selectors.hq_cadres(),
                title=sentence("Revocation proposed: the studio failed its assessment again"),
                body=studio.name,
                url=studio.get_absolute_url(),
            )
        else:
            studio_rectify(actor=actor, studio=studio, deadline=deadline, reason=comment or str(assessment.round))
    return assessment

"""Every write to alliances. Keyword-only, atomic, validated, audited on the alliance (or the
designation batch) and notified.

Alliance: preparing (筹建) → running (运行) → dissolved (撤销).
Membership: requested → active (admitted) | declined; active → exit_requested → exited, or back
to active when the exit request is refused; active | exit_requested → removed (退出机制, with a
reason). Managers may also add a studio they can see directly as an active member.
Designation batch: draft → published; publishing raises the tier of a designated studio in the
alliances it belongs to (pilot, then demonstration; never lowers it).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.permissions import can
from core.services import audit_log, diff, ensure_present, notify, picture_delete, picture_store, snapshot
from core.tables import register_action_labels
from core.uploads import make_thumbnail
from studios.choices import StudioStatus
from studios.models import Studio
from studios.policies import is_lead_of
from studios.selectors import studio_lead_users
from studios.services import funding_line_create, funding_line_reverse, funding_reversal_summary, funding_summary
from talent.models import Person

from . import selectors
from .choices import (
    CURRENT_MEMBER_STATES,
    DESIGNATION_TIER,
    OPEN_MEMBER_STATES,
    TIER_ORDER,
    ActivityKind,
    AllianceStatus,
    DesignationBatchStatus,
    MemberStatus,
    MemberTier,
)
from .models import (
    Activity,
    ActivityDocument,
    ActivityPhoto,
    Alliance,
    AllianceFundingEntry,
    AllianceMember,
    Designation,
    DesignationBatch,
)

register_action_labels(
    {
        "alliance_create": gettext_lazy("Alliance created"),
        "alliance_update": gettext_lazy("Alliance edited"),
        "alliance_launch": gettext_lazy("Alliance launched"),
        "alliance_dissolve": gettext_lazy("Alliance dissolved"),
        "alliance_join_request": gettext_lazy("Asked to join"),
        "alliance_member_add": gettext_lazy("Member added"),
        "alliance_member_admit": gettext_lazy("Member admitted"),
        "alliance_request_refuse": gettext_lazy("Request refused"),
        "alliance_exit_request": gettext_lazy("Asked to leave"),
        "alliance_member_exit": gettext_lazy("Member left"),
        "alliance_member_remove": gettext_lazy("Member removed"),
        "alliance_member_tier": gettext_lazy("Member tier changed"),
        "activity_create": gettext_lazy("Activity logged"),
        "activity_update": gettext_lazy("Activity edited"),
        "activity_photo_add": gettext_lazy("Activity photo added"),
        "activity_photo_delete": gettext_lazy("Activity photo removed"),
        "activity_document_add": gettext_lazy("Activity document added"),
        "designation_batch_create": gettext_lazy("Designation batch created"),
        "designation_batch_update": gettext_lazy("Designation batch edited"),
        "designation_add": gettext_lazy("Designation added"),
        "designation_remove": gettext_lazy("Designation removed"),
        "designation_batch_publish": gettext_lazy("Designation batch published"),
    }
)

NAMED_STATES = (StudioStatus.NAMED, StudioStatus.RECTIFYING)
ALLIANCE_FIELDS = (
    "name",
    "theme",
    "lead_unit",
    "founded_on",
    "description",
    "secretariat_contact",
    "secretariat_phone",
    "members_log_activities",
)
FILE_FIELDS = ("charter", "agreement")


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _today():
    return timezone.localdate()


def _locked(alliance: Alliance) -> Alliance:
    """The alliance's row, locked alone, then read afresh with its lead unit. Locked through the
    join, PostgreSQL would re-check the join against the old lead unit once a concurrent edit that
    changed it commits, and find no alliance (as studios.services._locked explains)."""
    Alliance.objects.select_for_update().filter(pk=alliance.pk).values_list("pk", flat=True).get()
    return Alliance.objects.select_related("lead_unit").get(pk=alliance.pk)


def _locked_member(member: AllianceMember) -> AllianceMember:
    return AllianceMember.objects.select_for_update().select_related("alliance", "studio").get(pk=member.pk)


def _not_dissolved(alliance):
    if alliance.status == AllianceStatus.DISSOLVED:
        raise TransitionNotAllowed(_("This alliance has been dissolved; it can no longer be changed."))


def _notify(recipients, title, alliance):
    notify(recipients=recipients, title=title, body=alliance.name, url=alliance.get_absolute_url())


def _notify_managers(alliance, *, own, other) -> None:
    """Tell the alliance's managers (selectors.managers_of): the cadres of its lead unit read
    `own` ("your unit"); the cadres above that unit, and HQ when it decides for a lead unit with no
    cadre of its own, are told in `other`, which names the lead unit."""
    managers = selectors.managers_of(alliance)
    of_the_unit = [user for user in managers if user.is_unit_cadre and user.unit_id == alliance.lead_unit_id]
    overseeing = [user for user in managers if user not in of_the_unit]
    if of_the_unit:
        _notify(of_the_unit, own, alliance)
    if overseeing:
        _notify(overseeing, other, alliance)


# Alliances ----------------------------------------------------------------------------------------


def _check_alliance(actor, fields, *, exclude_pk=None):
    errors = {}
    name = (fields.get("name") or "").strip()
    if name and Alliance.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        errors["name"] = _("An alliance with this name already exists.")
    founded_on = fields.get("founded_on")
    if founded_on and founded_on > _today():
        errors["founded_on"] = _("The founding date cannot be in the future.")
    unit = fields.get("lead_unit")
    if unit is not None and not (actor.is_hq or can(actor, "view", unit)):
        errors["lead_unit"] = _("Choose a unit you can see.")
    if errors:
        raise ValidationError(errors)


def _store_files(alliance, files: dict) -> None:
    for field in FILE_FIELDS:
        if files.get(field):
            setattr(alliance, field, files[field])
    logo = files.get("logo")
    if logo:
        thumbnail = make_thumbnail(logo)
        alliance.logo_thumbnail.save(thumbnail.name, thumbnail, save=False)
        alliance.logo.save(logo.name, logo, save=False)


@transaction.atomic
def alliance_create(*, actor, charter=None, agreement=None, logo=None, **fields) -> Alliance:
    _require(actor, "add", Alliance)
    _check_alliance(actor, fields)
    alliance = Alliance(**{f: fields[f] for f in ALLIANCE_FIELDS if f in fields})
    alliance.name = alliance.name.strip()
    _store_files(alliance, {"charter": charter, "agreement": agreement, "logo": logo})
    try:
        with transaction.atomic():
            alliance.save()
    except IntegrityError:
        raise ValidationError({"name": _("An alliance with this name already exists.")}) from None
    audit_log(
        actor=actor,
        obj=alliance,
        action="alliance_create",
        changes={k: [None, v] for k, v in snapshot(alliance, ("name", "lead_unit", "founded_on")).items()},
    )
    _notify_managers(
        alliance,
        own=sentence("A studio alliance was set up with your unit as its lead unit"),
        other=sentence("A studio alliance was set up with %(unit)s as its lead unit", unit=alliance.lead_unit),
    )
    return alliance


@transaction.atomic
def alliance_update(*, actor, alliance: Alliance, charter=None, agreement=None, logo=None, **fields) -> Alliance:
    alliance = _locked(alliance)
    _require(actor, "change", alliance)
    _not_dissolved(alliance)
    if "lead_unit" in fields and fields["lead_unit"] != alliance.lead_unit and not actor.is_hq:
        raise ValidationError({"lead_unit": _("Only HQ may change the lead unit of an alliance.")})
    _check_alliance(actor, fields, exclude_pk=alliance.pk)
    before = snapshot(alliance, ALLIANCE_FIELDS)
    for field in ALLIANCE_FIELDS:
        if field in fields:
            setattr(alliance, field, fields[field])
    alliance.name = alliance.name.strip()
    _store_files(alliance, {"charter": charter, "agreement": agreement, "logo": logo})
    try:
        with transaction.atomic():
            alliance.save()
    except IntegrityError:
        raise ValidationError({"name": _("An alliance with this name already exists.")}) from None
    changes = diff(before, alliance)
    for field, value in (("charter", charter), ("agreement", agreement), ("logo", logo)):
        if value:
            changes[field] = ["", value.name]
    audit_log(actor=actor, obj=alliance, action="alliance_update", changes=changes)
    return alliance


@transaction.atomic
def alliance_launch(*, actor, alliance: Alliance, comment: str = "") -> Alliance:
    alliance = _locked(alliance)
    _require(actor, "launch", alliance)
    if alliance.status != AllianceStatus.PREPARING:
        raise TransitionNotAllowed(_("Only an alliance in preparation can be launched."))
    alliance.status = AllianceStatus.RUNNING
    alliance.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        obj=alliance,
        action="alliance_launch",
        changes={"status": [AllianceStatus.PREPARING, AllianceStatus.RUNNING]},
        comment=comment,
    )
    return alliance


@transaction.atomic
def alliance_dissolve(*, actor, alliance: Alliance, reason: str, dissolved_on: datetime.date | None = None) -> Alliance:
    alliance = _locked(alliance)
    _require(actor, "dissolve", alliance)
    _not_dissolved(alliance)
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason for dissolving the alliance.")})
    dissolved_on = dissolved_on or _today()
    old = alliance.status
    alliance.status = AllianceStatus.DISSOLVED
    alliance.dissolved_on = dissolved_on
    alliance.dissolved_reason = reason
    alliance.save()
    open_members = list(
        AllianceMember.objects.select_for_update().filter(alliance=alliance, status__in=OPEN_MEMBER_STATES)
    )
    for member in open_members:
        if member.status == MemberStatus.REQUESTED:
            member.status = MemberStatus.DECLINED
        else:
            member.status = MemberStatus.EXITED
            member.exited_on = max(dissolved_on, member.joined_on or dissolved_on)
        member.exit_reason = reason
        member.save()
    audit_log(
        actor=actor,
        obj=alliance,
        action="alliance_dissolve",
        changes={"status": [old, alliance.status]},
        comment=reason,
    )
    leads = [u for m in open_members for u in studio_lead_users(m.studio)]
    _notify(leads, sentence("An alliance your studio belonged to was dissolved"), alliance)
    _notify_managers(
        alliance,
        own=sentence("An alliance your unit led was dissolved"),
        other=sentence("An alliance led by %(unit)s was dissolved", unit=alliance.lead_unit),
    )
    return alliance


# Membership ---------------------------------------------------------------------------------------


def _member_event(actor, member, action, old_status, comment="", **changes):
    audit_log(
        actor=actor,
        obj=member.alliance,
        action=action,
        changes={
            "members.studio": member.studio.name,
            "members.status": [old_status or None, member.status],
            **{f"members.{k}": v for k, v in changes.items()},
        },
        comment=comment,
    )


def _check_joinable(alliance, studio, field="studio"):
    if studio.status not in NAMED_STATES:
        raise ValidationError({field: _("Only a named studio can join an alliance.")})
    if AllianceMember.objects.filter(alliance=alliance, studio=studio, status__in=OPEN_MEMBER_STATES).exists():
        raise ValidationError({field: _("This studio is already a member of the alliance or has asked to join.")})


@transaction.atomic
def member_request(*, actor, alliance: Alliance, studio: Studio, note: str = "") -> AllianceMember:
    """A studio lead asks for its studio to join the alliance."""
    alliance = _locked(alliance)
    _require(actor, "request_join", alliance)
    _not_dissolved(alliance)
    if studio is None or not is_lead_of(actor, studio):
        raise ValidationError({"studio": _("Choose a studio you lead.")})
    _check_joinable(alliance, studio)
    member = AllianceMember.objects.create(
        alliance=alliance, studio=studio, status=MemberStatus.REQUESTED, requested_on=_today(), request_note=note
    )
    _member_event(actor, member, "alliance_join_request", "", comment=note)
    _notify(selectors.managers_of(alliance), sentence("A studio asks to join your alliance"), alliance)
    return member


@transaction.atomic
def member_add(*, actor, alliance: Alliance, studio: Studio, tier: str, joined_on: datetime.date) -> AllianceMember:
    """A manager adds a studio it can see directly (founding members, for instance)."""
    alliance = _locked(alliance)
    _require(actor, "manage_members", alliance)
    _not_dissolved(alliance)
    if studio is None or not Studio.objects.visible_to(actor).filter(pk=studio.pk).exists():
        raise ValidationError({"studio": _("Choose a studio you can see.")})
    _check_joinable(alliance, studio)
    _check_joined_on(alliance, joined_on)
    member = AllianceMember.objects.create(
        alliance=alliance,
        studio=studio,
        tier=tier,
        status=MemberStatus.ACTIVE,
        joined_on=joined_on,
        decided_by=actor,
    )
    _member_event(actor, member, "alliance_member_add", "", tier=tier)
    _notify(list(studio_lead_users(studio)), sentence("Your studio was added to an alliance"), alliance)
    return member


def _check_joined_on(alliance, joined_on, *, field="joined_on"):
    if joined_on is None:
        raise ValidationError({field: _("Give the date.")})
    if joined_on > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if joined_on < alliance.founded_on:
        raise ValidationError({field: _("A studio cannot join before the alliance was founded.")})


def _step(member, expected, message):
    if member.status not in expected:
        raise TransitionNotAllowed(message % {"status": member.get_status_display()})


@transaction.atomic
def member_admit(*, actor, member: AllianceMember, tier: str, joined_on: datetime.date) -> AllianceMember:
    member = _locked_member(member)
    _require(actor, "decide", member)
    _not_dissolved(member.alliance)
    _step(member, (MemberStatus.REQUESTED,), _("This membership is now “%(status)s”; there is no request to admit."))
    _check_joined_on(member.alliance, joined_on)
    member.status, member.tier, member.joined_on, member.decided_by = MemberStatus.ACTIVE, tier, joined_on, actor
    member.save()
    _member_event(actor, member, "alliance_member_admit", MemberStatus.REQUESTED, tier=tier)
    _notify(
        list(studio_lead_users(member.studio)), sentence("Your studio was admitted to the alliance"), member.alliance
    )
    return member


@transaction.atomic
def member_refuse(*, actor, member: AllianceMember, reason: str) -> AllianceMember:
    """Refuse a pending request: a join request is declined, an exit request leaves the studio a member."""
    member = _locked_member(member)
    _require(actor, "decide", member)
    _step(
        member,
        (MemberStatus.REQUESTED, MemberStatus.EXIT_REQUESTED),
        _("This membership is now “%(status)s”; there is no request to refuse."),
    )
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason.")})
    old = member.status
    member.status = MemberStatus.DECLINED if old == MemberStatus.REQUESTED else MemberStatus.ACTIVE
    member.decided_by = actor
    if old == MemberStatus.EXIT_REQUESTED:
        member.exit_requested_on = None
    member.save()
    _member_event(actor, member, "alliance_request_refuse", old, comment=reason)
    _notify(
        list(studio_lead_users(member.studio)), sentence("Your request to the alliance was refused"), member.alliance
    )
    return member


@transaction.atomic
def member_exit_request(*, actor, member: AllianceMember, reason: str) -> AllianceMember:
    member = _locked_member(member)
    _require(actor, "request_exit", member)
    _step(member, (MemberStatus.ACTIVE,), _("This membership is now “%(status)s”; only a member can ask to leave."))
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason.")})
    member.status, member.exit_requested_on, member.exit_reason = MemberStatus.EXIT_REQUESTED, _today(), reason
    member.save()
    _member_event(actor, member, "alliance_exit_request", MemberStatus.ACTIVE, comment=reason)
    _notify(
        selectors.managers_of(member.alliance), sentence("A member studio asks to leave your alliance"), member.alliance
    )
    return member


def _check_exit_date(member, exited_on):
    if exited_on is None:
        raise ValidationError({"exited_on": _("Give the date.")})
    if exited_on > _today():
        raise ValidationError({"exited_on": _("The date cannot be in the future.")})
    if member.joined_on and exited_on < member.joined_on:
        raise ValidationError({"exited_on": _("A studio cannot leave before it joined.")})


@transaction.atomic
def member_exit_approve(
    *, actor, member: AllianceMember, exited_on: datetime.date, comment: str = ""
) -> AllianceMember:
    member = _locked_member(member)
    _require(actor, "decide", member)
    _step(member, (MemberStatus.EXIT_REQUESTED,), _("This membership is now “%(status)s”; there is no exit request."))
    _check_exit_date(member, exited_on)
    member.status, member.exited_on, member.decided_by = MemberStatus.EXITED, exited_on, actor
    member.save()
    _member_event(actor, member, "alliance_member_exit", MemberStatus.EXIT_REQUESTED, comment=comment)
    _notify(list(studio_lead_users(member.studio)), sentence("Your studio has left the alliance"), member.alliance)
    return member


@transaction.atomic
def member_remove(*, actor, member: AllianceMember, reason: str, exited_on: datetime.date) -> AllianceMember:
    """The exit mechanism (退出机制): a weak member is removed, with a reason."""
    member = _locked_member(member)
    _require(actor, "remove", member)
    _step(member, CURRENT_MEMBER_STATES, _("This membership is now “%(status)s”; only a member can be removed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for removing the studio.")})
    _check_exit_date(member, exited_on)
    old = member.status
    member.status, member.exited_on, member.exit_reason, member.decided_by = (
        MemberStatus.REMOVED,
        exited_on,
        reason,
        actor,
    )
    member.save()
    _member_event(actor, member, "alliance_member_remove", old, comment=reason)
    _notify(
        list(studio_lead_users(member.studio)), sentence("Your studio was removed from the alliance"), member.alliance
    )
    return member


@transaction.atomic
def member_set_tier(*, actor, member: AllianceMember, tier: str) -> AllianceMember:
    member = _locked_member(member)
    _require(actor, "change", member)
    _not_dissolved(member.alliance)
    _step(member, CURRENT_MEMBER_STATES, _("This membership is now “%(status)s”; only a member has a tier."))
    if tier not in MemberTier.values:
        raise ValidationError({"tier": _("Choose a tier.")})
    if tier == member.tier:
        # Two managers who both chose the same tier: the later one is told, nothing is recorded twice.
        raise ValidationError({"tier": _("The studio is already at this tier.")})
    old = member.tier
    member.tier = tier
    member.save(update_fields=["tier", "updated_at"])
    audit_log(
        actor=actor,
        obj=member.alliance,
        action="alliance_member_tier",
        changes={"members.studio": member.studio.name, "members.tier": [old, tier]},
    )
    return member


# Activities ---------------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "held_on",
    "place",
    "organiser",
    "outsider_count",
    "pairs_formed",
    "project",
    "summary",
)


def member_on(alliance, held_on):
    """Studios that were members of the alliance on a date."""
    from django.db.models import Q

    return AllianceMember.objects.filter(
        alliance=alliance,
        status__in=(MemberStatus.ACTIVE, MemberStatus.EXIT_REQUESTED, MemberStatus.EXITED, MemberStatus.REMOVED),
        joined_on__lte=held_on,
    ).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=held_on))


def _check_activity(actor, alliance, fields, studios, people) -> list:
    errors = {}
    held_on = fields.get("held_on")
    if held_on is not None:
        if held_on > _today():
            errors["held_on"] = _("Log an activity once it has taken place: the date cannot be in the future.")
        elif held_on < alliance.founded_on:
            errors["held_on"] = _("The activity cannot be before the alliance was founded.")
    studios = list(studios or [])
    organiser = fields.get("organiser")
    if organiser is not None and organiser not in studios:
        studios.append(organiser)
    visible = set(Studio.objects.visible_to(actor).filter(pk__in=[s.pk for s in studios]).values_list("pk", flat=True))
    if any(s.pk not in visible for s in studios):
        errors["studios"] = _("Choose studios you can see.")
    elif held_on is not None and "held_on" not in errors:
        members = set(member_on(alliance, held_on).filter(studio__in=studios).values_list("studio_id", flat=True))
        outside = [s.name for s in studios if s.pk not in members]
        if outside:
            errors["studios" if organiser is None or organiser.pk in members else "organiser"] = _(
                "Not a member of the alliance on that date: %(studios)s."
            ) % {"studios": "、".join(outside)}
    people = list(people or [])
    if len(Person.objects.visible_to(actor).filter(pk__in=[p.pk for p in people])) != len(people):
        errors["people"] = _("Choose people you can see.")
    kind, project = fields.get("kind"), fields.get("project")
    if kind == ActivityKind.JOINT_TACKLING:
        if project is None:
            errors["project"] = _("Joint problem-tackling is linked to a joint project.")
        else:
            from achievements.models import Project

            if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
                errors["project"] = _("Choose a project you can see.")
            else:
                project_studios = {project.studio_id, *project.partner_studios.values_list("pk", flat=True)}
                if len(project_studios) < 2:
                    errors["project"] = _("This project has no partner studio: a joint project has several studios.")
                elif not member_on(alliance, held_on or _today()).filter(studio__in=project_studios).exists():
                    errors["project"] = _("None of this project's studios is a member of the alliance.")
    elif project is not None:
        errors["project"] = _("Only joint problem-tackling is linked to a project.")
    if kind != ActivityKind.PAIRING and fields.get("pairs_formed"):
        errors["pairs_formed"] = _("Pairs are recorded for mentor-pairing events only.")
    if errors:
        raise ValidationError(errors)
    return studios


@transaction.atomic
def activity_create(*, actor, alliance: Alliance, studios=(), people=(), **fields) -> Activity:
    alliance = _locked(alliance)
    _require(actor, "log_activity", alliance)
    _not_dissolved(alliance)
    studios = _check_activity(actor, alliance, fields, studios, people)
    activity = Activity.objects.create(
        alliance=alliance, recorded_by=actor, **{f: fields[f] for f in ACTIVITY_FIELDS if f in fields}
    )
    activity.studios.set(studios)
    activity.people.set(people)
    audit_log(
        actor=actor,
        obj=alliance,
        action="activity_create",
        changes={
            "activities.title": activity.title,
            "activities.kind": activity.kind,
            "activities.held_on": activity.held_on.isoformat(),
            "activities.studios": len(studios),
            "activities.people": len(people),
        },
        comment=activity.title,
    )
    return activity


def _visible_pks(model, actor, pks) -> set[int]:
    return set(model.objects.visible_to(actor).filter(pk__in=pks).values_list("pk", flat=True))


@transaction.atomic
def activity_update(*, actor, activity: Activity, studios=(), people=(), **fields) -> Activity:
    alliance = _locked(activity.alliance)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, "change", activity)
    _not_dissolved(alliance)
    studios = _check_activity(actor, alliance, fields, studios, people)
    before = snapshot(activity, ACTIVITY_FIELDS)
    before_studios = sorted(activity.studios.values_list("pk", flat=True))
    before_people = sorted(activity.people.values_list("pk", flat=True))
    # Participants the actor cannot see (logged by somebody else) are kept as they were.
    hidden_studios = set(before_studios) - _visible_pks(Studio, actor, before_studios)
    hidden_people = set(before_people) - _visible_pks(Person, actor, before_people)
    for field in ACTIVITY_FIELDS:
        if field in fields:
            setattr(activity, field, fields[field])
    activity.save()
    activity.studios.set([s.pk for s in studios] + list(hidden_studios))
    activity.people.set([p.pk for p in people] + list(hidden_people))
    changes = {f"activities.{k}": v for k, v in diff(before, activity).items()}
    after_studios = sorted(activity.studios.values_list("pk", flat=True))
    after_people = sorted(activity.people.values_list("pk", flat=True))
    if after_studios != before_studios:
        changes["activities.studios"] = [len(before_studios), len(after_studios)]
    if after_people != before_people:
        changes["activities.people"] = [len(before_people), len(after_people)]
    audit_log(actor=actor, obj=alliance, action="activity_update", changes=changes, comment=activity.title)
    return activity


@transaction.atomic
def activity_photo_add(*, actor, activity: Activity, image, caption: str = "") -> ActivityPhoto:
    alliance = _locked(activity.alliance)
    _require(actor, "change", activity)
    _not_dissolved(alliance)
    photo = ActivityPhoto(activity=activity, caption=caption)
    picture_store(photo, image)
    audit_log(actor=actor, obj=alliance, action="activity_photo_add", comment=f"{activity.title} · {caption}")
    return photo


@transaction.atomic
def activity_photo_delete(*, actor, photo: ActivityPhoto) -> None:
    alliance = _locked(photo.activity.alliance)
    _require(actor, "delete", photo)
    _not_dissolved(alliance)
    ensure_present(photo)
    audit_log(
        actor=actor, obj=alliance, action="activity_photo_delete", comment=f"{photo.activity.title} · {photo.caption}"
    )
    picture_delete(photo)


@transaction.atomic
def activity_document_add(*, actor, activity: Activity, title: str, file) -> ActivityDocument:
    alliance = _locked(activity.alliance)
    _require(actor, "change", activity)
    _not_dissolved(alliance)
    document = ActivityDocument.objects.create(activity=activity, title=title, file=file)
    audit_log(actor=actor, obj=alliance, action="activity_document_add", comment=f"{activity.title} · {title}")
    return document


# Funding ------------------------------------------------------------------------------------------


@transaction.atomic
def funding_add(*, actor, alliance: Alliance, **fields) -> AllianceFundingEntry:
    alliance = _locked(alliance)
    _require(actor, "manage_funding", alliance)
    _not_dissolved(alliance)
    entry = funding_line_create(AllianceFundingEntry(alliance=alliance), **fields)
    audit_log(actor=actor, obj=alliance, action="funding_add", comment=funding_summary(entry))
    return entry


@transaction.atomic
def funding_reverse(*, actor, entry: AllianceFundingEntry, reason: str) -> AllianceFundingEntry:
    """A wrong line of an alliance's ledger cancelled by a reversing line (see
    studios.services.funding_line_reverse)."""
    alliance = _locked(entry.alliance)
    _require(actor, "manage_funding", alliance)
    _not_dissolved(alliance)
    entry = AllianceFundingEntry.objects.select_for_update().get(pk=entry.pk)
    reversal = funding_line_reverse(entry, AllianceFundingEntry(alliance=alliance), reason=reason)
    audit_log(actor=actor, obj=alliance, action="funding_reverse", comment=funding_reversal_summary(reversal))
    return reversal


# Designations -------------------------------------------------------------------------------------

BATCH_FIELDS = ("name", "designated_on", "document_no", "description")


def _locked_batch(batch):
    return DesignationBatch.objects.select_for_update().get(pk=batch.pk)


def _draft(batch):
    if batch.status != DesignationBatchStatus.DRAFT:
        raise TransitionNotAllowed(_("This batch has been published; it can no longer be changed."))


def _check_batch(fields, *, exclude_pk=None):
    name = (fields.get("name") or "").strip()
    if name and DesignationBatch.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("A designation batch with this name already exists.")})


@transaction.atomic
def designation_batch_create(*, actor, **fields) -> DesignationBatch:
    _require(actor, "add", DesignationBatch)
    _check_batch(fields)
    batch = DesignationBatch.objects.create(**{f: fields[f] for f in BATCH_FIELDS if f in fields})
    audit_log(
        actor=actor,
        obj=batch,
        action="designation_batch_create",
        changes={k: [None, v] for k, v in snapshot(batch, BATCH_FIELDS).items()},
    )
    return batch


@transaction.atomic
def designation_batch_update(*, actor, batch: DesignationBatch, **fields) -> DesignationBatch:
    batch = _locked_batch(batch)
    _require(actor, "change", batch)
    _draft(batch)
    _check_batch(fields, exclude_pk=batch.pk)
    before = snapshot(batch, BATCH_FIELDS)
    for field in BATCH_FIELDS:
        if field in fields:
            setattr(batch, field, fields[field])
    batch.save()
    audit_log(actor=actor, obj=batch, action="designation_batch_update", changes=diff(before, batch))
    return batch


@transaction.atomic
def designation_add(
    *,
    actor,
    batch: DesignationBatch,
    kind: str,
    alliance: Alliance | None = None,
    studio: Studio | None = None,
    citation: str = "",
) -> Designation:
    batch = _locked_batch(batch)
    _require(actor, "change", batch)
    _draft(batch)
    if (alliance is None) == (studio is None):
        raise ValidationError(_("Choose either an alliance or a studio."))
    if alliance is not None and alliance.status == AllianceStatus.DISSOLVED:
        raise ValidationError({"alliance": _("A dissolved alliance cannot be designated.")})
    if studio is not None and studio.status not in NAMED_STATES:
        raise ValidationError({"studio": _("Only a named studio can be designated.")})
    target = {"alliance": alliance} if alliance is not None else {"studio": studio}
    if Designation.objects.filter(batch=batch, kind=kind, **target).exists():
        raise ValidationError({next(iter(target)): _("It is already designated in this batch.")})
    designation = Designation.objects.create(batch=batch, kind=kind, citation=citation, **target)
    audit_log(
        actor=actor,
        obj=batch,
        action="designation_add",
        changes={"designations.kind": kind, f"designations.{next(iter(target))}": str(designation.target)},
        comment=citation,
    )
    return designation


@transaction.atomic
def designation_remove(*, actor, designation: Designation) -> DesignationBatch:
    batch = _locked_batch(designation.batch)
    _require(actor, "delete", designation)
    _draft(batch)
    ensure_present(designation)
    audit_log(
        actor=actor,
        obj=batch,
        action="designation_remove",
        changes={
            "designations.kind": designation.kind,
            "designations.alliance" if designation.alliance_id else "designations.studio": str(designation.target),
        },
    )
    designation.delete()
    return batch


@transaction.atomic
def designation_batch_publish(*, actor, batch: DesignationBatch, comment: str = "") -> DesignationBatch:
    batch = _locked_batch(batch)
    _require(actor, "publish", batch)
    _draft(batch)
    designations = list(batch.designations.select_related("alliance", "alliance__lead_unit", "studio"))
    if not designations:
        raise TransitionNotAllowed(_("Add at least one designation before publishing the batch."))
    batch.status, batch.published_on = DesignationBatchStatus.PUBLISHED, _today()
    batch.save()
    raised = 0
    for designation in designations:
        if designation.studio_id is None:
            continue
        tier = DESIGNATION_TIER[designation.kind]
        for member in AllianceMember.objects.select_for_update().filter(
            studio=designation.studio, status__in=CURRENT_MEMBER_STATES
        ):
            if TIER_ORDER[tier] > TIER_ORDER[member.tier]:
                member.tier = tier
                member.save(update_fields=["tier", "updated_at"])
                raised += 1
    audit_log(
        actor=actor,
        obj=batch,
        action="designation_batch_publish",
        changes={
            "status": [DesignationBatchStatus.DRAFT, batch.status],
            "published_on": [None, batch.published_on.isoformat()],
        },
        comment=comment,
    )
    recipients = []
    for designation in designations:
        if designation.alliance_id:
            recipients += selectors.managers_of(designation.alliance)
        else:
            recipients += list(studio_lead_users(designation.studio))
    notify(
        recipients=recipients,
        title=sentence("Designated in %(batch)s", batch=batch.name),
        body=batch.document_no,
        url=batch.get_absolute_url(),
    )
    return batch

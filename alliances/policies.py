"""Who sees and acts on alliances (registered with core.permissions).

- Alliances are company-wide: every cadre, studio lead and leadership viewer sees them (a lead must
  find an alliance to ask to join it). Experts see none.
- HQ creates alliances and dissolves them, and runs the designation batches (pilot and
  demonstration units). HQ and the cadres of the alliance's lead unit (牵头单位) manage it: edit
  it, launch it, decide join and exit requests, remove weak members, keep its funding ledger.
- A studio lead asks for its studio to join or leave.
- Activities: managers log them; the leads of current member studios log them too when the
  alliance's rule "member studio leads may log activities" is set (the default). An activity is
  changed by the managers or by whoever recorded it while that rule still lets them log.
  A lead never acts on an alliance its studios are not members of.
"""

from core.permissions import ParentPolicy, Policy, in_user_subtree, register
from studios.policies import is_lead_of, led_studio_ids

from .choices import CURRENT_MEMBER_STATES, AllianceStatus, DesignationBatchStatus
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


def manages(user, alliance) -> bool:
    """HQ, or a cadre of the alliance's lead unit (or above it)."""
    return user.is_hq or (user.is_unit_cadre and in_user_subtree(user, alliance.lead_unit))


def leads_member(user, alliance) -> bool:
    """The user leads a current member studio of the alliance."""
    return (
        user.is_studio_lead
        and AllianceMember.objects.filter(
            alliance=alliance,
            status__in=CURRENT_MEMBER_STATES,
            studio__in=led_studio_ids(user),
        ).exists()
    )


def sees_alliances(user) -> bool:
    return user.sees_everything or user.is_unit_cadre or user.is_studio_lead


@register(Alliance)
class AlliancePolicy(Policy):
    def scope(self, user, queryset):
        return queryset if sees_alliances(user) else queryset.none()

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": sees_alliances(user),
                "export": user.sees_everything or user.is_unit_cadre,
                "add": user.is_hq,
            }.get(action, False)
        if action == "view":
            return True  # the scope already decided
        if action == "export":
            return user.sees_everything or user.is_unit_cadre
        if action in {"change", "launch", "manage_members", "manage_funding"}:
            return manages(user, obj)
        if action == "dissolve":
            return user.is_hq
        if action == "request_join":
            return user.is_studio_lead and obj.status != AllianceStatus.DISSOLVED
        if action == "log_activity":
            return manages(user, obj) or (obj.members_log_activities and leads_member(user, obj))
        return False


@register(AllianceMember)
class AllianceMemberPolicy(ParentPolicy):
    parent = "alliance"
    actions = {"view": "view", "decide": "manage_members", "remove": "manage_members", "change": "manage_members"}

    def can(self, user, action, obj=None):
        if action == "request_exit":
            return obj is not None and is_lead_of(user, obj.studio)
        return super().can(user, action, obj)


@register(Activity)
class ActivityPolicy(ParentPolicy):
    parent = "alliance"
    actions = {"view": "view", "add": "log_activity"}

    def can(self, user, action, obj=None):
        if action == "change" and obj is not None:
            alliance = obj.alliance
            if manages(user, alliance):
                return True
            return obj.recorded_by_id == user.pk and can_log(user, alliance)
        return super().can(user, action, obj)


def can_log(user, alliance) -> bool:
    from core.permissions import can

    return can(user, "log_activity", alliance)


@register(ActivityPhoto)
class ActivityPhotoPolicy(ParentPolicy):
    parent = "activity"
    actions = {"view": "view", "add": "change", "delete": "change"}


@register(ActivityDocument)
class ActivityDocumentPolicy(ParentPolicy):
    parent = "activity"
    actions = {"view": "view", "add": "change", "delete": "change"}


@register(AllianceFundingEntry)
class AllianceFundingPolicy(ParentPolicy):
    parent = "alliance"
    actions = {"view": "view", "add": "manage_funding", "reverse": "manage_funding"}


@register(DesignationBatch)
class DesignationBatchPolicy(Policy):
    """Designations are official acts: published batches are read by everyone who sees alliances;
    drafts and every change belong to HQ."""

    def scope(self, user, queryset):
        if user.is_hq:
            return queryset
        if sees_alliances(user):
            return queryset.filter(status=DesignationBatchStatus.PUBLISHED)
        return queryset.none()

    def can(self, user, action, obj=None):
        if action == "view":
            return sees_alliances(user)
        if action == "export":
            return user.sees_everything or user.is_unit_cadre
        return action in {"add", "change", "publish"} and user.is_hq


@register(Designation)
class DesignationPolicy(ParentPolicy):
    parent = "batch"
    actions = {"view": "view", "add": "change", "delete": "change"}

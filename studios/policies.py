"""Who sees and acts on studios (registered with core.permissions).

- HQ cadres and leadership viewers see every studio; a unit cadre its unit subtree's; a studio
  lead the studios it leads or is liaison of; experts none (later issues assign them items).
- A unit cadre registers studios for its units and does the first review (recommend / return);
  HQ does the final review (approve into a naming batch / return / reject), naming,
  rectification and revocation. The lead completes and submits its own application and keeps
  its team and funding ledger.
"""

from django.db.models import Q

from core.permissions import ParentPolicy, Policy, in_user_subtree, register, unit_subtree_q

from .choices import MemberRole
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

LEAD_ROLES = (MemberRole.LEAD, MemberRole.LIAISON)


def led_by_q(user, prefix: str = "") -> Q:
    """Studios `user` leads: as the lead person, or as an active lead/liaison member."""
    return Q(**{f"{prefix}lead__user": user}) | Q(
        **{
            f"{prefix}memberships__person__user": user,
            f"{prefix}memberships__left_on__isnull": True,
            f"{prefix}memberships__role__in": LEAD_ROLES,
        }
    )


def led_studio_ids(user):
    """The ids of the studios `user` leads (as led_by_q), as a UNION of two index lookups — the
    studios whose lead person is the user's, and the user's active lead or liaison places — for
    use in `pk__in`: the OR across the membership join made the database read every studio,
    person and membership of the tree (2 s for one studio lead at national scale)."""
    as_lead = Studio.objects.filter(lead__user=user).order_by().values("pk")
    as_member = (
        Membership.objects.filter(person__user=user, left_on__isnull=True, role__in=LEAD_ROLES)
        .order_by()
        .values("studio_id")
    )
    return as_lead.union(as_member)


def is_lead_of(user, studio) -> bool:
    return user.is_studio_lead and Studio.objects.filter(led_by_q(user), pk=studio.pk).exists()


def cadre_over(user, studio) -> bool:
    return user.is_unit_cadre and in_user_subtree(user, studio.unit)


@register(Studio)
class StudioPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit"))
        if user.is_studio_lead:
            return queryset.filter(pk__in=led_studio_ids(user))
        return queryset.none()

    def can(self, user, action, obj=None):
        hq, cadre, lead = user.is_hq, user.is_unit_cadre, user.is_studio_lead
        if obj is None:
            return {
                "view": hq or user.is_viewer or cadre or lead,
                "export": hq or user.is_viewer or cadre,
                "add": hq or cadre,
                "import": hq or cadre,
                # The studios waiting for the user's step (selectors.review_queue): HQ's review, the
                # unit's review, the lead's draft or returned application. Leadership takes none.
                "queue": hq or cadre or lead,
                # Logging projects and results: allowed on every studio of the scope (the object
                # rule below), so the forms list the scope (achievements.forms.studios_for_logging).
                "manage_achievements": hq or cadre or lead,
            }.get(action, False)
        if action == "view":
            return True  # the scope already decided
        if action == "export":
            return not lead
        if action in {"change", "submit", "manage_team", "manage_funding", "upload_photo", "manage_achievements"}:
            return hq or cadre_over(user, obj) or is_lead_of(user, obj)
        if action in {"review_unit", "change_lead"}:
            return hq or cadre_over(user, obj)
        if action in {"review_hq", "name", "rectify", "revoke", "add_level"}:
            return hq
        return False


@register(Membership)
class MembershipPolicy(ParentPolicy):
    parent = "studio"
    actions = {"view": "view", "add": "manage_team", "change": "manage_team", "delete": "manage_team"}


@register(LevelRecord)
class LevelRecordPolicy(ParentPolicy):
    parent = "studio"
    actions = {"view": "view", "add": "add_level"}


@register(StudioPhoto)
class StudioPhotoPolicy(ParentPolicy):
    parent = "studio"
    actions = {"view": "view", "add": "upload_photo", "delete": "upload_photo"}


@register(FundingEntry)
class FundingEntryPolicy(ParentPolicy):
    parent = "studio"
    actions = {"view": "view", "add": "manage_funding", "reverse": "manage_funding"}


@register(Assessment)
class AssessmentPolicy(ParentPolicy):
    parent = "studio"
    actions = {"view": "view", "self_assess": "submit", "unit_score": "review_unit", "grade": "review_hq"}


@register(StudioKind)
class StudioKindPolicy(Policy):
    def scope(self, user, queryset):
        return queryset

    def can(self, user, action, obj=None):
        return user.is_hq if action in {"view", "add", "change"} else False


@register(EligibilityRules)
class EligibilityRulesPolicy(Policy):
    def scope(self, user, queryset):
        return queryset

    def can(self, user, action, obj=None):
        if action == "view":
            return user.is_hq or user.is_unit_cadre or user.is_viewer
        return action == "change" and user.is_hq


@register(NamingBatch)
class NamingBatchPolicy(Policy):
    """Batches are company-wide official acts: cadres and leadership read them, HQ runs them."""

    def scope(self, user, queryset):
        return queryset if (user.sees_everything or user.is_unit_cadre) else queryset.none()

    def can(self, user, action, obj=None):
        if action in {"view", "export"}:
            return user.sees_everything or user.is_unit_cadre
        return action in {"add", "change", "name"} and user.is_hq


@register(AssessmentRound)
class AssessmentRoundPolicy(Policy):
    def scope(self, user, queryset):
        return queryset if (user.sees_everything or user.is_unit_cadre or user.is_studio_lead) else queryset.none()

    def can(self, user, action, obj=None):
        if action == "view":
            return user.sees_everything or user.is_unit_cadre or user.is_studio_lead
        if action == "export":
            return user.sees_everything or user.is_unit_cadre
        return action in {"add", "close"} and user.is_hq

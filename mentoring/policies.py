"""Who sees and acts on mentor pairings (registered with core.permissions).

- A studio pairing is seen by whoever sees its studio (the studios rule set) and managed (edited,
  progress logged, placements recorded, assessed, ended) by HQ, the cadres of the studio's unit
  subtree and the studio's lead or liaison.
- An alliance pairing (across units) is seen by HQ and leadership, the alliance's managers (the
  cadres of its lead unit), the leads of its member studios, and whoever may see its mentor or its
  apprentice; it is managed by HQ and the alliance's managers.
- A skill-grade change of the apprentice is recorded from the pairing page only by those who may
  change that person (HQ and the cadres of the person's unit: talent rule set).
- Leadership viewers see every pairing and act on none; experts see none.
- The reward rule is HQ's to edit; cadres and leadership read it. The yearly list of rewards due
  (and its export) is for HQ, leadership and unit cadres, a cadre seeing its own subtree only.
"""

from django.db.models import Q

from alliances.policies import manages as manages_alliance
from alliances.policies import sees_alliances
from core.permissions import ParentPolicy, Policy, can, register, scope
from studios.models import Studio
from studios.policies import cadre_over, is_lead_of

from .models import GraduationAssessment, Pairing, Placement, ProgressLog, RewardRule

MANAGE_ACTIONS = {"change", "log_progress", "assess", "end", "add_placement"}


def manages_studio(user, studio) -> bool:
    """May `user` set up and run pairings in this studio?"""
    return user.is_hq or cadre_over(user, studio) or is_lead_of(user, studio)


def manages_pairings_of_alliance(user, alliance) -> bool:
    return manages_alliance(user, alliance)


def manages(user, pairing) -> bool:
    if pairing.alliance_id:
        return manages_pairings_of_alliance(user, pairing.alliance)
    return manages_studio(user, pairing.studio)


def alliance_pairing_q(user) -> Q:
    """Alliance pairings a cadre or lead is concerned with: those of the alliances it manages or
    whose member studio it leads, and those whose mentor or apprentice it may see (its subtree,
    its team). An alliance pairing is not everyone's business in the company."""
    from alliances.choices import CURRENT_MEMBER_STATES
    from alliances.models import AllianceMember
    from studios.selectors import studios_led_by
    from talent.models import Person

    people = Person.objects.visible_to(user).values("pk")
    concerned = Q(mentor__in=people) | Q(apprentice__in=people)
    if user.is_unit_cadre and user.unit_id:
        concerned |= Q(alliance__lead_unit__path__startswith=user.unit.path)
    if user.is_studio_lead:
        led = AllianceMember.objects.filter(
            status__in=CURRENT_MEMBER_STATES, studio__in=studios_led_by(user).values("pk")
        ).values("alliance")
        concerned |= Q(alliance__in=led)
    return concerned


def sees_pairings(user) -> bool:
    return user.sees_everything or user.is_unit_cadre or user.is_studio_lead


def sees_rewards(user) -> bool:
    return user.sees_everything or user.is_unit_cadre


@register(Pairing)
class PairingPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if not sees_pairings(user):
            return queryset.none()
        visible = Q(studio__in=scope(user, Studio.objects.all()).values("pk"))
        if sees_alliances(user):
            visible |= Q(alliance__isnull=False) & alliance_pairing_q(user)
        return queryset.filter(visible)

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": sees_pairings(user),
                "export": user.sees_everything or user.is_unit_cadre,
                # Leads set up pairings in their own studios, cadres in their units' studios and
                # the alliances they manage; which studio or alliance is checked by the service.
                "add": user.is_hq or user.is_unit_cadre or user.is_studio_lead,
            }.get(action, False)
        if action == "view":
            return True  # the scope already decided
        if action == "export":
            return user.sees_everything or user.is_unit_cadre
        if action in MANAGE_ACTIONS:
            return manages(user, obj)
        if action == "record_grade":
            return can(user, "change", obj.apprentice)
        return False


@register(ProgressLog)
class ProgressLogPolicy(ParentPolicy):
    parent = "pairing"
    actions = {"view": "view", "add": "log_progress"}


@register(Placement)
class PlacementPolicy(ParentPolicy):
    parent = "pairing"
    actions = {"view": "view", "add": "add_placement"}


@register(GraduationAssessment)
class GraduationAssessmentPolicy(ParentPolicy):
    parent = "pairing"
    actions = {"view": "view", "add": "assess"}


@register(RewardRule)
class RewardRulePolicy(Policy):
    def scope(self, user, queryset):
        return queryset if sees_rewards(user) else queryset.none()

    def can(self, user, action, obj=None):
        if action in {"view", "view_rewards", "export_rewards"}:
            return sees_rewards(user)
        return action == "change" and user.is_hq

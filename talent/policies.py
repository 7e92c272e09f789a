"""Who sees and changes the people registry and the selection campaigns (registered with
core.permissions).

People: HQ and the cadres of a person's unit subtree manage the person; leads see their own
unit's people and their teams.

Selection campaigns (工匠评选 / 优秀成果评选):

- HQ runs them: creates and edits them, sets the criteria, assigns the experts, moves them
  through open → scoring → publicised → closed, and is the only role that sees each expert's
  individual scores (the ranking page). Leadership viewers read everything else.
- Unit cadres see every campaign (the open ones to nominate), nominate people or results of
  their own subtree, withdraw those while the campaign is open, and see only their subtree's
  nominations, plus the published selection once the public notice begins. They see the scores
  (the mean of the experts' totals) only from the public notice on.
- Experts see only the campaigns they are assigned to and, in them, the nominations they may
  score: never one they are conflicted with (see `units_conflict`).
- Studio leads see the campaigns and the published selection only.

Conflict of interest (回避): an expert never scores a nominee of its own unit. "Own unit" means
the expert's unit and the nominee's unit are the same, or one lies inside the other's subtree;
the top (HQ) unit does not count as an ancestor, so an expert working at HQ is conflicted only
with nominees of HQ itself, and a nominee of HQ only with experts of HQ. Sibling units (two
plants of one subsidiary) are not conflicted.

An expert may also declare a conflict of interest with a nominee (its mentor, colleague or
relative: a Recusal, with the reason), while the campaign is open or in scoring. The nominee stays
in the expert's sight, under 回避, but the expert no longer scores it (talent.services refuses,
409); HQ and leadership, who see the panel, see who declared and why.
"""

from django.db.models import Q

from core.permissions import ParentPolicy, Policy, in_user_subtree, register, unit_subtree_q

from .choices import PUBLISHED_CAMPAIGN_STATES, NominationStatus
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


def manages_unit_of(user, person) -> bool:
    """HQ, and the cadre of the person's unit subtree, manage the person (and see personal data)."""
    return user.is_hq or (user.is_unit_cadre and in_user_subtree(user, person.unit))


def _led_studio_ids(user):
    from studios.selectors import studios_led_by

    return studios_led_by(user).values("pk")


@register(Person)
class PersonPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit"))
        if user.is_studio_lead:
            # Leads see the people of their own unit (to build a team) and their teams' members.
            from studios.models import Membership

            team = Membership.objects.filter(studio__in=_led_studio_ids(user)).values("person")
            return queryset.filter(unit_subtree_q(user, "unit") | Q(pk__in=team))
        return queryset.none()

    def can(self, user, action, obj=None):
        if action in {"view", "export"}:
            return user.sees_everything or user.is_unit_cadre or (user.is_studio_lead and action == "view")
        if action == "add":
            return user.is_hq or user.is_unit_cadre or user.is_studio_lead
        if action == "import":
            return user.is_hq or user.is_unit_cadre
        if action == "change":
            # Only those who manage the person's unit: honours, grades, unit and 班组 feed the
            # studio eligibility check, so a lead may not edit them, not even for its own team.
            if obj is None:
                return user.is_hq or user.is_unit_cadre
            return manages_unit_of(user, obj)
        if action == "view_personal":
            return obj is not None and manages_unit_of(user, obj)
        if action == "link_user":
            return obj is not None and manages_unit_of(user, obj)
        return False


@register(SkillGradeChange)
class SkillGradeChangePolicy(ParentPolicy):
    parent = "person"


@register(Honour)
class HonourPolicy(ParentPolicy):
    parent = "person"


# Selection campaigns ------------------------------------------------------------------------------


def units_conflict(expert_unit, nominee_unit) -> bool:
    """True when an expert of `expert_unit` must recuse itself from a nominee of `nominee_unit`:
    the same unit, or one inside the other's subtree, the top (HQ) unit not counting as an ancestor."""
    if expert_unit is None or nominee_unit is None:
        return False
    if expert_unit.pk == nominee_unit.pk:
        return True
    upper, lower = sorted((expert_unit, nominee_unit), key=lambda unit: len(unit.path))
    return upper.depth > 1 and lower.path.startswith(upper.path)


def conflict_q(user, unit_lookup: str = "unit") -> Q:
    """The rows whose unit (through `unit_lookup`) `user` is conflicted with (see units_conflict)."""
    unit = user.unit
    if unit is None:
        return Q(pk__in=[])
    conflicted = Q(**{unit_lookup: unit.pk})
    if unit.depth > 1:
        conflicted |= Q(**{f"{unit_lookup}__path__startswith": unit.path})
        step = unit.steplen
        # The expert's ancestors, the top unit left out.
        ancestors = [unit.path[:end] for end in range(2 * step, len(unit.path), step)]
        if ancestors:
            conflicted |= Q(**{f"{unit_lookup}__path__in": ancestors})
    return conflicted


def panel_campaigns(user):
    """The campaigns the user is an assigned expert of (a subquery)."""
    return PanelMember.objects.filter(expert=user).values("campaign")


def on_panel(user, campaign) -> bool:
    """`campaign`: a campaign or its primary key."""
    return user.is_expert and PanelMember.objects.filter(campaign=campaign, expert=user).exists()


def sees_campaigns(user) -> bool:
    return user.sees_everything or user.is_unit_cadre or user.is_studio_lead or user.is_expert


def is_published(campaign) -> bool:
    return campaign.status in PUBLISHED_CAMPAIGN_STATES


HQ_CAMPAIGN_ACTIONS = {"change", "manage_criteria", "manage_panel", "start_scoring", "publicise", "close", "rank"}


@register(Campaign)
class CampaignPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything or user.is_unit_cadre or user.is_studio_lead:
            return queryset
        if user.is_expert:
            return queryset.filter(pk__in=panel_campaigns(user))
        return queryset.none()

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": sees_campaigns(user),
                "export": user.sees_everything or user.is_unit_cadre,
                "add": user.is_hq,
                "nominate": user.is_hq or user.is_unit_cadre,
                "score": user.is_expert,
            }.get(action, False)
        if action == "view":
            return True  # the scope already decided
        if action == "export":
            return user.sees_everything or user.is_unit_cadre
        if action in HQ_CAMPAIGN_ACTIONS:
            return user.is_hq
        if action == "nominate":
            return user.is_hq or user.is_unit_cadre
        if action == "view_panel":
            return user.sees_everything
        if action == "view_scores":  # each expert's own scores
            return user.is_hq
        if action == "view_totals":  # the mean of the experts' totals
            return user.sees_everything or (is_published(obj) and (user.is_unit_cadre or user.is_studio_lead))
        if action == "score":
            return on_panel(user, obj)
        return False


@register(Criterion)
class CriterionPolicy(ParentPolicy):
    parent = "campaign"
    actions = {"view": "view", "add": "manage_criteria", "change": "manage_criteria", "delete": "manage_criteria"}


@register(PanelMember)
class PanelMemberPolicy(ParentPolicy):
    """Who reviews is HQ's business (and leadership's): nobody else sees the panel."""

    parent = "campaign"
    actions = {"view": "view_panel", "add": "manage_panel", "delete": "manage_panel"}

    def scope(self, user, queryset):
        return queryset if user.sees_everything else queryset.none()


def _published_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}proposed": True, f"{prefix}campaign__status__in": PUBLISHED_CAMPAIGN_STATES})


@register(Nomination)
class NominationPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit") | _published_q())
        if user.is_studio_lead:
            return queryset.filter(_published_q())
        if user.is_expert:
            return (
                queryset.filter(campaign__in=panel_campaigns(user))
                .exclude(status=NominationStatus.WITHDRAWN)
                .exclude(conflict_q(user, "unit"))
            )
        return queryset.none()

    def can(self, user, action, obj=None):
        if obj is None:
            return action == "view" and sees_campaigns(user)
        if action == "view":
            return True
        manages = user.is_hq or (user.is_unit_cadre and in_user_subtree(user, obj.unit))
        if action == "withdraw":
            return manages
        if action == "view_material":
            return manages or user.is_viewer or self.can(user, "score", obj)
        if action in {"score", "recuse"}:
            # A declared recusal is the pair's state, not the expert's right: the service refuses
            # a scorecard after it (409), and a second declaration, with the reason.
            return (
                user.is_expert
                and obj.status != NominationStatus.WITHDRAWN
                and not units_conflict(user.unit, obj.unit)
                and on_panel(user, obj.campaign_id)
            )
        return False


@register(Scorecard)
class ScorecardPolicy(Policy):
    """Each expert's scores are seen by HQ and by the expert who gave them, nobody else."""

    def scope(self, user, queryset):
        if user.is_hq:
            return queryset
        if user.is_expert:
            return queryset.filter(expert=user)
        return queryset.none()

    def can(self, user, action, obj=None):
        if action != "view":
            return False
        if obj is None:
            return user.is_hq or user.is_expert
        return user.is_hq or obj.expert_id == user.pk


@register(Recusal)
class RecusalPolicy(Policy):
    """Who declared a conflict of interest is seen by those who see the panel (HQ, leadership)
    and by the expert who declared it; nobody else."""

    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_expert:
            return queryset.filter(expert=user)
        return queryset.none()

    def can(self, user, action, obj=None):
        if action != "view":
            return False
        if obj is None:
            return user.sees_everything or user.is_expert
        return user.sees_everything or obj.expert_id == user.pk


@register(ScoreItem)
class ScoreItemPolicy(ParentPolicy):
    parent = "scorecard"
    actions = {"view": "view"}

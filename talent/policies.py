"""Who sees and changes the people registry (registered with core.permissions)."""

from django.db.models import Q

from core.permissions import ParentPolicy, Policy, in_user_subtree, register, unit_subtree_q

from .models import Honour, Person, SkillGradeChange


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

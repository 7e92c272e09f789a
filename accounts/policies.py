"""Who sees and manages units and user accounts (registered with core.permissions)."""

from core.permissions import Policy, in_user_subtree, register, unit_subtree_q

from .choices import Role
from .models import Unit, User

# A unit cadre may open and look after the logins of studio leads in its subtree (it registers
# their studios); every other account, and every cadre account, is HQ's to manage.
ROLES_A_UNIT_CADRE_MANAGES = {Role.STUDIO_LEAD}


def may_manage_account(actor, *, role, unit) -> bool:
    """May `actor` create or change an account with this role in this unit?"""
    if actor.is_hq:
        return True
    if actor.is_unit_cadre:
        return role in ROLES_A_UNIT_CADRE_MANAGES and in_user_subtree(actor, unit)
    return False


def assignable_roles(actor) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if actor.is_hq or value in ROLES_A_UNIT_CADRE_MANAGES]


@register(Unit)
class UnitPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, ""))
        return queryset.filter(pk=user.unit_id)

    def can(self, user, action, obj=None):
        if action in {"view", "export"}:
            return user.sees_everything or user.is_unit_cadre
        if action in {"add", "change", "move"}:
            return user.is_hq
        if action == "view_statistics":
            # The dashboards and annual reports of a unit's subtree: HQ and leadership for any
            # unit, a unit cadre for its own subtree.
            if not (user.sees_everything or user.is_unit_cadre):
                return False
            return obj is None or user.sees_everything or in_user_subtree(user, obj)
        if action == "request_report":
            # Asking for (and submitting) an annual report: HQ for any unit, a unit cadre for its
            # subtree; leadership reads reports but does not make them.
            if not (user.is_hq or user.is_unit_cadre):
                return False
            return obj is None or user.is_hq or in_user_subtree(user, obj)
        return False


@register(User)
class UserPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit"))
        return queryset.filter(pk=user.pk)

    def can(self, user, action, obj=None):
        if action in {"view", "export"}:
            if obj is not None and obj.pk == user.pk:
                return action == "view"
            return user.sees_everything or user.is_unit_cadre
        if action == "add":
            return user.is_hq or user.is_unit_cadre
        if action in {"change", "deactivate", "activate", "reset_password", "unlock"}:
            if obj is None:
                return user.is_hq or user.is_unit_cadre
            if obj.pk == user.pk or (obj.is_superuser and not user.is_superuser):
                # One's own account is changed on the profile page; nobody locks themselves out.
                return False
            return may_manage_account(user, role=obj.role, unit=obj.unit)
        return False

"""Who sees and acts on annual reports (registered with core.permissions).

- HQ and leadership see every report; a unit cadre sees the reports of the units in its subtree;
  studio leads and experts see none.
- Asking for a report (`add`) is for HQ (any unit) and unit cadres (a unit of their subtree): the
  unit itself is checked with the unit action `request_report` (accounts.policies.UnitPolicy).
- Submitting a finished report (上报) is for whoever may ask for a report of its unit.
- Whoever sees a report may download its files.
"""

from core.permissions import Policy, in_user_subtree, register, unit_subtree_q

from .models import AnnualReport


def sees_reports(user) -> bool:
    return user.sees_everything or user.is_unit_cadre


@register(AnnualReport)
class AnnualReportPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit"))
        return queryset.none()

    def can(self, user, action, obj=None):
        if action in {"view", "download", "export"}:
            if not sees_reports(user):
                return False
            return obj is None or user.sees_everything or in_user_subtree(user, obj.unit)
        if action in {"add", "submit"}:
            if not (user.is_hq or user.is_unit_cadre):
                return False
            return obj is None or user.is_hq or in_user_subtree(user, obj.unit)
        return False

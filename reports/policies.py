"""Who sees and acts on annual reports (registered with core.permissions).

- HQ and leadership see every report; a unit cadre sees the reports of the units in its subtree;
  studio leads and experts see none.
- Asking for a report (`add`) is for HQ (any unit) and unit cadres (a unit of their subtree): the
  unit itself is checked with the unit action `request_report` (accounts.policies.UnitPolicy).
- Submitting a finished report (上报) is for whoever may ask for a report of its unit.
- Whoever sees a report may download its files.
"""

from accounts.models import Unit
from core.permissions import Policy, can, register, unit_subtree_q

from .models import AnnualReport


@register(AnnualReport)
class AnnualReportPolicy(Policy):
    """Defers to the unit's rules (accounts.policies.UnitPolicy), so reports and dashboards cannot
    drift apart: seeing a report is `view_statistics` on its unit, asking for or submitting one is
    `request_report` on its unit."""

    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "unit"))
        return queryset.none()

    def can(self, user, action, obj=None):
        unit = Unit if obj is None else obj.unit
        if action in {"view", "download", "export"}:
            return can(user, "view_statistics", unit)
        if action in {"add", "submit"}:
            return can(user, "request_report", unit)
        return False

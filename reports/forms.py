from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import Unit
from core.forms import PortalForm, set_bounds
from core.permissions import can

from .models import FIRST_YEAR


class ReportRequestForm(PortalForm):
    """A year and a unit: the report counts that unit and every unit below it."""

    year = forms.IntegerField(label=_("Year"))
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("The report counts this unit and every unit below it."),
    )

    def __init__(self, *args, **kwargs):
        from accounts.selectors import unit_choices

        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        set_bounds(self.fields["year"], minimum=FIRST_YEAR, maximum=this_year)
        self.initial.setdefault("year", this_year - 1)
        # The units this user may ask a report for (the unit action request_report): HQ any unit,
        # a unit cadre those of its subtree — which are exactly the units each of them sees.
        may_request = self.user is not None and can(self.user, "request_report", Unit)
        self.fields["unit"].queryset = unit_choices(self.user) if may_request else Unit.objects.none()
        if may_request:
            self.initial.setdefault("unit", self.user.unit_id)

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SortFilter, UnitSubtreeFilter

from .choices import ReportStatus
from .models import FIRST_YEAR, AnnualReport


def _units(request):
    from accounts.selectors import unit_choices

    return unit_choices(request.user) if request is not None else None


class AnnualReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_units, label=_("Unit (and below)"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    ordering = SortFilter(
        fields=(("year", "year"), ("created_at", "created_at"), ("finished_at", "finished_at")),
        field_labels={"year": _("Year"), "created_at": _("Requested at"), "finished_at": _("Finish time")},
    )

    class Meta:
        model = AnnualReport
        fields = ["year", "unit", "status"]

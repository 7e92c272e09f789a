import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilter, SortFilter, UnitSubtreeFilter, YesNoFilter

from .choices import AllianceStatus, DesignationBatchStatus, DesignationKind
from .models import Alliance, AllianceMember, Designation


def _all_units(request):
    # Alliances are company-wide: any lead unit can be filtered on, the list stays what the user sees.
    from accounts.models import Unit

    return Unit.objects.filter(is_active=True) if request is not None else Unit.objects.none()


class AllianceFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "theme"], label=_("Name or theme"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AllianceStatus.choices)
    lead_unit = UnitSubtreeFilter(unit_lookup="lead_unit", queryset=_all_units, label=_("Lead unit"))
    founded_year = django_filters.NumberFilter(
        label=_("Founding year"), field_name="founded_on", lookup_expr="year", min_value=1950, max_value=2100
    )
    pilot = YesNoFilter(label=_("Alliance pilot unit"), method="filter_pilot")
    pending = YesNoFilter(label=_("With requests to decide"), method="filter_pending")
    ordering = SortFilter(
        fields=(
            ("name", "name"),
            ("founded_on", "founded_on"),
            ("member_count", "member_count"),
            ("activity_count", "activity_count"),
        ),
        field_labels={
            "name": _("Name"),
            "founded_on": _("Founded on"),
            "member_count": _("Number of members"),
            "activity_count": _("Number of activities"),
        },
    )

    class Meta:
        model = Alliance
        fields = ["q", "status", "lead_unit", "founded_year", "pilot", "pending"]

    def filter_pilot(self, queryset, name, value):
        if value is None:
            return queryset
        pilots = Designation.objects.filter(
            kind=DesignationKind.PILOT, batch__status=DesignationBatchStatus.PUBLISHED, alliance__isnull=False
        ).values("alliance")
        return queryset.filter(pk__in=pilots) if value else queryset.exclude(pk__in=pilots)

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        from .selectors import PENDING_STATES

        waiting = AllianceMember.objects.filter(status__in=PENDING_STATES).values("alliance")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)

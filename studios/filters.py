import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_choices
from core.filters import SearchFilter, UnitSubtreeFilter, YesNoFilter
from talent.choices import HonourLevel

from .choices import StudioLevel, StudioStatus
from .models import Studio, StudioKind


def _visible_units(request):
    return unit_choices(request.user) if request is not None else Unit.objects.none()


class StudioFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "lead__name", "specialty"], label=_("Name, lead or specialty"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=StudioLevel.choices)
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=StudioKind.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StudioStatus.choices)
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_visible_units)
    named_year = django_filters.NumberFilter(
        label=_("Naming year"), field_name="named_on", lookup_expr="year", min_value=1950, max_value=2100
    )
    lead_honour = django_filters.ChoiceFilter(
        label=_("Lead's honour level"), choices=HonourLevel.choices, field_name="lead__honours__level", distinct=True
    )
    is_demonstration = YesNoFilter(label=_("Demonstration"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("named_on", "named_on"), ("updated_at", "updated_at")),
        label=_("Sort by"),
    )

    class Meta:
        model = Studio
        fields = ["q", "level", "kind", "status", "unit", "named_year", "lead_honour", "is_demonstration"]

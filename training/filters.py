import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilter, SortFilter, UnitSubtreeFilter

from .choices import ClassKind, ClassStatus
from .models import TrainingClass


def _units(request):
    from accounts.selectors import unit_choices

    return unit_choices(request.user) if request is not None else None


class ClassFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["title", "place"], label=_("Title or place"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ClassKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClassStatus.choices)
    organiser = UnitSubtreeFilter(unit_lookup="organiser", queryset=_units, label=_("Organiser"))
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=1950, max_value=2100
    )
    ordering = SortFilter(
        fields=(("starts_on", "starts_on"), ("title", "title"), ("enrolled_count", "enrolled_count")),
        field_labels={"starts_on": _("First day"), "title": _("Title"), "enrolled_count": _("Number enrolled")},
    )

    class Meta:
        model = TrainingClass
        fields = ["q", "kind", "status", "organiser", "year"]

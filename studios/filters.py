import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_choices
from core.filters import SearchFilter, SortFilter, UnitSubtreeFilter, YesNoFilter
from talent.choices import HonourLevel

from .choices import AssessmentGrade, AssessmentStatus, StudioLevel, StudioStatus
from .models import Assessment, Studio, StudioKind


def _visible_units(request):
    return unit_choices(request.user) if request is not None else Unit.objects.none()


class StudioFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "lead__name", "specialty"], label=_("Name, lead or specialty"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=StudioLevel.choices, method="filter_level")
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=StudioKind.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StudioStatus.choices)
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_visible_units)
    named_year = django_filters.NumberFilter(
        label=_("Naming year"), field_name="named_on", lookup_expr="year", min_value=1950, max_value=2100
    )
    # The studios indicators' population (reports.indicators): holding the title on 31 December.
    title_year = django_filters.NumberFilter(
        label=_("Holding the title at the end of the year"), method="filter_title_year", min_value=1950, max_value=2100
    )
    lead_honour = django_filters.ChoiceFilter(
        label=_("Lead's honour level"), choices=HonourLevel.choices, field_name="lead__honours__level", distinct=True
    )
    is_demonstration = YesNoFilter(label=_("Demonstration"))
    ordering = SortFilter(
        fields=(("name", "name"), ("named_on", "named_on"), ("updated_at", "updated_at")),
        field_labels={"name": _("Name"), "named_on": _("Named on"), "updated_at": _("Updated at")},
    )

    class Meta:
        model = Studio
        fields = ["q", "level", "kind", "status", "unit", "named_year", "title_year", "lead_honour", "is_demonstration"]

    def filter_level(self, queryset, name, value):
        if not value:
            return queryset
        year = self.form.cleaned_data.get("title_year")
        if year is None:
            return queryset.filter(level=value)
        # With "holding the title at the end of year Y" the level is the one held that day.
        from reports.indicators import level_at_year_end

        return queryset.alias(level_then=level_at_year_end(int(year))).filter(level_then=value)

    def filter_title_year(self, queryset, name, value):
        if value is None:
            return queryset
        from django.db.models.functions import Coalesce, TruncDate

        from reports.indicators import named_at_year_end

        return queryset.alias(named_from=Coalesce("named_on", TruncDate("created_at"))).filter(
            named_at_year_end(int(value))
        )


class AssessmentFilterSet(django_filters.FilterSet):
    """The studios of one assessment round (a national round assesses every named studio)."""

    q = SearchFilter(search_fields=["studio__name"], label=_("Studio name"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssessmentStatus.choices)
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=AssessmentGrade.choices)
    unit = UnitSubtreeFilter(unit_lookup="studio__unit", queryset=_visible_units)
    no_verified_result = YesNoFilter(label=_("No verified result"))
    revocation_proposed = YesNoFilter(label=_("Revocation proposed"))

    class Meta:
        model = Assessment
        fields = ["q", "status", "grade", "unit", "no_verified_result", "revocation_proposed"]

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import BoundedModelChoiceFilter, SearchFilter, SortFilter, UnitSubtreeFilter, YesNoFilter

from .choices import PairingStatus
from .models import Pairing


def _studios(request):
    """Studios the user sees that have pairings (a bounded list for the filter)."""
    from studios.models import Studio

    if request is None:
        return Studio.objects.none()
    return (
        Studio.objects.visible_to(request.user)
        .filter(pk__in=Pairing.objects.values("studio"))
        .only("pk", "name")
        .order_by("name")
    )


def _alliances(request):
    from alliances.models import Alliance

    if request is None:
        return Alliance.objects.none()
    return (
        Alliance.objects.visible_to(request.user)
        .filter(pk__in=Pairing.objects.values("alliance"))
        .only("pk", "name")
        .order_by("name")
    )


def _units(request):
    from accounts.models import Unit
    from accounts.selectors import unit_choices

    return unit_choices(request.user) if request is not None else Unit.objects.none()


class PairingFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["mentor__name", "apprentice__name"], label=_("Mentor or apprentice"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PairingStatus.choices)
    studio = BoundedModelChoiceFilter(label=_("Studio"), queryset=_studios)
    alliance = BoundedModelChoiceFilter(label=_("Alliance"), queryset=_alliances)
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_units, label=_("Unit (and below)"))
    year = django_filters.NumberFilter(
        label=_("Agreement year"), field_name="agreement_on", lookup_expr="year", min_value=1990, max_value=2100
    )
    overdue = YesNoFilter(label=_("Term over, not assessed"), method="filter_overdue")
    ordering = SortFilter(
        fields=(
            ("agreement_on", "agreement_on"),
            ("term_ends_on", "term_ends_on"),
            ("mentor__name", "mentor"),
            ("apprentice__name", "apprentice"),
            ("status", "status"),
        ),
        field_labels={
            "agreement_on": _("Agreement signed on"),
            "term_ends_on": _("Term ends on"),
            "mentor__name": _("Mentor"),
            "apprentice__name": _("Apprentice"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Pairing
        fields = ["q", "status", "studio", "alliance", "unit", "year", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"status": PairingStatus.ACTIVE, "term_ends_on__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

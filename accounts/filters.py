import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilter, UnitSubtreeFilter, YesNoFilter

from .choices import Role, UnitKind
from .models import Unit, User
from .selectors import unit_choices


def _visible_units(request):
    return unit_choices(request.user) if request is not None else Unit.objects.none()


class UnitFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "short_name", "code", "union_name"])
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    within = UnitSubtreeFilter(unit_lookup="", queryset=_visible_units)
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "within", "is_active"]


class UserFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["username", "name", "email", "phone"])
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_visible_units)
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]

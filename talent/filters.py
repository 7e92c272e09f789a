import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_choices
from core.filters import SearchFilter, UnitSubtreeFilter

from .choices import HonourKind, HonourLevel, SkillGrade
from .models import Person


def _visible_units(request):
    return unit_choices(request.user) if request is not None else Unit.objects.none()


class PersonFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "employee_no", "post", "team_group"])
    unit = UnitSubtreeFilter(unit_lookup="unit", queryset=_visible_units)
    skill_grade = django_filters.ChoiceFilter(label=_("Skill grade"), choices=SkillGrade.choices)
    honour_kind = django_filters.ChoiceFilter(
        label=_("Honour"), choices=HonourKind.choices, field_name="honours__kind", distinct=True
    )
    honour_level = django_filters.ChoiceFilter(
        label=_("Honour level"), choices=HonourLevel.choices, field_name="honours__level", distinct=True
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "skill_grade", "honour_kind", "honour_level"]

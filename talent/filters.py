import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_choices
from core.filters import SearchFilter, UnitSubtreeFilter

from .choices import CampaignKind, CampaignStatus, HonourKind, HonourLevel, SkillGrade
from .models import Campaign, Person


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


class CampaignFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["name", "honour_title"], label=_("Name or honour"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CampaignKind.choices)
    year = django_filters.NumberFilter(label=_("Year"), min_value=1950, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CampaignStatus.choices)

    class Meta:
        model = Campaign
        fields = ["q", "kind", "year", "status"]

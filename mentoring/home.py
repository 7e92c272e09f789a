"""To-do items of the mentoring app for the home page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .selectors import overdue_pairings, overdue_pairings_of_cadre


@todo_provider
def pairings_to_assess(user) -> list[TodoItem]:
    """For a studio lead, and for the unit cadre who runs them too: pairings whose term is over
    and whose graduation is not assessed yet (the pairing's page asks for the assessment)."""
    if user.is_studio_lead:
        count = overdue_pairings(user, timezone.localdate()).count()
    elif user.is_unit_cadre:
        count = overdue_pairings_of_cadre(user, timezone.localdate()).count()
    else:
        return []
    url = reverse("mentoring:pairing_list") + "?status=active&overdue=true"
    return [TodoItem(title=_("Mentor pairings to assess: the term is over"), count=count, url=url, icon="mortarboard")]

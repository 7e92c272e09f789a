"""To-do items of the talent app for the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .selectors import campaigns_closing_soon, nominations_waiting_for

NOMINATION_REMINDER_DAYS = 14


@todo_provider
def nominations_to_score(user) -> list[TodoItem]:
    """An expert: the nominations waiting for its score."""
    if not user.is_expert:
        return []
    count = nominations_waiting_for(user)
    return [TodoItem(title=_("Nominations waiting for your score"), count=count, url=reverse("talent:scoring_queue"))]


@todo_provider
def campaigns_closing(user) -> list[TodoItem]:
    """A unit cadre: open selection campaigns whose nominations close within two weeks."""
    if not user.is_unit_cadre:
        return []
    count = campaigns_closing_soon(user, days=NOMINATION_REMINDER_DAYS).count()
    url = reverse("talent:campaign_list") + "?status=open"
    return [TodoItem(title=_("Selection campaigns closing for nominations soon"), count=count, url=url, icon="award")]

"""To-do items of the alliances app for the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .selectors import requests_waiting_for


@todo_provider
def alliance_requests(user) -> list[TodoItem]:
    if not (user.is_hq or user.is_unit_cadre):
        return []
    count = requests_waiting_for(user).count()
    url = reverse("alliances:alliance_list") + "?pending=true"
    return [TodoItem(title=_("Alliance join and exit requests to decide"), count=count, url=url, icon="diagram-2")]

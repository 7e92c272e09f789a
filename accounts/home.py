"""To-do items of the accounts app for the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider
from core.permissions import can

from .models import User
from .selectors import locked_usernames


@todo_provider
def locked_accounts(user) -> list[TodoItem]:
    """Accounts locked after failed sign-ins that this user may unlock."""
    if not (user.is_hq or user.is_unit_cadre):
        return []
    locked = [
        account
        for account in User.objects.visible_to(user).filter(username__in=locked_usernames()).select_related("unit")
        if can(user, "unlock", account)
    ]
    if not locked:
        return []
    url = reverse("accounts:user_detail", args=[locked[0].pk]) if len(locked) == 1 else reverse("accounts:user_list")
    return [TodoItem(title=_("Accounts locked after failed sign-ins"), count=len(locked), url=url, icon="lock")]

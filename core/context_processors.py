from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for
from .selectors import notification_unread_count


def portal(request):
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav"] = SimpleLazyObject(lambda: navigation_for(user, request.path))
        # A kept page (core.page_cache) has read the count already, and is kept with it.
        unread = getattr(request, "unread_notifications", None)
        context["unread_notifications"] = (
            unread if unread is not None else SimpleLazyObject(lambda: notification_unread_count(user))
        )
    return context

"""Reads of core's own data."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from .models import AuditEvent, Notification

HISTORY_LIMIT = 50


def audit_events_for(obj, *, limit: int = HISTORY_LIMIT) -> list[AuditEvent]:
    """The newest audit events of one object (the history panel); visibility is the object's own."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return list(
        AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def audit_event_list(user):
    return AuditEvent.objects.visible_to(user).select_related("actor", "content_type")


def notification_list(user):
    return Notification.objects.visible_to(user)


def unread_count_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


# The count behind the header's bell, on every page: kept in the cache, dropped by the services that
# add or read notifications (core.services.notifications_changed); the timeout bounds a count
# recomputed in the instant between a write and its commit.
UNREAD_COUNT_TIMEOUT = 300


def notification_unread_count(user) -> int:
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.visible_to(user).filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_TIMEOUT)
    return count

"""Reads of core's own data."""

from django.contrib.contenttypes.models import ContentType

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


def notification_unread_count(user) -> int:
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()

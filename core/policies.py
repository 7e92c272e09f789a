"""Policies of core's own models (see core.permissions for the rule set)."""

from .models import AuditEvent, Notification
from .permissions import Policy, register


@register(AuditEvent)
class AuditEventPolicy(Policy):
    """The full audit log is HQ's. Others see an object's history on that object's own page."""

    def scope(self, user, queryset):
        return queryset if user.is_hq else queryset.none()

    def can(self, user, action, obj=None):
        return action in {"view", "export"} and user.is_hq


@register(Notification)
class NotificationPolicy(Policy):
    """A notification belongs to its recipient alone."""

    def scope(self, user, queryset):
        return queryset.filter(recipient=user)

    def can(self, user, action, obj=None):
        if action not in {"view", "mark_read"}:
            return False
        return obj is None or obj.recipient_id == user.pk

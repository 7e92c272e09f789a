from django.contrib import admin

from .models import AuditEvent, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin is for superusers to inspect data. Every change goes through the portal's
    services, which validate and audit it, so the admin itself writes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "title", "read_at", "emailed_at")


def _read_only(model, model_admin_class) -> None:
    """Re-register a third-party model's admin read-only: deleting django-axes' attempts would lift a
    lockout without the audited unlock (accounts.services.user_unlock)."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    read_only = type(f"ReadOnly{model_admin_class.__name__}", (ReadOnlyAdmin, model_admin_class), {"actions": ()})
    admin.site.register(model, read_only)


def _lock_down_third_party_admin() -> None:
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    # Roles are a field of the user, not groups: the portal has no use for Django's groups.
    if admin.site.is_registered(Group):
        admin.site.unregister(Group)
    for model, model_admin_class in (
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ):
        _read_only(model, model_admin_class)


_lock_down_third_party_admin()

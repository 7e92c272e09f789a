import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .models import AuditEvent


class AuditEventTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    actor_name = tables.Column(verbose_name=_("Actor"))
    action = tables.Column()
    content_type = tables.Column(verbose_name=_("Object type"))
    object_repr = tables.Column()
    changes = tables.Column(orderable=False)
    comment = tables.Column(orderable=False)

    class Meta:
        model = AuditEvent
        fields = ("created_at", "actor_name", "action", "content_type", "object_repr", "changes", "comment")

    def render_action(self, value):
        return audit_action_label(value)

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model

    def render_changes(self, value):
        return "; ".join(f"{name}: {old} → {new}" for name, (old, new) in value.items()) if value else "—"


def audit_action_label(value: str) -> str:
    try:
        return AuditAction(value).label
    except ValueError:
        return value

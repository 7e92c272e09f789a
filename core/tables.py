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


_extra_action_labels: dict[str, str] = {}


def register_action_labels(labels: dict) -> None:
    """Apps name the audit actions of their own transitions (e.g. "studio_submit")."""
    _extra_action_labels.update(labels)


def audit_action_label(value: str) -> str:
    try:
        return AuditAction(value).label
    except ValueError:
        return _extra_action_labels.get(value, value)

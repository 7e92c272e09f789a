from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.core.exceptions import FieldDoesNotExist

from core.tables import audit_action_label

register = template.Library()


@register.filter
def yuan(value):
    """¥ amount with thousands separators and two decimals: 1234567.5 → ¥1,234,567.50."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def audit_action(value):
    return audit_action_label(value)


def _field(obj, name):
    """The model field a recorded change names. "members.status" names the `status` field of the
    rows related through `members` (a child's change recorded on its parent's history)."""
    meta = obj._meta
    if "." in name:
        relation, name = name.split(".", 1)
        meta = meta.get_field(relation).related_model._meta
    return meta.get_field(name)


@register.simple_tag
def field_label(obj, name):
    """The verbose name of a field of `obj`'s model (for the history panel), or the raw name."""
    try:
        return _field(obj, name).verbose_name
    except (FieldDoesNotExist, AttributeError):
        return name


@register.simple_tag
def field_value(obj, name, value):
    """A recorded value as people read it: the label of a choice, "—" for nothing."""
    if value is None or value == "":
        return "—"
    try:
        field = _field(obj, name)
    except (FieldDoesNotExist, AttributeError):
        return value
    choices = dict(field.flatchoices) if field.choices else None
    return choices.get(value, value) if choices else value


@register.simple_tag
def change_text(obj, name, change):
    """One recorded change: "old → new" for a pair, the value alone otherwise."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return f"{field_value(obj, name, change[0])} → {field_value(obj, name, change[1])}"
    return field_value(obj, name, change)

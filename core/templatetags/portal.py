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


@register.simple_tag
def field_label(obj, name):
    """The verbose name of a field of `obj`'s model (for the history panel), or the raw name."""
    try:
        return obj._meta.get_field(name).verbose_name
    except (FieldDoesNotExist, AttributeError):
        return name


@register.simple_tag
def field_value(obj, name, value):
    """A recorded value as people read it: the label of a choice, "—" for nothing."""
    if value is None or value == "":
        return "—"
    try:
        field = obj._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return value
    choices = dict(field.flatchoices) if field.choices else None
    return choices.get(value, value) if choices else value

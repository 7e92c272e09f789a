from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from core.audit import change_text, field_label, field_value
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


# The history panel reads recorded changes with the audit log's helpers (core.audit).
register.simple_tag(field_label)
register.simple_tag(field_value)
register.simple_tag(change_text)

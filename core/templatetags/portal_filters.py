from django import template

from core.widgets import filter_field_html

register = template.Library()


@register.simple_tag
def filter_field(field):
    """A list filter's field as crispy renders it, written out in Python (core.widgets)."""
    return filter_field_html(field)

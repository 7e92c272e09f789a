from django import template

from core.widgets import filter_field_html

register = template.Library()


@register.simple_tag
def filter_field(field):
    """A list filter's field as crispy renders it, written out in Python (core.widgets)."""
    return filter_field_html(field)


@register.simple_tag
def active_filter_count(filterset) -> int:
    """How many of a list's filters are set (the sort order is not a filter; "any" is not set):
    shown on the phone's filter button, which keeps the fields folded away above the rows."""
    from django_filters import OrderingFilter

    form = filterset.form
    if not filterset.is_bound or not form.is_valid():
        return 0
    return sum(
        1
        for name, filter_ in filterset.filters.items()
        if not isinstance(filter_, OrderingFilter) and form.cleaned_data.get(name) not in (None, "", [], ())
    )

from django import template

from core.tables import table_rows_html

register = template.Library()


@register.simple_tag
def table_rows(table):
    """The rows of the table's page, rendered in Python (see core.tables.table_rows_html)."""
    return table_rows_html(table)

"""The portal's tables: the shared columns and the fast rendering of a table's rows, then the audit table.

django-tables2 renders each cell through its generic machinery and a template: per cell it walks
the accessor twice, looks the model field up, inspects the render method's signature, builds the
link's attributes, and the template evaluates a handful of tags (≈ 0.2 ms a cell; a 50-row list
has 400 of them). `table_rows_html` gives the same HTML from a plan worked out once per column
(the field with choices, the render method's arguments, the link, the cell's attributes), and the
portal's table template (templates/django_tables2/bootstrap5-responsive.html) uses it. Cells it
does not plan (link columns, many-to-many, accessors across relations, rows that are not model
instances) go through django-tables2's own `BoundRow.get_cell`, so any table renders as before
(tests/core/test_table_rows.py compares both). Every cell is escaped like `{{ cell }}` in a
template: localised, then escaped unless its render method built safe HTML (format_html).
"""

import html
import inspect
from datetime import date, datetime
from functools import partialmethod

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundPinnedRow
from django_tables2.utils import Accessor, signature

from .audit import changes_text
from .choices import AuditAction
from .models import AuditEvent

# Cells stay on one line (portal.css) so that figures and dates line up; long names wrap, and long
# free text (a change list, a comment) wraps at a readable width instead of widening the page.
WRAP = {"td": {"class": "wrap"}}
WRAP_WIDE = {"td": {"class": "wide wrap"}}


class DateColumn(tables.Column):
    """A date in a fixed format, formatted in Python.

    django-tables2's DateColumn is a TemplateColumn: it compiles and renders a small template for
    every cell. Same output (the `date` filter, the column's default when empty), the same export
    value (ISO format, the default when empty) and, like it, it shows empty cells itself."""

    empty_values = ()

    def __init__(self, format="Y-m-d", *args, **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value, bound_column):
        # As `{{ value|date:format|default:default }}`: the filter turns an aware datetime into
        # local time first and gives "" for None or "".
        return date_filter(template_localtime(value), self.format) or bound_column.default

    def value(self, value, bound_column):
        if isinstance(value, date):
            return value.isoformat()
        return strip_tags(str(self.render(value, bound_column))).strip()


class DateTimeColumn(DateColumn):
    """A date and time in a fixed format, in local time (see DateColumn)."""

    def __init__(self, format="Y-m-d H:i", *args, **kwargs):
        super().__init__(format, *args, **kwargs)

    def value(self, value, bound_column):
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
        return strip_tags(str(self.render(value, bound_column))).strip()


_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _caller(function):
    """`call_with_appropriate(function, kwargs)` with the signature inspected once, not per cell."""
    names, catch_all = signature(function)
    if catch_all:
        return lambda kwargs: function(**kwargs)
    if any(name not in _CELL_ARGUMENTS for name in names):
        return lambda kwargs: None  # django-tables2 does not call it either
    return lambda kwargs: function(**{name: kwargs[name] for name in names})


def _has_callable(value) -> bool:
    if callable(value):
        return True
    if isinstance(value, dict):
        return any(_has_callable(item) for item in value.values())
    return False


def _escaped(cell, localize_cell):
    """The cell as the template put it: `{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}`."""
    if isinstance(cell, str):
        # Most cells: localize() returns text as it is, and conditional_escape() is this.
        return cell.__html__() if hasattr(cell, "__html__") else html.escape(cell)
    if localize_cell is None:
        cell = localize(template_localtime(cell))
    else:
        cell = str(localize(cell, use_l10n=bool(localize_cell)))
    if not isinstance(cell, str):
        cell = str(cell)
    return conditional_escape(cell)


class _ColumnPlan:
    """How the cells of one column are computed: worked out once per rendering of the table."""

    def __init__(self, table, bound_column):
        self.table = table
        self.bound_column = bound_column
        self.column = column = bound_column.column
        self.name = bound_column.name
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.localize = column.localize
        accessor = Accessor(bound_column.accessor)
        self.attribute = str(accessor)
        # What django-tables2's BoundRow._get_and_render_with does for one model attribute; the
        # rest (a path across relations, link columns, many-to-many) keeps its own way.
        self.fast = len(accessor.bits) == 1 and not isinstance(column, BaseLinkColumn | ManyToManyColumn)
        self.display = {}  # model class → how a field with choices is shown (see _display)
        self.render = _caller(bound_column.render)
        # Column.render gives the value back as it is: no need to call it for every cell.
        self.plain = getattr(bound_column.render, "__func__", None) is tables.Column.render
        self.link = self._link_plan(bound_column.link)
        attrs = {**dict(table.attrs), **dict(column.attrs)}
        self.per_row_attrs = _has_callable(attrs.get("td", attrs.get("cell", {})))
        if not self.per_row_attrs:
            self.td_open = self._td_open()

    def _td_open(self):
        attrs = self.bound_column.attrs["td"].as_html()
        return mark_safe(f"<td {attrs}>" if attrs else "<td>")  # noqa: S308 (AttributeDict escapes)

    def _link_plan(self, link):
        if link is None:
            return None
        if type(link) is not LinkTransform or link.attrs or link.reverse_args:
            return lambda content, kwargs: link(content, **kwargs)
        if link.url and callable(link.url):
            url = _caller(link.url)
        else:
            accessor = Accessor(link.accessor if link.accessor is not None else self.name)

            def url(kwargs):
                record = kwargs["record"]
                target = accessor.resolve(record)
                if not hasattr(target, "get_absolute_url"):
                    if not hasattr(record, "get_absolute_url"):
                        raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
                    target = record
                return target.get_absolute_url()

        def linked(content, kwargs):
            href = url(kwargs)
            return content if href is None else format_html('<a href="{}">{}</a>', href, content)

        return linked

    def _value(self, record):
        model = type(record)
        try:
            display = self.display[model]
        except KeyError:
            display = self.display[model] = self._display(model)
        if display is not None:
            attname, labels = display
            if labels is None:  # the model's own get_<field>_display()
                return getattr(record, attname)()
            # Django's get_<field>_display(), without building the dict of labels for every cell.
            value = getattr(record, attname)
            return labels.get(make_hashable(value), value)
        try:
            value = getattr(record, self.attribute)
            if callable(value):
                if getattr(value, "alters_data", False):
                    return None
                if not getattr(value, "do_not_call_in_templates", False):
                    value = value()
        except Exception:  # as django-tables2: a failed lookup is an empty cell
            return None
        return value

    def _display(self, model):
        """When django-tables2 would show get_<field>_display(): (the field's attname, its labels by
        value), or (the method's name, None) when the model defines its own; else None."""
        try:
            field = model._meta.get_field(self.attribute)
        except FieldDoesNotExist:
            return None
        name = f"get_{self.attribute}_display"
        method = inspect.getattr_static(model, name, None)
        if not getattr(field, "choices", ()) or method is None:
            return None
        if not isinstance(method, partialmethod):
            return name, None
        labels = {key: force_str(label, strings_only=True) for key, label in make_hashable(field.flatchoices)}
        return field.attname, labels

    def cell(self, row, record):
        """The cell's content, as BoundRow.get_cell gives it."""
        if not self.fast or not isinstance(record, models.Model):
            return row.get_cell(self.name)
        value = self._value(record)
        if value in self.empty_values:
            return self.default
        if self.plain and self.link is None:
            return value
        kwargs = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        content = value if self.plain else self.render(kwargs)
        return self.link(content, kwargs) if self.link else content

    def td(self, row, record):
        cell = self.cell(row, record)
        if self.per_row_attrs:
            # As BoundRow.items(): callable attributes are given the cell and the record.
            self.bound_column.current_value = cell
            self.bound_column.current_record = record
            td_open = self._td_open()
        else:
            td_open = self.td_open
        return f"{td_open}{_escaped(cell, self.localize)}</td>"


def table_rows_html(table) -> SafeString:
    """The `<tr>` rows of the table's current page (or of all its rows when it is not paged)."""
    plans = [_ColumnPlan(table, bound_column) for bound_column in table.columns]
    fast_row_attrs = not table.row_attrs
    lines = []
    for row in table.paginated_rows:
        record = row.record
        if isinstance(row, BoundPinnedRow):
            cells = "".join(f"<td {c.attrs['td'].as_html()}>{_escaped(v, c.localize)}</td>" for c, v in row.items())
            lines.append(f"<tr {row.attrs.as_html()}>{cells}</tr>")
            continue
        if fast_row_attrs:
            tr = '<tr class="odd">' if row.row_counter % 2 else '<tr class="even">'
        else:
            tr = f"<tr {row.attrs.as_html()}>"
        lines.append(tr + "".join([plan.td(row, record) for plan in plans]) + "</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 (every cell escaped above)


class AuditEventTable(tables.Table):
    created_at = DateTimeColumn(format="Y-m-d H:i:s", attrs=WRAP)
    actor_name = tables.Column(verbose_name=_("Actor"), attrs=WRAP)
    action = tables.Column(attrs=WRAP)
    content_type = tables.Column(verbose_name=_("Object type"), attrs=WRAP)
    object_repr = tables.Column(attrs=WRAP)
    changes = tables.Column(orderable=False, attrs=WRAP_WIDE)
    comment = tables.Column(orderable=False, attrs=WRAP_WIDE)

    class Meta:
        model = AuditEvent
        fields = ("created_at", "actor_name", "action", "content_type", "object_repr", "changes", "comment")

    def render_action(self, value):
        return audit_action_label(value)

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.model

    def render_changes(self, value, record):
        # The event's own model names the fields (the content type is selected with the rows).
        return changes_text(record.content_type.model_class(), value)

    def render_comment(self, record):
        # A composed comment may hold a line break (an assessment's round, then its figures).
        return linebreaksbr(record.shown_comment)

    def value_comment(self, record):
        return record.shown_comment


_extra_action_labels: dict[str, str] = {}


def register_action_labels(labels: dict) -> None:
    """Apps name the audit actions of their own transitions (e.g. "studio_submit")."""
    _extra_action_labels.update(labels)


def audit_action_label(value: str) -> str:
    try:
        return AuditAction(value).label
    except ValueError:
        return _extra_action_labels.get(value, value)

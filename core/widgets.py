"""A list filter's fields rendered in Python, as crispy-bootstrap5's field template renders them.

`{{ field|as_crispy_field }}` cost 1–3 ms per field on every list page: crispy's field template
(a dozen nested includes) around Django's widget templates, one template per <select> <option>
(84 options on the pairings list). `filter_field_html` gives the same HTML — the same wrapper,
label, classes, ids, names, aria attributes, errors and help text, escaped the same way — for the
widgets list filters use (text, number and date inputs; selects, including django-filter's
ordering select); any other field (checkboxes, radios, files, a form with a crispy helper, a
widget with its own render) still goes through crispy. The widget's own `get_context()` builds
the attributes, value and options, so only the templates' markup is written here.
`tests/core/test_filter_fields.py` compares both renderings for every list's filter form.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms.widgets import Widget
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django_filters.widgets import BaseCSVWidget

# Django's widget templates the functions below write out; a widget using another is left to crispy.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("text", "number", "date", "email", "url", "search", "tel")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """`{{ value }}`: escaped unless already safe; numbers and dates localized as templates do."""
    if not isinstance(value, str) and not hasattr(value, "__html__"):
        value = localize(value)
    return conditional_escape(value)


def _stringformat(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe string safe)."""
    return value if isinstance(value, SafeData) else conditional_escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_stringformat(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_stringformat(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _crispy_class(widget: Widget, css: str) -> str:
    """The class attribute crispy's {% crispy_field field 'class' css %} gives the widget."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif classes.find(name) == -1:
        classes += f" {name}"
    present = classes.split()
    for extra in css.split():
        if extra not in present:
            classes += f" {extra}"
            present.append(extra)
    return classes


def _widget_html(bound_field, css: str) -> str | None:
    """The widget as `{% crispy_field field 'class' css %}` renders it, or None when it is not
    one of the widgets written out here. BoundField.as_widget's steps, without the template."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, BaseCSVWidget):
        # django-filter's CSV widget: one value is rendered by its select, several by a text input.
        if not isinstance(value, (list, tuple)):
            value = [value]
        if len(value) > 1:
            return None
        value = value[0] if value else ""
    elif type(widget).render is not Widget.render:
        return None
    is_select = isinstance(widget, forms.Select)
    if is_select:
        if widget.template_name != _SELECT_TEMPLATE or widget.option_template_name != _OPTION_TEMPLATE:
            return None
    elif widget.template_name not in _INPUT_TEMPLATES:
        return None
    if bound_field.field.localize:
        widget.is_localized = True
    # crispy sets the class on the widget itself; given first among the extra attributes it lands
    # where crispy's does (in place of the widget's own class, else after the widget's attributes).
    attrs = {"class": _crispy_class(widget, css), **bound_field.build_widget_attrs({}, widget)}
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    context = widget.get_context(bound_field.html_name, value, attrs)["widget"]
    return _select(context) if is_select else _input(context)


def _errors(bound_field) -> str:
    """bootstrap5/layout/field_errors_block.html."""
    errors = bound_field.errors
    if not errors:
        return ""
    auto_id = _text(bound_field.auto_id)
    lines = "".join(
        f'<p id="error_{number}_{auto_id}"><strong>{_text(error)}</strong></p>'
        for number, error in enumerate(errors, start=1)
    )
    return f'<div id="{_text(getattr(errors, "field_id", ""))}_error" class="invalid-feedback">{lines}</div>'


def _help_text(bound_field) -> str:
    """bootstrap5/layout/help_text.html (crispy, like Django, treats help text as safe markup)."""
    if not bound_field.help_text:
        return ""
    field_id = f'id="{_text(bound_field.auto_id)}_helptext" ' if bound_field.auto_id else ""
    return f'<div {field_id}class="form-text">{bound_field.help_text}</div>'


def filter_field_html(bound_field) -> str:
    """A filter form's field as `{{ field|as_crispy_field }}` renders it (crispy-bootstrap5's
    bootstrap5/field.html, no helper), written out in Python for the widgets list filters use."""
    widget = bound_field.field.widget
    handled = (
        getattr(bound_field.form, "helper", None) is None
        and not bound_field.is_hidden
        and not bound_field.use_fieldset
        and not isinstance(widget, (forms.CheckboxInput, forms.FileInput, forms.RadioSelect))
    )
    control = None
    if handled:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        control = _widget_html(bound_field, f"{css} is-invalid" if bound_field.errors else css)
    if control is None:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    required = bound_field.field.required
    label = ""
    if bound_field.label:
        label_for = f'for="{_text(bound_field.id_for_label)}" ' if bound_field.id_for_label else ""
        asterisk = '<span class="asteriskField">*</span>' if required else ""
        label = (
            f'<label {label_for}class="form-label{" requiredField" if required else ""}">'
            f"{_text(bound_field.label)}{asterisk}</label>"
        )
    css_classes = bound_field.css_classes()
    return mark_safe(  # noqa: S308 — every piece above is escaped (help text is markup, as in crispy)
        format_html(
            '<div id="div_{}" class="mb-3{}">',
            bound_field.auto_id,
            f" {css_classes}" if css_classes else "",
        )
        + label
        + control
        + _errors(bound_field)
        + _help_text(bound_field)
        + "</div>"
    )

"""The list filters' fields (core.widgets.filter_field_html, used by templates/includes/list_page.html)
are the HTML `{{ field|as_crispy_field }}` gave: the same wrapper, label, classes, ids, names, aria
attributes, options, errors and escaping, for every list's filter form, unbound, bound with values
(over poisoned data) and bound with errors, and for field features the list filters do not use yet."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html
from django.urls import reverse
from django_filters.widgets import CSVWidget

from core.widgets import filter_field_html

from ..conftest import drawn_each_time
from ..xss_support import SCRIPT, poisoned_world, raw_payloads
from .test_table_rows import LISTS


def normalise(html: str) -> str:
    """Whitespace runs as one space, none next to a tag: crispy's template indents every line."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html)).strip()


def assert_same(bound_field, where=""):
    fast = str(filter_field_html(bound_field))
    crispy = str(as_crispy_field(bound_field))
    assert normalise(fast) == normalise(crispy), (where, bound_field.name)
    assert parse_html(fast) == parse_html(crispy), (where, bound_field.name)
    return fast


def valid_query(form) -> dict[str, str]:
    """A value each field accepts: the last option of a select, a year, a date, poisoned text."""
    data = {}
    for bf in form:
        widget = bf.field.widget
        if isinstance(widget, forms.Select):
            values = [str(value) for value, _label in widget.choices if str(value) not in ("", "unknown")]
            if values:
                data[bf.name] = values[-1]
        elif isinstance(widget, forms.NumberInput):
            data[bf.name] = "2024"
        elif isinstance(widget, forms.DateInput):
            data[bf.name] = "2024-01-02"
        else:
            data[bf.name] = SCRIPT
    return data


def invalid_query(form) -> dict[str, str]:
    """A value each field refuses (a yes/no select takes anything else as "all")."""
    data = {}
    for bf in form:
        widget = bf.field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            continue
        if isinstance(widget, forms.Select):
            data[bf.name] = "<no-such-choice>"
        elif isinstance(widget, (forms.NumberInput, forms.DateInput)):
            data[bf.name] = "<b>x</b>"
        elif getattr(bf.field, "max_length", None):
            data[bf.name] = "<" * (bf.field.max_length + 1)
    return data


@pytest.fixture
def poisoned(world):
    return poisoned_world(world)


def test_every_list_filter_renders_what_crispy_rendered(world, poisoned, client_as):
    client = drawn_each_time(client_as(world.hq))
    for name in LISTS:
        url = reverse(name)
        form = client.get(url).context["filter"].form
        queries = {"unbound": {}, "values": valid_query(form), "errors": invalid_query(form)}
        if "ordering" in form.fields:  # django-filter's CSV select: several orders are a text input
            queries["two orders"] = {"ordering": ",".join(value for value, _ in form.fields["ordering"].choices[1:3])}
        for case, query in queries.items():
            response = client.get(url, query)
            assert response.status_code == 200, (name, case)
            form = response.context["filter"].form
            assert form.is_bound == bool(query)
            if case == "errors":
                assert set(form.errors) == set(query), (name, form.errors)
            elif case == "values":
                assert not form.errors, (name, form.errors)
            page = normalise(response.content.decode())
            for bf in form:
                fast = assert_same(bf, (name, case))
                assert normalise(fast) in page, (name, case, bf.name)  # the page shows this field
                assert not raw_payloads(fast), (name, case, bf.name)
                if case == "values" and isinstance(bf.field.widget, forms.Select):
                    assert " selected>" in fast, (name, bf.name)
                if case == "errors" and bf.name in query:
                    assert "is-invalid" in fast and 'aria-invalid="true"' in fast, (name, bf.name)


def test_option_labels_and_values_are_escaped(world, poisoned, client_as):
    studios = client_as(world.hq).get(reverse("achievements:project_list")).context["filter"].form["studio"]
    html = str(filter_field_html(studios))
    assert "&lt;script&gt;" in html and SCRIPT not in html


class Features(forms.Form):
    """What a filter form might use later: each is rendered as crispy renders it."""

    required_css_class = "needed"
    error_css_class = "wrong"

    name = forms.CharField(label="Name <b>", help_text="Help <i>markup</i>", max_length=5)
    amount = forms.DecimalField(localize=True, required=False, widget=forms.NumberInput(attrs={"class": "wide"}))
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Fruit <x>", [("a", "Apple & co"), ("b", '"Banana"')]), ("c", "Cherry")],
    )
    many = forms.MultipleChoiceField(required=False, choices=[(1, "one"), (2, "two")])
    unlabelled = forms.CharField(label="", required=False, widget=forms.TextInput(attrs={"placeholder": "a <b>"}))
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea)
    radio = forms.ChoiceField(required=False, choices=[("x", "X")], widget=forms.RadioSelect)
    csv = forms.CharField(required=False, widget=CSVWidget)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "<ok>", "amount": "1234.5", "grouped": "b", "many": ["1", "2"], "day": "2024-02-03", "csv": "a,b"},
        {"name": "too <long>", "amount": "x", "grouped": "zz", "many": ["9"], "email": "<x>", "day": "no"},
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", "f-%s", False])
def test_field_features_render_as_crispy_renders_them(data, auto_id):
    form = Features(data, auto_id=auto_id, initial={"amount": 1234567})
    for bf in form:
        assert_same(bf, (data, auto_id))
    again = Features(data, auto_id=auto_id, initial={"amount": 1234567})
    for bf in again:  # crispy sets its classes on the widget; rendered twice, the same again
        assert_same(bf, (data, auto_id))
        assert_same(bf, (data, auto_id))

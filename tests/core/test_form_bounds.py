"""core.forms.set_bounds: a bound set after construction replaces the field's own (a positive
field's "at least 0"), so that an out-of-range number reads one message, not two that disagree."""

import pytest
from django import forms
from django.utils import translation

from core.forms import set_bounds


def test_the_stricter_bound_replaces_the_fields_own():
    field = forms.IntegerField(min_value=0, max_value=32767)
    set_bounds(field, minimum=1980, maximum=2026)
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as error:
        field.clean("-5")
    assert error.value.messages == ["确保该值大于或等于1980。"]
    assert field.widget.attrs["min"] == 1980 and field.widget.attrs["max"] == 2026
    assert (field.min_value, field.max_value) == (1980, 2026)
    assert field.clean("2000") == 2000


def test_a_bound_set_alone_keeps_the_other():
    field = forms.IntegerField(min_value=0)
    set_bounds(field, maximum=100)
    for value in ("-1", "101"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean(value)
        assert len(error.value.messages) == 1, value


def test_the_result_form_says_one_thing_about_a_year_out_of_range(world, client_as):
    from django.urls import reverse

    studio = world.studio(status="named", level="company")
    page = client_as(world.studio_lead).post(
        reverse("achievements:result_create") + f"?studio={studio.pk}",
        {"studio": studio.pk, "title": "x", "category": "paper", "benefit_year": "-5"},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["benefit_year"] == ["确保该值大于或等于1980。"]

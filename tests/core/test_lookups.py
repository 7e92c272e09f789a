"""core.lookups: an id no integer column can hold finds nothing, on SQLite as on PostgreSQL."""

import pytest
from django import forms

from talent.models import Person

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_id_out_of_range_among_others_finds_nothing_for_it():
    person = PersonFactory()
    assert list(Person.objects.filter(pk__in=[person.pk, 10**30, -(10**30)])) == [person]
    assert list(Person.objects.filter(pk__in=[10**30])) == []


def test_a_multiple_choice_with_a_huge_id_is_refused_not_a_500():
    field = forms.ModelMultipleChoiceField(queryset=Person.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([str(PersonFactory().pk), "9" * 30])

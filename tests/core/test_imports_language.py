"""Excel imports read a file the same whatever the language of the page it is uploaded from: the
headers, every choice column (a label in Chinese or in English) and the dates. A process that
served an English page first once refused every Chinese category of a later import (the labels were
fixed at import time); then the studio import refused "公司级" from the English page ("Select a valid
choice. 公司级 is not one of the available choices."), and a date written 2025/09/15 passed in Chinese
and failed in English (Django's input formats follow the page's language)."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from achievements.choices import ResultCategory
from achievements.imports import ResultImportSpec, ResultRow
from core.imports import ImportDateField, LabelChoiceField
from studios.choices import StudioLevel
from studios.imports import StudioImportSpec, StudioRow
from studios.models import Studio
from talent.choices import Gender, SkillGrade
from talent.imports import PersonImportSpec, PersonRow

from ..factories import PersonFactory
from ..xlsx_support import xlsx_upload

SPECS = (StudioImportSpec, ResultImportSpec, PersonImportSpec)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Every choice column of every import, with its TextChoices.
CHOICE_COLUMNS = [
    (StudioRow, "applied_level", StudioLevel),
    (ResultRow, "category", ResultCategory),
    (PersonRow, "gender", Gender),
    (PersonRow, "skill_grade", SkillGrade),
]


def labels(form, name):
    return {str(label) for _value, label in form.fields[name].choices}


def labels_in(language, choices):
    with translation.override(language):
        return [(value, str(label)) for value, label in choices.choices]


def test_every_choice_column_is_listed_and_reads_labels():
    """A choice column of any import is a LabelChoiceField and is checked below; a column that looks
    records up (unit code, employee number, kind) holds the same text in every language."""
    found = []
    for spec in SPECS:
        for name, field_ in spec.row_form.base_fields.items():
            if isinstance(field_, forms.ModelChoiceField):
                assert field_.to_field_name in {"code", "employee_no", "name"}, (spec, name)
            elif isinstance(field_, forms.ChoiceField):
                assert isinstance(field_, LabelChoiceField), (spec, name)
                found.append((spec.row_form, name, field_.enum))
    assert sorted(found, key=str) == sorted(CHOICE_COLUMNS, key=str)


def test_import_rows_offer_the_labels_of_the_active_language():
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            assert str(ResultCategory.TECHNICAL_INNOVATION.label) in labels(ResultRow(), "category")
            assert str(StudioLevel.COMPANY.label) in labels(StudioRow(), "applied_level")
            assert str(SkillGrade.SENIOR_TECHNICIAN.label) in labels(PersonRow(), "skill_grade")
    with translation.override("zh-hans"):
        assert "技术革新" in labels(ResultRow(), "category")
    with translation.override("en"):
        assert "技术革新" not in labels(ResultRow(), "category")


@pytest.mark.parametrize("page", LANGUAGES)
@pytest.mark.parametrize(("row_form", "name", "choices"), CHOICE_COLUMNS, ids=lambda v: getattr(v, "__name__", v))
def test_every_choice_column_accepts_the_labels_of_every_language(page, row_form, name, choices):
    for written in LANGUAGES:
        for value, label in labels_in(written, choices):
            with translation.override(page):
                field_ = row_form.base_fields[name]
                assert field_.clean(label) == value, (page, written, label)
                assert field_.clean(f"  {label.upper()} ") == value  # spaces and case do not matter
    with translation.override(page):
        field_ = row_form.base_fields[name]
        with pytest.raises(forms.ValidationError) as refused:
            field_.clean("宇宙级")
        message = refused.value.messages[0]
        assert "宇宙级" in message  # the bad value is named, with the choices of the page's language
        assert str(choices.choices[0][1]) in message


@pytest.mark.parametrize("page", LANGUAGES)
def test_dates_are_read_the_same_in_every_language(page):
    import datetime

    field_ = ImportDateField()
    with translation.override(page):
        for text in ("2025-09-15", "2025/09/15", "2025.09.15", "2025年09月15日", "2025/9/15"):
            assert field_.clean(text) == datetime.date(2025, 9, 15), text
        with pytest.raises(forms.ValidationError) as refused:
            field_.clean("09/15/2025")  # month first is ambiguous: refused in every language
        assert "09/15/2025" in refused.value.messages[0] and "YYYY-MM-DD" in refused.value.messages[0]


def _post(client, url, language, rows):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        return client.post(reverse(url), {"file": xlsx_upload(rows)})


@pytest.mark.parametrize(("page", "written"), [("en", "zh-hans"), ("zh-hans", "en"), ("en", "en")])
def test_studio_import_takes_a_level_written_in_either_language_from_either_page(world, client_as, page, written):
    PersonFactory(unit=world.plant_a1, employee_no="E900")
    with translation.override(written):
        header = StudioImportSpec().headers()
        level = str(StudioLevel.COMPANY.label)
    row = ["甲一厂数控工作室", "职工创新工作室", "A1", "E900", "数控", "2023/05/01", "二楼", "60", "2", level]
    response = _post(client_as(world.unit_cadre), "studios:studio_import", page, [header, row])
    assert response.status_code == 302, response.context and response.context.get("errors")
    studio = Studio.objects.get(name="甲一厂数控工作室")
    assert studio.applied_level == StudioLevel.COMPANY and str(studio.founded_on) == "2023-05-01"

"""Excel imports read choice labels in the language of the request, whatever language was active
when the module was first imported (a process that served an English page first once refused every
Chinese category of a later import)."""

from django.utils import translation

from achievements.choices import ResultCategory
from achievements.imports import ResultRow
from studios.choices import StudioLevel
from studios.imports import StudioRow
from talent.choices import SkillGrade
from talent.imports import PersonRow


def labels(form, name):
    return {str(label) for _value, label in form.fields[name].choices}


def test_import_rows_offer_the_labels_of_the_active_language():
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            assert str(ResultCategory.TECHNICAL_INNOVATION.label) in labels(ResultRow(), "category")
            assert str(StudioLevel.COMPANY.label) in labels(StudioRow(), "applied_level")
            assert str(SkillGrade.SENIOR_TECHNICIAN.label) in labels(PersonRow(), "skill_grade")
    with translation.override("zh-hans"):
        assert "技术革新" in labels(ResultRow(), "category")
        row = {"title": "t", "studio": "s", "category": "技术革新", "achieved_on": "2025-01-01", "contributors": "E1"}
        form = ResultRow(data=row)
        assert form.is_valid(), form.errors
    with translation.override("en"):
        assert "技术革新" not in labels(ResultRow(), "category")

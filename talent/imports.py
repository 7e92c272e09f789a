"""Excel import of people into the talent registry (through talent.services.person_create)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import phone_validator
from accounts.models import Unit
from core.imports import (
    ImportDateField,
    ImportRow,
    ImportSpec,
    ImportTemplateView,
    ImportView,
    LabelChoiceField,
    UnitCodeField,
)

from . import services
from .choices import Gender, SkillGrade
from .forms import employee_no_validator, id_number_validator
from .models import Person


class PersonRow(ImportRow):
    name = forms.CharField(label=_("Full name"), max_length=50)
    gender = LabelChoiceField(label=_("Gender"), choices=Gender, required=False)
    employee_no = forms.CharField(label=_("Employee number"), max_length=30, validators=[employee_no_validator])
    unit = UnitCodeField()
    team_group = forms.CharField(label=_("Team (班组)"), max_length=60, required=False)
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    skill_grade = LabelChoiceField(label=_("Skill grade"), choices=SkillGrade, required=False)
    grade_date = ImportDateField(label=_("Skill grade obtained on"), required=False, not_future=True)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, validators=[phone_validator])
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False, validators=[id_number_validator])

    # What the services would refuse is checked here too, so that a row's every problem is listed
    # in one pass (the services still check).

    def clean_employee_no(self):
        number = self.cleaned_data["employee_no"]
        if Person.objects.filter(employee_no=number).exists():
            raise ValidationError(_("Another person already has this employee number."))
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("skill_grade") and not cleaned.get("grade_date") and "grade_date" not in self.errors:
            self.add_error("grade_date", _("Give the date the skill grade was obtained."))
        return cleaned


class PersonImportSpec(ImportSpec):
    title = _("People import")
    row_form = PersonRow
    unique_in_file = (("employee_no",),)
    example = {
        "name": "张卫东",
        "gender": Gender.MALE.label,
        "employee_no": "E10001",
        "unit": "JH-CV-AX",
        "team_group": "机加一班",
        "post": "数控车工",
        "skill_grade": SkillGrade.SENIOR_TECHNICIAN.label,
        "grade_date": "2019-06-01",
        "phone": "13800000000",
        "id_number": "",
    }

    def prepare(self, actor, form):
        form.fields["unit"].queryset = Unit.objects.visible_to(actor).filter(is_active=True)

    def reference(self, actor):
        return {
            _("Unit codes"): [f"{u.code} {u.name}" for u in Unit.objects.visible_to(actor).filter(is_active=True)],
            _("Skill grades"): [str(label) for _v, label in SkillGrade.choices],
        }

    def create(self, actor, data):
        person = services.person_create(
            actor=actor,
            name=data["name"],
            unit=data["unit"],
            gender=data["gender"],
            employee_no=data["employee_no"],
            team_group=data["team_group"],
            post=data["post"],
            phone=data["phone"],
            id_number=data["id_number"].upper(),
        )
        if data["skill_grade"]:
            # The grade goes into the history like any other change, so it is dated and audited.
            services.person_grade_change(
                actor=actor, person=person, grade=data["skill_grade"], changed_on=data["grade_date"]
            )
        return person


class PersonImportView(ImportView):
    model = Person
    spec = PersonImportSpec()
    template_url_name = "talent:person_import_template"
    success_url_name = "talent:person_list"

    def get_breadcrumbs(self):
        from .views import PEOPLE

        return [PEOPLE, (self.spec.title, None)]


class PersonImportTemplateView(ImportTemplateView):
    model = Person
    spec = PersonImportSpec()

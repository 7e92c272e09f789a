"""Excel import of people into the talent registry (through talent.services.person_create)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import phone_validator
from accounts.models import Unit
from core.imports import ImportSpec, ImportTemplateView, ImportView

from . import services
from .choices import Gender, SkillGrade
from .forms import employee_no_validator, id_number_validator
from .models import Person


def _label_choices(choices):
    """The labels as choices, in the language of each request (a callable: evaluated when the form
    is built, not once at import in whatever language was active then)."""
    return lambda: [("", "")] + [(str(label), str(label)) for _v, label in choices]


class PersonRow(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=_label_choices(Gender.choices), required=False)
    employee_no = forms.CharField(label=_("Employee number"), max_length=30, validators=[employee_no_validator])
    unit = forms.ModelChoiceField(label=_("Unit code"), queryset=Unit.objects.none(), to_field_name="code")
    team_group = forms.CharField(label=_("Team (班组)"), max_length=60, required=False)
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    skill_grade = forms.ChoiceField(label=_("Skill grade"), choices=_label_choices(SkillGrade.choices), required=False)
    grade_date = forms.DateField(label=_("Skill grade obtained on"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, validators=[phone_validator])
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False, validators=[id_number_validator])


class PersonImportSpec(ImportSpec):
    title = _("People import")
    row_form = PersonRow
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
        genders = {str(label): value for value, label in Gender.choices}
        grades = {str(label): value for value, label in SkillGrade.choices}
        if data["skill_grade"] and not data["grade_date"]:
            raise ValidationError({"grade_date": _("Give the date the skill grade was obtained.")})
        person = services.person_create(
            actor=actor,
            name=data["name"],
            unit=data["unit"],
            gender=genders.get(data["gender"], ""),
            employee_no=data["employee_no"],
            team_group=data["team_group"],
            post=data["post"],
            phone=data["phone"],
            id_number=data["id_number"].upper(),
        )
        if data["skill_grade"]:
            # The grade goes into the history like any other change, so it is dated and audited.
            services.person_grade_change(
                actor=actor, person=person, grade=grades[data["skill_grade"]], changed_on=data["grade_date"]
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

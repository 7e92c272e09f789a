"""Excel import of studios (registered as drafts through studios.services.studio_create)."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
from talent.models import Person

from . import services
from .choices import StudioLevel
from .models import Studio, StudioKind


class StudioRow(ImportRow):
    name = forms.CharField(label=_("Studio name"), max_length=100)
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=StudioKind.objects.filter(is_active=True),
        to_field_name="name",
        help_text=_("One of the kinds on the sheet “Kinds”"),
        error_messages={"invalid_choice": _("There is no studio kind “%(value)s”.")},
    )
    unit = UnitCodeField()
    lead = forms.ModelChoiceField(
        label=_("Lead's employee number"),
        queryset=Person.objects.none(),
        to_field_name="employee_no",
        help_text=_("The employee number of a person in the talent registry"),
        error_messages={"invalid_choice": _("No person you can see has the employee number %(value)s.")},
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=100, required=False)
    founded_on = ImportDateField(label=_("Founded on"), required=False)
    venue_address = forms.CharField(label=_("Venue address"), max_length=200, required=False)
    venue_area = forms.DecimalField(
        label=_("Venue area (m²)"), min_value=0, max_digits=8, decimal_places=2, required=False
    )
    planned_projects = forms.IntegerField(
        label=_("Planned projects per year"), min_value=0, max_value=999, required=False
    )
    applied_level = LabelChoiceField(label=_("Level applied for"), choices=StudioLevel)

    def clean(self):
        cleaned = super().clean()
        # The service refuses it too; checked here so that it is listed with the row's other problems.
        unit, name = cleaned.get("unit"), cleaned.get("name")
        if unit and name and Studio.objects.filter(unit=unit, name=name).exists():
            self.add_error("name", _("This unit already has a studio with this name."))
        return cleaned


class StudioImportSpec(ImportSpec):
    title = _("Studio import")
    row_form = StudioRow
    unique_in_file = (("unit", "name"),)
    example = {
        "name": "张卫东劳模创新工作室",
        "kind": "劳模创新工作室",
        "unit": "JH-CV-AX",
        "lead": "E10001",
        "specialty": "车桥机加工艺",
        "founded_on": "2021-03-01",
        "venue_address": "车桥厂机加车间二楼",
        "venue_area": "80",
        "planned_projects": "2",
        "applied_level": StudioLevel.COMPANY.label,
    }

    def prepare(self, actor, form):
        form.fields["unit"].queryset = Unit.objects.visible_to(actor).filter(is_active=True)
        form.fields["lead"].queryset = Person.objects.visible_to(actor)

    def reference(self, actor):
        return {
            _("Kinds"): [kind.name for kind in StudioKind.objects.filter(is_active=True)],
            _("Unit codes"): [f"{u.code} {u.name}" for u in Unit.objects.visible_to(actor).filter(is_active=True)],
            _("Levels"): [str(label) for _v, label in StudioLevel.choices],
        }

    def create(self, actor, data):
        return services.studio_create(
            actor=actor,
            name=data["name"],
            kind=data["kind"],
            unit=data["unit"],
            lead=data["lead"],
            specialty=data["specialty"],
            founded_on=data["founded_on"],
            venue_address=data["venue_address"],
            venue_area=data["venue_area"],
            planned_projects=data["planned_projects"] or 0,
            applied_level=data["applied_level"],
        )


class StudioImportView(ImportView):
    model = Studio
    spec = StudioImportSpec()
    template_url_name = "studios:studio_import_template"
    success_url_name = "studios:studio_list"

    def get_breadcrumbs(self):
        from .views import STUDIOS

        return [STUDIOS, (self.spec.title, None)]


class StudioImportTemplateView(ImportTemplateView):
    model = Studio
    spec = StudioImportSpec()

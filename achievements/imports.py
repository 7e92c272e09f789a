"""Excel import of results (drafts, through achievements.services.result_create)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import ImportDateField, ImportRow, ImportSpec, ImportTemplateView, ImportView, LabelChoiceField
from core.permissions import can
from studios.models import Studio
from talent.models import Person

from . import services
from .choices import ResultCategory
from .models import Result


class ResultRow(ImportRow):
    title = forms.CharField(label=gettext_lazy("Result title"), max_length=200)
    studio = forms.CharField(
        label=gettext_lazy("Studio name"),
        max_length=100,
        help_text=gettext_lazy("The name of one of your studios, from the sheet “Studios”"),
    )
    category = LabelChoiceField(label=gettext_lazy("Category"), choices=ResultCategory)
    achieved_on = ImportDateField(label=gettext_lazy("Date"), not_future=True)
    contributors = forms.CharField(
        label=gettext_lazy("Contributors' employee numbers (in rank order, separated by 、 or ,)"), max_length=500
    )
    benefit = forms.DecimalField(
        label=gettext_lazy("Economic benefit (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    benefit_year = forms.IntegerField(
        label=gettext_lazy("Benefit year"), min_value=1980, max_value=2100, required=False
    )
    patent_no = forms.CharField(label=gettext_lazy("Patent number"), max_length=40, required=False)
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=4000, required=False)

    # The studio and the contributors are looked up here, and what the service would refuse is
    # checked here too, so that a row's every problem is listed in one pass (the service still checks).

    def clean_studio(self):
        name, actor = self.cleaned_data["studio"], self.actor
        named = Studio.objects.visible_to(actor).filter(name=name)
        studios = [s for s in named if can(actor, "manage_achievements", s)]
        if not studios:
            raise ValidationError(
                _("None of the studios whose results you manage is named “%(value)s”."), params={"value": name}
            )
        if len(studios) > 1:
            raise ValidationError(_("No single studio of yours has this name."))
        return studios[0]

    def clean_contributors(self):
        text = self.cleaned_data["contributors"]
        numbers = [n.strip() for n in text.replace(",", "、").replace("，", "、").split("、") if n.strip()]
        if not numbers:
            raise ValidationError(_("List at least one contributor."))
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("Each person is listed once."))
        people = {p.employee_no: p for p in Person.objects.visible_to(self.actor).filter(employee_no__in=numbers)}
        missing = [n for n in numbers if n not in people]
        if missing:
            message = _("No person you can see has the employee number %(value)s.")
            raise ValidationError([ValidationError(message, params={"value": number}) for number in missing])
        return [people[n] for n in numbers]

    def clean(self):
        cleaned = super().clean()
        studio, title = cleaned.get("studio"), cleaned.get("title")
        # An import run twice, or a row copied twice, would make the same result again.
        if studio and title and Result.objects.filter(studio=studio, title=title).exists():
            self.add_error("title", _("This studio already has a result with this title."))
        if cleaned.get("benefit") and not cleaned.get("benefit_year") and "benefit_year" not in self.errors:
            self.add_error("benefit_year", _("Say which year the benefit was made in."))
        return cleaned


class ResultImportSpec(ImportSpec):
    title = gettext_lazy("Result import")
    row_form = ResultRow
    unique_in_file = (("studio", "title"),)
    example = {
        "title": "桥壳反变形焊接工装",
        "studio": "张卫东车桥工艺创新工作室",
        "category": ResultCategory.TECHNICAL_INNOVATION.label,
        "achieved_on": "2025-09-15",
        "contributors": "E10001、E10002",
        "benefit": "186000",
        "benefit_year": "2025",
        "patent_no": "",
        "summary": "",
    }

    def reference(self, actor):
        return {
            gettext_lazy("Studios"): [
                s.name for s in Studio.objects.visible_to(actor) if can(actor, "manage_achievements", s)
            ],
            gettext_lazy("Categories"): [str(label) for _v, label in ResultCategory.choices],
        }

    def create(self, actor, data):
        return services.result_create(
            actor=actor,
            studio=data["studio"],
            title=data["title"],
            category=data["category"],
            achieved_on=data["achieved_on"],
            contributors=data["contributors"],
            benefit=data["benefit"],
            benefit_year=data["benefit_year"],
            patent_no=data["patent_no"],
            summary=data["summary"],
        )


class ResultImportView(ImportView):
    model = Result
    permission_action = "add"
    spec = ResultImportSpec()
    template_url_name = "achievements:result_import_template"
    success_url_name = "achievements:result_list"

    def get_breadcrumbs(self):
        from .views import RESULTS

        return [RESULTS, (self.spec.title, None)]


class ResultImportTemplateView(ImportTemplateView):
    model = Result
    permission_action = "add"
    spec = ResultImportSpec()

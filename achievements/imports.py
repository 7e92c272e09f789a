"""Excel import of results (drafts, through achievements.services.result_create)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import ImportSpec, ImportTemplateView, ImportView
from core.permissions import can
from studios.models import Studio
from talent.models import Person

from . import services
from .choices import ResultCategory
from .models import Result


class ResultRow(forms.Form):
    title = forms.CharField(label=gettext_lazy("Result title"), max_length=200)
    studio = forms.CharField(label=gettext_lazy("Studio name"), max_length=100)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=lambda: [(str(label), str(label)) for _v, label in ResultCategory.choices],
    )
    achieved_on = forms.DateField(label=gettext_lazy("Date"))
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


class ResultImportSpec(ImportSpec):
    title = gettext_lazy("Result import")
    row_form = ResultRow
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
        studios = [
            s
            for s in Studio.objects.visible_to(actor).filter(name=data["studio"])
            if can(actor, "manage_achievements", s)
        ]
        if len(studios) != 1:
            raise ValidationError({"studio": _("No single studio of yours has this name.")})
        numbers = [
            n.strip() for n in data["contributors"].replace(",", "、").replace("，", "、").split("、") if n.strip()
        ]
        people = {p.employee_no: p for p in Person.objects.visible_to(actor).filter(employee_no__in=numbers)}
        missing = [n for n in numbers if n not in people]
        if missing or not numbers:
            raise ValidationError(
                {"contributors": _("Unknown employee numbers: %(numbers)s") % {"numbers": "、".join(missing) or "—"}}
            )
        category = {str(label): value for value, label in ResultCategory.choices}[data["category"]]
        return services.result_create(
            actor=actor,
            studio=studios[0],
            title=data["title"],
            category=category,
            achieved_on=data["achieved_on"],
            contributors=[people[n] for n in numbers],
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

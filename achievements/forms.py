from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import Unit
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.permissions import can
from core.pickers import SearchChoiceField
from core.uploads import DocumentUploadField
from studios.forms import PeopleChoiceField, PersonChoiceField, StudioChoiceField, StudioMultipleChoiceField
from studios.models import Studio
from talent.models import Person
from talent.selectors import person_choices

from .models import Adoption, Award, Milestone, Project, ProjectKind, Result


def studios_for_logging(user):
    """Studios whose projects and results this user may log: those of its scope on which the rule
    set allows `manage_achievements` (HQ, a cadre over the studio, its lead), as a queryset.

    The rule is asked once, of the model (`manage_achievements` on a studio depends on the scope
    only: HQ and cadres manage what they see, a lead the studios it leads, which is its scope),
    not row by row: HQ's 120,000 studios at national scale were read and checked one by one on
    every project and result form. tests/core/test_pickers.py holds this equal to asking
    the rule for every studio, for every role."""
    studios = Studio.objects.visible_to(user).select_related("unit")
    return studios if can(user, "manage_achievements", Studio) else studios.none()


class ProjectForm(PortalModelForm):
    studio = StudioChoiceField(label=_("Studio"), queryset=Studio.objects.none())
    leader = PersonChoiceField(label=_("Project leader"), queryset=Person.objects.none())
    team = PeopleChoiceField(label=_("Team"), queryset=Person.objects.none(), required=False)
    partner_studios = StudioMultipleChoiceField(
        label=_("Partner studios (joint project)"), queryset=Studio.objects.none(), required=False
    )

    class Meta:
        model = Project
        fields = [
            "studio",
            "title",
            "kind",
            "leader",
            "team",
            "partner_studios",
            "started_on",
            "planned_end_on",
            "goals",
            "budget",
        ]
        widgets = {"started_on": DateInput(), "planned_end_on": DateInput(), "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios_for_logging(self.user)
        kinds = ProjectKind.objects.filter(is_active=True)
        if self.instance.pk:
            kinds = (kinds | ProjectKind.objects.filter(pk=self.instance.kind_id)).distinct()
        self.fields["kind"].queryset = kinds
        self.fields["leader"].queryset = person_choices(self.user)
        self.fields["team"].queryset = person_choices(self.user)
        self.fields["partner_studios"].queryset = Studio.objects.visible_to(self.user)
        set_bounds(self.fields["budget"], minimum=0)
        if self.instance.pk:
            del self.fields["studio"]

    def _post_clean(self):
        # Date order and choices are checked by achievements.services with field messages.
        pass


class ResultForm(PortalModelForm):
    studio = StudioChoiceField(label=_("Studio"), queryset=Studio.objects.none())
    contributors = PeopleChoiceField(
        label=_("Contributors"),
        queryset=Person.objects.none(),
        ordered=True,
        help_text=_("Search and add them in rank order of contribution; ↑ moves one up."),
    )
    benefit_proof = DocumentUploadField(label=_("Benefit proof"), required=False)

    class Meta:
        model = Result
        fields = [
            "studio",
            "project",
            "title",
            "category",
            "achieved_on",
            "contributors",
            "summary",
            "benefit",
            "benefit_year",
            "benefit_basis",
            "benefit_proof",
            "patent_no",
            "patent_granted_on",
            "ip_disputed",
        ]
        widgets = {
            "achieved_on": DateInput(),
            "patent_granted_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "benefit_basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios_for_logging(self.user)
        # A province sees tens of thousands of projects: searched by title when there are many.
        self.fields["project"] = SearchChoiceField(
            label=self.fields["project"].label,
            queryset=Project.objects.visible_to(self.user),
            required=False,
            search_fields=("title",),
            search_order=("-started_on", "-id"),
        )
        self.fields["contributors"].queryset = person_choices(self.user)
        set_bounds(self.fields["benefit"], minimum=0)
        set_bounds(self.fields["benefit_year"], minimum=1980, maximum=timezone.localdate().year)
        if self.instance.pk:
            del self.fields["studio"]
            self.initial["contributors"] = [c.person_id for c in self.instance.contributors.order_by("rank")]

    def _post_clean(self):
        pass


class AdoptionForm(PortalModelForm):
    unit = UnitChoiceField(label=_("Adopting unit"), queryset=Unit.objects.none(), required=False)
    proof = DocumentUploadField(label=_("Application proof"), required=False)

    class Meta:
        model = Adoption
        fields = ["unit", "organisation", "adopted_on", "scope", "yearly_benefit", "proof"]
        widgets = {"adopted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any unit of the company may adopt a result, not only units in the recorder's scope.
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        set_bounds(self.fields["yearly_benefit"], minimum=0)

    def _post_clean(self):
        pass


class ClosingForm(PortalForm):
    comment = forms.CharField(label=_("Closing summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())

    def __init__(self, *args, comment_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class CaseProposalForm(PortalForm):
    comment = forms.CharField(
        label=_("Case story for the public"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What problem, what was done, what it brought. No names of people, no phone numbers."),
    )

    def __init__(self, *args, comment_required=True, **kwargs):
        super().__init__(*args, **kwargs)


class MilestoneForm(PortalModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}


class ProgressForm(PortalModelForm):
    class Meta:
        model = Milestone
        fields = ["progress", "done_on"]
        widgets = {"done_on": DateInput(), "progress": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = True


class AwardForm(PortalModelForm):
    class Meta:
        model = Award
        fields = ["name", "level", "grade", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["year"], minimum=1980, maximum=timezone.localdate().year)

    def validate_unique(self):
        pass


class AttachmentForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = DocumentUploadField(label=_("File"))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField, phone_validator
from accounts.models import Unit
from accounts.selectors import unit_choices
from achievements.models import Project
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.pickers import SearchChoiceField, SearchSelectMultiple
from core.uploads import DocumentUploadField, ImageUploadField
from studios.forms import FundingForm, PeopleChoiceField, StudioChoiceField, StudioMultipleChoiceField
from studios.models import Studio
from talent.models import Person

from .choices import OPEN_MEMBER_STATES, AllianceStatus, DesignationKind, MemberStatus, MemberTier
from .models import MAX_OUTSIDERS, Activity, Alliance, AllianceFundingEntry, DesignationBatch
from .selectors import joinable_studios
from .services import NAMED_STATES

DATE = DateInput()


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class AllianceForm(PortalModelForm):
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    charter = DocumentUploadField(label=_("Charter (章程)"), required=False)
    agreement = DocumentUploadField(label=_("Agreement"), required=False)
    logo = ImageUploadField(label=_("Logo or photo"), required=False)

    class Meta:
        model = Alliance
        fields = [
            "name",
            "theme",
            "lead_unit",
            "founded_on",
            "description",
            "secretariat_contact",
            "secretariat_phone",
            "members_log_activities",
            "charter",
            "agreement",
            "logo",
        ]
        widgets = {"founded_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = unit_choices(self.user)
        self.fields["secretariat_phone"].validators.append(phone_validator)
        if self.instance.pk:
            if not self.user.is_hq:
                del self.fields["lead_unit"]
            for name in ("charter", "agreement", "logo"):
                self.fields[name].help_text = _("Upload a file only to replace the current one.")
                self.initial.pop(name, None)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_founded_on(self):
        return _not_future(self.cleaned_data.get("founded_on"))

    def validate_unique(self):
        # Checked by alliances.services with a message next to the name.
        pass


class JoinRequestForm(PortalForm):
    studio = StudioChoiceField(label=_("Studio"), queryset=Studio.objects.none())
    note = forms.CharField(
        label=_("Why the studio wants to join"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, alliance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = joinable_studios(self.user, alliance).select_related("unit").order_by("name")


class MemberAddForm(PortalForm):
    studio = StudioChoiceField(label=_("Studio"), queryset=Studio.objects.none())
    tier = forms.ChoiceField(label=_("Tier"), choices=MemberTier.choices, initial=MemberTier.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args, alliance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("joined_on", timezone.localdate())
        self.fields["studio"].queryset = (
            Studio.objects.visible_to(self.user)
            .filter(status__in=NAMED_STATES)
            .exclude(alliance_memberships__alliance=alliance, alliance_memberships__status__in=OPEN_MEMBER_STATES)
            .select_related("unit")
            .order_by("unit__path", "name")
        )


class AdmitForm(PortalForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=MemberTier.choices, initial=MemberTier.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("joined_on", timezone.localdate())


class TierForm(PortalForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=MemberTier.choices)

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)


class ExitForm(PortalForm):
    exited_on = forms.DateField(label=_("Left on"), widget=DATE)
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("exited_on", timezone.localdate())


class RemoveForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    exited_on = forms.DateField(label=_("Left on"), widget=DATE)

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("exited_on", timezone.localdate())


class ActivityForm(PortalModelForm):
    organiser = StudioChoiceField(label=_("Organising studio"), queryset=Studio.objects.none(), required=False)
    studios = StudioMultipleChoiceField(
        label=_("Studios taking part"),
        queryset=Studio.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Member studios you can see. Others are counted under other participants."),
    )
    people = PeopleChoiceField(
        label=_("People taking part"),
        queryset=Person.objects.none(),
        required=False,
        widget=SearchSelectMultiple(attrs={"size": 8}),
        help_text=_("Team members of the member studios you can see."),
    )
    project = SearchChoiceField(
        label=_("Joint project"),
        queryset=Project.objects.none(),
        required=False,
        search_fields=("title",),
        search_order=("-started_on", "-id"),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "place",
            "organiser",
            "studios",
            "people",
            "outsider_count",
            "pairs_formed",
            "project",
            "summary",
        ]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, alliance=None, **kwargs):
        super().__init__(*args, **kwargs)
        from studios.models import Membership

        from .models import AllianceMember

        alliance = alliance or self.instance.alliance
        member_studios = AllianceMember.objects.filter(alliance=alliance).exclude(
            status__in=(MemberStatus.REQUESTED, MemberStatus.DECLINED)
        )
        studios = (
            Studio.objects.visible_to(self.user)
            .filter(pk__in=member_studios.values("studio"))
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["studios"].queryset = studios
        self.fields["organiser"].queryset = studios
        teams = Membership.objects.filter(studio__in=studios.values("pk"), left_on__isnull=True).values("person")
        people = Person.objects.visible_to(self.user).filter(pk__in=teams)
        if self.instance.pk:
            people = people | Person.objects.visible_to(self.user).filter(alliance_activities=self.instance)
        self.fields["people"].queryset = people.distinct().select_related("unit").order_by("name")
        projects = Project.objects.visible_to(self.user).filter(partner_studios__isnull=False)
        self.fields["project"].queryset = projects.distinct().order_by("-started_on")
        self.fields["project"].help_text = _("For joint problem-tackling: a project of several studios.")
        set_bounds(self.fields["outsider_count"], minimum=0, maximum=MAX_OUTSIDERS)
        set_bounds(self.fields["pairs_formed"], minimum=0, maximum=1000)
        if not self.instance.pk:
            # A ModelForm's initial already has the key (empty, from the new activity): fill it in.
            self.initial["held_on"] = self.initial.get("held_on") or timezone.localdate()

    def clean_held_on(self):
        return _not_future(self.cleaned_data.get("held_on"))


class DocumentForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = DocumentUploadField(label=_("File"))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)


class AllianceFundingForm(FundingForm):
    class Meta(FundingForm.Meta):
        model = AllianceFundingEntry


class DesignationBatchForm(PortalModelForm):
    class Meta:
        model = DesignationBatch
        fields = ["name", "designated_on", "document_no", "description"]
        widgets = {"designated_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def validate_unique(self):
        pass


class DesignationForm(PortalForm):
    kind = forms.ChoiceField(label=_("Designation"), choices=DesignationKind.choices)
    alliance = SearchChoiceField(label=_("Alliance"), queryset=Alliance.objects.none(), required=False)
    studio = StudioChoiceField(label=_("Studio"), queryset=Studio.objects.none(), required=False)
    citation = forms.CharField(label=_("Citation"), max_length=200, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = Alliance.objects.exclude(status=AllianceStatus.DISSOLVED).order_by("name")
        self.fields["studio"].queryset = (
            Studio.objects.visible_to(self.user).filter(status__in=NAMED_STATES).select_related("unit").order_by("name")
        )
        self.fields["alliance"].help_text = _("Choose an alliance or a studio.")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if (data.get("alliance") is None) == (data.get("studio") is None):
            raise forms.ValidationError(_("Choose either an alliance or a studio."))
        return data

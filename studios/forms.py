from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField, phone_validator
from accounts.models import Unit
from accounts.selectors import unit_choices
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.pickers import SearchChoiceField, SearchMultipleChoiceField
from core.uploads import DocumentUploadField
from talent.models import Person
from talent.selectors import person_choices

from .choices import BatchStatus, FundingDirection, MemberRole, RevocationReason
from .models import (
    Assessment,
    EligibilityRules,
    FundingEntry,
    LevelRecord,
    Membership,
    NamingBatch,
    Studio,
    StudioKind,
)

DATE = DateInput()


class PersonChoiceField(SearchChoiceField):
    """A person of the user's scope, searched by name or employee number (core.pickers)."""

    search_fields = ("name", "employee_no")

    def label_from_instance(self, obj):
        return person_label(obj)


def person_label(obj) -> str:
    return f"{obj.name} · {obj.unit}" + (f" · {obj.employee_no}" if obj.employee_no else "")


class PeopleChoiceField(SearchMultipleChoiceField):
    """People of the user's scope (a team, contributors), searched by name or employee number."""

    search_fields = ("name", "employee_no")

    def label_from_instance(self, obj):
        return person_label(obj)


class StudioChoiceField(SearchChoiceField):
    """A studio of the user's scope, searched by name (core.pickers), newest first as the list."""

    search_order = ("-updated_at", "-id")

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.unit}"


class StudioMultipleChoiceField(SearchMultipleChoiceField):
    search_order = ("-updated_at", "-id")

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.unit}"


class StudioForm(PortalModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    lead = PersonChoiceField(label=_("Lead"), queryset=Person.objects.none())

    class Meta:
        model = Studio
        fields = [
            "name",
            "kind",
            "unit",
            "lead",
            "specialty",
            "founded_on",
            "venue_address",
            "venue_area",
            "facilities",
            "description",
            "contact_phone",
            "planned_projects",
            "applied_level",
            "applying_demonstration",
        ]
        widgets = {
            "founded_on": DATE,
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.permissions import can

        self.locked = []
        self.fields["unit"].queryset = unit_choices(self.user)
        self.fields["kind"].queryset = StudioKind.objects.filter(is_active=True)
        self.fields["lead"].queryset = person_choices(self.user)
        set_bounds(self.fields["venue_area"], minimum=0)
        self.fields["contact_phone"].validators.append(phone_validator)
        if self.instance.pk:
            # The lead changes through its own recorded step; the unit only by HQ or its cadre.
            del self.fields["lead"]
            if can(self.user, "review_unit", self.instance):
                self.fields["unit"].queryset = (
                    self.fields["unit"].queryset | Unit.objects.filter(pk=self.instance.unit_id)
                ).distinct()
            else:
                del self.fields["unit"]
            self.fields["kind"].queryset = (
                self.fields["kind"].queryset | StudioKind.objects.filter(pk=self.instance.kind_id)
            ).distinct()
            self.locked = self._lock_after_submission(can(self.user, "review_unit", self.instance))

    def _lock_after_submission(self, may_review: bool) -> list[str]:
        """After submission the application's fields are frozen, and what was reviewed is the
        reviewers' alone (studios.services.studio_update): shown disabled with the reason, rather
        than offered and refused on save. A disabled field keeps the studio's value."""
        from .services import APPLICATION_FIELDS, EDITABLE_STATES, REVIEWED_FIELDS

        if self.instance.status in EDITABLE_STATES:
            return []
        reasons = {
            name: _("This is part of the application and cannot change after submission.")
            for name in APPLICATION_FIELDS
        }
        if not may_review:
            reasons.update(
                {name: _("After submission only the unit's cadre or HQ may change this.") for name in REVIEWED_FIELDS}
            )
        locked = [name for name in self.fields if name in reasons]
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = reasons[name]
        return locked

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_founded_on(self):
        value = self.cleaned_data.get("founded_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def validate_unique(self):
        # Checked by studios.services with a message next to the name.
        pass

    def _get_validation_exclusions(self):
        # So is the model's constraint on the name within the unit, which would otherwise put a
        # generic message above the form; the model's other checks stay.
        return super()._get_validation_exclusions() | {"name"}


class SubmitForm(PortalForm):
    explanation = forms.CharField(
        label=_("Explanation of unmet criteria"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed only when a criterion is not met."),
    )


class ApproveForm(PortalForm):
    batch = forms.ModelChoiceField(label=_("Naming batch"), queryset=NamingBatch.objects.none())
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.pop("comment_required", None)
        super().__init__(*args, **kwargs)
        # Only batches whose public notice has not begun: every studio gets the full notice period.
        self.fields["batch"].queryset = NamingBatch.objects.filter(
            status=BatchStatus.OPEN, publicity_start__gte=timezone.localdate()
        )


class RectifyForm(PortalForm):
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DATE)
    comment = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.pop("comment_required", None)
        super().__init__(*args, **kwargs)


class RevokeForm(PortalForm):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=RevocationReason.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.pop("comment_required", None)
        super().__init__(*args, **kwargs)


class ChangeLeadForm(PortalForm):
    new_lead = PersonChoiceField(label=_("New lead"), queryset=Person.objects.none())
    changed_on = forms.DateField(label=_("Date"), widget=DATE)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].queryset = person_choices(self.user)
        self.initial.setdefault("changed_on", timezone.localdate())


class MembershipForm(PortalModelForm):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())

    class Meta:
        model = Membership
        fields = ["person", "role", "joined_on"]
        widgets = {"joined_on": DATE}

    def __init__(self, *args, **kwargs):
        from django.urls import reverse
        from django.utils.html import format_html

        from core.permissions import can

        super().__init__(*args, **kwargs)
        people = person_choices(self.user)
        if self.instance.studio_id:  # those already in the team are not offered again
            current = Membership.objects.filter(studio_id=self.instance.studio_id, left_on__isnull=True)
            people = people.exclude(pk__in=current.values("person"))
        self.fields["person"].queryset = people
        if can(self.user, "add", Person):
            self.fields["person"].help_text = format_html(
                '{} <a href="{}">{}</a>',
                _("Not listed? Register the person in the talent registry first:"),
                reverse("talent:person_create"),
                _("new person"),
            )
        self.fields["role"].choices = [c for c in MemberRole.choices if c[0] != MemberRole.LEAD]

    def validate_unique(self):
        pass


class MembershipEndForm(PortalForm):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("left_on", timezone.localdate())


class LevelRecordForm(PortalModelForm):
    class Meta:
        model = LevelRecord
        fields = ["level", "demonstration", "awarded_on", "document_no", "issuer"]
        widgets = {"awarded_on": DATE}


class FundingForm(PortalModelForm):
    voucher = DocumentUploadField(
        label=_("Voucher"), required=False, help_text=_("An invoice or receipt as PDF or Office file.")
    )

    class Meta:
        model = FundingEntry
        fields = ["direction", "source", "use", "amount", "entry_date", "description", "voucher"]
        widgets = {"entry_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["amount"], minimum=0)
        # A ModelForm's initial already has these keys (empty, from the new entry): fill them in.
        self.initial["entry_date"] = self.initial.get("entry_date") or timezone.localdate()
        self.initial["direction"] = self.initial.get("direction") or FundingDirection.IN

    def _post_clean(self):
        # The model's check constraints are enforced by studios.services with field messages.
        pass


class RulesForm(PortalModelForm):
    class Meta:
        model = EligibilityRules
        fields = [
            "min_team_size",
            "lead_min_honour_level",
            "lead_min_skill_grade",
            "min_venue_area",
            "require_funding",
            "min_funding",
            "min_projects_per_year",
            "demonstration_min_years",
            "forbid_single_team_group",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["min_venue_area"], minimum=0)
        set_bounds(self.fields["min_funding"], minimum=0)


class BatchForm(PortalModelForm):
    class Meta:
        model = NamingBatch
        fields = ["year", "level", "name", "document_no", "publicity_start", "publicity_end"]
        widgets = {"publicity_start": DATE, "publicity_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["year"], minimum=2000)
        set_bounds(self.fields["year"], maximum=timezone.localdate().year + 1)
        self.initial.setdefault("year", timezone.localdate().year)

    def _post_clean(self):
        # Date order and uniqueness are checked by studios.services with field messages.
        pass


class BatchNameForm(PortalForm):
    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)


class RoundForm(PortalForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["year"], maximum=timezone.localdate().year)
        self.initial.setdefault("year", timezone.localdate().year)


class SelfAssessmentForm(PortalModelForm):
    class Meta:
        model = Assessment
        fields = ["self_summary"]
        widgets = {"self_summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_summary"].required = True


class UnitScoreForm(PortalModelForm):
    class Meta:
        model = Assessment
        fields = ["unit_score", "unit_comment"]
        widgets = {"unit_comment": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_score"].required = True


class GradeForm(PortalForm):
    grade = forms.ChoiceField(label=_("Grade"))
    deadline = forms.DateField(
        label=_("Rectification deadline"), required=False, widget=DATE, help_text=_("Needed for a failing grade.")
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instance=None, **kwargs):
        from .choices import AssessmentGrade

        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = AssessmentGrade.choices

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField, phone_validator
from accounts.models import Unit
from accounts.selectors import unit_choices
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.uploads import DocumentUploadField
from talent.models import Person

from .choices import RATING_CHOICES, EnrolmentStatus
from .models import MAX_CAPACITY, MAX_WAITLIST, Enrolment, Feedback, Session, TrainingClass
from .policies import enrollable_people_q, team_people
from .services import CLASS_FIELDS, MAX_ENROL_AT_ONCE

DATE = DateInput()


class DateTimeInput(forms.DateTimeInput):
    """An HTML date-and-time picker; its value is ISO whatever the language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ClassForm(PortalModelForm):
    organiser = UnitChoiceField(label=_("Organiser"), queryset=Unit.objects.none())

    class Meta:
        model = TrainingClass
        fields = list(CLASS_FIELDS)
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = unit_choices(self.user)
        if not self.instance.pk and self.user is not None and self.user.unit_id:
            self.initial["organiser"] = self.initial.get("organiser") or self.user.unit_id
        self.fields["contact_phone"].validators.append(phone_validator)
        set_bounds(self.fields["capacity"], minimum=1, maximum=MAX_CAPACITY)
        set_bounds(self.fields["waitlist_limit"], minimum=0, maximum=MAX_WAITLIST)

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data

    def _post_clean(self):
        # The model's constraints are enforced by training.services with field messages.
        pass


class SessionForm(PortalModelForm):
    class Meta:
        model = Session
        fields = ["title", "speaker", "speaker_title", "starts_at", "ends_at", "hours", "room"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        help_texts = {"title": _("e.g. 《生产现场创新的思路与方法》")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["hours"], minimum=0.5, maximum=24)
        self.fields["hours"].widget.attrs["step"] = "0.5"

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data

    def _post_clean(self):
        pass


class PersonCheckboxField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.employee_no or '—'} · {obj.unit}"


EMPLOYEE_NO_SPLIT = re.compile(r"[\s,，;；、]+")


class EnrolForm(PortalForm):
    """A studio lead ticks people of its team; a cadre (or HQ) pastes employee numbers, as a union
    office keeps them in a spreadsheet. Either way the list stays bounded at national scale."""

    def __init__(self, *args, training_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_class = training_class
        self.by_numbers = not (self.user.is_studio_lead and not self.user.is_unit_cadre and not self.user.is_hq)
        if self.by_numbers:
            self.fields["employee_numbers"] = forms.CharField(
                label=_("Employee numbers"),
                widget=forms.Textarea(attrs={"rows": 5, "placeholder": "E10001\nE10002"}),
                max_length=20_000,
                help_text=_("One per line, or separated by commas or spaces; at most %(count)s at a time.")
                % {"count": MAX_ENROL_AT_ONCE},
            )
        else:
            taken = Enrolment.objects.filter(training_class=training_class).exclude(status=EnrolmentStatus.CANCELLED)
            self.fields["people"] = PersonCheckboxField(
                label=_("Team members"),
                queryset=Person.objects.filter(pk__in=team_people(self.user))
                .exclude(pk__in=taken.values("person"))
                .select_related("unit")
                .order_by("name"),
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_employee_numbers(self):
        numbers = [n for n in EMPLOYEE_NO_SPLIT.split(self.cleaned_data["employee_numbers"].strip()) if n]
        numbers = list(dict.fromkeys(numbers))
        if not numbers:
            raise forms.ValidationError(_("Enter at least one employee number."))
        if len(numbers) > MAX_ENROL_AT_ONCE:
            raise forms.ValidationError(_("Enrol at most %(count)s people at a time.") % {"count": MAX_ENROL_AT_ONCE})
        found = {
            p.employee_no: p
            for p in Person.objects.filter(enrollable_people_q(self.user), employee_no__in=numbers).select_related(
                "unit"
            )
        }
        unknown = [n for n in numbers if n not in found]
        if unknown:
            shown = "、".join(unknown[:10]) + ("…" if len(unknown) > 10 else "")
            raise forms.ValidationError(
                _("Not found among the people you may enrol: %(numbers)s.") % {"numbers": shown}
            )
        self.cleaned_data["people"] = [found[n] for n in numbers]
        return numbers

    def people(self):
        return self.cleaned_data.get("people", [])


class SignInForm(PortalForm):
    employee_no = forms.CharField(label=_("Employee number"), max_length=30)
    name = forms.CharField(label=_("Full name"), max_length=50)


class FeedbackForm(PortalModelForm):
    content_rating = forms.TypedChoiceField(
        label=_("Course content"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    speaker_rating = forms.TypedChoiceField(
        label=_("Speakers"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    organisation_rating = forms.TypedChoiceField(
        label=_("Organisation and service"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )

    comment = forms.CharField(
        label=_("What helped you most"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    suggestion = forms.CharField(
        label=_("Suggestions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Feedback
        fields = ["content_rating", "speaker_rating", "organisation_rating", "comment", "suggestion"]

    def _post_clean(self):
        pass


class EnrolmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name} · {obj.person.employee_no or '—'} · {obj.person.unit}"


class AttendanceForm(PortalForm):
    """An organiser records a trainee present by hand."""

    enrolment = EnrolmentChoiceField(label=_("Trainee"), queryset=Enrolment.objects.none())

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = (
            Enrolment.objects.filter(training_class=session.training_class, status=EnrolmentStatus.ENROLLED)
            .exclude(attendances__session=session)
            .select_related("person", "person__unit")
            .order_by("person__name")
        )


class MaterialForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = DocumentUploadField(label=_("File"))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter a title."))
        return title
